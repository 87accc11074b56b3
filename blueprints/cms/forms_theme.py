"""The theme form: field names equal the StoreTheme attributes; shape only, the rules live in services.themes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional, Regexp

from blueprints.cms.services import themes
from blueprints.cms.services.css import MAX_CUSTOM_CSS_BYTES

COLOR = [DataRequired(), Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Use a colour written as #rrggbb."))]
FONT_CHOICES = [SelectChoice(key, font.label) for key, font in themes.FONTS.items()]
RADIUS_CHOICES = [SelectChoice(key, label) for key, (label, _css) in themes.RADII.items()]
MEDIA_ID = [Optional(), NumberRange(min=1, max=2 ** 31 - 1, message=_l("Choose an image from your media library."))]


class ThemeForm(FlaskForm):
    """Field names equal the StoreTheme attributes. Shape only: the rules live in services.themes."""

    preset = HiddenField(_l("Preset"))
    primary_color = StringField(_l("Primary"), validators=COLOR, description=_l("Links and main buttons."))
    accent_color = StringField(_l("Accent"), validators=COLOR, description=_l("Highlights and call-to-action."))
    background_color = StringField(_l("Background"), validators=COLOR)
    text_color = StringField(_l("Text"), validators=COLOR)
    muted_color = StringField(_l("Muted text"), validators=COLOR, description=_l("Footer and secondary text."))
    font_body = SelectField(_l("Body font"), choices=FONT_CHOICES,
                            description=_l("Fonts installed on the shopper's device: nothing is downloaded."))
    font_heading = SelectField(_l("Heading font"), choices=FONT_CHOICES)
    radius = SelectField(_l("Corners"), choices=RADIUS_CHOICES)
    logo_media_id = IntegerField(_l("Logo"), validators=MEDIA_ID)
    favicon_media_id = IntegerField(_l("Favicon"), validators=MEDIA_ID)
    custom_css = TextAreaField(
        _l("Custom CSS"),
        description=_l("Applied after the theme, up to %(size)s KB. Allowed: rules, @media, @supports, @keyframes; "
                       "url() to https:// or to a path of this site. Not allowed: @import, @font-face, "
                       "expression(), javascript: or data: URLs.", size=MAX_CUSTOM_CSS_BYTES // 1000))
