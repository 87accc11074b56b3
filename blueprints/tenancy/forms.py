"""Platform admin forms of the tenancy module; field names equal the model attributes."""
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.tenancy.models import LANGUAGES

LANGUAGE_CHOICES = [SelectChoice("en", "English"), SelectChoice("fr", "Français"), SelectChoice("de", "Deutsch"),
                    SelectChoice("lb", "Lëtzebuergesch")]
COUNTRIES = ["LU", "BE", "DE", "FR", "NL", "AT", "IT", "ES", "PT", "IE", "DK", "SE", "FI", "PL", "CZ", "SK", "SI",
             "HU", "RO", "BG", "HR", "GR", "CY", "MT", "EE", "LV", "LT"]
assert {choice.value for choice in LANGUAGE_CHOICES} == set(LANGUAGES)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MerchantForm(FlaskForm):
    name = StringField("Trading name", validators=[DataRequired(), Length(max=120)])
    legal_name = StringField("Legal name", validators=[Optional(), Length(max=200)],
                             description="As registered (RCS); the trading name when left empty.")
    vat_number = StringField("VAT number", validators=[Optional(), Length(max=20)],
                             description="With the country prefix, e.g. LU15027442. Checked by its check digits.")
    street = StringField("Street and number", validators=[Optional(), Length(max=200)])
    postal_code = StringField("Postal code", validators=[Optional(), Length(max=20)])
    city = StringField("City", validators=[Optional(), Length(max=100)])
    country = SelectField("Country", choices=[SelectChoice(c) for c in COUNTRIES], default="LU")
    contact_email = EmailField("Contact e-mail", validators=[DataRequired(), Email(), Length(max=254)])


class StoreForm(FlaskForm):
    store_code = StringField("Store code", validators=[DataRequired(), Length(max=40)],
                             description="In addresses: /s/<code>/ and /store/<code>/. Lower case, digits, dashes.")
    name = StringField("Store name", validators=[DataRequired(), Length(max=120)])
    default_language = SelectField("Default language", choices=LANGUAGE_CHOICES, default="fr")
    languages = CheckboxesField("Languages", choices=LANGUAGE_CHOICES, default=["fr", "de", "en"])
    owner_email = EmailField("Owner's e-mail", validators=[Optional(), Email(), Length(max=254)],
                             description="They get an invitation to the store admin (unless already the owner).")


class StoreEditForm(FlaskForm):
    name = StringField("Store name", validators=[DataRequired(), Length(max=120)])
    default_language = SelectField("Default language", choices=LANGUAGE_CHOICES)
    languages = CheckboxesField("Languages", choices=LANGUAGE_CHOICES)
    contact_email = EmailField("Contact e-mail", validators=[Optional(), Email(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])


class DomainForm(FlaskForm):
    host = StringField("Domain", validators=[DataRequired(), Length(max=253)],
                       description="e.g. shop.example.lu; it routes once its DNS record is verified.")


class StaffInviteForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    platform_role = SelectField("Role", choices=[SelectChoice("platform_admin", "Platform admin"),
                                                 SelectChoice("super_admin", "Super admin")], default="platform_admin")
