"""The monitoring module's health check: background tasks that are stuck or failing."""
from datetime import timedelta

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import TaskRun, utcnow

STUCK_AFTER = timedelta(hours=1)


def task_backlog() -> tuple[bool, str]:
    """Failing when a task has been running for over an hour (a dead worker leaves it STARTED)."""
    stuck = db.session.scalar(
        select(func.count()).select_from(TaskRun)
        .where(TaskRun.state == "STARTED", TaskRun.started_at < utcnow() - STUCK_AFTER)
    )
    if stuck:
        return False, f"{stuck} task run(s) started over an hour ago and never finished"
    return True, "no stuck task runs"
