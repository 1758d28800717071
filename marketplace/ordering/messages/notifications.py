"""What's new: notifications on the person's home page and the provider's dashboard,
and the e-mails that go with messages and disputes.

Order state changes are picked up without touching the ordering code: a
``before_flush`` listener (the same mechanism as the audit log) turns every new
``OrderEvent`` row into notifications, in the same transaction as the change. The
e-mail for a state change is already queued by ``ordering.services.notify``, so it is
not sent twice from here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from catalogue.models import MemberRole, ProviderMember
from marketplace.db import utcnow
from marketplace.mail import email_user
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.messages.models import NoticeKind, Notification
from marketplace.ordering.models import OrderEvent

# Changes a provider hears about: from the moment an order reaches them.
PROVIDER_SEES = frozenset(OrderStatus) - {
    OrderStatus.SUBMITTED, OrderStatus.AWAITING_APPROVAL, OrderStatus.APPROVED,
    OrderStatus.REJECTED}
SHOWN = 10


def for_person(session: Session, person_id: int, kind: NoticeKind, **refs) -> Notification:
    notice = Notification(person_id=person_id, kind=kind, **refs)
    session.add(notice)
    return notice


def for_provider(session: Session, provider_id: int, kind: NoticeKind, **refs) -> Notification:
    notice = Notification(provider_id=provider_id, kind=kind, **refs)
    session.add(notice)
    return notice


@event.listens_for(Session, "before_flush")
def _order_events_notify(session: Session, _ctx, _instances) -> None:
    for obj in list(session.new):
        if not isinstance(obj, OrderEvent) or obj.order is None:
            continue
        order, status = obj.order, OrderStatus(obj.to_status)
        for_person(session, order.buyer_id, NoticeKind.ORDER_STATUS, order=order,
                   detail=status.value)
        if status in PROVIDER_SEES and obj.actor is not Actor.PROVIDER:
            for_provider(session, order.provider_id, NoticeKind.ORDER_STATUS, order=order,
                         detail=status.value)


# --- reading and clearing ------------------------------------------------------------

def unread_for_person(session: Session, person_id: int, limit: int = SHOWN) -> list:
    return list(session.scalars(select(Notification).where(
        Notification.person_id == person_id, Notification.read_at.is_(None))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def unread_for_providers(session: Session, provider_ids, limit: int = SHOWN) -> list:
    if not provider_ids:
        return []
    return list(session.scalars(select(Notification).where(
        Notification.provider_id.in_(list(provider_ids)), Notification.read_at.is_(None))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def mark_read(session: Session, *, person_id: int | None = None, provider_ids=()) -> int:
    query = update(Notification).where(Notification.read_at.is_(None))
    if person_id is not None:
        query = query.where(Notification.person_id == person_id)
    else:
        query = query.where(Notification.provider_id.in_(list(provider_ids) or [-1]))
    result = session.execute(query.values(read_at=utcnow())
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0


# --- e-mail ------------------------------------------------------------------------------

def provider_owners(session: Session, provider_id: int) -> list:
    from marketplace.accounts.models import User

    return list(session.scalars(select(User).join(
        ProviderMember, ProviderMember.user_id == User.id).where(
        ProviderMember.provider_id == provider_id,
        ProviderMember.member_role == MemberRole.OWNER).order_by(User.id)))


def email_provider(session: Session, provider_id: int, subject, template: str,
                   **context) -> None:
    for user in provider_owners(session, provider_id):
        email_user(session, user, subject, template, **context)


def email_people(session: Session, people, subject, template: str, **context) -> None:
    seen = set()
    for user in people:
        if user is not None and user.id not in seen:
            seen.add(user.id)
            email_user(session, user, subject, template, **context)


SUBJECTS = {
    "message_to_person": _l("You have a new message from a provider"),
    "message_to_provider": _l("You have a new message from a customer"),
    "disputed": _l("A visit you recorded has been disputed"),
    "closed": _l("The dispute about a visit has been closed"),
}
