"""How an invoice run writes (``marketplace.invoicing.runs``): its documents and their
lines in bulk, as rows rather than ORM objects (a run writes tens of thousands).

On PostgreSQL the documents' ids come from their sequence in one statement, then each
table gets one COPY (for the database a fraction of the work of as many INSERTs, and
for the driver one pass); elsewhere one INSERT ... RETURNING for the documents and an
executemany for the lines. Either way in the session's transaction.

ORM hooks do not see these rows; the one that would have mattered, the audit log's
row for each new document in a signed-in person's request, is written here.
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from marketplace import audit
from marketplace.invoicing.models import Invoice, InvoiceLine

# The columns of an invoice line as a run writes them (after ``invoice_id``).
LINE_COLUMNS = ("order_id", "order_line_id", "delivery_record_id", "billed_delivery_id",
                "share", "budget_id", "funding_stream", "service_id", "category",
                "description", "occurred_on", "quantity_hundredths", "unit_price_pence",
                "vat_rate", "net_pence", "vat_pence", "gross_pence")


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _plain(value):
    return value.value if isinstance(value, Enum) else value


def _with_defaults(table: Table, row: dict) -> dict:
    """``row`` with the model's Python-side defaults for the columns it leaves out (an
    INSERT through SQLAlchemy adds them itself; a COPY does not)."""
    for column in table.columns:
        default = column.default
        if column.key in row or default is None or not (default.is_scalar
                                                         or default.is_callable):
            continue
        row[column.key] = _plain(default.arg(None) if default.is_callable else default.arg)
    return row


def _copy(session: Session, table: Table, columns: list[str], rows) -> None:
    """COPY ``rows`` (tuples of plain values, in ``columns`` order) into ``table``."""
    connection = session.connection().connection.driver_connection
    sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def insert_documents(session: Session, documents: list[dict]) -> list[int]:
    """Insert invoices and statements (``Invoice`` columns, values plain: enums as their
    strings; no ids) and return their ids, in order."""
    if not documents:
        return []
    table = Invoice.__table__
    if not _postgres(session):
        ids = list(session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            documents).scalars())
    else:
        ids = list(session.scalars(
            select(func.nextval(func.pg_get_serial_sequence(table.name, "id")))
            .select_from(func.generate_series(1, len(documents)))))
        rows = [_with_defaults(table, {**document, "id": new_id})
                for document, new_id in zip(documents, ids, strict=True)]
        columns = list(rows[0])
        _copy(session, table, columns, ([row[c] for c in columns] for row in rows))
    if audit.current_actor()[0] is not None:  # as the audit hook does for ORM inserts
        for new_id in ids:
            audit.record(session, "insert", table.name, new_id)
    return ids


def insert_lines(session: Session, lines: list[tuple]) -> None:
    """Insert invoice lines: tuples of ``invoice_id`` then ``LINE_COLUMNS``, values
    plain (enums as their strings)."""
    if not lines:
        return
    columns = ["invoice_id", *LINE_COLUMNS]
    if _postgres(session):
        _copy(session, InvoiceLine.__table__, columns, lines)
    else:
        session.execute(InvoiceLine.__table__.insert(),
                        [dict(zip(columns, line, strict=True)) for line in lines])
