"""Start-up wiring of the tenancy module into the framework's extension points."""
from blueprints.tenancy import permissions, resolution
from webapp import security, tenancy


def on_startup(_data) -> None:
    tenancy.set_resolver(resolution.resolve_request)
    security.set_permission_check(permissions.check)
