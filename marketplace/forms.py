"""Shared form pieces: length limits on every text field, clear messages."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovPasswordInput, GovTextInput
from wtforms import DateField, PasswordField, StringField
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


class DateInput(GovDateInput):
    """GOV.UK date input with translated labels, safe with any posted data."""

    LABELS = {"Day": _l("Day"), "Month": _l("Month"), "Year": _l("Year")}

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None  # junk (missing or extra parts): show the inputs empty
        params = super().map_gov_params(field, **kwargs)
        for item in params.get("items", []):
            item["label"] = str(self.LABELS.get(item["label"], item["label"]))
        return params


class RealDateField(DateField):
    """A day, month and year in three inputs; anything else gets one clear message."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", widget=DateInput(), **kwargs)
        self.invalid_message = invalid_message or _l(
            "Enter a real date, with the day, month and year as numbers, like 27 3 2026")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        parts = [part.strip() for part in valuelist]
        if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
            self.data = None
            raise ValueError(str(self.invalid_message))
        try:
            self.data = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError as exc:
            self.data = None
            raise ValueError(str(self.invalid_message)) from exc
        if not 1900 <= self.data.year <= 2100:
            self.data = None
            raise ValueError(str(self.invalid_message))
