"""Posted ledger rows are never changed or deleted, through the ORM or bulk statements.

Three layers refuse it in the code (PostgreSQL triggers refuse it in the database,
see the migration): a ``before_flush`` hook that looks at what a flush would change,
mapper events for anything that reaches the mapper some other way, and a
``do_orm_execute`` hook for ORM ``update()``/``delete()`` statements.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.ledger.errors import PostedEntryError
from marketplace.ledger.models import LedgerLeg, LedgerTransfer

LEDGER_CLASSES = (LedgerTransfer, LedgerLeg)
LEDGER_TABLES = {"ledger_transfers", "ledger_legs"}
_MESSAGE = "Posted ledger entries cannot be changed or deleted: record a correction instead"


def _refuse(what: str):
    raise PostedEntryError(f"{_MESSAGE} ({what})")


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_posted_rows(session: Session, _ctx, _instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, LEDGER_CLASSES):
            _refuse(f"delete {type(obj).__name__} {obj.id}")
    for obj in session.dirty:
        if isinstance(obj, LEDGER_CLASSES) and session.is_modified(
                obj, include_collections=False):
            _refuse(f"update {type(obj).__name__} {obj.id}")
    for obj in session.new:
        if isinstance(obj, LedgerLeg):
            transfer = obj.transfer
            if transfer is not None and transfer not in session.new:
                _refuse(f"a new leg on posted transfer {transfer.id}")


def _mapper_refusal(verb: str):
    def listener(_mapper, _connection, target):
        _refuse(f"{verb} {type(target).__name__} {target.id}")
    return listener


for _cls in LEDGER_CLASSES:
    event.listen(_cls, "before_update", _mapper_refusal("update"))
    event.listen(_cls, "before_delete", _mapper_refusal("delete"))


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in LEDGER_TABLES:
        _refuse(f"bulk {'update' if state.is_update else 'delete'} on {name}")
