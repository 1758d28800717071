"""Council back-office forms for budgets: details, amounts, challenges, money received
and corrections. Every field answers junk with one clear, translated message."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from catalogue.fields import ChoiceRadios, ChoiceSelect, PoundsField, WholeNumberField
from catalogue.taxonomy import FundingStream
from marketplace.budgets.enums import (
    BudgetKind,
    ChallengeDecision,
    ClientGroup,
    ContributionBasis,
    ContributionMethod,
    HoldingMethod,
    PaymentFrequency,
)
from marketplace.budgets.models import MAX_BUDGET_PENCE
from marketplace.forms import RealDateField
from marketplace.money import format_pence
from marketplace.security import today

EARLIEST_BIRTH_YEAR = 1900


def _choices(enum_cls, skip=()) -> list[SelectChoice]:
    return [SelectChoice(m.value, m.label) for m in enum_cls if m not in skip]


class BudgetPoundsField(PoundsField):
    """An amount of a budget in pounds and pence: ``pence`` is the amount (or None)."""

    max_pence = MAX_BUDGET_PENCE
    invalid_message = _l("Enter an amount in pounds and pence, like 1250.00")
    too_large_message = _l("The amount must be %(max)s or less",
                           max=format_pence(MAX_BUDGET_PENCE))


_PERCENT = re.compile(r"^(\d{1,3})(?:\.(\d{1,2}))?\s*%?$")


class PercentField(StringField):
    """A percentage like 25 or 12.5; ``basis_points`` is it in hundredths of a per cent."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("widget", GovTextInput())
        super().__init__(label, validators, **kwargs)
        self.basis_points: int | None = None

    def pre_validate(self, form):
        self.basis_points = None
        raw = (self.data or "").strip()
        if not raw:
            return
        match = _PERCENT.match(raw[:10]) if len(raw) <= 10 else None
        if not match:
            raise ValidationError(_l("Enter a percentage between 0.01 and 100, like 25"))
        points = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
        if not 0 < points <= 10000:
            raise ValidationError(_l("Enter a percentage between 0.01 and 100, like 25"))
        self.basis_points = points

    def _value(self):
        return (self.raw_data[0][:20] if self.raw_data else self.data) or ""


class BudgetDetailsForm(FlaskForm):
    """What a budget is, its period, payment schedule and the person's contribution."""

    name = StringField(_l("Name of the budget"), widget=GovTextInput(),
                       description=_l("For example, Personal budget 2026 to 2027"),
                       validators=[InputRequired(message=_l("Enter the name of the budget")),
                                   Length(max=120, message=_l(
                                       "The name must be 120 characters or fewer"))])
    kind = ChoiceRadios(_l("Kind of budget"), choices=_choices(BudgetKind),
                        message=_l("Choose the kind of budget"))
    nhs_body = StringField(_l("NHS body (for a personal health budget)"),
                           widget=GovTextInput(), validators=[Optional(), Length(
                               max=200, message=_l("The NHS body must be 200 characters or "
                                                   "fewer"))])
    period_starts_on = RealDateField(
        _l("First day of the period"), description=_l("Usually 1 4 and the year"),
        validators=[InputRequired(message=_l("Enter the first day of the period"))])
    period_ends_on = RealDateField(
        _l("Last day of the period"), description=_l("Usually 31 3 of the next year"),
        validators=[InputRequired(message=_l("Enter the last day of the period"))])
    payment_frequency = ChoiceSelect(
        _l("How often the money is paid"), widget=GovSelect(),
        choices=_choices(PaymentFrequency),
        message=_l("Choose how often the money is paid"))
    instalment = BudgetPoundsField(
        _l("Each payment, in pounds (optional)"),
        description=_l("Leave empty to spread the budget evenly over the payments"))
    first_payment_on = RealDateField(_l("Date of the first payment (optional)"),
                                     validators=[Optional()])
    contribution_basis = ChoiceRadios(_l("The person's assessed contribution"),
                                      choices=_choices(ContributionBasis),
                                      message=_l("Choose the kind of contribution"))
    contribution_weekly = BudgetPoundsField(_l("Contribution each week, in pounds"))
    contribution_percent = PercentField(_l("Contribution as a percentage of the cost"))
    contribution_method = ChoiceRadios(
        _l("How the contribution is paid"), choices=_choices(ContributionMethod),
        validators=[Optional()], message=_l("Choose how the contribution is paid"))
    # About the person, for commissioners' counts by group and age (optional).
    client_group = ChoiceSelect(
        _l("Primary support reason (optional)"), widget=GovSelect(),
        choices=[SelectChoice("", _l("Not recorded"))] + _choices(ClientGroup), default="",
        description=_l("The main reason the person needs support, as the council reports "
                       "it"), message=_l("Choose a primary support reason from the list"))
    birth_year = WholeNumberField(
        _l("Year of birth (optional)"), description=_l("For example, 1948"),
        invalid_message=_l("Enter the year of birth as a whole number, like 1948"),
        validators=[Optional()])
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate_birth_year(self, field):
        if field.data is None:
            return
        if field.data < EARLIEST_BIRTH_YEAR:
            raise ValidationError(_l("The year of birth must be %(year)d or later",
                                     year=EARLIEST_BIRTH_YEAR))
        if field.data > today().year:
            raise ValidationError(_l("The year of birth cannot be in the future"))

    @property
    def chosen_client_group(self) -> ClientGroup | None:
        return ClientGroup(self.client_group.data) if self.client_group.data else None

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not ok:
            return False
        if self.period_ends_on.data <= self.period_starts_on.data:
            self.period_ends_on.errors = [_l("The period must end after it starts")]
            return False
        basis = ContributionBasis(self.contribution_basis.data)
        if basis is ContributionBasis.WEEKLY_AMOUNT and not self.contribution_weekly.pence:
            self.contribution_weekly.errors = [_l("Enter the weekly contribution")]
            return False
        if basis is ContributionBasis.PERCENTAGE and self.contribution_percent.basis_points \
                is None:
            self.contribution_percent.errors = [_l("Enter the percentage")]
            return False
        if basis is not ContributionBasis.NONE and not self.contribution_method.data:
            self.contribution_method.errors = [_l("Choose how the contribution is paid")]
            return False
        return True


class NewBudgetForm(BudgetDetailsForm):
    """A new budget: its details, and the indicative amount with one stream and one way
    of holding it (a mix is set on the amounts page afterwards)."""

    amount = BudgetPoundsField(_l("Indicative amount for the period, in pounds"),
                               validators=[InputRequired(message=_l(
                                   "Enter the indicative amount"))])
    stream = ChoiceSelect(_l("Funding stream"), widget=GovSelect(),
                          choices=_choices(FundingStream),
                          message=_l("Choose the funding stream"))
    method = ChoiceRadios(_l("How the money is held"), choices=_choices(HoldingMethod),
                          message=_l("Choose how the money is held"))
    held_by = StringField(
        _l("Organisation or provider that holds it"), widget=GovTextInput(),
        description=_l("For a managed account or an Individual Service Fund: its name"),
        validators=[Optional(), Length(max=200, message=_l(
            "The name must be 200 characters or fewer"))])
    submit = SubmitField(_l("Create the budget"), widget=GovSubmitInput())


class AmountsForm(FlaskForm):
    """The amount, whether it is agreed, the streams' shares and how it is held."""

    amount = BudgetPoundsField(_l("Amount for the period, in pounds"),
                               validators=[InputRequired(message=_l("Enter the amount"))])
    agreed = ChoiceRadios(_l("Is this amount agreed?"), choices=[
        SelectChoice("yes", _l("Yes, it is agreed")),
        SelectChoice("no", _l("No, it is still indicative"))],
        message=_l("Say whether the amount is agreed"))
    managed_by = StringField(_l("Organisation that holds the managed account"),
                             widget=GovTextInput(), validators=[Optional(), Length(
                                 max=200, message=_l("The name must be 200 characters or "
                                                     "fewer"))])
    isf_provider = StringField(_l("Provider that holds the Individual Service Fund"),
                               widget=GovTextInput(), validators=[Optional(), Length(
                                   max=200, message=_l("The name must be 200 characters or "
                                                       "fewer"))])
    submit = SubmitField(_l("Save the amounts"), widget=GovSubmitInput())

    def stream_fields(self):
        return [(stream, self[f"share_{stream.value}"]) for stream in FundingStream]

    def holding_fields(self):
        return [(method, self[f"held_{method.value}"]) for method in HoldingMethod]


for _stream in FundingStream:
    setattr(AmountsForm, f"share_{_stream.value}", BudgetPoundsField(
        _l("%(stream)s, in pounds", stream=_stream.label)))
for _method in HoldingMethod:
    setattr(AmountsForm, f"held_{_method.value}", BudgetPoundsField(
        _l("%(method)s, in pounds", method=_method.label)))


class ChallengeForm(FlaskForm):
    raised_on = RealDateField(_l("Date of the challenge"),
                              validators=[InputRequired(message=_l(
                                  "Enter the date of the challenge"))])
    raised_by = StringField(_l("Who challenged it"), widget=GovTextInput(),
                            description=_l("For example, the person, or their daughter"),
                            validators=[InputRequired(message=_l("Say who challenged it")),
                                        Length(max=120, message=_l(
                                            "This must be 120 characters or fewer"))])
    grounds = TextAreaField(_l("What was challenged, and why"), widget=GovTextArea(),
                            validators=[InputRequired(message=_l(
                                "Enter the grounds for the challenge")),
                                Length(max=2000, message=_l(
                                    "The grounds must be 2,000 characters or fewer"))])
    requested = BudgetPoundsField(_l("Amount asked for, in pounds (optional)"))
    submit = SubmitField(_l("Record the challenge"), widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    decision = ChoiceRadios(_l("Decision"), choices=_choices(
        ChallengeDecision, skip=(ChallengeDecision.PENDING,)),
        message=_l("Choose the decision"))
    decided_on = RealDateField(_l("Date of the decision"),
                               validators=[InputRequired(message=_l(
                                   "Enter the date of the decision"))])
    new_amount = BudgetPoundsField(_l("New indicative amount, in pounds"),
                                   description=_l("Only if the challenge was upheld"))
    reason = TextAreaField(_l("Reason for the decision"), widget=GovTextArea(),
                           validators=[InputRequired(message=_l(
                               "Enter the reason for the decision")),
                               Length(max=2000, message=_l(
                                   "The reason must be 2,000 characters or fewer"))])
    submit = SubmitField(_l("Record the decision"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and ChallengeDecision(self.decision.data).changes_amount and \
                self.new_amount.pence is None:
            self.new_amount.errors = [_l("Enter the new indicative amount")]
            return False
        return ok


class MoneyReceivedForm(FlaskForm):
    source = ChoiceRadios(_l("Who paid it"), choices=[
        SelectChoice("instalment", _l("The council or NHS (a payment of the budget)")),
        SelectChoice("contribution", _l("The person (their own contribution)"))],
        message=_l("Say who paid it"))
    stream = ChoiceSelect(_l("Funding stream"), widget=GovSelect(), choices=[],
                          message=_l("Choose the funding stream"))
    amount = BudgetPoundsField(_l("Amount, in pounds"),
                               validators=[InputRequired(message=_l("Enter the amount"))])
    received_on = RealDateField(_l("Date received"),
                                validators=[InputRequired(message=_l(
                                    "Enter the date it was received"))])
    submission = HiddenField(validators=[
        InputRequired(message=_l("This form has expired: open it again and resend it")),
        Regexp(r"^[A-Za-z0-9_-]{16,64}$",
               message=_l("This form has expired: open it again and resend it"))])
    note = StringField(_l("Note (optional)"), widget=GovTextInput(),
                       validators=[Optional(), Length(max=500, message=_l(
                           "The note must be 500 characters or fewer"))])
    submit = SubmitField(_l("Record the money received"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and not self.amount.pence:
            self.amount.errors = [_l("The amount must be more than £0.00")]
            return False
        return ok


class CorrectionForm(FlaskForm):
    reason = TextAreaField(_l("Why is this entry being corrected?"), widget=GovTextArea(),
                           description=_l("The entry is reversed by a new one with this "
                                          "reason; nothing is deleted"),
                           validators=[InputRequired(message=_l(
                               "Enter the reason for the correction")),
                               Length(max=500, message=_l(
                                   "The reason must be 500 characters or fewer"))])
    submit = SubmitField(_l("Reverse this entry"), widget=GovSubmitInput())
