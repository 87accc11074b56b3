"""Start-up wiring of the tenancy module into the framework's extension points."""
from blueprints.tenancy import permissions, resolution
from webapp import security, tenancy


def on_startup(_data) -> None:
    from blueprints.tenancy.routes.store import enter_store

    tenancy.set_resolver(resolution.resolve_request)
    tenancy.set_domain_lookup(resolution.store_code_for_domain)
    tenancy.set_store_guard(enter_store)
    security.set_permission_check(permissions.check)
