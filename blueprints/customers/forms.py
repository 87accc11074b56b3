"""Forms of the customers module. Field names equal the model attributes they edit.

Labels and messages are translated (lazy_gettext): storefront forms in the shopper's language,
store-admin forms in the staff member's.
The services apply the business rules (unique e-mail, password strength, languages, rules).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from blueprints.customers.models import MATCH_ALL, MATCH_ANY
from webapp.i18n import LANGUAGES
from webapp.security import MIN_PASSWORD_LENGTH

REQUIRED = _l("This field is required.")
TOO_LONG = _l("This is too long.")


def _required():
    return DataRequired(message=REQUIRED)


def _max(length: int):
    return Length(max=length, message=TOO_LONG)


# -- storefront ---------------------------------------------------------------------------------
class CustomerLoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[_required(), _max(254)])
    password = PasswordField(_l("Password"), validators=[_required(), _max(256)])


class RegisterForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[_required(), _max(80)])
    last_name = StringField(_l("Last name"), validators=[Optional(), _max(80)])
    email = EmailField(_l("E-mail"), validators=[_required(), _max(254)])
    password = PasswordField(_l("Password"), validators=[_required(), _max(256)],
                             description=_l("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    password_confirm = PasswordField(_l("Repeat the password"),
                                     validators=[_required(), EqualTo("password", _l("The passwords differ."))])
    marketing_consent = BooleanField(_l("Send me news and offers by e-mail"),
                                     description=_l("You can withdraw this at any time in your account."))


class PasswordResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[_required(), _max(254)],
                       description=_l("The address you sign in with."))


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[_required(), _max(256)],
                             description=_l("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    password_confirm = PasswordField(_l("Repeat the new password"),
                                     validators=[_required(), EqualTo("password", _l("The passwords differ."))])


class ProfileForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[_required(), _max(80)])
    last_name = StringField(_l("Last name"), validators=[Optional(), _max(80)])
    phone = StringField(_l("Phone"), validators=[Optional(), _max(40)])
    language = SelectField(_l("Language"), validate_choice=False,
                           description=_l("The language of this store's pages and e-mails for you."))
    marketing_consent = BooleanField(_l("Send me news and offers by e-mail"))

    def __init__(self, languages, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [SelectChoice(code, LANGUAGES[code]) for code in languages]


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[_required(), _max(256)])
    new_password = PasswordField(_l("New password"), validators=[_required(), _max(256)],
                                 description=_l("At least %(count)d characters. Your other sessions are signed out.",
                                                count=MIN_PASSWORD_LENGTH))
    new_password_confirm = PasswordField(_l("Repeat the new password"),
                                         validators=[_required(), EqualTo("new_password", _l("The passwords differ."))])


class AddressForm(FlaskForm):
    label = StringField(_l("Label"), validators=[Optional(), _max(60)], description=_l("E.g. Home or Office."))
    name = StringField(_l("Name"), validators=[_required(), _max(120)])
    street = StringField(_l("Street and number"), validators=[_required(), _max(200)])
    postal_code = StringField(_l("Postal code"), validators=[_required(), _max(20)])
    city = StringField(_l("City"), validators=[_required(), _max(100)])
    country = StringField(_l("Country"), default="LU", validators=[_required(), Length(min=2, max=2, message=_l(
        "Use the two-letter country code, e.g. LU."))])
    is_default = BooleanField(_l("Use as my default address"))


# -- store admin --------------------------------------------------------------------------------
LANGUAGE_CHOICES = [SelectChoice("", "—"), *(SelectChoice(code, name) for code, name in LANGUAGES.items())]


class CustomerEditForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[Optional(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[Optional(), Length(max=80)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, validate_choice=False)


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=5000)],
                         description=_l("Only the merchant's staff see notes."))


class TagForm(FlaskForm):
    name = StringField(_l("Tag"), validators=[DataRequired(), Length(max=40)],
                       description=_l("An existing tag, or a new one (e.g. vip, wholesale)."))


class RuleForm(Form):
    """One rule row; the services validate fields, operators and values (unknown ones are a 422)."""

    field = SelectField(_l("Field"), validate_choice=False)
    operator = SelectField(_l("Operator"), validate_choice=False)
    value = StringField(_l("Value"), validators=[Optional(), Length(max=200)])


class SegmentForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    match = SelectField(_l("Customers must match"), choices=[SelectChoice(MATCH_ALL, _l("all rules")),
                                                              SelectChoice(MATCH_ANY, _l("any rule"))],
                        validate_choice=False)
    rules = FieldList(FormField(RuleForm), min_entries=0, max_entries=20)

    def rules_data(self) -> list[dict]:
        return [{"field": row.field.data or "", "operator": row.operator.data or "", "value": row.value.data or ""}
                for row in self.rules]
