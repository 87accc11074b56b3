"""``flask users …``: staff accounts from scripts."""
import click
from flask.cli import AppGroup

from blueprints.core import services
from webapp.models import User

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--name", default="", help="Display name.")
@click.option("--platform-admin", "platform_codes", multiple=True, metavar="PLATFORM",
              help="A platform admin of this platform (repeat for several) instead of a super admin.")
def create_admin(email: str, password: str, name: str, platform_codes: tuple[str, ...]) -> None:
    """Create a super admin (or, with --platform-admin CODE, a platform admin) called EMAIL."""
    role = User.ROLE_PLATFORM_ADMIN if platform_codes else User.ROLE_SUPER_ADMIN
    try:
        user = services.create_staff_user(email, password, role, name, platform_codes)
    except services.CoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {role.replace('_', ' ')} {user.email}.")
