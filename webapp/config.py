"""Settings read from the environment, with embedded defaults for a two-command start."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

# Used only in these environments; any other (production, staging, …) needs its own SECRET_KEY.
DEVELOPMENT_ENVIRONMENTS = ("development", "test")
DEVELOPMENT_SECRET_KEY = "buttek-development-secret-not-for-production"

# Every variable the app reads, with its default, documented in the README table.
ENVIRONMENT_VARIABLES = {
    "BUTTEK_ENV": "development",
    "DATABASE_URL": "sqlite:///instance/buttek.sqlite3",
    "REDIS_URL": "",
    "SECRET_KEY": "(development default; required in production)",
    "SENTRY_DSN": "",
    "FLOWER_URL": "",
    "GRAFANA_URL": "",
    "DEFAULT_PLATFORM": "main",
    "LOG_LEVEL": "INFO",
    "PROXY_FIX_HOPS": "0",
    "MAIL_SERVER": "",
    "MAIL_PORT": "587",
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_USE_TLS": "1",
    "MAIL_FROM": "Buttek <no-reply@buttek.local>",
    "MAIL_FOLDER": "instance/mail",
    "BASE_URL": "http://127.0.0.1:5000",
    "PROMETHEUS_MULTIPROC_DIR": "",
    "MEDIA_MAX_BYTES": "10485760",
    "MEDIA_FOLDER": "instance/media",
    "MEDIA_S3_BUCKET": "",
    "MEDIA_S3_ENDPOINT_URL": "",
    "MEDIA_S3_REGION": "",
    "MEDIA_S3_ACCESS_KEY": "",
    "MEDIA_S3_SECRET_KEY": "",
}


class ConfigurationError(RuntimeError):
    """Raised at start-up when the environment cannot produce a safe configuration."""


def _normalise_database_url(url: str) -> str:
    # Heroku-style URLs and bare postgresql:// both mean psycopg 3 here.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        relative = url[len("sqlite:///"):]
        if relative and relative != ":memory:":
            url = "sqlite:///" + str(PROJECT_ROOT / relative)
    return url


def _whole_number(env, name: str, default: str = "0") -> int:
    raw = env.get(name, "") or default
    if not raw.isdigit():
        raise ConfigurationError(f"{name} must be a whole number (0 or more), not {raw!r}.")
    return int(raw)


def load_config(overrides: dict | None = None, environ: dict | None = None) -> dict:
    """Build the Flask config mapping from the environment (or ``environ``) plus ``overrides``."""
    env = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    buttek_env = overrides.get("BUTTEK_ENV") or env.get("BUTTEK_ENV", "development")
    testing = bool(overrides.get("TESTING"))

    secret_key = overrides.get("SECRET_KEY") or env.get("SECRET_KEY")
    if buttek_env not in DEVELOPMENT_ENVIRONMENTS and secret_key in (None, "", DEVELOPMENT_SECRET_KEY):
        raise ConfigurationError(
            f"SECRET_KEY is not set. BUTTEK_ENV={buttek_env} refuses to start without one (the "
            "development key is public): set SECRET_KEY to a long random value, e.g. "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    secret_key = secret_key or DEVELOPMENT_SECRET_KEY

    database_url = overrides.pop("DATABASE_URL", None) or env.get(
        "DATABASE_URL", ENVIRONMENT_VARIABLES["DATABASE_URL"]
    )
    redis_url = overrides.get("REDIS_URL", env.get("REDIS_URL", "")) or ""
    media_max_bytes = _whole_number(env, "MEDIA_MAX_BYTES", ENVIRONMENT_VARIABLES["MEDIA_MAX_BYTES"])

    config = {
        "BUTTEK_ENV": buttek_env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": _normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "SENTRY_DSN": env.get("SENTRY_DSN", ""),
        "FLOWER_URL": env.get("FLOWER_URL", ""),
        "GRAFANA_URL": env.get("GRAFANA_URL", ""),
        "DEFAULT_PLATFORM": env.get("DEFAULT_PLATFORM", "main"),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        "PROXY_FIX_HOPS": _whole_number(env, "PROXY_FIX_HOPS"),
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": _whole_number(env, "MAIL_PORT", "587"),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "1") != "0",
        "MAIL_FROM": env.get("MAIL_FROM", "Buttek <no-reply@buttek.local>"),
        "MAIL_FOLDER": str(PROJECT_ROOT / env.get("MAIL_FOLDER", "instance/mail")),
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        # Media library (cms): a local folder, or S3-compatible storage when a bucket is named.
        "MEDIA_MAX_BYTES": media_max_bytes,
        "MEDIA_FOLDER": str(PROJECT_ROOT / env.get("MEDIA_FOLDER", "instance/media")),
        "MEDIA_S3_BUCKET": env.get("MEDIA_S3_BUCKET", ""),
        "MEDIA_S3_ENDPOINT_URL": env.get("MEDIA_S3_ENDPOINT_URL", ""),
        "MEDIA_S3_REGION": env.get("MEDIA_S3_REGION", ""),
        "MEDIA_S3_ACCESS_KEY": env.get("MEDIA_S3_ACCESS_KEY", ""),
        "MEDIA_S3_SECRET_KEY": env.get("MEDIA_S3_SECRET_KEY", ""),
        # No request body beyond the largest upload and its form: a bigger one is a 413, not a full disk.
        "MAX_CONTENT_LENGTH": media_max_bytes + 1024 * 1024,
        "VERSION": "0.1.0",
        # Sessions and cookies
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": buttek_env not in DEVELOPMENT_ENVIRONMENTS,
        "REMEMBER_COOKIE_SECURE": buttek_env not in DEVELOPMENT_ENVIRONMENTS,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # Rate limits: Redis when configured, memory otherwise.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": "5 per minute",
        # Celery: a real broker with Redis, eager in-process execution without it.
        "CELERY": {
            "broker_url": redis_url or "memory://",
            "result_backend": redis_url or None,
            "task_always_eager": not redis_url,
            "task_eager_propagates": False,
            "task_ignore_result": not redis_url,
            "timezone": "UTC",
            "beat_schedule": {
                "prune-task-runs": {"task": "monitoring.prune_task_runs", "schedule": 24 * 60 * 60},
            },
        },
        "TESTING": testing,
    }
    config.update(overrides)
    return config
