"""Support plan forms: the person's side (outcomes, spending, risks) and the council's
(decisions and reviews)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from catalogue.fields import ChoiceRadios, ChoiceSelect, PoundsField
from catalogue.taxonomy import TOP_LEVEL, Outcome
from marketplace.budgets.plans.models import Decision, ReviewResult
from marketplace.forms import RealDateField

MAX_PLAN_LINE_PENCE = 25_000_000  # £250,000 for one line of a year's plan
SPEND_ROWS = 3


class AmountField(PoundsField):
    """An amount of a plan in pounds; ``pence`` holds the parsed amount."""

    max_pence = MAX_PLAN_LINE_PENCE
    invalid_message = _l("Enter an amount in pounds and pence, like 1200.00")
    too_large_message = _l("The amount must be £250,000 or less")
    allow_zero = False


def _text(label, required, limit=2000, description=None):
    return TextAreaField(label, widget=GovTextArea(), description=description, validators=[
        InputRequired(message=required),
        Length(max=limit, message=_l("This must be %(n)d characters or fewer", n=limit))])


class NewPlanForm(FlaskForm):
    title = StringField(
        _l("Name of the plan"), widget=GovTextInput(),
        description=_l("For example, My support plan 2026 to 2027"),
        validators=[InputRequired(message=_l("Enter a name for the plan")),
                    Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    budget = ChoiceRadios(_l("Which budget is this plan for?"), choices=[],
                          message=_l("Select a budget from the list"))
    submit = SubmitField(_l("Start the plan"), widget=GovSubmitInput())


CATEGORY_CHOICES = [SelectChoice("", _l("Choose a kind of support"))] + [
    SelectChoice(c.slug, c.name) for c in TOP_LEVEL]


class OutcomeForm(FlaskForm):
    domain = ChoiceRadios(
        _l("Which part of your life is this about?"),
        choices=[SelectChoice(o.value, o.label) for o in Outcome],
        message=_l("Select the part of your life this outcome is about"))
    what_i_want = _text(_l("What do you want to achieve?"),
                        _l("Enter what you want to achieve"),
                        description=_l("In your own words, for example: get out to the "
                                       "allotment twice a week"))
    what_i_will_do = _text(_l("What will you do, and what support will you use?"),
                           _l("Enter what you will do"))
    submit = SubmitField(_l("Add this outcome"), widget=GovSubmitInput())

    def spend_rows(self):
        return [(self[f"category_{n}"], self[f"amount_{n}"]) for n in range(1, SPEND_ROWS + 1)]

    def spend(self) -> list[tuple[str, int]]:
        return [(c.data, a.pence) for c, a in self.spend_rows() if c.data and a.pence]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for category, amount in self.spend_rows():
            if category.data and not amount.errors and not amount.pence:
                amount.errors = [*amount.errors, _l("Enter how much you plan to spend on it")]
                ok = False
            if amount.pence and not category.data and not category.errors:
                category.errors = [*category.errors, _l("Choose the kind of support this "
                                                        "money is for")]
                ok = False
        return ok


for _n in range(1, SPEND_ROWS + 1):
    setattr(OutcomeForm, f"category_{_n}", ChoiceSelect(
        _l("Kind of support (%(n)d)", n=_n), widget=GovSelect(), choices=CATEGORY_CHOICES,
        message=_l("Choose a kind of support from the list"), validators=[Optional()]))
    setattr(OutcomeForm, f"amount_{_n}", AmountField(
        _l("Planned spending for the year, in pounds (%(n)d)", n=_n),
        validators=[Optional()]))


class RiskForm(FlaskForm):
    risk = _text(_l("What could go wrong?"), _l("Enter the risk"),
                 description=_l("For example: my personal assistant is ill and cannot come"))
    how_managed = _text(_l("How will it be managed?"), _l("Enter how the risk will be managed"))
    submit = SubmitField(_l("Add this risk"), widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    decision = ChoiceRadios(
        _l("Your decision"),
        choices=[SelectChoice(Decision.AGREED.value, _l("Agree the plan")),
                 SelectChoice(Decision.CHANGES_REQUESTED.value, _l("Ask for changes")),
                 SelectChoice(Decision.REFUSED.value, _l("Refuse the plan"))],
        message=_l("Select agree, ask for changes or refuse"))
    reason = TextAreaField(
        _l("Reasons"), widget=GovTextArea(),
        description=_l("Needed when you ask for changes or refuse. The person and anyone "
                       "acting for them will see this."),
        validators=[Length(max=2000, message=_l(
            "The reasons must be 2,000 characters or fewer"))])
    first_review_on = RealDateField(
        _l("First review date (if agreed)"),
        description=_l("6 to 8 weeks from today. Leave empty for 6 weeks from today."),
        validators=[Optional()])
    submit = SubmitField(_l("Record the decision"), widget=GovSubmitInput())

    def validate_reason(self, field):
        if self.decision.data in (Decision.CHANGES_REQUESTED.value, Decision.REFUSED.value) \
                and not (field.data or "").strip():
            raise ValidationError(_l("Give the reasons, so the person knows what to do next"))


RESULT_CHOICES = [SelectChoice(r.value, r.label) for r in ReviewResult]


def review_form_class(domains: list[Outcome]):
    """A review form with one better/same/worse question for each outcome domain."""

    class ReviewForm(FlaskForm):
        reviewed_on = RealDateField(_l("Date of the review"),
                                    validators=[InputRequired(message=_l(
                                        "Enter the date of the review"))])
        notes = TextAreaField(_l("Notes (optional)"), widget=GovTextArea(), validators=[
            Optional(), Length(max=5000, message=_l("The notes must be 5,000 characters or "
                                                    "fewer"))])
        submit = SubmitField(_l("Record the review"), widget=GovSubmitInput())

        def result_fields(self):
            return [(d, self[f"result_{d.value}"]) for d in domains]

        def results(self) -> dict[Outcome, ReviewResult]:
            return {d: ReviewResult(f.data) for d, f in self.result_fields()}

    for domain in domains:
        setattr(ReviewForm, f"result_{domain.value}", ChoiceRadios(
            _l("%(domain)s: how did it go?", domain=domain.label), choices=RESULT_CHOICES,
            message=_l("Select better, the same or worse for %(domain)s",
                       domain=domain.label)))
    return ReviewForm
