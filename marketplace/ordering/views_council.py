"""Council officers: orders waiting for approval at their council, the decision, and
the council's approval threshold (officers of that council, or administrators)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.money import format_pence
from marketplace.ordering import council_bp, funding
from marketplace.ordering.access import councils_order, officer_council_ids
from marketplace.ordering.forms import DecisionForm, ThresholdForm
from marketplace.ordering.lifecycle import (
    Actor,
    InvalidTransition,
    NotAllowed,
    OrderStatus,
    ReasonRequired,
)
from marketplace.ordering.models import Order
from marketplace.ordering.rules import ApprovalReason
from marketplace.ordering.services import StaleOrder, set_status
from marketplace.security import roles

DECISIONS = [SelectChoice("approve", _l("Approve it")),
             SelectChoice("reject", _l("Do not approve it"))]


@council_bp.get("/approvals")
@roles(Role.COUNCIL_OFFICER)
def queue():
    orders = db.session.scalars(select(Order).where(
        Order.council_id.in_(officer_council_ids() or [-1]),
        Order.status == OrderStatus.AWAITING_APPROVAL).order_by(Order.created_at, Order.id)
    ).all()
    return render_template("ordering/council_queue.html", orders=orders)


@council_bp.route("/<int:order_id>", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER)
def decide(order_id: int):
    found = councils_order(order_id)
    waiting = found.status is OrderStatus.AWAITING_APPROVAL
    form = DecisionForm(choices=DECISIONS, refuse_value="reject")
    if waiting and form.validate_on_submit():
        try:
            if form.decision.data == "approve":
                set_status(db.session, found, OrderStatus.APPROVED, actor=Actor.OFFICER,
                           user=current_user, reason=form.reason.data)
                set_status(db.session, found, OrderStatus.AWAITING_PROVIDER, actor=Actor.SYSTEM)
            else:
                set_status(db.session, found, OrderStatus.REJECTED, actor=Actor.OFFICER,
                           user=current_user, reason=form.reason.data)
        except (StaleOrder, InvalidTransition, NotAllowed, ReasonRequired):
            db.session.rollback()
            flash(_("The order changed while you were looking at it."), "info")
        else:
            db.session.commit()
            flash(_("Your decision on order %(reference)s has been recorded.",
                    reference=found.reference), "success")
        return redirect(url_for("council_orders.queue"))
    status = 400 if request.method == "POST" else 200
    return render_template("ordering/council_order.html", order=found, form=form,
                           waiting=waiting,
                           reasons=[ApprovalReason(r) for r in found.approval_reasons or []]
                           ), status


# --- the council's approval threshold -----------------------------------------------

def _settable_councils() -> list:
    from marketplace.accounts.models import Council

    query = select(Council).order_by(Council.name)
    if not current_user.has_role(Role.ADMINISTRATOR):
        query = query.where(Council.id.in_(officer_council_ids() or [-1]))
    return list(db.session.scalars(query))


@council_bp.get("/settings")
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def settings():
    councils = _settable_councils()
    return render_template("ordering/council_settings.html", councils=councils,
                           default=funding.approval_threshold_pence())


@council_bp.route("/settings/<int:council_id>", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def threshold(council_id: int):
    from marketplace.accounts.models import Council

    council = db.session.get(Council, council_id)
    if council is None:
        abort(404)
    if council not in _settable_councils():
        abort(403)
    form = ThresholdForm()
    current = council.order_approval_threshold_pence
    if request.method == "GET":
        form.use.data = "site" if current is None else "none" if current == 0 else "amount"
        if current:
            form.threshold.data = format_pence(current).lstrip("£").replace(",", "")
    if form.validate_on_submit():
        council.order_approval_threshold_pence = form.pence
        db.session.commit()
        flash(_("The approval threshold for %(council)s has been saved.",
                council=council.name), "success")
        return redirect(url_for("council_orders.settings"))
    return render_template("ordering/council_threshold.html", council=council, form=form,
                           default=funding.approval_threshold_pence()), (
        400 if form.errors else 200)
