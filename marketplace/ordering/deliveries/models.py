"""Delivery records: each visit or session a provider delivered (or missed) against
an order line, and the buyer's confirmation or dispute of it.

The invoicing issue bills these rows (``deliveries.services.billable_records``):
each keeps its order and line, the date and times, the units delivered and the unit
price of the line, so an invoice never has to look back at a schedule.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, str_enum, utcnow
from marketplace.ordering.schedule import visit_cost_pence


class DeliveryStatus(StrEnum):
    RECORDED = "recorded"    # the provider says it happened; the buyer has not answered
    CONFIRMED = "confirmed"  # the buyer agrees
    DISPUTED = "disputed"    # the buyer says it did not happen as recorded: in the queue
    RESOLVED = "resolved"    # the provider or the council closed the dispute
    MISSED = "missed"        # a scheduled visit that did not happen

    @property
    def label(self):
        return STATUS_LABELS[self]

    @property
    def tag_colour(self) -> str:
        return {"recorded": "blue", "confirmed": "green", "disputed": "red",
                "resolved": "grey", "missed": "orange"}[self.value]


STATUS_LABELS = {
    DeliveryStatus.RECORDED: _l("Recorded by the provider"),
    DeliveryStatus.CONFIRMED: _l("Confirmed"),
    DeliveryStatus.DISPUTED: _l("Disputed"),
    DeliveryStatus.RESOLVED: _l("Dispute closed"),
    DeliveryStatus.MISSED: _l("Missed"),
}


class DisputeOutcome(StrEnum):
    STANDS = "stands"        # the visit happened as recorded: it is billed
    WITHDRAWN = "withdrawn"  # the buyer was right: the record is not billed

    @property
    def label(self):
        return {"stands": _l("The visit happened as recorded"),
                "withdrawn": _l("The buyer is right: it will not be billed")}[self.value]


class DeliveryRecord(Base):
    __tablename__ = "delivery_records"
    __table_args__ = (
        # One record per scheduled occurrence (a line has at most one visit a day).
        UniqueConstraint("order_line_id", "occurred_on", name="uq_delivery_records_occurrence"),
        CheckConstraint("status = 'missed' OR (starts_at IS NOT NULL AND ends_at IS NOT NULL "
                        "AND ends_at > starts_at)", name="times_in_order"),
        CheckConstraint("status <> 'missed' OR missed_reason IS NOT NULL",
                        name="missed_has_reason"),
        CheckConstraint("units_hundredths >= 0", name="units_not_negative"),
        CheckConstraint("unit_price_pence >= 0", name="price_not_negative"),
        Index("ix_delivery_records_provider_day", "provider_id", "occurred_on"),
        Index("ix_delivery_records_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"),
                                          index=True)
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"))
    occurred_on: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[time | None] = mapped_column(Time)
    ends_at: Mapped[time | None] = mapped_column(Time)
    # Hundredths of the line's unit delivered (0 for a missed visit), and the unit
    # price the line was ordered at: what an invoice bills.
    units_hundredths: Mapped[int] = mapped_column(default=0)
    unit_price_pence: Mapped[int]
    worker_first_name: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.RECORDED)
    missed_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The buyer's answer (the person, or a representative acting for them).
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dispute_reason: Mapped[str | None] = mapped_column(Text)
    # Closing a dispute.
    outcome: Mapped[DisputeOutcome | None] = mapped_column(
        str_enum(DisputeOutcome, "dispute_outcome"))
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order = relationship("Order")
    line = relationship("OrderLine")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])

    @property
    def amount_pence(self) -> int:
        """What the record is worth at the line's price (the one rounding rule)."""
        return visit_cost_pence(self.unit_price_pence, self.units_hundredths)

    @property
    def billable(self) -> bool:
        return self.status in (DeliveryStatus.RECORDED, DeliveryStatus.CONFIRMED) or (
            self.status is DeliveryStatus.RESOLVED and self.outcome is DisputeOutcome.STANDS)
