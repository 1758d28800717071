"""Reconciliation: the ledger, invoices, credit notes and payments agree.

For the invoices (and ISF statements) issued in a period, per budget and provider:

- each document's lines add up to its totals;
- its credit notes add up to what it says was credited, its payments to what it
  says was paid;
- what the budget's ledger spent for it (its settlements, less the refunds of its
  credit notes, found by their keys) is what it says was settled, and an approved
  invoice paid from a budget is settled in full (gross less credits);
- each order on it still has set aside on the ledger exactly what the order says.

Every disagreement is listed with the document and what differs; an empty list
means the books agree to the penny.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from marketplace.invoicing.enums import InvoiceKind, PaymentKind
from marketplace.invoicing.models import Invoice
from marketplace.ledger.models import LedgerAccount, LedgerLeg, LedgerTransfer
from marketplace.money import format_pence
from marketplace.ordering.models import Order


@dataclass
class Row:
    budget_id: int | None
    provider_id: int
    provider_name: str
    payer_name: str
    invoiced_pence: int = 0
    credited_pence: int = 0
    paid_pence: int = 0
    settled_pence: int = 0
    ledger_spent_pence: int = 0
    documents: int = 0

    @property
    def outstanding_pence(self) -> int:
        return self.invoiced_pence - self.credited_pence - self.paid_pence


@dataclass(frozen=True)
class Difference:
    budget_id: int | None
    provider_id: int
    document: str
    what: str


@dataclass
class Reconciliation:
    start: date | None
    end: date | None
    rows: list[Row] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.differences


def _ledger_by_document(session: Session) -> dict[tuple[str, int], int]:
    """("invoice", id) -> spent by its settlements; ("credit", id) -> refunded."""
    rows = session.execute(
        select(LedgerTransfer.idempotency_key, func.sum(LedgerLeg.amount_pence))
        .join(LedgerLeg, LedgerLeg.transfer_id == LedgerTransfer.id)
        .where(LedgerLeg.account == LedgerAccount.SPENT,
               or_(LedgerTransfer.idempotency_key.like("invoice:%:settle:%"),
                   LedgerTransfer.idempotency_key.like("credit:%:refund:%")))
        .group_by(LedgerTransfer.idempotency_key))
    found: dict[tuple[str, int], int] = defaultdict(int)
    for key, spent in rows:
        kind, number = key.split(":")[:2]
        found[(kind, int(number))] += int(spent)
    return found


def reconcile(session: Session, start: date | None = None, end: date | None = None, *,
              council_id: int | None = None, provider_id: int | None = None
              ) -> Reconciliation:
    query = (select(Invoice).where(Invoice.kind != InvoiceKind.CREDIT_NOTE)
             .options(selectinload(Invoice.credit_notes), selectinload(Invoice.payments))
             .order_by(Invoice.provider_id, Invoice.id))
    if start is not None:
        query = query.where(Invoice.issued_on >= start)
    if end is not None:
        query = query.where(Invoice.issued_on <= end)
    if council_id is not None:
        query = query.where(Invoice.council_id == council_id)
    if provider_id is not None:
        query = query.where(Invoice.provider_id == provider_id)
    invoices = session.scalars(query).all()
    result = Reconciliation(start, end)
    ledger = _ledger_by_document(session)
    rows: dict[tuple, Row] = {}
    orders: set[int] = set()
    for invoice in invoices:
        key = (invoice.budget_id, invoice.provider_id, invoice.payer_name)
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(invoice.budget_id, invoice.provider_id, invoice.provider_name,
                                  invoice.payer_name)
        notes = invoice.credit_notes
        paid = sum(p.amount_pence if p.kind is PaymentKind.PAYMENT else -p.amount_pence
                   for p in invoice.payments)
        spent = ledger.get(("invoice", invoice.id), 0) + sum(
            ledger.get(("credit", note.id), 0) for note in notes)
        row.documents += 1
        row.invoiced_pence += invoice.gross_pence
        row.credited_pence += sum(n.gross_pence for n in notes)
        row.paid_pence += paid
        row.settled_pence += invoice.settled_pence
        row.ledger_spent_pence += spent

        def differ(what, invoice=invoice):
            result.differences.append(Difference(invoice.budget_id, invoice.provider_id,
                                                 invoice.reference, what))

        for document in (invoice, *notes):
            lines = document.lines
            for name in ("net_pence", "vat_pence", "gross_pence"):
                total = sum(getattr(line, name) for line in lines)
                if total != getattr(document, name):
                    differ(_l("%(doc)s: the lines add up to %(lines)s, the total says "
                              "%(total)s", doc=document.reference, lines=format_pence(total),
                              total=format_pence(getattr(document, name))))
        credited = sum(n.gross_pence for n in notes)
        if credited != invoice.credited_pence:
            differ(_l("Credit notes total %(notes)s, the invoice says %(said)s was "
                      "credited", notes=format_pence(credited),
                      said=format_pence(invoice.credited_pence)))
        if credited > invoice.gross_pence:
            differ(_l("%(amount)s was credited: more than was invoiced",
                      amount=format_pence(credited)))
        if paid != invoice.paid_pence:
            differ(_l("Payments total %(paid)s, the invoice says %(said)s was paid",
                      paid=format_pence(paid), said=format_pence(invoice.paid_pence)))
        if spent != invoice.settled_pence:
            differ(_l("The budget's ledger spent %(spent)s for it, the invoice says "
                      "%(said)s was settled", spent=format_pence(spent),
                      said=format_pence(invoice.settled_pence)))
        if invoice.kind is InvoiceKind.STATEMENT:
            expected = invoice.gross_pence
        elif invoice.settles_budget and invoice.approved_on is not None:
            expected = invoice.payable_pence
        else:
            expected = 0
        if invoice.settled_pence != expected:
            differ(_l("%(settled)s was settled on the budget, %(expected)s was expected",
                      settled=format_pence(invoice.settled_pence),
                      expected=format_pence(expected)))
        orders |= {line.order_id for line in invoice.lines if line.order_id}
    _check_commitments(session, orders, result)
    result.rows = sorted(rows.values(), key=lambda r: (r.provider_name, r.payer_name,
                                                       r.budget_id or 0))
    return result


def _check_commitments(session: Session, order_ids: set[int], result: Reconciliation) -> None:
    """Each order sets aside on the ledger exactly what it says it holds."""
    if not order_ids:
        return
    held = dict(session.execute(
        select(LedgerTransfer.reference, func.sum(LedgerLeg.amount_pence))
        .join(LedgerLeg, LedgerLeg.transfer_id == LedgerTransfer.id)
        .where(LedgerLeg.account == LedgerAccount.COMMITTED,
               LedgerTransfer.reference.in_([f"order:{i}" for i in order_ids]))
        .group_by(LedgerTransfer.reference)).all())
    for order in session.scalars(select(Order).where(Order.id.in_(order_ids))):
        if order.budget_id is None:
            continue
        on_ledger = int(held.get(f"order:{order.id}", 0))
        if on_ledger != order.committed_pence:
            result.differences.append(Difference(
                order.budget_id, order.provider_id, order.reference,
                _l("The ledger holds %(held)s for the order, the order says %(said)s",
                   held=format_pence(on_ledger), said=format_pence(order.committed_pence))))


