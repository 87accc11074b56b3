"""The component library: every UI macro rendered live beside the call that produced it."""
import re

import pytest

from blueprints.dev_tools.services import EXAMPLES, render_example, render_examples
from tests.dev_tools.helpers import attribute_values
from webapp.config import PROJECT_ROOT

URL = "/admin/dev-tools/components"
MACRO_DIR = PROJECT_ROOT / "templates" / "macros"
MACRO_DEFINITION = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(")
MACRO_CALL = re.compile(r"\b(\w+)\.(\w+)\s*\(")


def defined_macros() -> set[str]:
    """``ui.button`` etc.: each macro file is the global of the same name (see webapp.templating)."""
    return {
        f"{path.stem}.{name}"
        for path in MACRO_DIR.glob("*.html")
        for name in MACRO_DEFINITION.findall(path.read_text(encoding="utf-8"))
    }


def called_macros() -> set[str]:
    return {f"{library}.{name}" for example in EXAMPLES for library, name in MACRO_CALL.findall(example.call)}


def test_the_macro_parser_finds_the_macro_files():
    # Guards the next test against passing vacuously when the regex or the folder goes wrong.
    assert {"ui.icon", "ui.confirm_modal", "forms.field", "forms.config_field", "tables.data_table"} <= defined_macros()


def test_every_macro_has_an_example():
    missing = defined_macros() - called_macros()
    assert not missing, f"add an Example to blueprints/dev_tools/services.py for: {', '.join(sorted(missing))}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.group}/{e.title}")
def test_every_example_renders(app, example):
    with app.test_request_context(URL):
        html = render_example(example)
    assert html.strip(), "an example must produce some markup"


def test_example_anchors_are_unique(app):
    with app.test_request_context(URL):
        groups = render_examples()
    anchors = [group.anchor for group in groups] + [r.anchor for group in groups for r in group.examples]
    assert len(anchors) == len(set(anchors))


def test_super_admin_sees_every_example_grouped_with_a_table_of_contents(client, as_super_admin):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'data-count="{len(EXAMPLES)}"' in page
    groups = list(dict.fromkeys(example.group for example in EXAMPLES))
    toc = page[page.index('id="component-toc"'):page.index('id="component-examples"')]
    for group in groups:
        anchor = "group-" + group.lower()
        assert f'href="#{anchor}"' in toc and f'<section id="{anchor}"' in page


def test_each_call_is_shown_and_copied_verbatim(client, as_super_admin):
    page = client.get(URL).get_data(as_text=True)
    copied = attribute_values(page, "data-copy")
    for example in EXAMPLES:
        assert example.call in copied, f"no copy button for {example.title}"
    # The calls are shown as text, never interpreted: the page itself contains no Jinja output of them.
    assert "{{ ui.icon(&#34;heart&#34;) }}" in page


def test_examples_do_not_clash_on_element_ids(client, as_super_admin):
    # Two modals or fields with one id would break each other's toggles and labels.
    ids = attribute_values(client.get(URL).get_data(as_text=True), "id")
    duplicates = sorted({element_id for element_id in ids if ids.count(element_id) > 1})
    assert not duplicates


def test_previews_are_inert_so_example_urls_are_never_requested(client, as_super_admin):
    page = client.get(URL).get_data(as_text=True)
    previews = re.findall(r'<div class="component-preview[^"]*"([^>]*)>', page)
    assert previews and all("hx-disable" in attrs for attrs in previews)


def test_out_of_band_toast_is_shown_as_markup_not_swapped(client, as_super_admin):
    page = client.get(URL).get_data(as_text=True)
    # A live hx-swap-oob would leave the page for #toasts when the page arrives by boosted navigation.
    assert attribute_values(page, "hx-swap-oob") == []
    assert "&lt;div hx-swap-oob=&#34;beforeend:#toasts&#34;&gt;" in page
