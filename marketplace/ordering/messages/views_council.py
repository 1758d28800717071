"""Council officers: read (never write) the conversations of a person their council
funds. Commissioners never see messages."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.ordering.messages import council_bp
from marketplace.ordering.messages.access import councils_conversation, officer_may_read
from marketplace.ordering.messages.models import Conversation
from marketplace.security import roles


@council_bp.get("/people/<int:user_id>")
@roles(Role.COUNCIL_OFFICER)
def for_person(user_id: int):
    holder = db.session.get(User, user_id)
    if holder is None:
        abort(404)
    if not officer_may_read(holder.id):
        abort(403)
    conversations = db.session.scalars(select(Conversation).where(
        Conversation.person_id == holder.id).order_by(
        Conversation.updated_at.desc(), Conversation.id.desc()).limit(200)).all()
    return render_template("ordering/messages/inbox.html", conversations=conversations,
                           side="council", holder=holder)


@council_bp.get("/<int:conversation_id>")
@roles(Role.COUNCIL_OFFICER)
def thread(conversation_id: int):
    conversation = councils_conversation(conversation_id)
    return render_template("ordering/messages/thread.html", conversation=conversation,
                           form=None, side="council")
