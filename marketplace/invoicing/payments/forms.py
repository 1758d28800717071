"""Forms of the payments screens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextInput
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from marketplace.forms import RealDateField
from marketplace.invoicing.payments import bank


class BankDetailsForm(FlaskForm):
    account_name = StringField(
        _l("Name on the account"), widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter the name on the account")),
                    Length(max=140, message=_l(
                        "The name on the account must be 140 characters or fewer"))])
    sort_code = StringField(
        _l("Sort code"), widget=GovTextInput(), description=_l("6 digits, like 12-34-56"),
        validators=[InputRequired(message=_l("Enter the sort code")),
                    Length(max=20, message=_l(
                        "Enter a valid sort code: 6 digits, like 12-34-56"))])
    account_number = StringField(
        _l("Account number"), widget=GovTextInput(), description=_l("8 digits"),
        validators=[InputRequired(message=_l("Enter the account number")),
                    Length(max=20, message=_l(
                        "Enter a valid account number: 8 digits, like 12345678"))])
    submit = SubmitField(_l("Save bank details"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for name, clean in (("account_name", bank.clean_account_name),
                            ("sort_code", bank.clean_sort_code),
                            ("account_number", bank.clean_account_number)):
            field = getattr(self, name)
            if field.errors:
                continue
            try:
                clean(field.data)
            except bank.BankDetailsError as exc:
                field.errors = [*field.errors, str(exc.message)]
                ok = False
        return ok


class CardPaymentForm(FlaskForm):
    submit = SubmitField(_l("Pay by card"), widget=GovSubmitInput())


class _InvoiceChoices(SelectMultipleField):
    def pre_validate(self, form) -> None:
        known = {str(getattr(choice, "value", None) or choice[0]) for choice in self.choices or []}
        if any(str(value) not in known for value in self.data or []):
            raise ValidationError(str(_l("Some of the invoices you chose are no longer waiting "
                                         "for payment. Choose again from the list.")))


class ConfirmRunForm(FlaskForm):
    submit = SubmitField(_l("Confirm and mark these invoices paid"), widget=GovSubmitInput())


class CancelRunForm(FlaskForm):
    submit = SubmitField(_l("Cancel this payment run"), widget=GovSubmitInput())


class NewRunForm(FlaskForm):
    invoice_ids = _InvoiceChoices(
        _l("Invoices to pay"), coerce=str, widget=GovCheckboxesInput(),
        validators=[InputRequired(message=_l("Choose at least one invoice to pay"))])
    pay_on = RealDateField(_l("Payment date"), validators=[
        InputRequired(message=_l("Enter the date the bank will pay"))],
        description=_l("The day the money reaches the providers, for example 27 3 2026"))
    submit = SubmitField(_l("Create payment run"), widget=GovSubmitInput())

    def validate_invoice_ids(self, field) -> None:
        if any(not str(v).isdigit() or len(str(v)) > 12 for v in field.data or []):
            raise ValidationError(str(_l("Choose invoices from the list")))

    @property
    def chosen_ids(self) -> list[int]:
        return [int(v) for v in self.invoice_ids.data or []]

