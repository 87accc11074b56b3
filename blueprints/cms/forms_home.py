"""The home section editor's form: button link and image, and a title, text and button label per language.

Field names are ``title_<language>``, ``text_<language>``, ``button_label_<language>``; the service
gets them regrouped by language. Which fields a kind of section uses, and every rule, is the
service's business: this form only carries the values.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from blueprints.cms.services.home import MAX_BUTTON_LABEL, MAX_BUTTON_URL, MAX_TEXT, MAX_TITLE

TRANSLATED_FIELDS = ("title", "text", "button_label")


class HomeSectionForm(FlaskForm):
    kind = HiddenField()
    button_url = StringField(_l("Button link"), render_kw={"maxlength": MAX_BUTTON_URL, "inputmode": "url"},
                             description=_l("A page of this store, e.g. /pages/about, or a web address "
                                            "starting with https://."))
    image_media_id = StringField(_l("Image"))  # rendered by the media library's picker


def section_form(languages: list[str], *args, **kwargs) -> HomeSectionForm:
    """A section form with a title, text and button label for each of ``languages`` (default first)."""

    class SectionForm(HomeSectionForm):
        pass

    for language in languages:
        setattr(SectionForm, f"title_{language}", StringField(_l("Title"), render_kw={"maxlength": MAX_TITLE}))
        setattr(SectionForm, f"text_{language}", TextAreaField(
            _l("Text"), render_kw={"rows": 6, "maxlength": MAX_TEXT},
            description=_l("Markdown: **bold**, *italic*, - lists, [links](https://…).")))
        setattr(SectionForm, f"button_label_{language}", StringField(
            _l("Button label"), render_kw={"maxlength": MAX_BUTTON_LABEL}))
    form = SectionForm(*args, **kwargs)
    form.languages = languages
    return form


def section_data(form: HomeSectionForm) -> dict:
    """The form's values as the home service takes them."""
    return {
        "kind": form.kind.data or "",
        "button_url": form.button_url.data or "",
        "image_media_id": form.image_media_id.data or None,
        "content": {language: {key: getattr(form, f"{key}_{language}").data or "" for key in TRANSLATED_FIELDS}
                    for language in form.languages},
    }


def fill(form: HomeSectionForm, section) -> None:
    """Put a saved section into an unsubmitted form."""
    form.kind.data = section.kind
    form.button_url.data = section.button_url
    form.image_media_id.data = section.image_media_id
    for language in form.languages:
        values = (section.content or {}).get(language) or {}
        for key in TRANSLATED_FIELDS:
            getattr(form, f"{key}_{language}").data = values.get(key, "")
