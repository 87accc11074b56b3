"""Reading task runs for the monitoring pages, and pruning old ones."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import joinedload

from blueprints.monitoring import MonitoringConfig
from webapp import pagination
from webapp.extensions import db
from webapp.models import Platform, TaskRun, utcnow
from webapp.modules import module_states
from webapp.security import audit

PAGE_SIZE = 25
# Sortable columns of the task runs list; ties fall back to the newest run first.
SORT_COLUMNS = {"started": TaskRun.started_at, "task": TaskRun.task_name, "state": TaskRun.state,
                "module": TaskRun.module_code}


@dataclass
class TaskRunPage:
    runs: list[TaskRun]
    total: int
    page: int
    pages: int


def task_runs(state: str = "", module: str = "", platform: str = "", page: int = 1,
              sort: str = "started", direction: str = "desc") -> TaskRunPage:
    """A filtered, sorted page of task runs (newest first by default): two queries whatever the size."""
    column = SORT_COLUMNS[sort]
    query = select(TaskRun)
    if state:
        query = query.where(TaskRun.state == state)
    if module:
        query = query.where(TaskRun.module_code == module)
    if platform:
        query = query.join(Platform, TaskRun.platform_id == Platform.id).where(Platform.code == platform)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page, pages = pagination.clamp(page, total, PAGE_SIZE)
    runs = db.session.scalars(
        query.options(joinedload(TaskRun.platform))
        .order_by(column.asc() if direction == "asc" else column.desc(), TaskRun.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return TaskRunPage(runs, total, page, pages)


def task_state_counts() -> dict[str, int]:
    return dict(db.session.execute(select(TaskRun.state, func.count()).group_by(TaskRun.state)).all())


def task_modules() -> list[str]:
    return [m for m in db.session.scalars(select(TaskRun.module_code).distinct().order_by(TaskRun.module_code)) if m]


def get_task_run(run_id: int) -> TaskRun | None:
    return db.session.get(TaskRun, run_id)


def retention_days() -> dict[int | None, int]:
    """Days to keep task runs: per platform id its monitoring setting, and under ``None`` (runs of
    no platform) the setting of the default platform."""
    default_code = current_app.config["DEFAULT_PLATFORM"]
    days: dict[int | None, int] = {None: MonitoringConfig().task_runs_kept_days}
    for platform in db.session.scalars(select(Platform).order_by(Platform.id)):
        days[platform.id] = module_states(platform)["monitoring"].config["task_runs_kept_days"]
        if platform.code == default_code:
            days[None] = days[platform.id]
    return days


def prune_task_runs(older_than_days: int | None = None) -> int:
    """Delete finished task runs older than the retention period; returns how many.

    Without ``older_than_days`` each platform keeps its runs as long as its "Keep task runs for
    (days)" setting says (see ``retention_days``).
    """
    now = utcnow()
    if older_than_days is not None:
        expired = TaskRun.created_at < now - timedelta(days=older_than_days)
    else:
        expired = or_(*(
            and_(TaskRun.platform_id.is_(None) if platform_id is None else TaskRun.platform_id == platform_id,
                 TaskRun.created_at < now - timedelta(days=days))
            for platform_id, days in retention_days().items()
        ))
    result = db.session.execute(delete(TaskRun).where(expired, TaskRun.state.in_(("SUCCESS", "FAILURE"))))
    db.session.commit()
    return result.rowcount


def queue_health_check(platform: Platform | None, user) -> None:
    """Queue the health-check task (it runs at once without a broker) and audit who asked."""
    from blueprints.monitoring import tasks

    audit("monitoring.check_health_queued", target="monitoring.check_health", platform=platform, user=user)
    db.session.commit()
    tasks.check_health.apply_async(kwargs={"platform_id": platform.id if platform else None})
