"""Shared fixtures: the app on a migrated database, one savepoint per test, factories, auth,
an htmx client and a query counter.

Runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set. With
BUTTEK_STRICT_SERVICES=1 (set by .ci/run) a missing PostgreSQL, Redis or browser fails the run
instead of skipping the tests that need it.
"""
from __future__ import annotations

import contextvars
import os
import re
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from blueprints.tenancy import resolution as tenancy_resolution
from blueprints.tenancy.models import MerchantMembership, PlatformAssignment, StoreMembership
from tests.tenancy.factories import TEST_PASSWORD, make_member, make_user
from webapp import create_app
from webapp.extensions import db, limiter
from webapp.models import Platform, User
from webapp.module_migrations import upgrade_database
from webapp.security import hash_password, new_session_token

# The unit-test apps run without Redis (eager Celery, in-memory limits) whatever the shell says;
# tests that exercise Redis for real use REDIS_TEST_URL explicitly.
REDIS_TEST_URL = os.environ.pop("REDIS_URL", "") or "redis://127.0.0.1:6379/15"

MODULE_MARKERS = (
    "core", "tenancy", "cms", "customers", "payments", "billing", "catalog", "inventory", "orders",
    "marketplace", "analytics", "messaging", "loyalty", "dev_tools", "monitoring",
)
SURFACES = ("admin", "store", "storefront")
TESTS_ROOT = Path(__file__).parent


def strict_services() -> bool:
    return os.environ.get("BUTTEK_STRICT_SERVICES") == "1"


def require(available: bool, what: str) -> None:
    """Skip when a service is missing, or fail under BUTTEK_STRICT_SERVICES=1 (CI)."""
    if available:
        return
    if strict_services():
        pytest.fail(f"{what} is required in this run (BUTTEK_STRICT_SERVICES=1) but is not available.")
    pytest.skip(f"{what} is not available here; .ci/run provides it, and there its absence fails the run")


# -- markers from folders and file names ----------------------------------------------------
def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.fspath)).relative_to(TESTS_ROOT).parts
        folder = parts[0] if len(parts) > 1 else ""
        if folder in MODULE_MARKERS or folder == "e2e":
            item.add_marker(getattr(pytest.mark, folder))
        name = Path(str(item.fspath)).stem
        for surface in SURFACES:
            if re.search(rf"(^|_){surface}(_|$)", name.removeprefix("test_")):
                item.add_marker(getattr(pytest.mark, surface))


# -- the database ---------------------------------------------------------------------------
def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def reset_postgres_schema() -> None:
    with db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in production: new ``g``, new DB session.

    pytest-flask keeps an app context pushed for the whole test; without this, ``g`` (and the
    signed-in user Flask-Login caches there) would leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": _database_url(tmp_path_factory),
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            reset_postgres_schema()
        upgrade_database()
        db.session.remove()
    return app


@pytest.fixture(autouse=True)
def _no_cache_expiry_mid_test(monkeypatch):
    """Without Redis the resolution cache also expires every 30 s; a test that crossed such a boundary
    would count the re-reads in its query budget. Tests of that expiry move the clock themselves."""
    monkeypatch.setattr(tenancy_resolution, "UNSHARED_CACHE_SECONDS", 10**9)


@pytest.fixture(autouse=True)
def _transaction(app):
    """One outer transaction per test; the app's sessions work in savepoints inside it."""
    with app.app_context():
        engines = db._app_engines[app]
        engine = engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        engines[None] = connection
        db.session.remove()
        original_options = db.session.session_factory.kw.copy()
        db.session.session_factory.kw["join_transaction_mode"] = "create_savepoint"
        limiter.reset()
        tenancy_resolution.invalidate()  # ids cached by host/code belong to rolled-back rows
        try:
            yield connection
        finally:
            db.session.remove()
            db.session.session_factory.kw.clear()
            db.session.session_factory.kw.update(original_options)
            engines[None] = engine
            transaction.rollback()
            connection.close()


# -- clients ---------------------------------------------------------------------------------
class HtmxClient:
    """A client whose requests carry the headers htmx sends."""

    def __init__(self, client, current_url: str = "http://localhost/"):
        self.client = client
        self.current_url = current_url

    def _headers(self, extra=None, boosted=False, history_restore=False):
        headers = {"HX-Request": "true", "HX-Current-URL": self.current_url}
        if boosted:
            headers["HX-Boosted"] = "true"
        if history_restore:
            headers["HX-History-Restore-Request"] = "true"
        headers.update(extra or {})
        return headers

    def get(self, url, headers=None, boosted=False, history_restore=False, **kwargs):
        return self.client.get(url, headers=self._headers(headers, boosted, history_restore), **kwargs)

    def post(self, url, headers=None, **kwargs):
        return self.client.post(url, headers=self._headers(headers), **kwargs)


@pytest.fixture(autouse=True)
def _push_request_context():
    """Overrides pytest-flask's: the test body runs in a plain app context (see _transaction),
    so per-request caches on ``g`` never outlive a request."""
    yield


@pytest.fixture
def client(app):
    """Overrides pytest-flask's client, which keeps request contexts alive between requests."""
    return app.test_client()


@pytest.fixture
def htmx_client(client):
    return HtmxClient(client)


# -- factories -------------------------------------------------------------------------------
@pytest.fixture
def create_user():
    def factory(email="staff@example.com", role=User.ROLE_PLATFORM_ADMIN, password=TEST_PASSWORD, active=True):
        user = User(email=email, platform_role=role, password_hash=hash_password(password),
                    session_token=new_session_token(), is_active_user=active, name=email.split("@")[0])
        db.session.add(user)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def super_admin(create_user):
    return create_user("root@example.com", User.ROLE_SUPER_ADMIN)


@pytest.fixture
def platform_admin(create_user, platform):
    """A platform admin who runs the main platform (admins see only the platforms assigned to them)."""
    user = create_user("ops@example.com", User.ROLE_PLATFORM_ADMIN)
    db.session.add(PlatformAssignment(user_id=user.id, platform_id=platform.id))
    db.session.commit()
    return user


@pytest.fixture
def create_platform():
    def factory(code="main", name=None, hosts=None):
        platform = Platform(code=code, name=name or code.capitalize(), hosts=hosts or [])
        db.session.add(platform)
        db.session.commit()
        return platform

    return factory


@pytest.fixture
def platform(create_platform):
    return create_platform("main", "Main platform", ["localhost"])


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user_or_email, password=TEST_PASSWORD):
        email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
        response = self.client.post("/admin/login", data={"email": email, "password": password})
        assert response.status_code in (302, 303), f"login failed: {response.status_code}"
        return response

    def logout(self):
        return self.client.post("/admin/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def as_super_admin(auth, super_admin, platform):
    auth.login(super_admin)
    return super_admin


# -- merchant staff: each test folder's conftest says which ``merchant`` and ``store`` ------------
def _domain(merchant) -> str:
    return merchant.contact_email.split("@", 1)[1]


@pytest.fixture
def owner(merchant):
    """The owner of the folder's ``merchant`` (owner@<its domain>)."""
    user = make_user(f"owner@{_domain(merchant)}")
    make_member(user, merchant, MerchantMembership.OWNER)
    return user


@pytest.fixture
def staff_user(store):
    """Staff of the folder's ``store`` only."""
    user = make_user(f"staff@{_domain(store.merchant)}")
    make_member(user, store, StoreMembership.STAFF)
    return user


@pytest.fixture
def sign_in(client):
    """Signs a merchant staff user in at /store/login; returns the client."""
    def login(user):
        response = client.post("/store/login", data={"email": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 303, response.status_code
        return client

    return login


@pytest.fixture
def as_platform_admin(auth, platform_admin, platform):
    auth.login(platform_admin)
    return platform_admin


# -- query counting --------------------------------------------------------------------------
TRANSACTION_CONTROL = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)\b", re.IGNORECASE)


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not TRANSACTION_CONTROL.match(statement):
            self.statements.append(statement)


@pytest.fixture
def count_queries(_transaction):
    """``with count_queries() as counter: ...`` counts the SQL statements run inside."""

    @contextmanager
    def counting():
        counter = QueryCounter()
        event.listen(_transaction, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(_transaction, "before_cursor_execute", counter)

    return counting


@pytest.fixture
def postgres_url():
    url = os.environ.get("TEST_DATABASE_URL", "")
    require(url.startswith("postgres"), "PostgreSQL (TEST_DATABASE_URL)")
    return make_url(url)


@pytest.fixture
def empty_postgres_database(postgres_url):
    """The URL of a PostgreSQL database of its own, dropped afterwards: for migrations from scratch
    and for concurrency tests, whose transactions must really commit (no savepoint around them)."""
    name = f"buttek_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def migrated_app(database_url: str, seed=None):
    """An app on ``database_url`` brought to the full schema; ``seed()`` runs in its app context."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url})
    with app.app_context():
        upgrade_database()
        if seed is not None:
            seed()
            db.session.commit()
        db.session.remove()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
