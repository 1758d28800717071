"""Invoicing forms: a query about an invoice, a credit note, billing terms and the
reconciliation period. Buttons (run, approve) use ``accounts.forms.ActionForm``."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from marketplace.forms import RealDateField
from marketplace.invoicing.enums import BillingPeriod
from marketplace.money import MoneyError, format_pence, parse_pounds


def _strip(value):
    return value.strip() if isinstance(value, str) else value


EXPIRED = _l("The form has expired. Copy your message, reload the page and send it again")


class QueryForm(FlaskForm):
    """A message about an invoice, with a one-time key so sending twice stores it once."""

    body = TextAreaField(_l("Your message"), widget=GovTextArea(), filters=[_strip],
                         description=_l("Say what you think is wrong, or answer the query."),
                         validators=[
                             InputRequired(message=_l("Enter your message")),
                             Length(max=2000, message=_l("Your message must be 2,000 "
                                                         "characters or fewer"))])
    query_key = HiddenField(validators=[InputRequired(message=EXPIRED),
                                        Regexp(r"^[A-Za-z0-9_-]{20,64}$", message=EXPIRED)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.query_key.data = secrets.token_urlsafe(24)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.query_key.errors:
            self.query_key.data = secrets.token_urlsafe(24)  # the page offers a good one
        return valid


class CreditNoteForm(FlaskForm):
    amount = StringField(_l("Amount to credit, in pounds"), widget=GovTextInput(),
                         filters=[_strip],
                         description=_l("Including any VAT. It is taken from the latest "
                                        "lines first."),
                         validators=[InputRequired(message=_l("Enter the amount to credit"))])
    reason = TextAreaField(_l("Reason"), widget=GovTextArea(), filters=[_strip], validators=[
        InputRequired(message=_l("Give the reason for the credit note")),
        Length(max=500, message=_l("The reason must be 500 characters or fewer"))])

    def __init__(self, *args, most_pence: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.most_pence = most_pence
        self.pence = None

    def validate_amount(self, field):
        raw = (field.data or "")[:30]
        if raw.lstrip("£ ").startswith("-"):
            raise ValidationError(_l("The amount cannot be negative"))
        try:
            pence = parse_pounds(raw)
        except MoneyError as exc:
            raise ValidationError(_l("Enter an amount in pounds and pence, like 40.00")) \
                from exc
        if pence <= 0:
            raise ValidationError(_l("The amount must be more than £0.00"))
        if pence > self.most_pence:
            raise ValidationError(_l("You can credit at most %(max)s on this invoice",
                                     max=format_pence(self.most_pence)))
        self.pence = pence


class TermsForm(FlaskForm):
    period = RadioField(_l("How often do you want to invoice?"), widget=GovRadioInput(),
                        choices=[SelectChoice(p.value, p.label) for p in BillingPeriod],
                        validators=[InputRequired(message=_l("Choose how often to invoice"))])
    payment_terms_days = StringField(
        _l("Payment terms, in days"), widget=GovTextInput(), filters=[_strip],
        description=_l("How many days after the invoice date payment is due. Leave it "
                       "empty for the council's usual terms."))

    def validate_payment_terms_days(self, field):
        self.days = None
        raw = (field.data or "")[:10]
        if not raw:
            return
        if not raw.isdigit() or int(raw) > 120:
            raise ValidationError(_l("Payment terms must be a whole number of days from 0 "
                                     "to 120"))
        self.days = int(raw)


class PeriodForm(FlaskForm):
    """The reconciliation's period (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    start = RealDateField(_l("Invoices issued from"), validators=[Optional()])
    end = RealDateField(_l("Invoices issued to"), validators=[Optional()])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date must be on or after the start date"))
