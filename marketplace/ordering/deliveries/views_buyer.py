"""The person (or a representative acting for them): the visits recorded on their
orders, and confirming or disputing each one."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.roles import Scope
from marketplace.db import db
from marketplace.ordering.access import buyers_order
from marketplace.ordering.deliveries import buyer_bp
from marketplace.ordering.deliveries.access import buyers_record
from marketplace.ordering.deliveries.forms import AnswerForm
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus
from marketplace.ordering.deliveries.services import NotAnswerable, confirm, dispute
from marketplace.ordering.models import Order
from marketplace.security import person


def persons_records(order_id: int | None = None) -> list[DeliveryRecord]:
    query = select(DeliveryRecord).join(Order, Order.id == DeliveryRecord.order_id).where(
        Order.buyer_id == g.person.id)
    if order_id is not None:
        query = query.where(Order.id == order_id)
    return list(db.session.scalars(query.order_by(
        DeliveryRecord.occurred_on.desc(), DeliveryRecord.id.desc()).limit(300)))


@buyer_bp.get("/visits")
@person(Scope.VIEW)
def mine():
    records = persons_records()
    to_check = [r for r in records if r.status is DeliveryStatus.RECORDED]
    return render_template("ordering/deliveries/buyer_visits.html", records=records,
                           to_check=to_check, order=None)


@buyer_bp.get("/<int:order_id>/visits")
@person(Scope.VIEW)
def for_order(order_id: int):
    order = buyers_order(order_id)
    records = persons_records(order.id)
    to_check = [r for r in records if r.status is DeliveryStatus.RECORDED]
    return render_template("ordering/deliveries/buyer_visits.html", records=records,
                           to_check=to_check, order=order)


@buyer_bp.route("/visits/<int:delivery_id>", methods=["GET", "POST"])
@person(Scope.ORDER)
def answer(delivery_id: int):
    record = buyers_record(delivery_id)
    waiting = record.status is DeliveryStatus.RECORDED
    form = AnswerForm()
    if not waiting and request.method == "POST":
        flash(_("This visit has already been answered."), "info")
        return redirect(url_for("deliveries.answer", delivery_id=record.id))
    if waiting and form.validate_on_submit():
        try:
            if form.response.data == "confirm":
                confirm(db.session, record, user=current_user)
            else:
                dispute(db.session, record, reason=form.reason.data, user=current_user)
        except NotAnswerable:
            db.session.rollback()
            flash(_("This visit has already been answered."), "info")
        else:
            db.session.commit()
            flash(_("Thank you: the visit is confirmed.") if form.response.data == "confirm"
                  else _("The visit is disputed. The provider has been told, and the council "
                         "can see it too."), "success")
        return redirect(url_for("deliveries.for_order", order_id=record.order_id))
    status = 400 if request.method == "POST" else 200
    return render_template("ordering/deliveries/answer.html", record=record, form=form,
                           waiting=waiting, acting_for=g.acting_for), status
