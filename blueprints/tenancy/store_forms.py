"""Forms of the store admin and of the pages reached from e-mails (invitation, password reset).

Field names equal the model attributes they edit. Business rules (VAT, languages, roles) stay in
the services; these forms check shape and size only.
"""
from __future__ import annotations

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
                                       message=f"Use at least {MIN_PASSWORD_LENGTH} characters.")]


class StoreLoginForm(FlaskForm):
    # No syntax check beyond "required": an address that does not exist simply fails to sign in.
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])


class PasswordResetRequestForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)],
                       description="The address you sign in with.")


class PasswordResetForm(FlaskForm):
    password = PasswordField("New password", validators=NEW_PASSWORD,
                             description=f"At least {MIN_PASSWORD_LENGTH} characters.")
    password_confirm = PasswordField("Repeat the new password",
                                     validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class StoreSettingsForm(FlaskForm):
    name = StringField("Store name", validators=[DataRequired(), Length(max=120)])
    languages = SelectMultipleField("Languages", choices=LANGUAGE_CHOICES, validate_choice=True,
                                    description="The languages the storefront offers.")
    default_language = SelectField("Default language", choices=LANGUAGE_CHOICES,
                                   description="Shown first; it must be one of the store's languages.")
    contact_email = EmailField("Contact e-mail", validators=[Optional(), Email(), Length(max=254)],
                               description="Where customers write to this store.")
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])


class MerchantSettingsForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    legal_name = StringField("Legal name", validators=[Optional(), Length(max=200)],
                             description="As in the trade register; the name is used when empty.")
    vat_number = StringField("VAT number", validators=[Optional(), Length(max=20)],
                             description="EU format with the country prefix, e.g. LU15027442.")
    street = StringField("Street and number", validators=[Optional(), Length(max=200)])
    postal_code = StringField("Postal code", validators=[Optional(), Length(max=20)])
    city = StringField("City", validators=[Optional(), Length(max=100)])
    country = StringField("Country", validators=[DataRequired(), Length(min=2, max=2)],
                          description="Two-letter code, e.g. LU.")
    contact_email = EmailField("Contact e-mail", validators=[DataRequired(), Email(), Length(max=254)])


class ProfileForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=120)])
    language = SelectField("Language", choices=LANGUAGE_CHOICES, description="The language of the admin for you.")


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=256)],
                                     description="We ask again to be sure it is you.")
    new_password = PasswordField("New password", validators=NEW_PASSWORD,
                                 description=f"At least {MIN_PASSWORD_LENGTH} characters. "
                                             "Your other sessions are signed out.")
    new_password_confirm = PasswordField("Repeat the new password",
                                         validators=[DataRequired(), EqualTo("new_password", "The passwords differ.")])


class InviteForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField("Role")

    def __init__(self, roles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(role, ROLE_LABELS[role]) for role in roles]
        if self.role.data is None:
            self.role.data = STAFF  # the least a newcomer needs; the inviter raises it on purpose


class RoleForm(FlaskForm):
    role = SelectField("Role")

    def __init__(self, roles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(role, ROLE_LABELS[role]) for role in roles]


class AcceptInvitationForm(FlaskForm):
    """A new user's name and password; an existing user submits it empty (just confirms)."""

    name = StringField("Your name", validators=[DataRequired(), Length(max=120)])
    password = PasswordField("Choose a password", validators=NEW_PASSWORD,
                             description=f"At least {MIN_PASSWORD_LENGTH} characters.")
    password_confirm = PasswordField("Repeat the password",
                                     validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (accepting an invitation as an existing user)."""
