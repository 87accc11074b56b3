"""Who reaches the dev tools, the module switch, and what the pages cost in queries."""
import pytest

from blueprints.dev_tools.services import all_icons, search_icons
from webapp import modules

COMPONENTS = "/admin/dev-tools/components"
ICONS = "/admin/dev-tools/icons"
PAGES = [COMPONENTS, ICONS]
# Sign-in user, platform by host, module states: nothing on these pages depends on data size.
QUERY_BUDGET = 3


@pytest.mark.parametrize("url", PAGES)
def test_super_admin_opens_the_page(client, as_super_admin, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_platform_admin_is_forbidden(client, as_platform_admin, url):
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_visitor_is_sent_to_sign_in(client, platform, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]


def test_navigation_links_the_dev_tools_for_super_admins_only(client, auth, super_admin, platform_admin, platform):
    auth.login(platform_admin)
    assert f'href="{COMPONENTS}"' not in client.get("/admin/").get_data(as_text=True)
    auth.logout()
    auth.login(super_admin)
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert f'href="{COMPONENTS}"' in dashboard and f'href="{ICONS}"' in dashboard


def test_disabling_dev_tools_hides_the_pages_and_their_navigation(client, htmx_client, as_super_admin, platform):
    modules.disable(platform, "dev-tools")
    for url in PAGES:
        assert client.get(url).status_code == 404
        assert htmx_client.get(url).status_code == 404
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Components" not in dashboard and f'href="{COMPONENTS}"' not in dashboard

    modules.enable(platform, "dev-tools")
    assert client.get(COMPONENTS).status_code == 200


def test_components_page_has_a_fixed_query_budget(client, as_super_admin, count_queries):
    with count_queries() as queries:
        assert client.get(COMPONENTS).status_code == 200
    assert queries.count <= QUERY_BUDGET, queries.statements


@pytest.mark.parametrize("full_page", [True, False], ids=["page", "fragment"])
def test_icon_search_costs_the_same_for_one_match_and_many(client, htmx_client, as_super_admin, count_queries,
                                                           full_page):
    unique = next(name for name in all_icons() if search_icons(name).matches == 1)
    get = client.get if full_page else htmx_client.get
    counts = []
    for query in (unique, "arrow"):
        with count_queries() as queries:
            assert get(f"{ICONS}?q={query}").status_code == 200
        counts.append(queries.count)
    assert search_icons("arrow").matches > 50
    assert counts[0] == counts[1] <= QUERY_BUDGET
