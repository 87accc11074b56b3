"""Monitoring pages for super admins: health, task runs, recent log lines, tool links."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, request, url_for
from flask_login import current_user

from blueprints.monitoring import services
from webapp import htmx
from webapp.models import TaskRun
from webapp.observability import configured_tools, recent_log_lines
from webapp.security import super_admin_required
from webapp.tenancy import current_platform

bp = Blueprint("monitoring_admin", __name__, url_prefix="/admin/monitoring")


@bp.get("/")
@super_admin_required
def overview():
    checks = current_app.extensions["buttek.health"].run()
    return htmx.render(
        "monitoring/overview.html", "health_checks",
        checks=checks, healthy=all(c.ok for c in checks),
        counts=services.task_state_counts(), tools=configured_tools(current_app),
        sentry=current_app.extensions.get("buttek.sentry", False),
        broker="Redis" if current_app.config.get("REDIS_URL") else "In-process",
    )


@bp.get("/tasks")
@super_admin_required
def task_runs():
    state = request.args.get("state", "")
    if state and state not in TaskRun.STATES:
        abort(400, f"Unknown state '{state}'.")
    sort, direction = request.args.get("sort", "started"), request.args.get("dir", "desc")
    if sort not in services.SORT_COLUMNS or direction not in ("asc", "desc"):
        abort(400, "Sort by started, task, state or module, ascending or descending.")
    filters = {"state": state, "module": request.args.get("module", ""), "platform": request.args.get("platform", "")}
    page = services.task_runs(**filters, page=request.args.get("page", 1, type=int), sort=sort, direction=direction)
    kept = {k: v for k, v in filters.items() if v}
    return htmx.render(
        "monitoring/tasks.html", "task_table", result=page, filters=filters, states=TaskRun.STATES,
        modules=services.task_modules(), sort=sort, direction=direction,
        # Sort links add sort/dir to the filters; pagination links keep the current order too.
        sort_url=url_for(".task_runs", **kept),
        list_url=url_for(".task_runs", **kept, sort=sort, dir=direction),
    )


@bp.get("/tasks/<id:run_id>")
@super_admin_required
def task_run(run_id: int):
    run = services.get_task_run(run_id)
    if run is None:
        abort(404)
    return htmx.render("monitoring/task.html", run=run)


@bp.post("/tasks/check-health")
@super_admin_required
def run_health_check():
    services.queue_health_check(current_platform(), current_user)
    flash("Health check task queued; its run appears below.", "success")
    return htmx.redirect(url_for(".task_runs"))


@bp.get("/logs")
@super_admin_required
def logs():
    level = request.args.get("level", "")
    lines = recent_log_lines(current_app, limit=500)
    if level:
        lines = [line for line in lines if line["level"] == level]
    return htmx.render("monitoring/logs.html", "log_table", lines=lines[:200], level=level)
