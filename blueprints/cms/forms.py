"""The page editor's form: page settings plus title, text and search fields per store language.

Field names are ``title_<language>`` etc.; the service gets them regrouped by language.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from webapp.i18n import LANGUAGES

PLACEMENT_CHOICES = [SelectChoice("none", _l("Not linked")), SelectChoice("header", _l("Header menu")),
                     SelectChoice("footer", _l("Footer")), SelectChoice("legal", _l("Footer, legal"))]
TRANSLATED_FIELDS = ("title", "body", "seo_title", "seo_description")


class PageSettingsForm(FlaskForm):
    slug = StringField(_l("Address"), description=_l(
        "Lower-case letters, digits and hyphens; the page is at /pages/ followed by it."))
    placement = SelectField(_l("Linked from"), choices=PLACEMENT_CHOICES, validate_choice=False)
    position = IntegerField(_l("Order"), default=0, validators=[Optional()],
                            description=_l("Smaller numbers come first in the menu."))
    published = BooleanField(_l("Published"))
    publish_at = DateTimeLocalField(_l("Publish from"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
                                    description=_l("Leave empty to publish at once."))


def page_form(languages: list[str], *args, **kwargs) -> PageSettingsForm:
    """A page form with a title, text and search fields for each of ``languages``."""

    class PageForm(PageSettingsForm):
        pass

    for language in languages:
        name = LANGUAGES[language]
        setattr(PageForm, f"title_{language}", StringField(_l("Title (%(language)s)", language=name)))
        setattr(PageForm, f"body_{language}", TextAreaField(
            _l("Text (%(language)s)", language=name), render_kw={"rows": 14},
            description=_l("Markdown: **bold**, *italic*, ## headings, - lists, [links](https://…).")))
        setattr(PageForm, f"seo_title_{language}", StringField(_l("Search title (%(language)s)", language=name)))
        setattr(PageForm, f"seo_description_{language}", TextAreaField(
            _l("Search description (%(language)s)", language=name), render_kw={"rows": 2}))
    form = PageForm(*args, **kwargs)
    form.languages = languages
    return form


def page_data(form: PageSettingsForm) -> dict:
    """The form's values as the page service takes them."""
    return {
        "slug": form.slug.data, "placement": form.placement.data, "position": form.position.data,
        "published": form.published.data, "publish_at": form.publish_at.data,
        "translations": {language: {key: getattr(form, f"{key}_{language}").data or "" for key in TRANSLATED_FIELDS}
                         for language in form.languages},
    }


def fill(form: PageSettingsForm, page) -> None:
    """Put a saved page into an unsubmitted form."""
    form.slug.data, form.placement.data, form.position.data = page.slug, page.placement, page.position
    form.published.data, form.publish_at.data = page.published, page.publish_at
    for translation in page.translations:
        if translation.language in form.languages:
            for key in TRANSLATED_FIELDS:
                getattr(form, f"{key}_{translation.language}").data = getattr(translation, key)


def apply_error(form, exc) -> str | None:
    """Put a service's refusal under its field; returns it when no field of ``form`` fits."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None:
        return str(exc)
    field.errors = [*field.errors, str(exc)]
    return None
