"""Background tasks of the monitoring module."""
from flask import current_app

from blueprints.monitoring import services
from webapp.extensions import celery


@celery.task(name="monitoring.check_health")
def check_health(platform_id: int | None = None) -> dict:
    """Run every health check and fail (so the run shows as FAILURE) when one fails.

    ``platform_id`` only tags the run with the platform it was started from.
    """
    results = current_app.extensions["buttek.health"].run()
    failing = [r.name for r in results if not r.ok]
    if failing:
        raise RuntimeError(f"Failing health checks: {', '.join(failing)}")
    return {r.name: r.ok for r in results}


@celery.task(name="monitoring.prune_task_runs")
def prune_task_runs(older_than_days: int | None = None) -> int:
    """Delete old finished runs; by default after each platform's "Keep task runs for (days)"."""
    return services.prune_task_runs(older_than_days)
