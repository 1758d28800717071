"""Invoices on the budget ledger.

Approving an invoice paid from a budget (or making an ISF statement) settles it:
for each order and funding stream on it, the money set aside for the order
(``order:<id>``, the reference ordering commits under) moves to spent
(``marketplace.ledger.services.settle``). The settlement is posted under the
order's reference too, so ``ledger.committed_for(order)`` stays exact; its key
(``invoice:<id>:settle:...``) and description name the invoice. Whatever is invoiced beyond what is
still set aside is taken from the money available, as a visible leg of the same
transfer, and recorded on the invoice (``settlement_difference_pence``) so it is
shown and flagged; money set aside but not invoiced stays set aside for the rest of
the order and is released by ordering when the order ends. A credit note on a
settled invoice gives the money back (``refund``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy.orm import Session

from catalogue.taxonomy import CATEGORIES, FundingStream
from marketplace.budgets.models import Budget
from marketplace.invoicing.models import Invoice, InvoiceLine
from marketplace.ledger import services as ledger
from marketplace.ordering.models import Order


def order_reference(order_id: int) -> str:
    return f"order:{order_id}"


def _category(line: InvoiceLine) -> str | None:
    return line.category if line.category in CATEGORIES else None


def groups(lines: list[InvoiceLine]) -> dict[tuple[int | None, str], tuple[int, str | None]]:
    """(order id, stream) -> (gross pence, category) of ``lines``."""
    totals: dict[tuple[int | None, str], int] = defaultdict(int)
    categories: dict[tuple[int | None, str], str | None] = {}
    for line in lines:
        key = (line.order_id, line.funding_stream)
        totals[key] += line.gross_pence
        categories.setdefault(key, _category(line))
    return {key: (total, categories[key]) for key, total in totals.items()}


def outstanding_by_group(invoice: Invoice, credit_lines: list[InvoiceLine]
                         ) -> dict[tuple[int | None, str], tuple[int, str | None]]:
    """The invoice's groups less what credit notes have already taken off them."""
    result = dict(groups(invoice.lines))
    for key, (credited, _category) in groups(credit_lines).items():
        total, category = result.get(key, (0, None))
        result[key] = (total - credited, category)
    return result


def settle_invoice(session: Session, invoice: Invoice, *, on: date, actor=None,
                   credit_lines: list[InvoiceLine] = ()) -> None:
    """Move each group's money from set aside to spent (idempotent by key)."""
    budget = session.get(Budget, invoice.budget_id)
    settled = difference = 0
    for (order_id, stream), (amount, category) in sorted(
            outstanding_by_group(invoice, list(credit_lines)).items(),
            key=lambda item: (item[0][0] or 0, item[0][1] or "")):
        if amount <= 0 or not stream:
            continue
        reference = order_reference(order_id)
        left = ledger.committed_for(session, budget, reference, FundingStream(stream))
        take = min(amount, left)
        transfer = ledger.settle(
            session, budget, amount, stream=FundingStream(stream),
            key=f"invoice:{invoice.id}:settle:{order_id}:{stream}",
            reference=reference, committed_pence=take, provider_id=invoice.provider_id,
            category=category, description=f"{invoice.reference} {invoice.provider_name}",
            on=on, actor=actor)
        order = session.get(Order, order_id)
        if order is not None and take > 0:
            order.committed_pence = max(0, order.committed_pence - take)
        settled += amount
        difference += -transfer.leg(ledger.A)
    invoice.settled_pence = settled
    invoice.settlement_difference_pence = difference


def refund_credit(session: Session, credit_note: Invoice, invoice: Invoice, *, on: date,
                  actor=None) -> None:
    """Give a settled invoice's credited money back to the budget."""
    budget = session.get(Budget, invoice.budget_id)
    for (order_id, stream), (amount, category) in sorted(
            groups(credit_note.lines).items(),
            key=lambda item: (item[0][0] or 0, item[0][1] or "")):
        if amount <= 0 or not stream:
            continue
        ledger.refund(session, budget, amount, stream=FundingStream(stream),
                      key=f"credit:{credit_note.id}:refund:{order_id}:{stream}",
                      reference=f"credit_note:{credit_note.id}",
                      provider_id=invoice.provider_id, category=category,
                      description=f"{credit_note.reference} {invoice.reference}", on=on,
                      actor=actor)
    invoice.settled_pence -= credit_note.gross_pence
