"""Every page of the foundation: answers, stays within its query budget, and is CSP-clean."""
import re

import pytest

from webapp.extensions import db
from webapp.models import TaskRun, utcnow

# page -> the most SQL statements it may run (signed in as a super admin)
BUDGETS = {
    "/admin/": 6,
    "/admin/platforms": 6,
    "/admin/platforms/main/modules": 5,
    "/admin/platforms/main/modules?tier=optional": 5,
    "/admin/platforms/main/modules/catalog": 5,
    "/admin/platforms/main/modules/marketplace/enable": 6,
    "/admin/platforms/main/modules/monitoring/disable": 6,
    "/admin/platforms/main/modules/payments/config": 5,
    "/admin/monitoring/": 7,
    "/admin/monitoring/tasks": 7,
    "/admin/monitoring/tasks/{run}": 5,
    "/admin/monitoring/logs": 4,
    "/admin/dev-tools/components": 4,
    "/admin/dev-tools/icons?q=arrow": 4,
}


@pytest.fixture
def task_run(platform):
    run = TaskRun(task_id="t-1", task_name="monitoring.check_health", module_code="monitoring", state="FAILURE",
                  platform_id=platform.id, started_at=utcnow(), finished_at=utcnow(), error="Traceback …")
    db.session.add(run)
    db.session.commit()
    return run


@pytest.mark.parametrize("page", list(BUDGETS))
def test_every_admin_page_answers_within_its_query_budget(client, as_super_admin, task_run, count_queries, page):
    url = page.format(run=task_run.id)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    assert counter.count <= BUDGETS[page], (url, counter.count, counter.statements)


def test_the_login_page_needs_few_queries(client, platform, count_queries):
    client.get("/admin/login")  # warms the per-process host lookups, as in a running server
    with count_queries() as counter:
        assert client.get("/admin/login").status_code == 200
    assert counter.count <= 2


@pytest.mark.parametrize("page", list(BUDGETS))  # the signed-out login page: test_web_layer
def test_no_page_has_inline_scripts_styles_or_event_handlers(client, as_super_admin, task_run, page):
    """The CSP forbids them; a page that used one would silently break in the browser."""
    html = client.get(page.format(run=task_run.id)).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), page
    assert not re.search(r"\sstyle=", html) and "<style" not in html, page
    assert not re.search(r"\son[a-z]+=", html), page
    assert not re.search(r'(src|href)="(https?:)?//', html), page
