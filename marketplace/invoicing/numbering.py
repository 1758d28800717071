"""Gap-free numbers per provider and series.

``next_numbers`` locks the provider's counter row (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite serialises writers on the file) and moves it on, in the caller's
transaction: the numbers are used only if that transaction commits, so a failed run
leaves no gap, and a second run waits for the first instead of taking its numbers.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.invoicing.terms import InvoiceNumberCounter

INVOICE_SERIES = "invoice"      # invoices and credit notes
STATEMENT_SERIES = "statement"  # ISF statements


def lock_counter(session: Session, provider_id: int, series: str) -> InvoiceNumberCounter:
    """The provider's counter for ``series``, locked until the transaction ends."""
    query = (select(InvoiceNumberCounter)
             .where(InvoiceNumberCounter.provider_id == provider_id,
                    InvoiceNumberCounter.series == series)
             .with_for_update().execution_options(populate_existing=True))
    counter = session.scalar(query)
    if counter is not None:
        return counter
    try:
        with session.begin_nested():
            session.add(InvoiceNumberCounter(provider_id=provider_id, series=series,
                                             last_number=0))
    except IntegrityError:  # another transaction made it first: wait for its lock
        pass
    return session.scalar(query)


def next_number(session: Session, provider_id: int, series: str) -> int:
    counter = lock_counter(session, provider_id, series)
    counter.last_number += 1
    session.flush()
    return counter.last_number
