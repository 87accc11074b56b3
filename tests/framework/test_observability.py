"""What an operator sees of a running Buttek: /health*, /metrics, request ids in logs, Sentry."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from contextlib import suppress

import pytest
import redis
import sentry_sdk
from prometheus_client.parser import text_string_to_metric_families
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.flask import FlaskIntegration
from sentry_sdk.integrations.sqlalchemy import SqlalchemyIntegration
from sentry_sdk.transport import Transport

from tests.conftest import REDIS_TEST_URL, require
from webapp import create_app
from webapp.config import PROJECT_ROOT
from webapp.extensions import celery, db, limiter
from webapp.models import TaskRun, utcnow

UNREACHABLE_POSTGRES = "postgresql://postgres@127.0.0.1:1/nothing"  # port 1: connection refused
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
FAKE_SENTRY_DSN = "https://public@127.0.0.1:9/1"


# -- helpers ----------------------------------------------------------------------------------
@pytest.fixture
def make_app(app, monkeypatch, tmp_path):
    """Build another app in this process, with a working SQLite database unless told otherwise.

    ``create_app`` rebinds process-wide objects (root log handlers, the Celery app, the rate-limit
    storage); they are handed back to the session app afterwards so that later tests see no change.
    """
    for name in ("SENTRY_DSN", "FLOWER_URL", "GRAFANA_URL", "REDIS_URL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    built = []

    def factory(**overrides):
        config = {"TESTING": True, "REDIS_URL": "", "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}"}
        config.update(overrides)
        other = create_app(config)
        built.append(other)
        return other

    yield factory
    for other in built:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
    for handler in list(root.handlers):  # create_app swaps the handlers it marks with ``_buttek``
        if getattr(handler, "_buttek", False) and handler not in saved_handlers:
            root.removeHandler(handler)
    for handler in saved_handlers:
        if getattr(handler, "_buttek", False) and handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(saved_level)
    celery.conf.update(app.config["CELERY"])
    celery.flask_app = app
    limiter.init_app(app)


def metric_value(client, name: str, **labels) -> float | None:
    """The value of one sample of ``/metrics``, or None when there is no such sample."""
    response = client.get("/metrics")
    assert response.status_code == 200
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return None


def redis_reachable(url: str) -> bool:
    with suppress(redis.RedisError), redis.Redis.from_url(url, socket_connect_timeout=1) as client:
        return bool(client.ping())
    return False


# -- /health ----------------------------------------------------------------------------------
def test_health_reports_status_version_and_every_check(client, app):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["version"] == app.config["VERSION"]
    checks = {check["name"]: check for check in body["checks"]}
    assert checks["database"]["ok"] is True
    assert checks["database"]["detail"] == db.engine.dialect.name
    assert checks["module:monitoring"]["ok"] is True
    assert all(isinstance(check["duration_ms"], float | int) for check in body["checks"])


def test_health_fails_with_503_when_a_task_is_stuck(client):
    db.session.add(TaskRun(task_name="monitoring.check_health", task_id="stuck", module_code="monitoring",
                           state="STARTED", started_at=utcnow().replace(year=2000)))
    db.session.commit()
    response = client.get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "failing"
    failing = {check["name"]: check["detail"] for check in body["checks"] if not check["ok"]}
    assert list(failing) == ["module:monitoring"]
    assert "1 task run(s) started over an hour ago" in failing["module:monitoring"]


def test_liveness_answers_without_touching_the_database(client, count_queries):
    with count_queries() as counter:
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert counter.count == 0, counter.statements


def test_readiness_is_200_when_the_database_answers(client):
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert "database" in [check["name"] for check in body["checks"]]


def test_readiness_is_503_naming_the_database_when_postgresql_is_unreachable(make_app):
    broken = make_app(DATABASE_URL=UNREACHABLE_POSTGRES)
    response = broken.test_client().get("/health/ready")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["database"]
    database = next(check for check in body["checks"] if check["name"] == "database")
    assert database["ok"] is False and "OperationalError" in database["detail"]


def test_health_and_metrics_still_answer_when_the_database_is_unreachable(make_app):
    client = make_app(DATABASE_URL=UNREACHABLE_POSTGRES).test_client()
    health = client.get("/health")
    assert health.status_code == 503
    assert health.get_json()["status"] == "failing"
    assert client.get("/health/live").status_code == 200
    scrape = client.get("/metrics")
    assert scrape.status_code == 200
    assert b"buttek_http_requests_total" in scrape.data


def test_readiness_is_503_naming_redis_when_redis_is_unreachable(make_app):
    broken = make_app(REDIS_URL=UNREACHABLE_REDIS)
    response = broken.test_client().get("/health/ready")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["redis"]
    assert {check["name"]: check["ok"] for check in body["checks"]} == {"database": True, "redis": False}


def test_readiness_checks_redis_when_it_is_configured_and_up(make_app):
    require(redis_reachable(REDIS_TEST_URL), f"Redis at {REDIS_TEST_URL}")
    response = make_app(REDIS_URL=REDIS_TEST_URL).test_client().get("/health/ready")
    assert response.status_code == 200, response.get_json()
    checks = {check["name"]: check for check in response.get_json()["checks"]}
    assert checks["redis"]["ok"] is True
    assert checks["database"]["ok"] is True


def test_redis_is_not_checked_when_it_is_not_configured(make_app):
    names = [check["name"] for check in make_app().test_client().get("/health/ready").get_json()["checks"]]
    assert names == ["database"]


# -- /health/tools ----------------------------------------------------------------------------
def test_tools_lists_only_the_configured_links(make_app, monkeypatch):
    monkeypatch.setenv("FLOWER_URL", "https://flower.example.com/")
    response = make_app().test_client().get("/health/tools")
    assert response.status_code == 200
    assert response.get_json() == {"tools": {"flower": "https://flower.example.com/"}}


def test_tools_lists_flower_and_grafana_when_both_are_configured(make_app, monkeypatch):
    monkeypatch.setenv("FLOWER_URL", "https://flower.example.com/")
    monkeypatch.setenv("GRAFANA_URL", "https://grafana.example.com/d/buttek")
    tools = make_app().test_client().get("/health/tools").get_json()["tools"]
    assert tools == {"flower": "https://flower.example.com/", "grafana": "https://grafana.example.com/d/buttek"}


def test_tools_is_empty_when_nothing_is_configured(make_app):
    assert make_app().test_client().get("/health/tools").get_json() == {"tools": {}}


# -- /metrics ---------------------------------------------------------------------------------
def test_metrics_is_prometheus_text(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    assert "version=" in response.content_type
    assert b"# TYPE buttek_http_requests_total counter" in response.data


def test_metrics_count_requests_by_endpoint_and_status(client):
    labels = {"method": "GET", "endpoint": "observability.health_live", "status": "200"}
    before = metric_value(client, "buttek_http_requests_total", **labels) or 0
    client.get("/health/live")
    client.get("/health/live")
    assert metric_value(client, "buttek_http_requests_total", **labels) == before + 2
    missing = {"method": "GET", "endpoint": "unmatched", "status": "404"}
    before_missing = metric_value(client, "buttek_http_requests_total", **missing) or 0
    assert client.get("/no/such/page").status_code == 404
    assert metric_value(client, "buttek_http_requests_total", **missing) == before_missing + 1
    assert metric_value(client, "buttek_http_request_duration_seconds_count", **labels) >= 2


def test_metrics_count_enabled_modules_per_platform_and_tier(client, platform):
    assert metric_value(client, "buttek_platform_modules_enabled", platform="main", tier="core") == 4.0
    text = client.get("/metrics").get_data(as_text=True)
    assert 'buttek_platform_modules_enabled{platform="main",tier="core"} 4.0' in text
    # Internal modules (dev-tools, monitoring) are on by default; optional ones are not.
    assert metric_value(client, "buttek_platform_modules_enabled", platform="main", tier="internal") == 2.0
    assert metric_value(client, "buttek_platform_modules_enabled", platform="main", tier="optional") == 0.0


def test_metrics_count_task_runs_by_state_after_a_task_ran(client):
    from blueprints.monitoring.tasks import check_health

    assert metric_value(client, "buttek_task_runs", state="SUCCESS") is None
    check_health.apply_async()
    assert metric_value(client, "buttek_task_runs", state="SUCCESS") == 1.0
    assert metric_value(client, "buttek_task_runs", state="FAILURE") is None


# -- request ids and logs ---------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/health", "/health/live", "/metrics", "/admin/login", "/no/such/page"])
def test_every_response_carries_a_request_id(client, path):
    first = client.get(path).headers.get("X-Request-ID")
    second = client.get(path).headers.get("X-Request-ID")
    assert first and second and first != second


def test_a_given_request_id_is_echoed(client):
    response = client.get("/health/live", headers={"X-Request-ID": "lb-7f3a9c"})
    assert response.headers["X-Request-ID"] == "lb-7f3a9c"


def test_an_overlong_request_id_is_cut_to_64_characters(client):
    response = client.get("/health/live", headers={"X-Request-ID": "x" * 500})
    assert response.headers["X-Request-ID"] == "x" * 64


def test_log_lines_carry_the_request_id(make_app):
    other = make_app()
    recent = other.extensions["buttek.recent_logs"]
    with other.test_request_context("/health/live", headers={"X-Request-ID": "req-42"}):
        other.preprocess_request()
        logging.getLogger("buttek.test").warning("inside a request %s", "marker-1")
    logging.getLogger("buttek.test").warning("outside a request %s", "marker-2")
    lines = {line["message"]: line for line in recent.lines}
    assert lines["inside a request marker-1"]["request_id"] == "req-42"
    assert lines["inside a request marker-1"]["level"] == "WARNING"
    assert lines["inside a request marker-1"]["logger"] == "buttek.test"
    assert lines["outside a request marker-2"]["request_id"] == "-"


def test_a_request_logs_under_the_id_it_answers_with(make_app):
    other = make_app()

    def noisy():
        logging.getLogger("buttek.test").info("handling the noisy page")
        return "ok"

    other.add_url_rule("/noisy", "noisy", noisy)
    response = other.test_client().get("/noisy")
    line = next(line for line in other.extensions["buttek.recent_logs"].lines
                if line["message"] == "handling the noisy page")
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["level"] == "INFO"


def test_the_log_format_shows_the_request_id(make_app):
    other = make_app()
    stream = next(h for h in logging.getLogger().handlers
                  if getattr(h, "_buttek", False) and type(h) is logging.StreamHandler)
    record = logging.LogRecord("buttek.test", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    with other.test_request_context("/health/live", headers={"X-Request-ID": "abc123"}):
        other.preprocess_request()
        assert stream.filter(record)
    assert "INFO [abc123] buttek.test: hello world" in stream.format(record)


def test_a_malformed_log_call_does_not_break_the_request(make_app, monkeypatch):
    monkeypatch.setattr(logging, "raiseExceptions", False)  # keep the "--- Logging error ---" report quiet
    other = make_app()

    def sloppy():
        logging.getLogger("buttek.test").warning("two placeholders %s %s", "one argument")
        logging.getLogger("buttek.test").warning("the next line %s", "still arrives")
        return "ok"

    other.add_url_rule("/sloppy", "sloppy", sloppy)
    response = other.test_client().get("/sloppy")
    assert response.status_code == 200
    assert other.extensions["buttek.recent_logs"].lines[-1]["message"] == "the next line still arrives"


# -- Sentry -----------------------------------------------------------------------------------
class RecordingTransport(Transport):
    """Keeps envelopes in memory: nothing leaves the process."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


@pytest.fixture
def sentry_transport(monkeypatch):
    transports: list[RecordingTransport] = []

    def make_transport(options):
        transports.append(RecordingTransport(options))
        return transports[-1]

    monkeypatch.setattr("sentry_sdk.client.make_transport", make_transport)
    yield transports
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)
    assert not sentry_sdk.get_client().is_active()


def test_sentry_is_off_without_a_dsn(app):
    assert app.extensions["buttek.sentry"] is False


def test_sentry_starts_with_flask_sqlalchemy_and_celery_integrations(make_app, monkeypatch, sentry_transport):
    monkeypatch.setenv("SENTRY_DSN", FAKE_SENTRY_DSN)
    other = make_app()
    assert other.extensions["buttek.sentry"] is True
    client = sentry_sdk.get_client()
    assert client.is_active()
    assert client.dsn == FAKE_SENTRY_DSN
    for integration in (FlaskIntegration, SqlalchemyIntegration, CeleryIntegration):
        assert client.get_integration(integration) is not None, integration.identifier
    assert client.options["release"] == f"buttek@{other.config['VERSION']}"
    assert client.options["environment"] == other.config["BUTTEK_ENV"]
    assert not client.options.get("send_default_pii")  # no user data unless someone opts in
    assert client.transport is sentry_transport[-1]


def test_an_unhandled_error_reaches_sentry(make_app, monkeypatch, sentry_transport):
    monkeypatch.setenv("SENTRY_DSN", FAKE_SENTRY_DSN)
    other = make_app()

    def boom():
        raise ZeroDivisionError("sentry test error")

    other.add_url_rule("/boom", "boom", boom)
    with pytest.raises(ZeroDivisionError):  # TESTING re-raises after the error is reported
        other.test_client().get("/boom")
    sentry_sdk.flush()
    events = [item.payload.json for envelope in sentry_transport[-1].envelopes for item in envelope.items
              if item.type == "event"]
    exceptions = [value for event in events for value in event["exception"]["values"]]
    assert [(e["type"], e["value"]) for e in exceptions] == [("ZeroDivisionError", "sentry test error")]


def test_a_request_id_with_unsafe_characters_is_cleaned(client):
    response = client.get("/health/live", headers={"X-Request-ID": "abc <script>def"})
    assert response.headers["X-Request-ID"] == "abcscriptdef"


def test_recent_log_lines_drop_terminal_colour_codes():
    from webapp.observability import RecentLogHandler

    handler = RecentLogHandler()
    handler.emit(logging.LogRecord("werkzeug", logging.INFO, __file__, 1, "\x1b[36mGET /admin/\x1b[0m", None, None))
    assert handler.lines[-1]["message"] == "GET /admin/"


METRICS_PROCESS = """
import sys
from webapp import create_app
from webapp.extensions import db
from webapp.module_migrations import upgrade_database

app = create_app({"DATABASE_URL": sys.argv[1], "TESTING": True})
with app.app_context():
    upgrade_database()
client = app.test_client()
for _ in range(int(sys.argv[2])):
    client.get("/health/live")
if sys.argv[3] == "scrape":
    print(client.get("/metrics").get_data(as_text=True))
"""


def test_metrics_add_up_every_worker_process(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR (as `make serve` sets), one scrape counts all processes."""
    shared = tmp_path / "metrics"
    shared.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared), "PYTHONPATH": str(PROJECT_ROOT)}
    database = f"sqlite:///{tmp_path / 'workers.sqlite3'}"

    def run(requests: int, scrape: bool) -> str:
        done = subprocess.run([sys.executable, "-c", METRICS_PROCESS, database, str(requests),
                               "scrape" if scrape else "-"], env=env, cwd=PROJECT_ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run(3, scrape=False)
    text = run(2, scrape=True)
    line = next(line for line in text.splitlines()
                if line.startswith("buttek_http_requests_total{") and 'endpoint="observability.health_live"' in line)
    assert line.endswith(" 5.0"), line  # 3 requests in the first process + 2 in the second
