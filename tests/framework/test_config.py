"""Configuration from the environment, with embedded defaults."""
import pytest

from webapp import create_app
from webapp.config import DEVELOPMENT_SECRET_KEY, PROJECT_ROOT, ConfigurationError, load_config


def test_defaults_run_anywhere_without_services():
    config = load_config(environ={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{PROJECT_ROOT / 'instance' / 'buttek.sqlite3'}"
    assert config["CELERY"]["task_always_eager"] is True
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY


@pytest.mark.parametrize("environment", ["production", "staging", "prod"])
def test_anything_but_development_refuses_to_start_without_its_own_secret_key(environment):
    with pytest.raises(ConfigurationError, match=f"SECRET_KEY is not set. BUTTEK_ENV={environment} refuses"):
        load_config(environ={"BUTTEK_ENV": environment})
    with pytest.raises(ConfigurationError):
        load_config(environ={"BUTTEK_ENV": environment, "SECRET_KEY": DEVELOPMENT_SECRET_KEY})
    with pytest.raises(ConfigurationError):
        create_app({"BUTTEK_ENV": environment})


def test_a_malformed_number_is_refused_with_a_clear_message():
    with pytest.raises(ConfigurationError, match="PROXY_FIX_HOPS must be a whole number"):
        load_config(environ={"PROXY_FIX_HOPS": "two"})


def test_production_with_a_secret_key_has_secure_cookies():
    config = load_config(environ={"BUTTEK_ENV": "production", "SECRET_KEY": "s" * 64})
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]


def test_redis_url_switches_celery_and_rate_limits_to_redis():
    config = load_config(environ={"REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert config["CELERY"]["broker_url"] == "redis://127.0.0.1:6379/3"
    assert config["CELERY"]["task_always_eager"] is False
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


@pytest.mark.parametrize("given, expected", [
    ("postgres://u:p@db/buttek", "postgresql+psycopg://u:p@db/buttek"),
    ("postgresql://u@db/buttek", "postgresql+psycopg://u@db/buttek"),
    ("sqlite:////abs/path.db", "sqlite:////abs/path.db"),
])
def test_database_urls_are_normalised(given, expected):
    assert load_config(environ={"DATABASE_URL": given})["SQLALCHEMY_DATABASE_URI"] == expected


def test_every_environment_variable_is_documented_in_the_readme():
    from webapp.config import ENVIRONMENT_VARIABLES

    readme = (PROJECT_ROOT / "README.md").read_text()
    for name in ENVIRONMENT_VARIABLES:
        assert f"`{name}`" in readme, name
