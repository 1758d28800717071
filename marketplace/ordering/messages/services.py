"""Message operations: start a conversation (about an order, or a question about a
service before ordering) and post a message; the other side is notified on their
home page and by e-mail. They flush, never commit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.db import utcnow
from marketplace.ordering.messages import notifications
from marketplace.ordering.messages.models import (
    Conversation,
    Message,
    NoticeKind,
    Side,
)
from marketplace.ordering.models import Order


def conversation_for_order(session: Session, order: Order) -> Conversation | None:
    return session.scalar(select(Conversation).where(Conversation.order_id == order.id))


def order_conversation(session: Session, order: Order) -> Conversation:
    """The order's conversation, started if it has none yet."""
    found = conversation_for_order(session, order)
    if found is not None:
        return found
    conversation = Conversation(person_id=order.buyer_id, provider_id=order.provider_id,
                                order_id=order.id,
                                subject=str(_l("Order %(reference)s", reference=order.reference)))
    session.add(conversation)
    session.flush()
    return conversation


def question_conversation(session: Session, person, service) -> Conversation:
    conversation = Conversation(person_id=person.id, provider_id=service.provider_id,
                                service_id=service.id, subject=service.name[:200])
    session.add(conversation)
    session.flush()
    return conversation


def already_sent(session: Session, key: str) -> Message | None:
    return session.scalar(select(Message).where(Message.idempotency_key == key))


def post(session: Session, conversation: Conversation, *, side: Side, author, body: str,
         key: str, acting_for=None) -> Message:
    """Add a message (once per form key) and tell the other side."""
    existing = already_sent(session, key)
    if existing is not None:
        return existing
    message = Message(conversation=conversation, side=side, author_id=author.id,
                      acting_for_id=acting_for.id if acting_for is not None else None,
                      body=body.strip(), idempotency_key=key)
    session.add(message)
    conversation.updated_at = utcnow()
    session.flush()
    if side is Side.BUYER:
        notifications.for_provider(session, conversation.provider_id, NoticeKind.MESSAGE,
                                   conversation=conversation, order_id=conversation.order_id,
                                   detail=conversation.subject)
        notifications.email_provider(session, conversation.provider_id,
                                     notifications.SUBJECTS["message_to_provider"],
                                     "ordering/messages/email/to_provider.txt",
                                     conversation=conversation, message=message)
    else:
        notifications.for_person(session, conversation.person_id, NoticeKind.MESSAGE,
                                 conversation=conversation, order_id=conversation.order_id,
                                 detail=conversation.subject)
        notifications.email_people(session, buyer_side_people(session, conversation),
                                   notifications.SUBJECTS["message_to_person"],
                                   "ordering/messages/email/to_person.txt",
                                   conversation=conversation, message=message)
    session.flush()
    return message


def buyer_side_people(session: Session, conversation: Conversation) -> list:
    """Who hears of a provider's message: the person, whoever placed the order for
    them, and any representative who wrote in this conversation."""
    from marketplace.accounts.models import User

    people = [conversation.person]
    if conversation.order is not None:
        people.append(conversation.order.placed_by)
    writers = session.scalars(select(Message.author_id).where(
        Message.conversation_id == conversation.id, Message.side == Side.BUYER).distinct())
    people += [session.get(User, user_id) for user_id in writers if user_id is not None]
    return people
