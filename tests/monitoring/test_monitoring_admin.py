"""The monitoring pages a super admin uses: health, task runs, one run, recent log lines."""
from __future__ import annotations

import html
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from blueprints.monitoring import services
from blueprints.monitoring.tasks import prune_task_runs
from webapp import modules
from webapp.extensions import celery, db
from webapp.models import AuditLog, TaskRun, utcnow

OVERVIEW = "/admin/monitoring/"
TASKS = "/admin/monitoring/tasks"
LOGS = "/admin/monitoring/logs"
CHECK_HEALTH = "/admin/monitoring/tasks/check-health"
PAGES = [OVERVIEW, TASKS, LOGS]
# Platform, module states, signed-in user, the list (count + page with platforms), module names for the filter.
TASK_LIST_QUERY_BUDGET = 6


def add_run(task_name="monitoring.check_health", state="SUCCESS", platform=None, error=None, age=timedelta(0),
            commit=True) -> TaskRun:
    started = utcnow() - age
    run = TaskRun(task_id=f"id-{task_name}-{state}", task_name=task_name, module_code=task_name.split(".")[0],
                  platform_id=platform.id if platform else None, args_summary="platform_id=1", state=state,
                  started_at=started, finished_at=None if state == "STARTED" else started + timedelta(seconds=2),
                  error=error, created_at=started)
    db.session.add(run)
    if commit:
        db.session.commit()
    return run


def data_count(body: bytes, element_id: str) -> int:
    match = re.search(rf'id="{element_id}"[^>]*data-count="(\d+)"', body.decode())
    assert match, f"no #{element_id} with data-count"
    return int(match.group(1))


def row_states(body: bytes) -> list[str]:
    return re.findall(r'<tr id="task-run-\d+" data-state="(\w+)"', body.decode())


def nav_modules(body: bytes) -> list[str]:
    return re.findall(r'class="nav-link[^"]*" data-module="([\w-]+)"', body.decode())


@pytest.fixture
def recent_logs(app):
    """The session app's recent-log handler, attached to the root logger during the test.

    Every ``create_app`` in the test process (other tests build their own apps) replaces the root
    logger's handlers, which may have detached the handler that the session app installed.
    """
    handler = app.extensions["buttek.recent_logs"]
    root = logging.getLogger()
    attached, level = handler in root.handlers, root.level
    if not attached:
        root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    yield handler
    if not attached:
        root.removeHandler(handler)
    root.setLevel(level)


# -- health -----------------------------------------------------------------------------------
def test_super_admin_sees_the_health_checks(client, as_super_admin):
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<tr data-check="database" data-ok="true">' in page
    assert '<tr data-check="module:monitoring" data-ok="true">' in page
    assert data_count(response.data, "health-checks") == 2
    assert "Healthy" in page
    assert "In-process" in page and "no broker: tasks run at once · Sentry off" in page
    assert "Set <code>FLOWER_URL</code>" in page  # no tools configured


def test_the_overview_links_the_configured_tools(client, as_super_admin, app, monkeypatch):
    monkeypatch.setitem(app.config, "FLOWER_URL", "https://flower.example.com/")
    monkeypatch.setitem(app.config, "GRAFANA_URL", "")
    page = client.get(OVERVIEW).get_data(as_text=True)
    assert '<a href="https://flower.example.com/" target="_blank" rel="noopener"' in page
    assert "Grafana" not in page and "Set <code>FLOWER_URL</code>" not in page


def test_a_stuck_task_shows_the_installation_as_failing(client, as_super_admin):
    add_run("catalog.reindex", state="STARTED", age=timedelta(hours=3))
    page = client.get(OVERVIEW).get_data(as_text=True)
    assert '<tr data-check="module:monitoring" data-ok="false">' in page
    assert "1 task run(s) started over an hour ago and never finished" in page
    assert "Failing" in page


def test_the_health_checks_refresh_as_a_fragment(htmx_client, as_super_admin):
    response = htmx_client.get(OVERVIEW)
    assert response.status_code == 200
    body = response.get_data(as_text=True).strip()
    assert body.startswith('<div id="health-checks"')
    assert "<html" not in body and "admin-nav" not in body
    assert 'hx-trigger="every 30s"' in body
    assert "HX-Request" in response.headers["Vary"]


def test_the_overview_counts_task_runs_and_failures(client, as_super_admin):
    add_run(state="SUCCESS")
    add_run(state="FAILURE", error="boom")
    add_run(state="FAILURE", error="boom")
    page = client.get(OVERVIEW).get_data(as_text=True)
    assert re.search(r'href="/admin/monitoring/tasks"[^>]*>3</a>', page)
    assert re.search(r'href="/admin/monitoring/tasks\?state=FAILURE"[^>]*>2</a>', page)


# -- task runs --------------------------------------------------------------------------------
@pytest.fixture
def mixed_runs(platform, create_platform):
    other = create_platform("other")
    return {
        "ok_main": add_run("monitoring.check_health", "SUCCESS", platform),
        "failed_main": add_run("monitoring.check_health", "FAILURE", platform, error="RuntimeError: x"),
        "failed_other": add_run("catalog.reindex", "FAILURE", other, error="ValueError: y"),
        "running": add_run("catalog.reindex", "STARTED"),
    }


def test_super_admin_sees_every_task_run_newest_first(client, as_super_admin, mixed_runs):
    response = client.get(TASKS)
    assert response.status_code == 200
    assert data_count(response.data, "task-table") == 4
    ids = [int(i) for i in re.findall(r'<tr id="task-run-(\d+)"', response.get_data(as_text=True))]
    assert ids == sorted((run.id for run in mixed_runs.values()), reverse=True)


@pytest.mark.parametrize(("query", "expected"), [
    ("state=FAILURE", {"failed_main", "failed_other"}),
    ("state=STARTED", {"running"}),
    ("module=catalog", {"failed_other", "running"}),
    ("platform=main", {"ok_main", "failed_main"}),
    ("platform=other&state=FAILURE", {"failed_other"}),
    ("platform=nowhere", set()),
])
def test_task_runs_filter_by_state_module_and_platform(client, htmx_client, as_super_admin, mixed_runs, query,
                                                       expected):
    expected_ids = {mixed_runs[name].id for name in expected}
    page = client.get(f"{TASKS}?{query}")
    assert page.status_code == 200
    assert "<html" in page.get_data(as_text=True)
    assert data_count(page.data, "task-table") == len(expected)
    assert {int(i) for i in re.findall(r'<tr id="task-run-(\d+)"', page.get_data(as_text=True))} == expected_ids

    fragment = htmx_client.get(f"{TASKS}?{query}")
    body = fragment.get_data(as_text=True).strip()
    assert fragment.status_code == 200
    assert body.startswith('<div id="task-table"') and "<html" not in body
    assert data_count(fragment.data, "task-table") == len(expected)
    assert {int(i) for i in re.findall(r'<tr id="task-run-(\d+)"', body)} == expected_ids


def test_the_filters_show_what_is_selected(client, as_super_admin, mixed_runs):
    page = client.get(f"{TASKS}?state=FAILURE&module=catalog&platform=other").get_data(as_text=True)
    assert '<option value="FAILURE" selected>' in page
    assert '<option value="catalog" selected>' in page
    assert '<option value="monitoring">' in page  # module choices come from the recorded runs
    assert 'name="platform" value="other"' in page


def test_an_unknown_state_filter_is_a_400_not_a_500(client, htmx_client, as_super_admin):
    response = client.get(f"{TASKS}?state=EXPLODED")
    assert response.status_code == 400
    assert "Unknown state &#39;EXPLODED&#39;." in response.get_data(as_text=True)
    assert htmx_client.get(f"{TASKS}?state=<b>").status_code == 400


def test_a_page_number_out_of_range_shows_the_nearest_page(client, as_super_admin):
    add_run()
    for page in ("0", "-3", "99", "abc"):
        response = client.get(f"{TASKS}?page={page}")
        assert response.status_code == 200
        assert data_count(response.data, "task-table") == 1


def test_runs_are_paged_25_at_a_time_and_page_links_keep_the_filters(client, as_super_admin):
    for _ in range(30):
        add_run("odd module&co.sync", "FAILURE", error="x", commit=False)
    add_run("odd module&co.sync", "SUCCESS", commit=False)
    add_run("monitoring.check_health", "FAILURE", error="x")
    first = client.get(TASKS, query_string={"state": "FAILURE", "module": "odd module&co"})
    assert data_count(first.data, "task-table") == 25
    hrefs = re.findall(r'class="page-link" href="([^"]+)"', first.get_data(as_text=True))
    second_page = next(html.unescape(href) for href in hrefs if href.endswith("page=2"))
    assert second_page == "/admin/monitoring/tasks?state=FAILURE&module=odd+module%26co&sort=started&dir=desc&page=2"
    second = client.get(second_page)
    assert second.status_code == 200
    assert data_count(second.data, "task-table") == 5
    assert set(row_states(second.data)) == {"FAILURE"}
    assert "30 in all" in second.get_data(as_text=True)


def test_task_list_costs_the_same_queries_for_1_and_for_60_runs(client, as_super_admin, platform,
                                                               create_platform, count_queries):
    add_run(platform=platform)
    with count_queries() as one:
        response = client.get(TASKS)
    assert data_count(response.data, "task-table") == 1
    other = create_platform("other")
    for number in range(59):
        add_run(f"module{number % 7}.task", ("SUCCESS", "FAILURE", "STARTED")[number % 3],
                platform=(platform, other, None)[number % 3], error="e", commit=False)
    db.session.commit()
    with count_queries() as many:
        response = client.get(TASKS)
    assert data_count(response.data, "task-table") == 25
    assert "60 in all" in response.get_data(as_text=True)
    assert many.count == one.count, many.statements
    assert one.count <= TASK_LIST_QUERY_BUDGET, one.statements


def test_task_detail_shows_the_error_of_a_failed_run(client, as_super_admin, platform):
    run = add_run(state="FAILURE", platform=platform,
                  error='Traceback (most recent call last):\n  File "<task>"\nRuntimeError: Failing health checks: db')
    response = client.get(f"{TASKS}/{run.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="task-run-detail" data-state="FAILURE"' in page
    error = re.search(r'<pre class="task-error mb-0" id="task-error">(.*?)</pre>', page, re.S).group(1)
    assert error == ('Traceback (most recent call last):\n  File &#34;&lt;task&gt;&#34;\n'
                     "RuntimeError: Failing health checks: db")
    assert "2000 ms" in page  # duration
    assert ">main</dd>" in page  # platform


def test_task_detail_of_a_successful_run_has_no_error(client, as_super_admin):
    run = add_run(state="SUCCESS")
    page = client.get(f"{TASKS}/{run.id}").get_data(as_text=True)
    assert 'data-state="SUCCESS"' in page
    assert 'id="task-error"' not in page and "This run finished without an error." in page


def test_an_unknown_task_run_is_404(client, as_super_admin):
    assert client.get(f"{TASKS}/999999").status_code == 404


def test_running_the_health_check_records_a_run_and_redirects(client, as_super_admin, platform, monkeypatch):
    monkeypatch.setitem(celery.conf, "task_always_eager", True)  # without a broker the check runs at once
    response = client.post(CHECK_HEALTH)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(TASKS)
    run = db.session.scalars(select(TaskRun)).one()
    assert (run.task_name, run.state, run.platform_id) == ("monitoring.check_health", "SUCCESS", platform.id)
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "monitoring.check_health_queued")).one()
    assert (audit.user_id, audit.platform_id) == (as_super_admin.id, platform.id)
    listing = client.get(TASKS).get_data(as_text=True)
    assert "Health check task queued" in listing
    assert f'<tr id="task-run-{run.id}" data-state="SUCCESS">' in listing


def test_running_the_health_check_from_htmx_redirects_with_hx_redirect(htmx_client, as_super_admin, monkeypatch):
    monkeypatch.setitem(celery.conf, "task_always_eager", True)
    response = htmx_client.post(CHECK_HEALTH)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].endswith(TASKS)
    assert db.session.scalar(select(TaskRun.state)) == "SUCCESS"


def test_the_health_check_cannot_be_run_with_get(client, as_super_admin):
    assert client.get(CHECK_HEALTH).status_code == 405
    assert db.session.scalars(select(TaskRun)).all() == []


# -- logs -------------------------------------------------------------------------------------
def test_logs_page_lists_recent_lines_newest_first(client, as_super_admin, recent_logs):
    logging.getLogger("buttek.ops").info("first line for the logs page")
    logging.getLogger("buttek.ops").warning("second line for the logs page")
    response = client.get(LOGS)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.index("second line for the logs page") < page.index("first line for the logs page")
    assert data_count(response.data, "log-table") >= 2


def test_logs_filter_by_level(client, htmx_client, as_super_admin, recent_logs):
    logging.getLogger("buttek.ops").info("an informational line")
    logging.getLogger("buttek.ops").error("an error line")
    page = client.get(f"{LOGS}?level=ERROR").get_data(as_text=True)
    assert "an error line" in page and "an informational line" not in page
    assert set(re.findall(r'<tr data-level="(\w+)"', page)) == {"ERROR"}
    assert '<option value="ERROR" selected>' in page

    fragment = htmx_client.get(f"{LOGS}?level=INFO")
    body = fragment.get_data(as_text=True).strip()
    assert body.startswith('<div id="log-table"') and "<html" not in body
    assert "an informational line" in body and "an error line" not in body
    assert set(re.findall(r'<tr data-level="(\w+)"', body)) == {"INFO"}


def test_log_messages_are_escaped(client, as_super_admin, recent_logs):
    logging.getLogger("buttek.ops").warning("<script>alert('logged')</script>")
    page = client.get(f"{LOGS}?level=WARNING").get_data(as_text=True)
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#39;logged&#39;)&lt;/script&gt;" in page


def test_log_lines_of_a_request_show_its_request_id(client, as_super_admin, recent_logs, monkeypatch):
    monkeypatch.setitem(celery.conf, "task_always_eager", True)
    response = client.post(CHECK_HEALTH, headers={"X-Request-ID": "feedc0de-request"})
    assert response.headers["X-Request-ID"] == "feedc0de-request"
    # The newest such line: the handler also holds lines of earlier tests' runs.
    line = next(line for line in reversed(recent_logs.lines)
                if line["message"].startswith("Task monitoring.check_health"))
    assert line["request_id"] == "feedc0de-request"
    assert "<code>feedc0de</code>" in client.get(LOGS).get_data(as_text=True)


# -- who may see it ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", [*PAGES, TASKS + "/{run}"])
def test_platform_admin_is_refused(client, as_platform_admin, path):
    run = add_run()
    assert client.get(path.format(run=run.id)).status_code == 403


def test_platform_admin_cannot_run_the_health_check(client, as_platform_admin):
    assert client.post(CHECK_HEALTH).status_code == 403
    assert db.session.scalars(select(TaskRun)).all() == []


def test_platform_admin_has_no_monitoring_entry_in_the_navigation(client, as_platform_admin):
    assert "monitoring" not in nav_modules(client.get("/admin/").data)


@pytest.mark.parametrize("path", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, platform, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]


def test_super_admin_has_a_monitoring_entry_in_the_navigation(client, as_super_admin):
    assert "monitoring" in nav_modules(client.get("/admin/").data)


def test_disabling_monitoring_hides_its_pages_and_navigation(client, as_super_admin, platform):
    run = add_run()
    modules.disable(platform, "monitoring")
    for path in [*PAGES, f"{TASKS}/{run.id}"]:
        assert client.get(path).status_code == 404, path
    assert client.post(CHECK_HEALTH).status_code == 404
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "core" in nav_modules(dashboard.data)
    assert "monitoring" not in nav_modules(dashboard.data)
    modules.enable(platform, "monitoring")
    assert client.get(TASKS).status_code == 200


# -- pruning ----------------------------------------------------------------------------------
def test_prune_deletes_only_finished_runs_older_than_the_cutoff(platform):
    add_run(state="SUCCESS", age=timedelta(days=31))
    add_run(state="FAILURE", age=timedelta(days=45), error="x")
    kept = {
        add_run(state="STARTED", age=timedelta(days=40)).id,  # still running: never pruned
        add_run(state="SUCCESS", age=timedelta(days=29)).id,
        add_run(state="FAILURE", age=timedelta(days=1), error="x").id,
    }
    assert services.prune_task_runs(30) == 2
    db.session.expire_all()
    assert set(db.session.scalars(select(TaskRun.id))) == kept


def test_prune_keeps_each_platforms_runs_as_long_as_its_setting_says(platform, create_platform, app):
    other = create_platform("other")
    modules.update_config(platform, "monitoring", {"task_runs_kept_days": 7})
    assert app.config["DEFAULT_PLATFORM"] == platform.code
    add_run(platform=platform, age=timedelta(days=8))  # main keeps 7 days: goes
    add_run(age=timedelta(days=8))  # no platform: the default platform's 7 days: goes
    kept = {
        add_run(platform=platform, age=timedelta(days=6)).id,
        add_run(platform=other, age=timedelta(days=8)).id,  # other keeps the default 30 days
        add_run(age=timedelta(days=6)).id,
    }
    add_run(platform=other, age=timedelta(days=31))
    assert services.retention_days() == {platform.id: 7, other.id: 30, None: 7}
    assert prune_task_runs.apply_async().get() == 3
    db.session.expire_all()
    remaining = set(db.session.scalars(select(TaskRun.id).where(TaskRun.task_name != "monitoring.prune_task_runs")))
    assert remaining == kept


def test_prune_without_platforms_keeps_runs_30_days():
    add_run(age=timedelta(days=31))
    kept = add_run(age=timedelta(days=29)).id
    assert services.prune_task_runs() == 1
    assert list(db.session.scalars(select(TaskRun.id))) == [kept]


def test_the_prune_task_records_its_own_run_and_keeps_it(platform):
    add_run(state="SUCCESS", age=timedelta(days=8))
    add_run(state="SUCCESS", age=timedelta(days=6))
    result = prune_task_runs.apply_async(kwargs={"older_than_days": 7})
    assert result.get() == 1
    runs = db.session.scalars(select(TaskRun).order_by(TaskRun.id)).all()
    assert [run.task_name for run in runs] == ["monitoring.check_health", "monitoring.prune_task_runs"]
    assert runs[-1].state == "SUCCESS" and runs[-1].args_summary == "older_than_days=7"


def test_task_runs_sort_by_a_column_and_pagination_keeps_the_order(htmx_client, as_super_admin):
    for index, name in enumerate(["b.second", "a.first", "c.third"]):
        db.session.add(TaskRun(task_id=f"s{index}", task_name=name, module_code=name[0], state="SUCCESS",
                               started_at=utcnow(), finished_at=utcnow()))
    db.session.commit()
    html = htmx_client.get(TASKS + "?sort=task&dir=asc").get_data(as_text=True)
    assert re.findall(r"<code>([a-c]\.\w+)</code>", html) == ["a.first", "b.second", "c.third"]
    assert 'aria-sort="ascending"' in html and "sort=task&amp;dir=desc" in html  # clicking again reverses
    reverse = htmx_client.get(TASKS + "?sort=task&dir=desc").get_data(as_text=True)
    assert re.findall(r"<code>([a-c]\.\w+)</code>", reverse) == ["c.third", "b.second", "a.first"]


@pytest.mark.parametrize("query", ["sort=password", "sort=task&dir=sideways"])
def test_an_unknown_sort_is_a_400(client, as_super_admin, query):
    assert client.get(f"{TASKS}?{query}").status_code == 400
