"""Forms of the store admin and of the pages reached from e-mails (invitation, password reset).

Field names equal the model attributes they edit. Business rules (VAT, languages, roles) stay in
the services; these forms check shape and size only.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from blueprints.tenancy.models import LANGUAGES
from blueprints.tenancy.permissions import ROLE_LABELS, STAFF
from blueprints.tenancy.store_services import LANGUAGE_NAMES
from webapp.security import MIN_PASSWORD_LENGTH

LANGUAGE_CHOICES = [SelectChoice(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]
NEW_PASSWORD = [DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256,
                                       message=_l("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH))]


class StoreLoginForm(FlaskForm):
    # No syntax check beyond "required": an address that does not exist simply fails to sign in.
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class PasswordResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)],
                       description=_l("The address you sign in with."))


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=NEW_PASSWORD,
                             description=_l("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    password_confirm = PasswordField(_l("Repeat the new password"),
                                     validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))])


class StoreSettingsForm(FlaskForm):
    name = StringField(_l("Store name"), validators=[DataRequired(), Length(max=120)])
    languages = SelectMultipleField(_l("Languages"), choices=LANGUAGE_CHOICES, validate_choice=True,
                                    description=_l("The languages the storefront offers."))
    default_language = SelectField(_l("Default language"), choices=LANGUAGE_CHOICES,
                                   description=_l("Shown first; it must be one of the store's languages."))
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)],
                               description=_l("Where customers write to this store."))
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])


class MerchantSettingsForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    legal_name = StringField(_l("Legal name"), validators=[Optional(), Length(max=200)],
                             description=_l("As in the trade register; the name is used when empty."))
    vat_number = StringField(_l("VAT number"), validators=[Optional(), Length(max=20)],
                             description=_l("EU format with the country prefix, e.g. LU15027442."))
    street = StringField(_l("Street and number"), validators=[Optional(), Length(max=200)])
    postal_code = StringField(_l("Postal code"), validators=[Optional(), Length(max=20)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    country = StringField(_l("Country"), validators=[DataRequired(), Length(min=2, max=2)],
                          description=_l("Two-letter code, e.g. LU."))
    contact_email = EmailField(_l("Contact e-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class ProfileForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES,
                           description=_l("The language of the admin for you."))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)],
                                     description=_l("We ask again to be sure it is you."))
    new_password = PasswordField(_l("New password"), validators=NEW_PASSWORD,
                                 description=_l("At least %(count)d characters. Your other sessions are signed out.",
                                                count=MIN_PASSWORD_LENGTH))
    new_password_confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("new_password", _l("The passwords differ."))])


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"))

    def __init__(self, roles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(role, ROLE_LABELS[role]) for role in roles]
        if self.role.data is None:
            self.role.data = STAFF  # the least a newcomer needs; the inviter raises it on purpose


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"))

    def __init__(self, roles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(role, ROLE_LABELS[role]) for role in roles]


class AcceptInvitationForm(FlaskForm):
    """A new user's name and password; an existing user submits it empty (just confirms)."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password = PasswordField(_l("Choose a password"), validators=NEW_PASSWORD,
                             description=_l("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    password_confirm = PasswordField(_l("Repeat the password"),
                                     validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))])


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (accepting an invitation as an existing user)."""
