"""What the Budget Minder shows of invoicing: the invoices and Individual Service Fund
statements of a budget, and whether each has been paid, however the money is held.

- council-managed and managed accounts: paid when the council's payment run pays it;
- a direct payment: paid when the person pays it (by card, say);
- an Individual Service Fund: paid when it is drawn, as the provider holds the fund
  and takes the money from it at the invoice run (the statement says so);
- the person's own contribution: paid when they pay it.

A template global (``budget_documents``), so the Budget Minder (marketplace.budgets)
shows it without importing invoicing. Reads only.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.accounts.roles import Scope
from marketplace.db import db
from marketplace.invoicing.documents import long_day
from marketplace.invoicing.enums import InvoiceKind, InvoiceStatus, PaymentKind
from marketplace.invoicing.models import Invoice
from marketplace.money import format_pence

MOST = 100  # a budget's year of invoices from a few providers is well under this


@dataclass(frozen=True)
class BudgetDocument:
    invoice: Invoice
    amount_pence: int
    paid: bool
    tag: str
    colour: str
    detail: str
    link: str | None  # the person's own invoice page, when they may open it


def _how_paid(invoice: Invoice) -> str:
    payments = [p for p in invoice.payments if p.kind is PaymentKind.PAYMENT]
    last = max(payments, key=lambda p: (p.paid_on, p.id)) if payments else None
    if last is None:
        return _("Paid")
    day = long_day(last.paid_on)
    if last.method == "card":
        return _("Paid by card on %(date)s", date=day)
    if last.method == "bacs":
        return _("Paid by %(payer)s by bank transfer on %(date)s", payer=invoice.payer_name,
                 date=day)
    return _("Paid on %(date)s", date=day)


def describe(invoice: Invoice) -> tuple[bool, str, str, str]:
    """(paid, tag text, tag colour, how it was or will be paid) for one document."""
    if invoice.kind is InvoiceKind.STATEMENT:
        return True, _("Paid"), "green", _(
            "Drawn from the Individual Service Fund by %(provider)s on %(date)s",
            provider=invoice.provider_name, date=long_day(invoice.issued_on))
    status = invoice.status
    if status is InvoiceStatus.PAID:
        return True, _("Paid"), "green", _how_paid(invoice)
    if status is InvoiceStatus.CREDITED:
        return False, str(status.label), status.tag_colour, _(
            "Cancelled by a credit note: there is nothing to pay")
    if status is InvoiceStatus.PART_PAID:
        return False, str(status.label), status.tag_colour, _(
            "%(paid)s paid, %(left)s still to pay", paid=format_pence(invoice.paid_pence),
            left=format_pence(invoice.balance_pence))
    return False, _("Not paid yet"), "blue", _(
        "To be paid by %(payer)s by %(date)s", payer=invoice.payer_name,
        date=long_day(invoice.due_on))


def _may_open(invoice: Invoice, holder_id: int) -> bool:
    """The person's invoice pages need the MONEY scope from someone acting for them."""
    if invoice.payer_user_id != holder_id:
        return False
    authority = g.get("acting_authority")
    return authority is None or authority.scope.covers(Scope.MONEY)


def budget_documents(budget) -> list[BudgetDocument]:
    """The budget's invoices and statements, newest first (credit notes show as the
    amount credited on the invoice they correct)."""
    invoices = db.session.scalars(
        select(Invoice).where(Invoice.budget_id == budget.id,
                              Invoice.kind.in_([InvoiceKind.INVOICE, InvoiceKind.STATEMENT]))
        .options(selectinload(Invoice.payments))
        .order_by(Invoice.period_end.desc(), Invoice.id.desc()).limit(MOST)).all()
    found = []
    for invoice in invoices:
        paid, tag, colour, detail = describe(invoice)
        link = url_for("invoicing.person_invoice", invoice_id=invoice.id) \
            if _may_open(invoice, budget.holder_id) else None
        amount = invoice.gross_pence if invoice.kind is InvoiceKind.STATEMENT \
            else invoice.payable_pence
        found.append(BudgetDocument(invoice, amount, paid, tag, colour, detail, link))
    return found
