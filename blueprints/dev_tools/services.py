"""Component examples and the icon index (read from the vendored Bootstrap Icons map)."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import current_app
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Form, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from webapp.config import PROJECT_ROOT
from webapp.config_forms import ConfigField

ICON_MAP = PROJECT_ROOT / "static" / "vendor" / "bootstrap-icons" / "bootstrap-icons.json"
ICON_LIMIT = 240


@dataclass(frozen=True)
class Example:
    """One macro call shown in the component library.

    ``context`` supplies the variables the call refers to (a form, config fields); ``live=False``
    shows the rendered markup instead of a live preview, for components that would not stay put
    on the page (toasts are shown and removed by app.js, out-of-band swaps move themselves).
    """

    group: str
    title: str
    call: str
    note: str = ""
    context: Callable[[], dict[str, Any]] | None = None
    live: bool = True


@dataclass(frozen=True)
class RenderedExample:
    example: Example
    html: Markup
    anchor: str


@dataclass(frozen=True)
class ExampleGroup:
    name: str
    anchor: str
    examples: list[RenderedExample]


class StoreSettingsForm(Form):
    """A small WTForms form for the form-field examples (plain Form: no CSRF, no request data)."""

    name = StringField(
        "Store name",
        validators=[DataRequired(), Length(max=80)],
        description="Shown to shoppers in the header and in e-mails.",
    )
    code = StringField("Store code", validators=[Length(max=32)])
    currency = SelectField(
        "Currency", choices=[SelectChoice("EUR", "Euro (EUR)"), SelectChoice("CHF", "Swiss franc (CHF)")],
    )
    newsletter = BooleanField("Offer the newsletter at checkout", description="Shoppers can unsubscribe at any time.")
    accept_terms = BooleanField("Shoppers must accept the terms", validators=[DataRequired()])


def submitted_settings_form() -> StoreSettingsForm:
    """The form as re-rendered after an invalid submission, so the errors are real ones."""
    form = StoreSettingsForm(formdata=MultiDict({"name": "", "currency": "CHF", "newsletter": "y"}))
    form.validate()
    return form


def form_context() -> dict[str, Any]:
    return {"form": submitted_settings_form()}


def config_field_context() -> dict[str, Any]:
    return {
        "threshold": ConfigField(
            name="low_stock_threshold", label="Low stock threshold", kind="number", value=5, required=True,
            min=0, max=1000, description="Warn when stock falls to this many units.",
        ),
        "sender": ConfigField(
            name="sender_email", label="Sender e-mail", kind="email", value="shop@", required=True,
            error="Enter a valid e-mail address.",
        ),
        "rounding": ConfigField(
            name="price_rounding", label="Price rounding", kind="select", value="nearest_cent",
            choices=["nearest_cent", "round_up", "round_down"],
        ),
        "reviews": ConfigField(name="allow_reviews", label="Allow product reviews", kind="checkbox", value=True),
    }


EXAMPLES: tuple[Example, ...] = (
    # Icons
    Example("Icons", "Icon", '{{ ui.icon("heart") }}', "Any Bootstrap Icons name; see the icon gallery."),
    Example("Icons", "Icon with classes", '{{ ui.icon("star-fill", "text-warning fs-3") }}'),
    # Buttons
    Example("Buttons", "Variants",
            '{{ ui.button("Save", variant="primary") }}\n'
            '{{ ui.button("Cancel", variant="outline-secondary") }}\n'
            '{{ ui.button("Delete", variant="danger") }}\n'
            '{{ ui.button("Details", variant="link") }}'),
    Example("Buttons", "Sizes", '{{ ui.button("Small", size="sm") }}\n{{ ui.button("Large", size="lg") }}'),
    Example("Buttons", "With an icon", '{{ ui.button("Save", icon="check-lg") }}'),
    Example("Buttons", "Submit button", '{{ ui.button("Save changes", icon="check-lg", type="submit") }}',
            "Its spinner shows while the enclosing htmx request runs."),
    Example("Buttons", "Disabled", '{{ ui.button("Publish", icon="send", disabled=True) }}'),
    Example("Buttons", "Full width with attributes",
            '{{ ui.button("Add to cart", icon="cart-plus", full_width=True, attrs={"data-product": "42"}) }}'),
    Example("Buttons", "Link button",
            '{{ ui.link_button("Dashboard", url_for("core_admin.dashboard"), variant="outline-primary", '
            'icon="speedometer2") }}\n'
            '{{ ui.link_button("Help", "#", variant="link", size="sm", attrs={"rel": "help"}) }}'),
    # Badges
    Example("Badges", "Badge", '{{ ui.badge("New") }}\n{{ ui.badge("Paid", "success", icon="check") }}'),
    Example("Badges", "State badge",
            '{{ ui.state_badge("enabled") }} {{ ui.state_badge("disabled") }} {{ ui.state_badge("locked") }}\n'
            '{{ ui.state_badge("SUCCESS") }} {{ ui.state_badge("FAILURE") }} {{ ui.state_badge("PENDING") }}\n'
            '{{ ui.state_badge("ok") }} {{ ui.state_badge("failing") }}',
            "Module states, task states and health checks each get their colour and icon."),
    # Layout
    Example("Layout", "Page header", '{{ ui.page_header("Stores", "Every store of this merchant.") }}'),
    Example("Layout", "Page header with actions",
            '{% call ui.page_header("Stores") %}\n'
            '  {{ ui.button("Export", variant="outline-secondary", icon="download") }}\n'
            '  {{ ui.link_button("New store", "#", icon="plus-lg") }}\n'
            "{% endcall %}"),
    Example("Layout", "Breadcrumbs",
            '{{ ui.breadcrumbs([("Admin", url_for("core_admin.dashboard")), ("Dev tools", None), '
            '("Components", None)]) }}',
            "The last item is the current page; items without a link are plain text."),
    Example("Layout", "Card",
            '{% call ui.card("Opening hours", "Shown on the storefront") %}\n'
            "  <p class=\"mb-0\">Mon–Fri 9:00–18:00</p>\n"
            "{% endcall %}"),
    Example("Layout", "Card without header",
            '{% call ui.card(class="border-primary", body_class="small") %}Only a body.{% endcall %}'),
    Example("Layout", "Stat tiles",
            '<div class="row g-3">\n'
            '  <div class="col-sm-6">{{ ui.stat_tile("Orders today", 18, icon="bag-check", hint="+3 on yesterday") }}'
            "</div>\n"
            '  <div class="col-sm-6">{{ ui.stat_tile("Failed tasks", 2, icon="x-octagon", variant="danger", '
            'href="#") }}</div>\n'
            "</div>"),
    Example("Layout", "Empty state", '{{ ui.empty_state("No stores yet", "Create the first store of this merchant.", '
            'icon="shop", action_label="New store", action_href="#") }}'),
    Example("Layout", "Spinner", '{{ ui.spinner() }} {{ ui.spinner("Saving…") }}'),
    # Feedback
    Example("Feedback", "Alert levels",
            '{{ ui.alert("The import is queued.", "info") }}\n'
            '{{ ui.alert("Settings saved.", "success") }}\n'
            '{{ ui.alert("The feed is 3 days old.", "warning") }}\n'
            '{{ ui.alert("The payment failed.", "danger") }}'),
    Example("Feedback", "Alert with title, dismissible",
            '{{ ui.alert("Letzshop did not answer; orders will be imported on the next run.", "warning", '
            'title="Import delayed", dismissible=True) }}'),
    Example("Feedback", "Alert with a body",
            '{% call ui.alert("Disabling orders also disables:", "danger") %}\n'
            '  <ul class="mb-0"><li>Marketplace</li></ul>\n'
            "{% endcall %}"),
    Example("Feedback", "Toast", '{{ ui.toast("Settings saved.", "success") }}',
            "app.js shows every toast that lands in #toasts for five seconds, then removes it.", live=False),
    Example("Feedback", "Out-of-band toast", '{{ ui.oob_toast("Store created.", "success") }}',
            "Add it to any htmx response: htmx moves it into #toasts, whatever the request's target.",
            live=False),
    # Dialogs
    Example("Dialogs", "Modal and its button",
            '{{ ui.modal_button("Show details", "example-modal", variant="outline-primary", icon="eye") }}\n'
            '{% call ui.modal("example-modal", "Order #1042", size="lg") %}\n'
            '  <div class="modal-body">Two items, paid by card.</div>\n'
            "{% endcall %}"),
    Example("Dialogs", "Confirm modal",
            '{{ ui.modal_button("Delete store", "confirm-delete", icon="trash") }}\n'
            '{{ ui.confirm_modal("confirm-delete", "Delete this store?", "Its orders are kept.", "#", '
            'confirm_label="Delete", target="#store-list") }}',
            "Its form posts with htmx and closes the modal once the request succeeded."),
    # Forms
    Example("Forms", "Switch",
            '{{ ui.switch("newsletter", checked=True, label="Newsletter") }}\n'
            '{{ ui.switch("locked", label="Locked", disabled=True, id="switch-locked-example") }}\n'
            '{{ ui.switch("loyalty", label="Loyalty", attrs={"data-module": "loyalty"}) }}'),
    Example("Forms", "Text field with description and error", "{{ forms.field(form.name) }}",
            "form is a WTForms form re-rendered after an invalid submission.", context=form_context),
    Example("Forms", "Text field with help and attributes",
            '{{ forms.field(form.code, attrs={"placeholder": "bakery-gare", "spellcheck": "false"}, '
            'help="Lower-case letters, digits and dashes.") }}',
            "help overrides the field's description; attrs go onto the input.", context=form_context),
    Example("Forms", "Select field", "{{ forms.field(form.currency) }}", context=form_context),
    Example("Forms", "Checkbox", "{{ forms.field(form.newsletter) }}\n{{ forms.field(form.accept_terms) }}",
            "The first has a description; the second failed its DataRequired validator.", context=form_context),
    Example("Forms", "Config fields",
            "{{ forms.config_field(threshold) }}\n{{ forms.config_field(sender) }}\n"
            "{{ forms.config_field(rounding) }}\n{{ forms.config_field(reviews) }}",
            "ConfigField specs, as webapp.config_forms.config_fields builds them from a module's config schema.",
            context=config_field_context),
    Example("Forms", "Form error", '{{ forms.form_error("The form could not be saved: the store code is taken.") }}',
            "Renders nothing when the message is empty."),
    Example("Forms", "Self-replacing form",
            '{% call forms.self_form("#", "example-self-form") %}\n'
            '  <input class="form-control mb-2" name="note" aria-label="Note" placeholder="A note">\n'
            '  {{ ui.button("Save", icon="check-lg", type="submit") }}\n'
            "{% endcall %}",
            "Posts through htmx and is replaced by the server's answer (422 with inline errors); "
            "carries the CSRF token."),
    # Tables
    Example("Tables", "Sort headers",
            '<table class="table mb-0"><thead><tr>\n'
            '  {{ tables.sort_header("Name", "name", "name", "asc", "?q=store", "#store-table") }}\n'
            '  {{ tables.sort_header("Created", "created_at", "name", "asc", "?q=store", "#store-table") }}\n'
            "</tr></thead></table>",
            "The active column shows its direction; clicking it again reverses the order."),
    Example("Tables", "Pagination", '{{ tables.pagination(4, 12, "?q=store", "#store-table") }}',
            "Renders nothing for a single page."),
    Example("Tables", "Data table",
            '{% call tables.data_table("store-table", 2, page=1, pages=3, url="?q=store", total=6) %}\n'
            '<thead><tr>{{ tables.sort_header("Store", "name", "name", "asc", "?q=store", "#store-table") }}'
            "<th>State</th></tr></thead>\n"
            "<tbody>\n"
            '  <tr><td>Bakery Kirchberg</td><td>{{ ui.state_badge("enabled") }}</td></tr>\n'
            '  <tr><td>Bakery Gare</td><td>{{ ui.state_badge("disabled") }}</td></tr>\n'
            "</tbody>\n"
            "{% endcall %}",
            "The wrapper is the target of its own sort links and pagination, and carries data-count."),
    Example("Tables", "Empty data table",
            '{% call tables.data_table("empty-table", 0, "No orders yet", "Orders appear here once shoppers buy.") %}'
            "\n{% endcall %}"),
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def render_example(example: Example) -> Markup:
    """The HTML that the example's exact call produces."""
    context = example.context() if example.context else {}
    return Markup(current_app.jinja_env.from_string(example.call).render(**context))


def render_examples() -> list[ExampleGroup]:
    """Every example rendered, grouped in the order the groups first appear."""
    groups: dict[str, list[RenderedExample]] = {}
    for example in EXAMPLES:
        anchor = f"example-{slug(example.group)}-{slug(example.title)}"
        groups.setdefault(example.group, []).append(RenderedExample(example, render_example(example), anchor))
    return [ExampleGroup(name, f"group-{slug(name)}", examples) for name, examples in groups.items()]


@dataclass(frozen=True)
class Icon:
    name: str

    @property
    def call(self) -> str:
        """The Jinja call that renders this icon, as the gallery copies it."""
        return f'{{{{ ui.icon("{self.name}") }}}}'


@dataclass(frozen=True)
class IconSearch:
    query: str
    icons: list[Icon]
    matches: int
    total: int

    @property
    def truncated(self) -> bool:
        return self.matches > len(self.icons)


@lru_cache(maxsize=1)
def all_icons() -> tuple[str, ...]:
    return tuple(sorted(json.loads(ICON_MAP.read_text(encoding="utf-8"))))


def search_icons(query: str, limit: int = ICON_LIMIT) -> IconSearch:
    """Icons whose name contains every word of ``query``; at most ``limit`` of them."""
    words = query.lower().split()
    found = [name for name in all_icons() if all(word in name for word in words)]
    return IconSearch(query=query, icons=[Icon(name) for name in found[:limit]], matches=len(found),
                      total=len(all_icons()))
