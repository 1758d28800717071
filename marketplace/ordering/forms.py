"""Ordering forms: a basket line's schedule, checkout's way to pay for each provider,
and the reasons people give for decisions."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from catalogue.fields import Checkboxes, ChoiceRadios, PoundsField, TimeOfDayField
from catalogue.models import Unit
from catalogue.taxonomy import WEEKDAYS
from marketplace.forms import RealDateField
from marketplace.ordering.rules import LineProblem, max_units_per_visit
from marketplace.ordering.schedule import ScheduleKind

_QUANTITY = re.compile(r"^\d{1,6}(?:\.\d{1,2})?$")


class QuantityField(StringField):
    """A number of units with up to two decimal places; ``hundredths`` is the amount."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("widget", GovTextInput())
        super().__init__(label, validators, **kwargs)
        self.hundredths: int | None = None

    def pre_validate(self, form):
        self.hundredths = None
        raw = (self.data or "").strip()
        if not raw:
            raise ValidationError(_l("Enter how many, like 2 or 1.5"))
        if not _QUANTITY.match(raw[:12]):
            raise ValidationError(_l("Enter a number, like 2 or 1.5"))
        try:
            self.hundredths = int(Decimal(raw) * 100)
        except InvalidOperation as exc:
            raise ValidationError(_l("Enter a number, like 2 or 1.5")) from exc

    def _value(self):
        return (self.raw_data[0][:20] if self.raw_data else self.data) or ""


LINE_MESSAGES = {
    LineProblem.QUANTITY_ZERO: _l("Enter a number more than 0"),
    LineProblem.START_IN_PAST: _l("The start date must be today or in the future"),
    LineProblem.START_TOO_FAR: _l("The start date must be within a year from today"),
    LineProblem.END_BEFORE_START: _l("The end date must be the same as or after the start date"),
    LineProblem.TOO_LONG: _l("An order can last up to 3 years. Leave the end date empty if "
                             "it has no end"),
    LineProblem.NO_DAYS: _l("Select the days of the week you want support"),
    LineProblem.TIMES_NEEDED: _l("Enter the time each visit starts and ends"),
    LineProblem.TIMES_IN_ORDER: _l("The end time must be after the start time"),
    LineProblem.HOURS_OVER_TIMES: _l("The hours for each visit cannot be more than the time "
                                     "between the start and end times"),
}


def line_message(problem: LineProblem, unit: Unit, min_units: int):
    if problem is LineProblem.QUANTITY_TOO_LARGE:
        return _l("Enter %(max)d or fewer for each visit", max=max_units_per_visit(unit))
    if problem is LineProblem.BELOW_MINIMUM:
        return _l("This provider's minimum booking is %(min)d a week or a visit", min=min_units)
    return LINE_MESSAGES[problem]


class LineForm(FlaskForm):
    kind = ChoiceRadios(
        _l("How often do you want it?"),
        choices=[SelectChoice(ScheduleKind.RECURRING.value, _l("Every week, on set days")),
                 SelectChoice(ScheduleKind.ONE_OFF.value, _l("Once, on one date"))],
        validators=[InputRequired(message=_l("Select how often you want it"))],
        message=_l("Select how often you want it"))
    starts_on = RealDateField(
        _l("Start date (or the date, if it is once)"),
        validators=[InputRequired(message=_l("Enter the start date"))])
    ends_on = RealDateField(
        _l("End date (optional)"),
        description=_l("Leave this empty if the support has no end date. Only for weekly "
                       "support."),
        validators=[Optional()])
    weekdays = Checkboxes(
        _l("Which days? (weekly support only)"),
        choices=[SelectChoice(str(day), name) for day, name in WEEKDAYS.items()],
        validators=[Optional()], message=_l("Select days from the list"))
    start_time = TimeOfDayField(_l("Start time"), description=_l("For example, 09:00"),
                                validators=[Optional()])
    end_time = TimeOfDayField(_l("End time"), description=_l("For example, 12:30"),
                              validators=[Optional()])
    quantity = QuantityField(_l("How many each visit"))

    def __init__(self, *args, unit: Unit = Unit.HOUR, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = Unit(unit)
        if self.unit is Unit.HOUR:
            self.quantity.label.text = _l("Hours each visit")
            self.quantity.description = _l("For example, 2 or 1.5")

    @property
    def recurring(self) -> bool:
        return self.kind.data == ScheduleKind.RECURRING.value

    @property
    def weekday_numbers(self) -> list[int]:
        return sorted({int(d) for d in (self.weekdays.data or []) if str(d).isdigit()})


def _reason(label, required_message):
    return TextAreaField(label, widget=GovTextArea(), validators=[
        InputRequired(message=required_message),
        Length(max=1000, message=_l("The reason must be 1,000 characters or fewer"))])


class ReasonForm(FlaskForm):
    """A decision with a reason (decline, reject, cancel)."""

    reason = _reason(_l("Reason"), _l("Enter the reason"))


class CancelForm(FlaskForm):
    sure = ChoiceRadios(
        _l("Are you sure you want to cancel this order?"),
        choices=[SelectChoice("yes", _l("Yes, cancel it")), SelectChoice("no", _l("No, keep it"))],
        validators=[InputRequired(message=_l("Select yes to cancel the order, or no to keep it"))],
        message=_l("Select yes to cancel the order, or no to keep it"))
    reason = TextAreaField(_l("Why are you cancelling? (optional until the provider has "
                              "accepted)"), widget=GovTextArea(), validators=[
        Optional(), Length(max=1000, message=_l("The reason must be 1,000 characters or fewer"))])


class DecisionForm(FlaskForm):
    """Accept or decline (provider), approve or reject (council): one choice, a reason."""

    decision = ChoiceRadios(_l("Your decision"), choices=[],
                            validators=[InputRequired(message=_l("Select your decision"))],
                            message=_l("Select your decision"))
    reason = TextAreaField(_l("Reason"), widget=GovTextArea(), description=_l(
        "The person sees this. Required when you say no."), validators=[
        Optional(), Length(max=1000, message=_l("The reason must be 1,000 characters or fewer"))])

    def __init__(self, *args, choices=(), refuse_value: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = list(choices)
        self.refuse_value = refuse_value

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.decision.data == self.refuse_value and not (self.reason.data or "").strip():
            self.reason.errors = [*self.reason.errors,
                                  _l("Enter the reason, so the person knows why")]
            valid = False
        return valid


def checkout_form(groups, options_by_provider):
    """A form with, for each provider, a choice of how to pay and an optional
    contribution (for a split). ``options_by_provider``: provider id -> [SelectChoice]."""

    class CheckoutForm(FlaskForm):
        pass

    for group in groups:
        options = options_by_provider[group.provider_id]
        setattr(CheckoutForm, f"pay_{group.provider_id}", ChoiceRadios(
            _l("How will you pay %(provider)s?", provider=group.provider_name),
            choices=options,
            validators=[InputRequired(message=_l("Select how you will pay %(provider)s",
                                                 provider=group.provider_name))],
            message=_l("Select how you will pay %(provider)s", provider=group.provider_name)))
        setattr(CheckoutForm, f"contribution_{group.provider_id}", PoundsField(
            _l("How much of the total will you pay yourself?"),
            description=_l("Only if you split the cost. In pounds, like 25.00"),
            validators=[Optional()]))
    return CheckoutForm


class ConfirmForm(FlaskForm):
    """Check answers: the checkout key travels with the form, so the same submission
    sent twice places its orders once."""

    checkout_key = StringField(validators=[InputRequired(), Length(min=16, max=64)])


# --- changes to an order (ordering.changes) ------------------------------------------

def _optional_text(label, description=None):
    return TextAreaField(label, widget=GovTextArea(), description=description, validators=[
        Optional(), Length(max=1000, message=_l("This must be 1,000 characters or fewer"))])


class ChangeForm(FlaskForm):
    """A new weekly pattern for one weekly part of an order, from a date."""

    line = ChoiceRadios(_l("Which support do you want to change?"), choices=[],
                        validators=[Optional()],
                        message=_l("Select the support you want to change"))
    starts_on = RealDateField(_l("Change from"), description=_l("For example, 27 3 2027"),
                              validators=[InputRequired(message=_l(
                                  "Enter the date the change starts"))])
    weekdays = Checkboxes(
        _l("Which days?"),
        choices=[SelectChoice(str(day), name) for day, name in WEEKDAYS.items()],
        validators=[Optional()], message=_l("Select days from the list"))
    start_time = TimeOfDayField(_l("Start time"), description=_l("For example, 09:00"),
                                validators=[Optional()])
    end_time = TimeOfDayField(_l("End time"), description=_l("For example, 12:30"),
                              validators=[Optional()])
    quantity = QuantityField(_l("How many each visit"))
    note = _optional_text(_l("Anything the provider should know (optional)"))

    def __init__(self, *args, unit: Unit = Unit.HOUR, **kwargs):
        super().__init__(*args, **kwargs)
        if Unit(unit) is Unit.HOUR:
            self.quantity.label.text = _l("Hours each visit")

    @property
    def weekday_numbers(self) -> list[int]:
        return sorted({int(d) for d in (self.weekdays.data or []) if str(d).isdigit()})


class PauseForm(FlaskForm):
    resumes_on = RealDateField(
        _l("When should support start again? (optional)"),
        description=_l("Leave this empty if you do not know yet: you can restart it "
                       "yourself. For example, 27 3 2027"), validators=[Optional()])
    reason = _reason(_l("Why are you pausing it?"), _l("Enter why you are pausing it"))


class NoticeForm(FlaskForm):
    sure = ChoiceRadios(
        _l("Are you sure you want to cancel this support?"),
        choices=[SelectChoice("yes", _l("Yes, give notice")),
                 SelectChoice("no", _l("No, keep it"))],
        validators=[InputRequired(message=_l("Select yes to give notice, or no to keep it"))],
        message=_l("Select yes to give notice, or no to keep it"))
    reason = _reason(_l("Why are you cancelling?"),
                     _l("Enter the reason, so the provider knows why"))


class MoveForm(FlaskForm):
    service = ChoiceRadios(_l("Which provider's service do you want instead?"), choices=[],
                           validators=[InputRequired(message=_l("Select a service"))],
                           message=_l("Select a service from the list"))
    last_day = RealDateField(
        _l("Last day with the current provider"),
        description=_l("The new provider starts the next day. For example, 27 3 2027"),
        validators=[InputRequired(message=_l("Enter the last day with the current "
                                             "provider"))])


class ThresholdForm(FlaskForm):
    use = ChoiceRadios(
        _l("Which orders need an officer's approval because of their cost?"),
        choices=[SelectChoice("site", _l("Use the site's setting")),
                 SelectChoice("amount", _l("Orders above an amount I set")),
                 SelectChoice("none", _l("None: no limit"))],
        validators=[InputRequired(message=_l("Select which orders need approval"))],
        message=_l("Select which orders need approval"))
    threshold = PoundsField(_l("The amount"), description=_l("In pounds, like 5000.00"),
                            validators=[Optional()])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and self.use.data == "amount" and not self.threshold.pence:
            self.threshold.errors = [*self.threshold.errors,
                                     _l("Enter an amount more than £0, like 5000.00")]
            valid = False
        return valid

    @property
    def pence(self) -> int | None:
        """What to store: None for the site's setting, 0 for no limit."""
        return {"site": None, "none": 0}.get(self.use.data, self.threshold.pence)
