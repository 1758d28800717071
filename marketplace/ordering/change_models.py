"""Changes to an order after it was placed: a new weekly pattern for a recurring line
from a date (the provider confirms it), and pauses.

Every change keeps its own row, so the order's history says what was asked, by whom,
what the provider answered and how much money moved on the budget because of it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class ChangeStatus(StrEnum):
    PENDING = "pending"      # waiting for the provider
    ACCEPTED = "accepted"    # applied to the order; the money was adjusted
    DECLINED = "declined"    # the provider said no (with a reason)
    WITHDRAWN = "withdrawn"  # the order ended (or was changed otherwise) first

    @property
    def label(self):
        return {"pending": _l("Waiting for the provider"), "accepted": _l("Confirmed"),
                "declined": _l("Declined"), "withdrawn": _l("Withdrawn")}[self.value]

    @property
    def tag_colour(self) -> str:
        return {"pending": "yellow", "accepted": "green", "declined": "red",
                "withdrawn": "grey"}[self.value]


class OrderChange(Base):
    """A new weekly pattern (days, times, hours a visit) for one recurring line of an
    order, from ``effective_on``. Applied when the provider accepts it."""

    __tablename__ = "order_changes"
    __table_args__ = (
        CheckConstraint("quantity_hundredths > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"),
                                          index=True)
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE"))
    status: Mapped[ChangeStatus] = mapped_column(
        str_enum(ChangeStatus, "order_change_status"), default=ChangeStatus.PENDING)
    effective_on: Mapped[date] = mapped_column(Date)
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    quantity_hundredths: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)  # the buyer's words to the provider
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # The day the new pattern really started (the provider may answer late) and what
    # the change moved on the budget: positive set aside, negative released.
    applied_from: Mapped[date | None] = mapped_column(Date)
    money_pence: Mapped[int] = mapped_column(default=0)

    order = relationship("Order", back_populates="changes")
    line = relationship("OrderLine")
    requested_by = relationship("User", foreign_keys=[requested_by_id])


class OrderPause(Base):
    """No visits from ``starts_on`` until the day before ``resumes_on`` (open-ended
    while ``resumes_on`` is empty). The cost of the paused days is released."""

    __tablename__ = "order_pauses"
    __table_args__ = (
        CheckConstraint("resumes_on IS NULL OR resumes_on > starts_on",
                        name="resumes_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"),
                                          index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    resumes_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_pence: Mapped[int] = mapped_column(default=0)
    recommitted_pence: Mapped[int] = mapped_column(default=0)

    order = relationship("Order", back_populates="pauses")

    @property
    def last_day(self) -> date | None:
        return self.resumes_on - timedelta(days=1) if self.resumes_on else None
