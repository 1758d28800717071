"""Gap-free numbers per provider and series.

``lock_counter`` makes the provider's counter row if it is missing and locks it, in
one statement (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``: a row lock on
PostgreSQL; SQLite serialises writers on the file); the caller moves it on in its own
transaction, so the numbers are used only if that transaction commits: a failed run
leaves no gap, and a second run waits for the first instead of taking its numbers
(if both make the counter at once, the second waits for the first's row and then
reads its number).
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from marketplace.invoicing.terms import InvoiceNumberCounter

INVOICE_SERIES = "invoice"      # invoices and credit notes
STATEMENT_SERIES = "statement"  # ISF statements

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def lock_counters(session: Session, provider_ids, series: str
                  ) -> dict[int, InvoiceNumberCounter]:
    """The providers' counters for ``series`` (provider id -> counter), locked until
    the transaction ends and read afresh whatever the session held, in one statement
    that takes the locks in the order of the providers' ids (so runs over overlapping
    providers wait for each other, never deadlock)."""
    ids = sorted(set(provider_ids))
    insert = _INSERTS[session.get_bind().dialect.name]
    statement = (insert(InvoiceNumberCounter)
                 .values([{"provider_id": i, "series": series, "last_number": 0} for i in ids])
                 .on_conflict_do_update(
                     index_elements=[InvoiceNumberCounter.provider_id,
                                     InvoiceNumberCounter.series],
                     set_={"last_number": InvoiceNumberCounter.last_number})
                 .returning(InvoiceNumberCounter))
    found = session.scalars(statement, execution_options={"populate_existing": True}).all()
    return {counter.provider_id: counter for counter in found}


def lock_counter(session: Session, provider_id: int, series: str) -> InvoiceNumberCounter:
    """The provider's counter for ``series`` (see ``lock_counters``)."""
    return lock_counters(session, [provider_id], series)[provider_id]


def next_number(session: Session, provider_id: int, series: str) -> int:
    counter = lock_counter(session, provider_id, series)
    counter.last_number += 1
    session.flush()
    return counter.last_number
