"""The person's orders: the list, one order with its history, and cancelling (at once
before the provider accepts; with the provider's notice after)."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.forms import ActionForm
from marketplace.accounts.roles import Scope
from marketplace.db import db
from marketplace.ordering import bp
from marketplace.ordering.access import buyers_order
from marketplace.ordering.changes import (
    CHANGEABLE,
    ChangeProblem,
    change_summary,
    current_pause,
    give_notice,
    notice_days,
    pending_change,
    recurring_lines,
)
from marketplace.ordering.forms import NoticeForm
from marketplace.ordering.lifecycle import Actor, OrderStatus, ReasonRequired, allowed_targets
from marketplace.ordering.models import Order
from marketplace.ordering.reasons import CancelWithReasonForm
from marketplace.ordering.rules import ApprovalReason
from marketplace.ordering.services import StaleOrder, set_status
from marketplace.security import person, today


@bp.get("/")
@person(Scope.VIEW)
def mine():
    orders = db.session.scalars(select(Order).where(Order.buyer_id == g.person.id)
                                .order_by(Order.created_at.desc(), Order.id.desc())).all()
    return render_template("ordering/orders.html", orders=orders)


@bp.get("/<int:order_id>")
@person(Scope.VIEW)
def order(order_id: int):
    found = buyers_order(order_id)
    on = today()
    changeable = found.status in CHANGEABLE and found.ends_on is None
    continued_by = db.session.scalars(select(Order).where(
        Order.replaces_order_id == found.id).order_by(Order.id)).all()
    return render_template(
        "ordering/order.html", order=found,
        reasons=[ApprovalReason(r) for r in found.approval_reasons or []],
        may_cancel=OrderStatus.CANCELLED in allowed_targets(found.status, Actor.BUYER)
        and found.notice_given_on is None,
        may_change=changeable and bool(recurring_lines(found, on))
        and pending_change(found) is None,
        may_pause=changeable and found.status is OrderStatus.ACTIVE,
        may_move=changeable, paused=current_pause(found, on)
        if found.status is OrderStatus.PAUSED else None,
        pending=pending_change(found), continued_by=continued_by, resume_form=ActionForm(),
        pending_summary=change_summary(pending_change(found)) if pending_change(found)
        else None)


@bp.route("/<int:order_id>/cancel", methods=["GET", "POST"])
@person(Scope.ORDER)
def cancel(order_id: int):
    found = buyers_order(order_id)
    if OrderStatus.CANCELLED not in allowed_targets(found.status, Actor.BUYER) or (
            found.notice_given_on is not None):
        flash(_("This order can no longer be cancelled here. Contact the provider."), "info")
        return redirect(url_for("ordering.order", order_id=found.id))
    if found.status in CHANGEABLE:
        return _give_notice(found)
    form = CancelWithReasonForm()
    if form.validate_on_submit() and form.sure.data == "no":
        return redirect(url_for("ordering.order", order_id=found.id))
    if form.validate_on_submit():
        try:
            set_status(db.session, found, OrderStatus.CANCELLED, actor=Actor.BUYER,
                       user=current_user, acting_for=g.acting_for, reason=form.reason.data,
                       reason_code=form.reason_code.data)
        except ReasonRequired:
            form.reason.errors = [_("Enter the reason, so the provider knows why")]
        except StaleOrder:
            db.session.rollback()
            flash(_("The order changed while you were looking at it. Check it and try "
                    "again."), "info")
            return redirect(url_for("ordering.order", order_id=found.id))
        else:
            db.session.commit()
            flash(_("Order %(reference)s has been cancelled.", reference=found.reference),
                  "success")
            return redirect(url_for("ordering.order", order_id=found.id))
    status = 200 if request.method == "GET" else 400
    return render_template("ordering/cancel.html", order=found, form=form,
                           needs_reason=False), status


def _give_notice(found):
    """Accepted support: the provider's notice period applies (ordering.changes)."""
    form = NoticeForm()
    days = notice_days(db.session, found)
    if form.validate_on_submit() and form.sure.data == "no":
        return redirect(url_for("ordering.order", order_id=found.id))
    if form.validate_on_submit():
        try:
            last = give_notice(db.session, found, reason=form.reason.data, user=current_user,
                               acting_for=g.acting_for, today=today())
        except ChangeProblem as problem:
            db.session.rollback()
            form.reason.errors = [str(m) for m in problem.messages]
        except StaleOrder:
            db.session.rollback()
            flash(_("The order changed while you were looking at it. Check it and try "
                    "again."), "info")
            return redirect(url_for("ordering.order", order_id=found.id))
        else:
            db.session.commit()
            if last is None:
                flash(_("Order %(reference)s has been cancelled.", reference=found.reference),
                      "success")
            else:
                flash(_("You have given notice. Support from order %(reference)s ends on "
                        "%(date)s.", reference=found.reference,
                        date=format_date(last, "d MMMM yyyy")), "success")
            return redirect(url_for("ordering.order", order_id=found.id))
    status = 200 if request.method == "GET" else 400
    return render_template("ordering/notice.html", order=found, form=form, days=days,
                           last_day=today() + timedelta(days=days - 1) if days else None
                           ), status
