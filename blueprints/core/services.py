"""Core writes: staff sign-in bookkeeping, platforms and staff accounts."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from blueprints.tenancy import resolution
from blueprints.tenancy.models import PlatformAssignment
from blueprints.tenancy.permissions import may_use_platform
from webapp import events
from webapp import modules as module_service
from webapp.extensions import db
from webapp.models import Platform, User, utcnow
from webapp.security import audit, new_session_token, set_password
from webapp.tenancy import normalise_host, platform_hosts


class CoreError(ValueError):
    """A request the core module refuses; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    audit("auth.login", target=user.email, user=user)
    db.session.commit()


def record_logout(user: User) -> None:
    audit("auth.logout", target=user.email, user=user)
    db.session.commit()


def create_staff_user(email: str, password: str, role: str, name: str = "",
                      platform_codes: tuple[str, ...] = ()) -> User:
    """A staff account; a platform admin runs only the platforms named in ``platform_codes``."""
    email = email.strip().lower()
    if role not in User.PLATFORM_ROLES:
        raise CoreError(f"Unknown role '{role}'; use one of {', '.join(User.PLATFORM_ROLES)}.", "role")
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise CoreError(f"A user with the e-mail {email} already exists.", "email")
    platforms = list(db.session.scalars(select(Platform).where(Platform.code.in_(platform_codes))))
    if unknown := sorted(set(platform_codes) - {p.code for p in platforms}):
        raise CoreError(f"No platform is called {', '.join(unknown)}.", "platform")
    if role == User.ROLE_PLATFORM_ADMIN and not platforms:
        raise CoreError("Name the platform(s) a platform admin runs.", "platform")
    user = User(email=email, name=name, platform_role=role, session_token=new_session_token())
    try:
        set_password(user, password)
    except ValueError as exc:
        raise CoreError(str(exc), "password") from exc
    db.session.add(user)
    if role == User.ROLE_PLATFORM_ADMIN:
        db.session.flush()
        db.session.add_all(PlatformAssignment(user_id=user.id, platform_id=p.id) for p in platforms)
    audit("user.created", target=email, details={"role": role, "platforms": sorted(platform_codes)})
    db.session.commit()
    return user


def parse_hosts(raw: str) -> list[str]:
    hosts = []
    for part in raw.replace("\n", ",").split(","):
        host = normalise_host(part)
        if host and host not in hosts:
            hosts.append(host)
    return hosts


@dataclass(frozen=True)
class PlatformCreated:
    """``core.platform_created``: emitted after the new platform is committed."""

    platform_id: int
    code: str


def create_platform(code: str, name: str, hosts: list[str], user: User | None = None) -> Platform:
    code = code.strip().lower()
    if db.session.scalar(select(Platform.id).where(Platform.code == code)):
        raise CoreError(f"A platform with the code '{code}' already exists.", "code")
    taken = platform_hosts().intersection(hosts)
    if taken:
        raise CoreError(f"Already served by another platform: {', '.join(sorted(taken))}.", "hosts")
    platform = Platform(code=code, name=name.strip(), hosts=hosts)
    db.session.add(platform)
    db.session.flush()
    audit("platform.created", target=code, platform=platform, user=user, details={"hosts": hosts})
    db.session.commit()
    resolution.invalidate()  # hosts that fell back to the default platform may now be this one
    events.emit("core.platform_created", PlatformCreated(platform_id=platform.id, code=platform.code))
    return platform


def platform_overview(user: User) -> list[tuple[Platform, int]]:
    """Each platform ``user`` may use, with its number of enabled modules (fixed query count)."""
    platforms = [p for p in db.session.scalars(select(Platform).order_by(Platform.code))
                 if may_use_platform(user, p.id)]
    counts = module_service.enabled_counts(platforms)
    return [(platform, counts[platform.id]) for platform in platforms]
