"""Who may see a delivery record: staff of its provider, the person it was for (or
their representative) and council officers of the order's council. 404 when there is
no such record (or it is another person's), 403 when it belongs to someone else."""

from __future__ import annotations

from flask import abort, g

from marketplace.db import db
from marketplace.ordering.access import member_provider_ids, officer_council_ids
from marketplace.ordering.deliveries.models import DeliveryRecord


def record_or_404(delivery_id: int) -> DeliveryRecord:
    record = db.session.get(DeliveryRecord, delivery_id)
    if record is None:
        abort(404)
    return record


def providers_record(delivery_id: int) -> DeliveryRecord:
    record = record_or_404(delivery_id)
    if record.provider_id not in member_provider_ids():
        abort(403)
    return record


def buyers_record(delivery_id: int) -> DeliveryRecord:
    record = record_or_404(delivery_id)
    if record.order.buyer_id != g.person.id:
        abort(404)  # never confirm that someone else's record exists
    return record


def councils_record(delivery_id: int) -> DeliveryRecord:
    record = record_or_404(delivery_id)
    council_id = record.order.council_id
    if council_id is None or council_id not in officer_council_ids():
        abort(403)
    return record
