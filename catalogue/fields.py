"""Form fields for the storefront and council screens: clear, translated messages for
any input (never WTForms' own English), and GOV.UK widgets."""

from __future__ import annotations

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovTextInput,
)
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import ValidationError

from marketplace.money import MoneyError, parse_pounds

MAX_PRICE_PENCE = 1_000_000  # £10,000 a unit: anything above is a typing mistake


class WholeNumberField(IntegerField):
    """A whole number typed into a text box (GOV.UK advises against type=number)."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        kwargs.setdefault("widget", GovTextInput())
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a whole number, like 3")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = (valuelist[0] or "").strip()
        if not raw:
            self.data = None
            return
        if not re.fullmatch(r"-?\d{1,9}", raw):
            self.data = None
            raise ValueError(str(self.invalid_message))
        self.data = int(raw)


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?:\s*([ap])\.?m\.?)?$", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """'9', '9:30', '09.30', '17:30', '5pm', '5.30pm' -> a time; None if not a time."""
    match = _TIME.match((text or "").strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class TimeOfDayField(StringField):
    """A time of day in a text box: '09:00', '9.30', '5pm'."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        kwargs.setdefault("widget", GovTextInput())
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a time like 09:00 or 17:30")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = (valuelist[0] or "").strip()
        if not raw:
            self.data = None
            return
        self.data = parse_time(raw[:20]) if len(raw) <= 20 else None
        if self.data is None:
            raise ValueError(str(self.invalid_message))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0][:20]
        return self.data.strftime("%H:%M") if self.data else ""


class PoundsField(StringField):
    """An amount in pounds and pence; ``data`` is the text, ``pence`` the amount.
    Subclasses set their own ceiling and wording (budgets and plans hold larger sums)."""

    max_pence = MAX_PRICE_PENCE
    invalid_message = _l("Enter an amount in pounds and pence, like 24.50")
    too_large_message = _l("The amount must be £10,000 or less")
    allow_zero = True

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("widget", GovTextInput())
        super().__init__(label, validators, **kwargs)
        self.pence: int | None = None

    def pre_validate(self, form):
        self.pence = None
        raw = (self.data or "").strip()
        if not raw:
            return
        if raw.lstrip("£ ").startswith("-"):
            raise ValidationError(_l("The amount cannot be negative"))
        try:
            pence = parse_pounds(raw[:30])
        except MoneyError as exc:
            raise ValidationError(self.invalid_message) from exc
        if pence == 0 and not self.allow_zero:
            raise ValidationError(_l("The amount must be more than £0"))
        if pence > self.max_pence:
            raise ValidationError(self.too_large_message)
        self.pence = pence

    def _value(self):
        return (self.raw_data[0][:40] if self.raw_data else self.data) or ""


class ChoiceRadios(RadioField):
    """Radios whose one message covers both nothing chosen and a value not offered."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        kwargs.setdefault("widget", GovRadioInput())
        super().__init__(label, validators, invalid_choice_message=message, **kwargs)


class ChoiceSelect(SelectField):
    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, invalid_choice_message=message, **kwargs)


class Checkboxes(SelectMultipleField):
    """Several checkboxes; anything not offered gets one plain message."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        kwargs.setdefault("widget", GovCheckboxesInput())
        super().__init__(label, validators, **kwargs)
        self.message = message or _l("Select only from the options shown")

    def pre_validate(self, form):
        offered = {str(choice.value) for choice in self._iter_choices_normalized()}
        if any(str(value) not in offered for value in self.data or []):
            raise ValidationError(self.message)
