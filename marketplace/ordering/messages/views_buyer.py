"""The person (or a representative acting for them): their conversations with
providers, writing on an order, and asking a provider a question before ordering."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from catalogue.models import Service, VettingStatus
from marketplace.accounts.roles import Scope
from marketplace.db import db
from marketplace.ordering.access import buyers_order
from marketplace.ordering.messages import bp, notifications, services
from marketplace.ordering.messages.access import persons_conversation
from marketplace.ordering.messages.forms import MessageForm
from marketplace.ordering.messages.models import Conversation, Side
from marketplace.security import person


def may_write() -> bool:
    authority = g.get("acting_authority")
    return authority is None or authority.scope.covers(Scope.ORDER)


@bp.get("/")
@person(Scope.VIEW)
def inbox():
    conversations = db.session.scalars(select(Conversation).where(
        Conversation.person_id == g.person.id).order_by(
        Conversation.updated_at.desc(), Conversation.id.desc()).limit(200)).all()
    return render_template("ordering/messages/inbox.html", conversations=conversations,
                           side="buyer")


@bp.get("/<int:conversation_id>")
@person(Scope.VIEW)
def thread(conversation_id: int):
    conversation = persons_conversation(conversation_id)
    form = MessageForm() if may_write() else None
    return render_template("ordering/messages/thread.html", conversation=conversation,
                           form=form, side="buyer",
                           action=url_for("messages.reply", conversation_id=conversation.id))


def _send(conversation_of, form, template_context: dict):
    """Post the form's message in the conversation ``conversation_of()`` returns."""
    if form.validate_on_submit():
        conversation = conversation_of()
        services.post(db.session, conversation, side=Side.BUYER, author=current_user,
                      acting_for=g.acting_for, body=form.body.data, key=form.message_key.data)
        db.session.commit()
        flash(_("Your message has been sent."), "success")
        return redirect(url_for("messages.thread", conversation_id=conversation.id))
    status = 400 if request.method == "POST" else 200
    return render_template("ordering/messages/thread.html", form=form, side="buyer",
                           **template_context), status


@bp.route("/<int:conversation_id>/reply", methods=["GET", "POST"])
@person(Scope.ORDER)
def reply(conversation_id: int):
    conversation = persons_conversation(conversation_id)
    return _send(lambda: conversation, MessageForm(),
                 {"conversation": conversation, "action": request.path})


@bp.get("/orders/<int:order_id>")
@person(Scope.VIEW)
def for_order(order_id: int):
    order = buyers_order(order_id)
    conversation = services.conversation_for_order(db.session, order)
    if conversation is not None:
        return redirect(url_for("messages.thread", conversation_id=conversation.id))
    return redirect(url_for("messages.new_for_order", order_id=order.id))


@bp.route("/orders/<int:order_id>/new", methods=["GET", "POST"])
@person(Scope.ORDER)
def new_for_order(order_id: int):
    order = buyers_order(order_id)
    existing = services.conversation_for_order(db.session, order)
    if existing is not None and request.method == "GET":
        return redirect(url_for("messages.reply", conversation_id=existing.id))
    return _send(lambda: services.order_conversation(db.session, order), MessageForm(),
                 {"conversation": existing, "order": order, "provider": order.provider,
                  "subject": _("Order %(reference)s", reference=order.reference),
                  "action": request.path})


@bp.route("/services/<int:service_id>/ask", methods=["GET", "POST"])
@person(Scope.ORDER)
def ask(service_id: int):
    service = db.session.get(Service, service_id)
    if service is None or service.provider.status is not VettingStatus.APPROVED:
        abort(404)
    return _send(lambda: services.question_conversation(db.session, g.person, service),
                 MessageForm(), {"conversation": None, "service": service,
                                 "provider": service.provider, "subject": service.name,
                                 "action": request.path})


@bp.post("/whats-new/read")
@person(Scope.VIEW)
def mark_read():
    from flask_wtf import FlaskForm

    if not FlaskForm().validate_on_submit():
        abort(400)
    notifications.mark_read(db.session, person_id=g.person.id)
    db.session.commit()
    flash(_("Everything new has been marked as seen."), "success")
    return redirect(url_for("people.home"))
