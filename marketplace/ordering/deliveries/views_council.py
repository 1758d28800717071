"""Council officers: disputed visits on orders paid from their council's budgets."""

from __future__ import annotations

from flask import render_template

from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.ordering.access import officer_council_ids
from marketplace.ordering.deliveries import council_bp
from marketplace.ordering.deliveries.access import councils_record
from marketplace.ordering.deliveries.models import DeliveryRecord
from marketplace.ordering.deliveries.views_provider import (
    dispute_state,
    disputes_query,
    resolve_view,
)
from marketplace.ordering.models import Order
from marketplace.security import roles


@council_bp.get("/disputes")
@roles(Role.COUNCIL_OFFICER)
def disputes():
    state = dispute_state()
    records = db.session.scalars(disputes_query(state).join(
        Order, Order.id == DeliveryRecord.order_id).where(
        Order.council_id.in_(officer_council_ids() or [-1]))).all()
    return render_template("ordering/deliveries/disputes.html", records=records, state=state,
                           queue_endpoint="council_deliveries.disputes",
                           record_endpoint="council_deliveries.record")


@council_bp.route("/visits/<int:delivery_id>", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER)
def record(delivery_id: int):
    return resolve_view(councils_record(delivery_id), "council_deliveries.disputes")
