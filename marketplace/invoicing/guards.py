"""Issued invoices never change: only their progress does.

A ``before_flush`` hook refuses to delete any invoice, line, payment or query, to
change an invoice's document columns (anything but the progress columns below), to
change any line or payment, and to add a line to an invoice already saved. Like
marketplace.ledger.guards, with mapper events as a second layer.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from marketplace.invoicing.models import Invoice, InvoiceLine, InvoicePayment, InvoiceQuery

# What may move after issue (all derived from appended rows elsewhere).
PROGRESS_COLUMNS = frozenset({"status", "credited_pence", "paid_pence", "approved_on",
                              "approved_by_id", "settled_pence",
                              "settlement_difference_pence"})
APPEND_ONLY = (InvoiceLine, InvoicePayment, InvoiceQuery)


class IssuedInvoiceError(Exception):
    """Something tried to change an issued invoice: issue a credit note instead."""


def _refuse(what: str):
    raise IssuedInvoiceError(
        f"Issued invoices cannot be changed or deleted: issue a credit note ({what})")


def _changed_columns(obj) -> set[str]:
    state = inspect(obj)
    return {attr.key for attr in state.attrs
            if attr.key in state.mapper.column_attrs and attr.history.has_changes()}


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_issued(session: Session, _ctx, _instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, (Invoice, *APPEND_ONLY)):
            _refuse(f"delete {type(obj).__name__} {obj.id}")
    for obj in session.dirty:
        if isinstance(obj, Invoice):
            extra = _changed_columns(obj) - PROGRESS_COLUMNS
            if extra:
                _refuse(f"update {', '.join(sorted(extra))} of invoice {obj.id}")
        elif isinstance(obj, APPEND_ONLY) and _changed_columns(obj):
            _refuse(f"update {type(obj).__name__} {obj.id}")
    for obj in session.new:
        if isinstance(obj, InvoiceLine):
            invoice = obj.invoice
            if invoice is not None and invoice not in session.new:
                _refuse(f"a new line on issued invoice {invoice.id}")


def _refuse_delete(_mapper, _connection, target):
    _refuse(f"delete {type(target).__name__} {target.id}")


for _cls in (Invoice, *APPEND_ONLY):
    event.listen(_cls, "before_delete", _refuse_delete)
