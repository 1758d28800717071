"""Shared form pieces: length limits on every text field, clear messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import PasswordField, StringField
from wtforms.validators import Email, InputRequired, Length


def email_field(label=None, **kwargs):
    return StringField(
        label or _l("Email address"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter an email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(message=_l("Enter an email address in the correct format, like "
                             "name@example.com"), check_deliverability=False),
        ],
        **kwargs,
    )


def new_password_field(label=None):
    return PasswordField(
        label or _l("Create a password"),
        widget=GovPasswordInput(),
        description=_l("At least 10 characters. A few random words make a good password."),
        validators=[
            InputRequired(message=_l("Enter a password")),
            Length(min=10, message=_l("Password must be at least 10 characters")),
            Length(max=200, message=_l("Password must be 200 characters or fewer")),
        ],
    )
