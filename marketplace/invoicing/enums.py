"""Enumerations of invoicing, stored as strings (see marketplace.db.str_enum)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    # An Individual Service Fund draw: no invoice (the provider holds the money and
    # draws from it); a statement goes to the person and the council instead.
    STATEMENT = "statement"

    @property
    def label(self):
        return {"invoice": _l("Invoice"), "credit_note": _l("Credit note"),
                "statement": _l("Individual Service Fund statement")}[self.value]


class PayerKind(StrEnum):
    COUNCIL = "council"                  # a council-managed budget
    MANAGED_ACCOUNT = "managed_account"  # the organisation holding a managed account
    PERSON = "person"                    # direct payment, self-funded or contribution

    @property
    def label(self):
        return {"council": _l("The council"),
                "managed_account": _l("The managed account organisation"),
                "person": _l("The person")}[self.value]


class PayerShare(StrEnum):
    """Which part of a delivery a line bills: what the budget pays, the person's
    own contribution (the net model), or the whole of it (self-funded)."""

    BUDGET = "budget"
    CONTRIBUTION = "contribution"
    SELF_FUNDED = "self_funded"

    @property
    def label(self):
        return {"budget": _l("Paid from the personal budget"),
                "contribution": _l("The person's own contribution"),
                "self_funded": _l("Paid by the person (self-funded)")}[self.value]


class InvoiceStatus(StrEnum):
    ISSUED = "issued"
    APPROVED = "approved"
    PART_PAID = "part_paid"
    PAID = "paid"
    CREDITED = "credited"    # credited in full (nothing left to pay)
    DRAWN = "drawn"          # an ISF statement: the provider drew it from the fund

    @property
    def label(self):
        return STATUS_LABELS[self]

    @property
    def tag_colour(self) -> str:
        return {"issued": "blue", "approved": "turquoise", "part_paid": "yellow",
                "paid": "green", "credited": "grey", "drawn": "green"}[self.value]


STATUS_LABELS = {
    InvoiceStatus.ISSUED: _l("Issued"),
    InvoiceStatus.APPROVED: _l("Approved for payment"),
    InvoiceStatus.PART_PAID: _l("Part paid"),
    InvoiceStatus.PAID: _l("Paid"),
    InvoiceStatus.CREDITED: _l("Credited in full"),
    InvoiceStatus.DRAWN: _l("Drawn from the fund"),
}


class VatRate(StrEnum):
    """Prices on the marketplace include VAT: the VAT of a line is the VAT fraction of
    its gross amount (1/6 at the standard rate of 20%)."""

    EXEMPT = "exempt"
    ZERO = "zero"
    STANDARD = "standard"

    @property
    def label(self):
        return {"exempt": _l("Exempt"), "zero": _l("Zero rate (0%)"),
                "standard": _l("Standard rate (20%)")}[self.value]

    @property
    def percent(self) -> int:
        return 20 if self is VatRate.STANDARD else 0


class BillingPeriod(StrEnum):
    WEEKLY = "weekly"
    FOUR_WEEKLY = "four_weekly"
    MONTHLY = "monthly"

    @property
    def label(self):
        return {"weekly": _l("Every week"), "four_weekly": _l("Every 4 weeks"),
                "monthly": _l("Every month")}[self.value]


class PaymentKind(StrEnum):
    PAYMENT = "payment"
    REFUND = "refund"  # money given back to the payer (after a credit note)
