"""Forms of the core module."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, Regexp


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])


class PlatformForm(FlaskForm):
    code = StringField(
        "Code",
        validators=[DataRequired(), Length(min=2, max=40),
                    Regexp(r"^[a-z0-9][a-z0-9-]*$", message="Use lower-case letters, digits and dashes.")],
        description="Short identifier used in addresses and commands, e.g. 'lu'.",
    )
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    hosts = StringField("Hosts", validators=[Length(max=1000)],
                        description="Host names this platform answers on, separated by commas.")
