"""Alembic environment: the framework branch plus one branch per module (see module_migrations)."""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def run_migrations_offline():
    context.configure(
        url=str(target_db.engine.url),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_as_batch=target_db.engine.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def skip_empty_autogenerate(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    conf_args.setdefault("compare_type", True)
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection, conf_args)
        return
    with target_db.engine.connect() as connection:
        _run(connection, conf_args)


def _run(connection, conf_args):
    # SQLite cannot ALTER most things; batch mode recreates tables there.
    conf_args["render_as_batch"] = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_db.metadata,
        **conf_args,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
