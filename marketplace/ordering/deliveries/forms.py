"""Delivery forms: record a visit, mark one missed, answer a record, close a dispute."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from catalogue.fields import ChoiceRadios, TimeOfDayField
from marketplace.forms import RealDateField
from marketplace.ordering.deliveries.models import DisputeOutcome
from marketplace.ordering.deliveries.rules import Problem


def strip(value):
    return value.strip() if isinstance(value, str) else value


PROBLEM_MESSAGES = {
    Problem.DATE_IN_FUTURE: ("occurred_on", _l("The date of the visit must be today or in "
                                               "the past")),
    Problem.END_IN_FUTURE: ("ends_at", _l("The visit cannot end later than now")),
    Problem.BEFORE_START: ("occurred_on", _l("The date must be on or after the day the "
                                             "order starts")),
    Problem.AFTER_END: ("occurred_on", _l("The date must be on or before the day the order "
                                          "ends")),
    Problem.TIMES_NEEDED: ("starts_at", _l("Enter the time the visit started and ended")),
    Problem.END_NOT_AFTER_START: ("ends_at", _l("The end time must be after the start time")),
    Problem.LONGER_THAN_ORDERED: ("ends_at", _l("The visit is longer than the hours ordered "
                                                "for each visit. Ask the person to change "
                                                "the order first")),
    Problem.ALREADY_RECORDED: ("occurred_on", _l("A visit on this date is already recorded "
                                                 "for this service")),
    Problem.NOT_SCHEDULED: ("occurred_on", _l("No visit was scheduled on this date")),
}

_FIRST_NAME = r"^[^\W\d_]+(?:[-' \u2019][^\W\d_]+)*$"


def _line_choice():
    return ChoiceRadios(_l("Which service?"), choices=[],
                        validators=[InputRequired(message=_l("Select the service"))],
                        message=_l("Select the service"))


def _date(label):
    return RealDateField(label, validators=[InputRequired(message=_l("Enter the date"))])


def show_problems(form, problems) -> None:
    for problem in problems:
        name, message = PROBLEM_MESSAGES[problem]
        field = getattr(form, name)
        field.errors = [*field.errors, message]


class VisitForm(FlaskForm):
    line = _line_choice()
    occurred_on = _date(_l("Date of the visit"))
    starts_at = TimeOfDayField(_l("Start time"), description=_l("For example, 09:00"),
                               validators=[InputRequired(message=_l("Enter the start time"))])
    ends_at = TimeOfDayField(_l("End time"), description=_l("For example, 12:30"),
                             validators=[InputRequired(message=_l("Enter the end time"))])
    worker_first_name = StringField(
        _l("Worker's first name"),
        description=_l("First name only: the person knows who came, nobody else needs more"),
        widget=GovTextInput(), filters=[strip], validators=[
            DataRequired(message=_l("Enter the worker's first name")),
            Length(max=40, message=_l("The first name must be 40 characters or fewer")),
            Regexp(_FIRST_NAME, message=_l("Enter a first name only, in letters"))])
    notes = TextAreaField(_l("Notes (optional)"), widget=GovTextArea(), validators=[
        Optional(), Length(max=2000, message=_l("The notes must be 2,000 characters or "
                                                "fewer"))])


class MissedForm(FlaskForm):
    line = _line_choice()
    occurred_on = _date(_l("Date of the missed visit"))
    reason = TextAreaField(_l("Why was it missed?"), widget=GovTextArea(), filters=[strip],
                           validators=[
        DataRequired(message=_l("Enter why the visit was missed")),
        Length(max=1000, message=_l("The reason must be 1,000 characters or fewer"))])


RESPONSES = [SelectChoice("confirm", _l("Yes, it happened as recorded")),
             SelectChoice("dispute", _l("No, I want to dispute it"))]


class AnswerForm(FlaskForm):
    response = ChoiceRadios(
        _l("Did this visit happen as recorded?"), choices=RESPONSES,
        validators=[InputRequired(message=_l("Select yes or no"))],
        message=_l("Select yes or no"))
    reason = TextAreaField(
        _l("What was wrong with it?"),
        description=_l("Only if you dispute it. The provider and the council see this."),
        widget=GovTextArea(), validators=[
            Optional(), Length(max=1000, message=_l("The reason must be 1,000 characters "
                                                    "or fewer"))])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.response.data == "dispute" and not (self.reason.data or "").strip():
            self.reason.errors = [*self.reason.errors,
                                  _l("Enter what was wrong with the visit")]
            valid = False
        return valid


class ResolveForm(FlaskForm):
    outcome = ChoiceRadios(
        _l("What is the outcome?"),
        choices=[SelectChoice(o.value, o.label) for o in DisputeOutcome],
        validators=[InputRequired(message=_l("Select the outcome"))],
        message=_l("Select the outcome"))
    resolution = TextAreaField(
        _l("What was found or done"), description=_l("The person sees this."),
        widget=GovTextArea(), filters=[strip], validators=[
            DataRequired(message=_l("Enter what was found or done")),
            Length(max=1000, message=_l("This must be 1,000 characters or fewer"))])
