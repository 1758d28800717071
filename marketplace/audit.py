"""The audit log: who did what, for whom, to which object, and when.

Every flush made during a request by a signed-in person writes one audit row per
inserted, changed or deleted object, with the person acted for when a
representative is acting for someone. Services may add richer rows with
``record()`` (e.g. a reason). Audit rows are never updated or deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g, has_request_context
from sqlalchemy import JSON, ForeignKey, Index, String, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from marketplace.db import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_acting_for_at", "acting_for_id", "at"),
        Index("ix_audit_events_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(60))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


# Tables whose rows are bookkeeping of the request itself, not a person's data.
_NOT_AUDITED = {"audit_events", "sign_in_attempts", "outbox_messages"}
# Columns whose values never go into the log.
_SECRET_COLUMNS = {"password_hash", "token_hash", "session_nonce"}


def current_actor() -> tuple[int | None, int | None]:
    """(actor id, acting-for id) for the current request, or (None, None)."""
    if not has_request_context():
        return None, None
    return getattr(g, "audit_actor_id", None), getattr(g, "audit_acting_for_id", None)


def record(
    session: Session,
    action: str,
    object_type: str,
    object_id: Any = None,
    detail: dict[str, Any] | None = None,
    *,
    actor_id: int | None = None,
    acting_for_id: int | None = None,
) -> AuditEvent:
    """Add an explicit audit row (flushed with the rest of the unit of work)."""
    req_actor, req_for = current_actor()
    event_row = AuditEvent(
        actor_id=actor_id if actor_id is not None else req_actor,
        acting_for_id=acting_for_id if acting_for_id is not None else req_for,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=detail,
    )
    session.add(event_row)
    return event_row


def _changed_columns(obj) -> list[str]:
    state = inspect(obj)
    changed = []
    for attr in state.mapper.column_attrs:
        if attr.key in _SECRET_COLUMNS:
            if state.attrs[attr.key].history.has_changes():
                changed.append(attr.key)
            continue
        if state.attrs[attr.key].history.has_changes():
            changed.append(attr.key)
    return changed


@event.listens_for(Session, "before_flush")
def _collect_writes(session: Session, _ctx, _instances) -> None:
    actor_id, acting_for_id = current_actor()
    if actor_id is None:
        return
    pending = session.info.setdefault("audit_pending", [])
    for verb, objs in (
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objs:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in _NOT_AUDITED:
                continue
            if verb == "update":
                fields = _changed_columns(obj)
                if not fields:
                    continue
            else:
                fields = []
            pending.append((verb, obj, fields))
    for obj in session.new:
        table = getattr(obj, "__tablename__", None)
        if table is not None and table not in _NOT_AUDITED:
            pending.append(("insert", obj, []))


@event.listens_for(Session, "after_flush")
def _write_audit_rows(session: Session, _ctx) -> None:
    pending = session.info.pop("audit_pending", None)
    if not pending:
        return
    actor_id, acting_for_id = current_actor()
    rows = []
    for verb, obj, fields in pending:
        identity = inspect(obj).identity
        rows.append(
            {
                "at": utcnow(),
                "actor_id": actor_id,
                "acting_for_id": acting_for_id,
                "action": verb,
                "object_type": obj.__tablename__,
                "object_id": None if not identity else ":".join(str(i) for i in identity),
                "detail": {"fields": fields} if fields else None,
            }
        )
    session.connection().execute(insert(AuditEvent), rows)
