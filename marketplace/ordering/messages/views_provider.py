"""Provider staff: conversations with customers (about orders, and questions before
ordering), and starting one about an order."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.ordering.access import member_provider_ids, providers_order
from marketplace.ordering.messages import notifications, provider_bp, services
from marketplace.ordering.messages.access import providers_conversation
from marketplace.ordering.messages.forms import MessageForm
from marketplace.ordering.messages.models import Conversation, Side
from marketplace.security import roles


@provider_bp.get("/")
@roles(Role.PROVIDER_STAFF)
def inbox():
    conversations = db.session.scalars(select(Conversation).where(
        Conversation.provider_id.in_(member_provider_ids() or [-1])).order_by(
        Conversation.updated_at.desc(), Conversation.id.desc()).limit(200)).all()
    return render_template("ordering/messages/inbox.html", conversations=conversations,
                           side="provider")


def _send(conversation_of, form, context: dict):
    if form.validate_on_submit():
        conversation = conversation_of()
        services.post(db.session, conversation, side=Side.PROVIDER, author=current_user,
                      body=form.body.data, key=form.message_key.data)
        db.session.commit()
        flash(_("Your message has been sent."), "success")
        return redirect(url_for("provider_messages.thread", conversation_id=conversation.id))
    status = 400 if request.method == "POST" else 200
    return render_template("ordering/messages/thread.html", form=form, side="provider",
                           action=request.path, **context), status


@provider_bp.route("/<int:conversation_id>", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def thread(conversation_id: int):
    conversation = providers_conversation(conversation_id)
    return _send(lambda: conversation, MessageForm(), {"conversation": conversation})


@provider_bp.route("/orders/<int:order_id>", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def for_order(order_id: int):
    order = providers_order(order_id)
    existing = services.conversation_for_order(db.session, order)
    if existing is not None and request.method == "GET":
        return redirect(url_for("provider_messages.thread", conversation_id=existing.id))
    return _send(lambda: services.order_conversation(db.session, order), MessageForm(),
                 {"conversation": existing, "order": order, "person": order.buyer,
                  "subject": _("Order %(reference)s", reference=order.reference)})


@provider_bp.post("/whats-new/read")
@roles(Role.PROVIDER_STAFF)
def mark_read():
    from flask_wtf import FlaskForm

    if not FlaskForm().validate_on_submit():
        abort(400)
    notifications.mark_read(db.session, provider_ids=member_provider_ids())
    db.session.commit()
    flash(_("Everything new has been marked as seen."), "success")
    return redirect(url_for("storefront.dashboard"))
