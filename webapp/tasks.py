"""Celery bound to the Flask app. Every task run is persisted as a ``TaskRun``.

With ``REDIS_URL`` tasks go to a real broker (``make worker``); without it they run eagerly,
in-process, so the embedded default needs no extra service.
"""
from __future__ import annotations

import logging
import traceback

from celery import Task
from celery.exceptions import Retry
from celery.signals import task_prerun
from celery.utils import uuid
from flask import has_app_context
from sqlalchemy import select

from webapp.extensions import celery, db
from webapp.models import TaskRun, utcnow
from webapp.registry import get_registry

log = logging.getLogger(__name__)

ARGS_SUMMARY_LIMIT = 300


def summarise_args(args, kwargs) -> str:
    parts = [repr(a) for a in args or ()] + [f"{k}={v!r}" for k, v in (kwargs or {}).items()]
    summary = ", ".join(parts)
    return summary if len(summary) <= ARGS_SUMMARY_LIMIT else summary[: ARGS_SUMMARY_LIMIT - 1] + "…"


def module_of_task(name: str) -> str | None:
    """Tasks are named ``<module>.<task>`` (e.g. ``monitoring.check_health``)."""
    return name.split(".", 1)[0] if "." in name else None


class FlaskTask(Task):
    """Runs inside the Flask app context and records its run as a ``TaskRun``."""

    def __call__(self, *args, **kwargs):
        if has_app_context():  # eager execution inside a request or a CLI command
            return self._run_recorded(args, kwargs)
        with self.app.flask_app.app_context():
            return self._run_recorded(args, kwargs)

    def apply_async(self, args=None, kwargs=None, task_id=None, **options):
        """Record a PENDING run before publishing, so a queued task shows before a worker takes it.

        Queue after committing: a task (eager, or its bookkeeping) commits or rolls back the
        session, which would otherwise take the caller's unfinished writes with it.
        """
        if has_app_context() and (db.session.new or db.session.dirty or db.session.deleted):
            raise RuntimeError(f"Commit the session before queueing {self.name}: it has unsaved changes.")
        if not self.app.conf.task_always_eager:
            task_id = task_id or uuid()
            if has_app_context():
                self._record_pending(task_id, args, kwargs)
            else:
                with self.app.flask_app.app_context():
                    self._record_pending(task_id, args, kwargs)
        return super().apply_async(args, kwargs, task_id=task_id, **options)

    def _record_pending(self, task_id: str, args, kwargs) -> None:
        db.session.add(self._new_run(task_id, args, kwargs or {}, state="PENDING"))
        db.session.commit()

    def _new_run(self, task_id: str, args, kwargs, state: str) -> TaskRun:
        platform_id = kwargs.get("platform_id")
        return TaskRun(
            task_id=task_id,
            task_name=self.name,
            module_code=module_of_task(self.name),
            platform_id=platform_id if isinstance(platform_id, int) else None,
            args_summary=summarise_args(args, kwargs),
            state=state,
        )

    def _run_recorded(self, args, kwargs):
        run_id = self._start_run(args, kwargs)
        try:
            result = self.run(*args, **kwargs)
        except Retry as exc:  # self.retry(): the run will be tried again, it did not fail for good
            db.session.rollback()
            self._finish_run(run_id, "RETRY", str(exc))
            raise
        except Exception as exc:
            db.session.rollback()
            self._finish_run(run_id, "FAILURE", "".join(traceback.format_exception(exc)))
            raise
        self._finish_run(run_id, "SUCCESS", None)
        return result

    def _start_run(self, args, kwargs) -> int:
        """Pick up the PENDING run recorded at publish time, or start a new one (eager, retries)."""
        task_id = self.request.id or ""
        run = None
        if task_id:
            run = db.session.scalar(
                select(TaskRun).where(TaskRun.task_id == task_id, TaskRun.state == "PENDING").limit(1)
            )
        if run is None:
            run = self._new_run(task_id, args, kwargs, state="STARTED")
            db.session.add(run)
        run.state = "STARTED"
        run.started_at = utcnow()
        db.session.commit()
        return run.id

    @staticmethod
    def _finish_run(run_id: int, state: str, error: str | None) -> None:
        run = db.session.get(TaskRun, run_id)
        run.state = state
        run.error = error
        run.finished_at = utcnow()
        db.session.commit()


@task_prerun.connect
def _log_task_start(task_id=None, task=None, **_):
    log.info("Task %s started (%s)", getattr(task, "name", "?"), task_id)


def init_tasks(app):
    celery.conf.update(app.config["CELERY"])
    celery.flask_app = app
    packages = [f"blueprints.{module.package}" for module in get_registry()]
    celery.autodiscover_tasks(packages, related_name="tasks", force=True)
    celery.set_default()
    app.extensions["celery"] = celery
    return celery
