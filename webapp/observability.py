"""Health checks, Prometheus metrics, Sentry, request ids in logs, and recent log lines."""
from __future__ import annotations

import collections
import logging
import os
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, current_app, g, has_request_context, jsonify, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select, text

from webapp.extensions import csrf, db, limiter
from webapp.models import Platform, TaskRun
from webapp.modules import module_states
from webapp.registry import get_registry

log = logging.getLogger(__name__)

bp = Blueprint("observability", __name__)

REQUEST_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._:-]")
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class CheckResult:
    name: str
    ok: bool
    detail: str = ""
    duration_ms: float = 0.0

    def as_dict(self) -> dict:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "duration_ms": round(self.duration_ms, 2)}


HealthCheck = Callable[[], "tuple[bool, str] | bool"]


class HealthRegistry:
    """Named checks: the framework's own (database, redis) and each module's ``health_check``."""

    def __init__(self) -> None:
        self.checks: dict[str, tuple[HealthCheck, bool]] = {}

    def register(self, name: str, check: HealthCheck, *, readiness: bool = False) -> None:
        self.checks[name] = (check, readiness)

    def run(self, *, readiness_only: bool = False) -> list[CheckResult]:
        results = []
        for name, (check, readiness) in self.checks.items():
            if readiness_only and not readiness:
                continue
            started = time.perf_counter()
            try:
                outcome = check()
                ok, detail = outcome if isinstance(outcome, tuple) else (bool(outcome), "")
            except Exception as exc:  # a failing check reports, it never raises
                # The public answer names the error type only: messages may carry hosts and users.
                log.warning("Health check %s failed", name, exc_info=True)
                ok, detail = False, f"{type(exc).__name__} (details in the log)"
            results.append(CheckResult(name, ok, detail, (time.perf_counter() - started) * 1000))
        return results


def check_database() -> tuple[bool, str]:
    db.session.execute(text("SELECT 1"))
    return True, db.engine.dialect.name


def check_redis() -> tuple[bool, str]:
    import redis

    client = redis.Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=1)
    client.ping()
    return True, "ping ok"


# -- request metrics and ids ------------------------------------------------------------------
class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "buttek_http_requests_total", "HTTP requests", ["method", "endpoint", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "buttek_http_request_duration_seconds", "HTTP request latency", ["method", "endpoint", "status"],
            registry=self.registry,
        )
        self.registry.register(StateCollector())


class StateCollector:
    """Reads module states and task runs from the database at scrape time."""

    def collect(self):
        modules = GaugeMetricFamily(
            "buttek_platform_modules_enabled", "Enabled modules per platform", labels=["platform", "tier"]
        )
        tasks = GaugeMetricFamily("buttek_task_runs", "Persisted task runs by state", labels=["state"])
        try:
            for platform in db.session.scalars(select(Platform).order_by(Platform.code)):
                counts = collections.Counter(s.module.tier.value for s in module_states(platform).values() if s.enabled)
                for tier in ("core", "optional", "internal"):
                    modules.add_metric([platform.code, tier], counts.get(tier, 0))
            for state, count in db.session.execute(select(TaskRun.state, func.count()).group_by(TaskRun.state)):
                tasks.add_metric([state], count)
        except Exception:  # a scrape must answer even when the database does not
            log.exception("Could not collect state metrics")
        yield modules
        yield tasks

    def describe(self):
        return []


def _start_timer() -> None:
    g.request_started = time.perf_counter()
    # A proxy's id is kept so logs line up across services; only safe characters, at most 64.
    given = REQUEST_ID_UNSAFE.sub("", request.headers.get("X-Request-ID", ""))[:64]
    g.request_id = given or uuid.uuid4().hex


def _record(response):
    metrics: Metrics = current_app.extensions["buttek.metrics"]
    endpoint = request.endpoint or "unmatched"
    labels = (request.method, endpoint, str(response.status_code))
    metrics.requests.labels(*labels).inc()
    if "request_started" in g:
        metrics.latency.labels(*labels).observe(time.perf_counter() - g.request_started)
        response.headers["X-Request-ID"] = g.request_id
    return response


# -- logging ----------------------------------------------------------------------------------
class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class RecentLogHandler(logging.Handler):
    """Keeps the last lines of this process's log for the monitoring page."""

    def __init__(self, capacity: int = 500) -> None:
        super().__init__()
        self.lines: collections.deque[dict] = collections.deque(maxlen=capacity)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = ANSI_ESCAPE.sub("", record.getMessage())  # werkzeug colours its lines
        except Exception:  # a malformed log call must not break the request that made it
            self.handleError(record)
            return
        self.lines.append(
            {
                "time": record.created,
                "level": record.levelname,
                "logger": record.name,
                "request_id": getattr(record, "request_id", "-"),
                "message": message,
            }
        )


LOG_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


def init_logging(app) -> None:
    request_filter = RequestIdFilter()
    recent = RecentLogHandler()
    recent.addFilter(request_filter)
    stream = logging.StreamHandler()
    stream.setFormatter(logging.Formatter(LOG_FORMAT))
    stream.addFilter(request_filter)
    root = logging.getLogger()
    # Replace handlers of earlier apps in this process (tests build many apps).
    for handler in list(root.handlers):
        if getattr(handler, "_buttek", False):
            root.removeHandler(handler)
    for handler in (stream, recent):
        handler._buttek = True
        root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    app.logger.handlers.clear()
    app.logger.propagate = True
    app.extensions["buttek.recent_logs"] = recent


def recent_log_lines(app, limit: int = 200) -> list[dict]:
    return list(app.extensions["buttek.recent_logs"].lines)[-limit:][::-1]


# -- Sentry -----------------------------------------------------------------------------------
def init_sentry(app) -> bool:
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.flask import FlaskIntegration
    from sentry_sdk.integrations.sqlalchemy import SqlalchemyIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=app.config["BUTTEK_ENV"],
        release=f"buttek@{app.config['VERSION']}",
        integrations=[FlaskIntegration(), SqlalchemyIntegration(), CeleryIntegration()],
        traces_sample_rate=0.0,  # errors only; PII stays off (the SDK's default)
    )
    return True


# -- routes -----------------------------------------------------------------------------------
def _health_registry() -> HealthRegistry:
    return current_app.extensions["buttek.health"]


@bp.get("/health")
@limiter.exempt
def health():
    results = _health_registry().run()
    ok = all(r.ok for r in results)
    body = {"status": "ok" if ok else "failing", "version": current_app.config["VERSION"],
            "checks": [r.as_dict() for r in results]}
    return jsonify(body), 200 if ok else 503


@bp.get("/health/live")
@limiter.exempt
def health_live():
    return jsonify({"status": "ok"})


@bp.get("/health/ready")
@limiter.exempt
def health_ready():
    results = _health_registry().run(readiness_only=True)
    failing = [r.name for r in results if not r.ok]
    body = {"status": "ok" if not failing else "unavailable", "failing": failing,
            "checks": [r.as_dict() for r in results]}
    return jsonify(body), 503 if failing else 200


@bp.get("/health/tools")
@limiter.exempt
def health_tools():
    return jsonify({"tools": {name.lower(): url for name, url in configured_tools(current_app).items()}})


@bp.get("/metrics")
@limiter.exempt
def metrics():
    registry = current_app.extensions["buttek.metrics"].registry
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several worker processes: add up what each one wrote to the shared folder.
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        registry.register(StateCollector())
    return generate_latest(registry), 200, {"Content-Type": CONTENT_TYPE_LATEST}


def configured_tools(app) -> dict[str, str]:
    return {name: app.config[key] for name, key in (("Flower", "FLOWER_URL"), ("Grafana", "GRAFANA_URL"))
            if app.config.get(key)}


def init_observability(app) -> None:
    init_logging(app)
    app.extensions["buttek.sentry"] = init_sentry(app)
    app.extensions["buttek.metrics"] = Metrics()
    health_registry = HealthRegistry()
    health_registry.register("database", check_database, readiness=True)
    if app.config.get("REDIS_URL"):
        health_registry.register("redis", check_redis, readiness=True)
    for module in get_registry():
        check = module.hook("health_check")
        if check is not None:
            health_registry.register(f"module:{module.code}", check)
    app.extensions["buttek.health"] = health_registry
    app.before_request(_start_timer)
    app.after_request(_record)
    csrf.exempt(bp)
    app.register_blueprint(bp)
