"""Orders, their lines and events, and each person's basket.

An order is placed with one provider, for one person (the buyer), by that person or
a representative (placed_by). Its lines keep the price that applied when it was
placed and why (``catalogue.pricing.price_for``). Every status change writes an
``OrderEvent`` (``ordering.services.set_status``). A basket line keeps the price the
person saw when they added it, so a later change of price is noticed at checkout.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models import Service, Unit
from catalogue.pricing import PriceBasis
from marketplace.budgets import models as _budgets  # noqa: F401 - orders.budget_id refers to it
from marketplace.db import Base, UTCDateTime, str_enum, utcnow
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.schedule import Schedule, ScheduleKind


class PaymentMethod(StrEnum):
    BUDGET = "budget"
    CARD = "card"
    SPLIT = "split"  # part from a budget, part the person's own contribution

    @property
    def label(self):
        return {"budget": _l("From a personal budget"), "card": _l("By card"),
                "split": _l("Split between a budget and my own money")}[self.value]


class CardPayment(StrEnum):
    AWAITING = "awaiting_card_payment"  # taken by the invoicing issue's gateway
    PAID = "paid"


class ScheduleColumns:
    kind: Mapped[ScheduleKind] = mapped_column(str_enum(ScheduleKind, "schedule_kind"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    quantity_hundredths: Mapped[int]

    @property
    def schedule(self) -> Schedule:
        return Schedule(kind=ScheduleKind(self.kind), starts_on=self.starts_on,
                        quantity_hundredths=self.quantity_hundredths, ends_on=self.ends_on,
                        weekdays=frozenset(self.weekdays or ()), start_time=self.start_time,
                        end_time=self.end_time)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("committed_pence >= 0", name="committed_not_negative"),
        CheckConstraint("contribution_pence >= 0", name="contribution_not_negative"),
        CheckConstraint("total_pence >= 0", name="total_not_negative"),
        CheckConstraint("payment_method = 'card' OR budget_id IS NOT NULL",
                        name="budget_when_paid_from_one"),
        Index("ix_orders_provider_status", "provider_id", "status"),
        Index("ix_orders_status_reply_due", "status", "provider_reply_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    checkout_key: Mapped[str] = mapped_column(String(64), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"))
    status: Mapped[OrderStatus] = mapped_column(
        str_enum(OrderStatus, "order_status"), default=OrderStatus.SUBMITTED)
    payment_method: Mapped[PaymentMethod] = mapped_column(
        str_enum(PaymentMethod, "payment_method"))
    card_payment: Mapped[CardPayment | None] = mapped_column(
        str_enum(CardPayment, "card_payment"))
    budget_id: Mapped[int | None] = mapped_column(ForeignKey("budgets.id"), index=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    funding_stream: Mapped[str | None] = mapped_column(String(40))
    # What the order costs to the end of the budget period or of the order (total), a
    # week (recurring lines), the person's own share, and what is held on the budget.
    total_pence: Mapped[int] = mapped_column(default=0)
    weekly_pence: Mapped[int | None]
    contribution_pence: Mapped[int] = mapped_column(default=0)
    committed_pence: Mapped[int] = mapped_column(default=0)
    approval_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status_reason: Mapped[str | None] = mapped_column(Text)  # the latest "why", shown
    provider_reply_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last day of support when it ends early (the buyer's notice, a move to
    # another provider); every cost is counted up to it (``ordering.changes``).
    ends_on: Mapped[date | None] = mapped_column(Date)
    notice_given_on: Mapped[date | None] = mapped_column(Date)  # the buyer cancelled
    # The order this one continues ("move to another provider").
    replaces_order_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id")
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderEvent.id")
    buyer = relationship("User", foreign_keys=[buyer_id])
    placed_by = relationship("User", foreign_keys=[placed_by_id])
    provider = relationship("ProviderOrganisation")
    replaces = relationship("Order", remote_side=[id], foreign_keys=[replaces_order_id])
    pauses = relationship("OrderPause", back_populates="order", cascade="all, delete-orphan",
                          order_by="OrderPause.starts_on")
    changes = relationship("OrderChange", back_populates="order",
                           cascade="all, delete-orphan", order_by="OrderChange.id")

    @property
    def budget_pence(self) -> int:
        """The budget's share of the total (the rest is the person's contribution)."""
        if self.payment_method is PaymentMethod.CARD:
            return 0
        return max(0, self.total_pence - self.contribution_pence)

    @property
    def starts_on(self) -> date:
        return min(line.starts_on for line in self.lines)


class OrderLine(ScheduleColumns, Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity_hundredths > 0", name="quantity_positive"),
        CheckConstraint("unit_price_pence >= 0", name="price_not_negative"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"),
                                          index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    service_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(80))
    unit: Mapped[Unit] = mapped_column(str_enum(Unit, "order_line_unit"))
    unit_price_pence: Mapped[int]
    price_basis: Mapped[PriceBasis] = mapped_column(str_enum(PriceBasis, "price_basis"))
    rate_council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"))
    public_price_pence: Mapped[int]
    weekly_pence: Mapped[int | None]
    total_pence: Mapped[int]

    order: Mapped[Order] = relationship(back_populates="lines")
    service: Mapped[Service] = relationship()


class EventKind(StrEnum):
    """What an event records: a status change, or a change that keeps the status."""

    STATUS = "status"
    CHANGE_REQUESTED = "change_requested"
    CHANGE_ACCEPTED = "change_accepted"
    CHANGE_DECLINED = "change_declined"
    NOTICE_GIVEN = "notice_given"
    MOVED = "moved"            # this order ends; another provider's order continues it
    CONTINUES = "continues"    # this order continues one that moved here

    @property
    def label(self):
        return EVENT_LABELS[self]


EVENT_LABELS = {
    EventKind.STATUS: "",
    EventKind.CHANGE_REQUESTED: _l("Change asked for"),
    EventKind.CHANGE_ACCEPTED: _l("Change confirmed by the provider"),
    EventKind.CHANGE_DECLINED: _l("Change declined by the provider"),
    EventKind.NOTICE_GIVEN: _l("Notice of cancellation given"),
    EventKind.MOVED: _l("Moved to another provider"),
    EventKind.CONTINUES: _l("Continues an order with another provider"),
}


class OrderEvent(Base):
    """One transition of an order: from, to, who, for whom, when and why (or, for a
    ``kind`` other than status, a change that kept the status: from = to)."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"),
                                          index=True)
    from_status: Mapped[OrderStatus | None] = mapped_column(
        str_enum(OrderStatus, "order_event_from"))
    to_status: Mapped[OrderStatus] = mapped_column(str_enum(OrderStatus, "order_event_to"))
    actor: Mapped[Actor] = mapped_column(str_enum(Actor, "order_actor"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    # A reason code chosen with it (ordering.reasons.EndReason): reports show only this.
    reason_code: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, "order_event_kind"),
                                            default=EventKind.STATUS,
                                            server_default=EventKind.STATUS.value)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    order: Mapped[Order] = relationship(back_populates="events")
    user = relationship("User", foreign_keys=[user_id])


class Basket(Base):
    __tablename__ = "baskets"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                           unique=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lines: Mapped[list[BasketLine]] = relationship(
        back_populates="basket", cascade="all, delete-orphan", order_by="BasketLine.id")


class BasketLine(ScheduleColumns, Base):
    __tablename__ = "basket_lines"
    __table_args__ = (
        CheckConstraint("quantity_hundredths > 0", name="quantity_positive"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    basket_id: Mapped[int] = mapped_column(ForeignKey("baskets.id", ondelete="CASCADE"),
                                           index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            index=True)
    price_seen_pence: Mapped[int]
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    basket: Mapped[Basket] = relationship(back_populates="lines")
    service: Mapped[Service] = relationship()


from marketplace.ordering.change_models import OrderChange, OrderPause  # noqa: E402, F401
