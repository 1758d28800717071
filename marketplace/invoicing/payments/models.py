"""Card payments (Stripe Checkout), Stripe's webhook events, payment runs and provider
bank details. Money is integer pence, always positive."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class CheckoutStatus(StrEnum):
    STARTING = "starting"  # saved; Stripe not asked yet (or the call failed)
    OPEN = "open"          # the person was sent to Stripe's page
    PAID = "paid"
    FAILED = "failed"      # the card was declined (they may try again)
    EXPIRED = "expired"    # closed without payment (a newer attempt replaced it)

    @property
    def label(self):
        return {"starting": _l("Starting"), "open": _l("Waiting for payment"),
                "paid": _l("Paid"), "failed": _l("Card declined"),
                "expired": _l("Not completed")}[self.value]


class RefundStatus(StrEnum):
    PENDING = "pending"    # saved; Stripe not asked yet (or asked, no answer yet)
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class CardCheckout(Base):
    """One attempt to pay an invoice by card through Stripe Checkout."""

    __tablename__ = "card_checkouts"
    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),
                      CheckConstraint("refunded_pence >= 0", name="refunded_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amount_pence: Mapped[int] = mapped_column(Integer)
    status: Mapped[CheckoutStatus] = mapped_column(
        str_enum(CheckoutStatus, "checkout_status"), default=CheckoutStatus.STARTING)
    stripe_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    checkout_url: Mapped[str | None] = mapped_column(String(1000))
    failure_message: Mapped[str | None] = mapped_column(String(500))
    refunded_pence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invoice = relationship("Invoice")
    refunds: Mapped[list[CardRefund]] = relationship(back_populates="checkout",
                                                     order_by="CardRefund.id")


class CardRefund(Base):
    """Money given back on a card payment: for a credit note (made by us, one per credit
    note), or made in Stripe's dashboard (``credit_note_id`` empty)."""

    __tablename__ = "card_refunds"
    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("card_checkouts.id"), index=True)
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), unique=True)
    stripe_refund_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    amount_pence: Mapped[int] = mapped_column(Integer)
    status: Mapped[RefundStatus] = mapped_column(str_enum(RefundStatus, "card_refund_status"),
                                                 default=RefundStatus.PENDING)
    failure_message: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    checkout: Mapped[CardCheckout] = relationship(back_populates="refunds")


class StripeEvent(Base):
    """Every verified webhook event, stored once by Stripe's event id (replays are
    recognised by it and change nothing)."""

    __tablename__ = "stripe_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    event_type: Mapped[str] = mapped_column(String(100), index=True)
    object_id: Mapped[str | None] = mapped_column(String(255), index=True)
    livemode: Mapped[bool] = mapped_column(default=False)
    stripe_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deliveries: Mapped[int] = mapped_column(Integer, default=1)
    outcome: Mapped[str] = mapped_column(String(40), default="received")
    detail: Mapped[str | None] = mapped_column(String(500))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class RefusedWebhook(Base):
    """A request to the webhook endpoint that Stripe did not sign (forged, unsigned,
    stale or garbled): refused with 400 and kept for the finance team to see."""

    __tablename__ = "refused_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    reason: Mapped[str] = mapped_column(String(300))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    signature_header: Mapped[str | None] = mapped_column(String(500))
    claimed_event_id: Mapped[str | None] = mapped_column(String(255))
    claimed_type: Mapped[str | None] = mapped_column(String(100))
    payload_bytes: Mapped[int] = mapped_column(Integer, default=0)
    payload_sha256: Mapped[str] = mapped_column(String(64))


class BankDetails(Base):
    """Where a provider is paid by BACS. Shown in full only to the provider's owners and
    to finance officers of a council it invoices; every change is audited and e-mailed."""

    __tablename__ = "provider_bank_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"), unique=True)
    account_name: Mapped[str] = mapped_column(String(140))
    sort_code: Mapped[str] = mapped_column(String(6))
    account_number: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    provider = relationship("ProviderOrganisation")

    @property
    def masked_account(self) -> str:
        return "****" + self.account_number[-4:]

    @property
    def masked_sort_code(self) -> str:
        return "**-**-" + self.sort_code[-2:]

    @property
    def sort_code_display(self) -> str:
        return f"{self.sort_code[:2]}-{self.sort_code[2:4]}-{self.sort_code[4:]}"


class RunStatus(StrEnum):
    DRAFT = "draft"            # chosen and reviewed; nothing paid
    CONFIRMING = "confirming"  # being paid, one invoice at a time (resumable)
    PAID = "paid"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return {"draft": _l("Ready to confirm"), "confirming": _l("Part way through"),
                "paid": _l("Paid"), "cancelled": _l("Cancelled")}[self.value]

    @property
    def tag_colour(self) -> str:
        return {"draft": "blue", "confirming": "yellow", "paid": "green",
                "cancelled": "grey"}[self.value]


class ItemStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    SKIPPED = "skipped"  # paid some other way meanwhile: not in the payment file

    @property
    def label(self):
        return {"pending": _l("To pay"), "paid": _l("Paid"),
                "skipped": _l("Already paid: left out")}[self.value]


class PaymentRun(Base):
    """A council's batch of BACS payments to providers for approved invoices."""

    __tablename__ = "payment_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    reference: Mapped[str] = mapped_column(String(18), unique=True)
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus, "payment_run_status"),
                                              default=RunStatus.DRAFT)
    due_by: Mapped[date] = mapped_column(Date)
    pay_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    items: Mapped[list[PaymentRunItem]] = relationship(
        back_populates="run", order_by="PaymentRunItem.id", cascade="all, delete-orphan")
    council = relationship("Council")
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def total_pence(self) -> int:
        return sum(i.amount_pence for i in self.items if i.status is not ItemStatus.SKIPPED)


class PaymentRunItem(Base):
    """One invoice in a run, with the payee's bank details as they were when the run was
    made (the payment file never changes under the finance officer's feet)."""

    __tablename__ = "payment_run_items"
    __table_args__ = (
        # An invoice is in at most one run (a cancelled run lets its invoices go).
        UniqueConstraint("invoice_id", name="uq_payment_run_items_invoice_id"),
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
        Index("ix_payment_run_items_run_provider", "run_id", "provider_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payment_runs.id", ondelete="CASCADE"))
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"))
    payee_name: Mapped[str] = mapped_column(String(140))
    sort_code: Mapped[str] = mapped_column(String(6))
    account_number: Mapped[str] = mapped_column(String(8))
    amount_pence: Mapped[int] = mapped_column(Integer)
    status: Mapped[ItemStatus] = mapped_column(str_enum(ItemStatus, "payment_item_status"),
                                               default=ItemStatus.PENDING)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    run: Mapped[PaymentRun] = relationship(back_populates="items")
    invoice = relationship("Invoice")
    provider = relationship("ProviderOrganisation")
