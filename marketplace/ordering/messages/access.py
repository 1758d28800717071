"""Who may see a conversation: the person (or their representative), staff of its
provider, and council officers of a council that funds the person (read only). 404
when there is no such conversation (or it is another person's), 403 otherwise."""

from __future__ import annotations

from flask import abort, g
from sqlalchemy import select

from marketplace.budgets.models import Budget
from marketplace.db import db
from marketplace.ordering.access import member_provider_ids, officer_council_ids
from marketplace.ordering.messages.models import Conversation


def conversation_or_404(conversation_id: int) -> Conversation:
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None:
        abort(404)
    return conversation


def persons_conversation(conversation_id: int) -> Conversation:
    conversation = conversation_or_404(conversation_id)
    if conversation.person_id != g.person.id:
        abort(404)
    return conversation


def providers_conversation(conversation_id: int) -> Conversation:
    conversation = conversation_or_404(conversation_id)
    if conversation.provider_id not in member_provider_ids():
        abort(403)
    return conversation


def officer_may_read(person_id: int) -> bool:
    """A council officer with a role on the person's budget: an officer of a council
    that holds a budget for them."""
    councils = officer_council_ids()
    if not councils:
        return False
    return db.session.scalar(select(Budget.id).where(
        Budget.holder_id == person_id, Budget.council_id.in_(councils)).limit(1)) is not None


def councils_conversation(conversation_id: int) -> Conversation:
    conversation = conversation_or_404(conversation_id)
    if not officer_may_read(conversation.person_id):
        abort(403)
    return conversation
