"""Provider staff: the orders inbox, one order, accept or decline with a reason."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from catalogue.models import ProviderOrganisation
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.ordering import provider_bp
from marketplace.ordering.access import member_provider_ids, providers_order
from marketplace.ordering.lifecycle import (
    Actor,
    InvalidTransition,
    NotAllowed,
    OrderStatus,
    ReasonRequired,
)
from marketplace.ordering.models import Order, OrderLine
from marketplace.ordering.reasons import ProviderDecisionForm
from marketplace.ordering.services import StaleOrder, set_status
from marketplace.security import roles

# The states a provider's inbox filters on, most urgent first.
INBOX_STATES = [OrderStatus.AWAITING_PROVIDER, OrderStatus.ACCEPTED, OrderStatus.ACTIVE,
                OrderStatus.PAUSED, OrderStatus.DECLINED, OrderStatus.EXPIRED,
                OrderStatus.CANCELLED, OrderStatus.COMPLETED]


@provider_bp.get("/")
@roles(Role.PROVIDER_STAFF)
def inbox():
    provider_ids = member_provider_ids()
    providers = db.session.scalars(select(ProviderOrganisation).where(
        ProviderOrganisation.id.in_(provider_ids)).order_by(ProviderOrganisation.name)).all()
    raw_status = request.args.get("status", OrderStatus.AWAITING_PROVIDER.value)
    status = next((s for s in INBOX_STATES if s.value == raw_status), None)
    raw_provider = request.args.get("provider", "")
    chosen = int(raw_provider) if raw_provider.isdigit() and int(raw_provider) in provider_ids \
        else None
    query = select(Order).where(Order.provider_id.in_(
        [chosen] if chosen else provider_ids or [-1]))
    if status is not None:
        query = query.where(Order.status == status)
    orders = db.session.scalars(query.order_by(Order.created_at.desc(), Order.id.desc())
                                .limit(200)).all()
    return render_template("ordering/provider_inbox.html", orders=orders, states=INBOX_STATES,
                           status=status, providers=providers, chosen=chosen)


def weekly_units_taken(service_id: int, excluding_order: int) -> int:
    """Hundredths of units a week already taken by accepted and active weekly orders."""
    lines = db.session.scalars(select(OrderLine).join(Order).where(
        OrderLine.service_id == service_id, Order.id != excluding_order,
        Order.status.in_([OrderStatus.ACCEPTED, OrderStatus.ACTIVE]))).all()
    return sum(line.quantity_hundredths * len(line.weekdays or []) for line in lines)


def capacity_warnings(order: Order) -> list[str]:
    warnings = []
    for line in order.lines:
        capacity = line.service.capacity_per_week
        if capacity is None or not line.weekdays:
            continue
        taken = weekly_units_taken(line.service_id, order.id)
        wanted = line.quantity_hundredths * len(line.weekdays)
        if taken + wanted > capacity * 100:
            warnings.append(_(
                "%(service)s: accepting this takes you beyond the capacity you state "
                "(%(capacity)d a week; %(taken)s already taken, this order adds %(wanted)s).",
                service=line.service_name, capacity=capacity, taken=f"{taken / 100:g}",
                wanted=f"{wanted / 100:g}"))
    return warnings


DECISIONS = [SelectChoice("accept", _l("Accept the order")),
             SelectChoice("decline", _l("Decline the order"))]


@provider_bp.route("/<int:order_id>", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def order(order_id: int):
    found = providers_order(order_id)
    awaiting = found.status is OrderStatus.AWAITING_PROVIDER
    form = ProviderDecisionForm(choices=DECISIONS, refuse_value="decline")
    if awaiting and form.validate_on_submit():
        target = OrderStatus.ACCEPTED if form.decision.data == "accept" else OrderStatus.DECLINED
        try:
            set_status(db.session, found, target, actor=Actor.PROVIDER, user=current_user,
                       reason=form.reason.data, reason_code=form.reason_code.data
                       if target is OrderStatus.DECLINED else None)
        except (StaleOrder, InvalidTransition, NotAllowed, ReasonRequired):
            db.session.rollback()
            flash(_("The order changed while you were looking at it."), "info")
        else:
            db.session.commit()
            flash(_("You have accepted order %(reference)s.", reference=found.reference)
                  if target is OrderStatus.ACCEPTED else
                  _("You have declined order %(reference)s.", reference=found.reference),
                  "success")
        return redirect(url_for("provider_orders.order", order_id=found.id))
    status = 400 if request.method == "POST" else 200
    from marketplace.ordering.changes import change_summary, pending_change

    pending = pending_change(found)
    continued_by = db.session.scalars(select(Order).where(
        Order.replaces_order_id == found.id, Order.provider_id.in_(member_provider_ids()))
    ).all()
    return render_template("ordering/provider_order.html", order=found, form=form,
                           awaiting=awaiting, warnings=capacity_warnings(found) if awaiting
                           else [], pending_changes=[pending] if pending else [],
                           change_summary=change_summary, continued_by=continued_by), status


def awaiting_count() -> int:
    ids = member_provider_ids()
    if not ids:
        return 0
    return db.session.scalar(select(func.count(Order.id)).where(
        Order.provider_id.in_(ids), Order.status == OrderStatus.AWAITING_PROVIDER)) or 0
