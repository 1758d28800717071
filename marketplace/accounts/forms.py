"""Forms for signing in, registering, resetting passwords and acting for someone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp

from marketplace.accounts.roles import SELF_REGISTER_ROLES
from marketplace.forms import email_field, new_password_field


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your password")),
                    Length(max=200, message=_l("Password must be 200 characters or fewer"))],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


ACCOUNT_KINDS = [
    SelectChoice("self_funder",
                 _l("I am buying support for myself or my family with my own money")),
    SelectChoice("provider_staff", _l("I run or work for an organisation that provides support")),
    SelectChoice("community_organiser",
                 _l("I run a free or low-cost community group or activity")),
]
assert [c.value for c in ACCOUNT_KINDS] == [r.value for r in SELF_REGISTER_ROLES]


class RegisterForm(FlaskForm):
    account_kind = RadioField(
        _l("What will you use the marketplace for?"),
        widget=GovRadioInput(),
        choices=ACCOUNT_KINDS,
        validators=[InputRequired(message=_l("Select what you will use the marketplace for"))],
    )
    full_name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter your full name")),
                    Length(max=120, message=_l("Full name must be 120 characters or fewer"))],
    )
    organisation_name = StringField(
        _l("Name of your organisation or group"),
        widget=GovTextInput(),
        description=_l("Only if you provide support or run a community group"),
        validators=[Optional(), Length(max=200, message=_l(
            "Organisation name must be 200 characters or fewer"))],
    )
    email = email_field()
    password = new_password_field()
    confirm = PasswordField(
        _l("Confirm password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Confirm your password")),
                    EqualTo("password", message=_l("The passwords do not match"))],
    )
    submit = SubmitField(_l("Create account"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.account_kind.data in ("provider_staff", "community_organiser") and not (
            (self.organisation_name.data or "").strip()
        ):
            self.organisation_name.errors = [
                *self.organisation_name.errors,
                _l("Enter the name of your organisation or group"),
            ]
            ok = False
        return ok


class ForgottenPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send me a link"), widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Confirm new password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Confirm your new password")),
                    EqualTo("password", message=_l("The passwords do not match"))],
    )
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A form with only a CSRF token and a button (sign out, act for, stop acting)."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


PHONE = Regexp(r"^[0-9 +()\-]{7,20}$",
               message=_l("Enter a telephone number, like 01632 960 001 or 07700 900 982"))


class DetailsForm(FlaskForm):
    phone = StringField(_l("Telephone number"), widget=GovTextInput(),
                        validators=[Optional(), PHONE])
    preferred_contact = SelectField(
        _l("How should people contact you?"),
        widget=GovSelect(),
        choices=[SelectChoice("email", _l("Email")), SelectChoice("phone", _l("Telephone")),
                 SelectChoice("post", _l("Letter")),
                 SelectChoice("representative", _l("Through my representative"))],
        validators=[InputRequired(message=_l("Select how people should contact you"))],
    )
    communication_needs = TextAreaField(
        _l("Anything that helps us communicate with you (optional)"),
        widget=GovTextArea(),
        description=_l("For example: large print, British Sign Language, easy read, "
                       "or a language other than English"),
        validators=[Optional(), Length(max=2000, message=_l(
            "Communication needs must be 2,000 characters or fewer"))],
    )
    postcode = StringField(
        _l("Postcode"), widget=GovTextInput(),
        validators=[Optional(), Regexp(r"^[A-Za-z]{1,2}[0-9][0-9A-Za-z]?\s*[0-9][A-Za-z]{2}$",
                                       message=_l("Enter a real postcode, like HA1 2AB"))],
    )
    submit = SubmitField(_l("Save details"), widget=GovSubmitInput())
