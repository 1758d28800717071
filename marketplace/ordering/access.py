"""Who may see an order: the person it is for (or their representative), staff of its
provider, and officers of its budget's council. 404 when there is no such order, 403
when it belongs to someone else."""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select

from catalogue.models import ProviderMember
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.ordering.models import Order


def order_or_404(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    return order


def buyers_order(order_id: int) -> Order:
    order = order_or_404(order_id)
    if order.buyer_id != g.person.id:
        abort(404)  # never confirm that someone else's order exists
    return order


def member_provider_ids() -> set[int]:
    return set(db.session.scalars(select(ProviderMember.provider_id)
                                  .where(ProviderMember.user_id == current_user.id)))


def providers_order(order_id: int) -> Order:
    order = order_or_404(order_id)
    if order.provider_id not in member_provider_ids():
        abort(403)
    return order


def officer_council_ids() -> set[int]:
    return current_user.council_ids_for(Role.COUNCIL_OFFICER)


def councils_order(order_id: int) -> Order:
    order = order_or_404(order_id)
    if order.council_id is None or order.council_id not in officer_council_ids():
        abort(403)
    return order
