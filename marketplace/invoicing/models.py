"""Invoices, credit notes and ISF statements, their lines, payments and queries.

One ``Invoice`` table holds the three kinds of document (``InvoiceKind``): an invoice,
a credit note (``credits_invoice_id`` names the invoice it corrects) and an
Individual Service Fund statement. Invoices and credit notes of a provider share one
gap-free number sequence (``numbering``); statements have their own.

Everything that makes the document (payer, provider details, dates, lines and
totals) is fixed once issued: the ORM refuses changes (``guards``). What moves
afterwards is the status, the approval, the money paid and credited, and the
settlement figures, all of which are derived from rows appended elsewhere
(payments, credit notes, ledger transfers).

Money is integer pence, always positive: the kind says the direction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, str_enum, utcnow
from marketplace.invoicing.enums import (
    InvoiceKind,
    InvoiceStatus,
    PayerKind,
    PayerShare,
    PaymentKind,
    VatRate,
)
from marketplace.invoicing.terms import (  # noqa: F401 - one import gives every model
    InvoiceNumberCounter,
    ProviderBillingTerms,
    ServiceVatRate,
)

PREFIXES = {InvoiceKind.INVOICE: "INV", InvoiceKind.CREDIT_NOTE: "CN",
            InvoiceKind.STATEMENT: "ISF"}


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("provider_id", "series", "number", name="uq_invoices_number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("net_pence >= 0 AND vat_pence >= 0 AND gross_pence = net_pence "
                        "+ vat_pence", name="totals_add_up"),
        CheckConstraint("(kind = 'credit_note') = (credits_invoice_id IS NOT NULL)",
                        name="credit_notes_reference_invoice"),
        CheckConstraint("period_end >= period_start", name="period_in_order"),
        CheckConstraint("due_on >= issued_on", name="due_after_issue"),
        CheckConstraint("payer_kind <> 'council' OR council_id IS NOT NULL",
                        name="council_payer_named"),
        CheckConstraint("payer_kind <> 'person' OR payer_user_id IS NOT NULL",
                        name="person_payer_named"),
        CheckConstraint("payer_kind <> 'managed_account' OR payer_organisation IS NOT NULL",
                        name="organisation_payer_named"),
        Index("ix_invoices_provider_status", "provider_id", "status"),
        Index("ix_invoices_council_status", "council_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"))
    kind: Mapped[InvoiceKind] = mapped_column(str_enum(InvoiceKind, "invoice_kind"))
    # "invoice" (invoices and credit notes share it) or "statement".
    series: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    credits_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"),
                                                           index=True)
    # Who pays, and for whom (the person the support was for).
    payer_kind: Mapped[PayerKind] = mapped_column(str_enum(PayerKind, "payer_kind"))
    share: Mapped[PayerShare] = mapped_column(str_enum(PayerShare, "payer_share"))
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"))
    payer_organisation: Mapped[str | None] = mapped_column(String(200))
    payer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    payer_name: Mapped[str] = mapped_column(String(300))
    budget_id: Mapped[int | None] = mapped_column(ForeignKey("budgets.id"), index=True)
    # The provider's details as they were when it was issued.
    provider_name: Mapped[str] = mapped_column(String(200))
    provider_address: Mapped[str] = mapped_column(String(500), default="")
    provider_email: Mapped[str | None] = mapped_column(String(254))
    provider_phone: Mapped[str | None] = mapped_column(String(40))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    net_pence: Mapped[int] = mapped_column(Integer)
    vat_pence: Mapped[int] = mapped_column(Integer)
    gross_pence: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)  # a credit note's reason
    # What changes after issue (never the document itself):
    status: Mapped[InvoiceStatus] = mapped_column(
        str_enum(InvoiceStatus, "invoice_status"), default=InvoiceStatus.ISSUED)
    credited_pence: Mapped[int] = mapped_column(Integer, default=0)
    paid_pence: Mapped[int] = mapped_column(Integer, default=0)  # payments less refunds
    approved_on: Mapped[date | None] = mapped_column(Date)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Settlement on the budget's ledger: what was taken from the money set aside,
    # and the difference drawn from (negative: released to) the money available.
    settled_pence: Mapped[int] = mapped_column(Integer, default=0)
    settlement_difference_pence: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.id", lazy="selectin",
        foreign_keys="InvoiceLine.invoice_id")
    payments: Mapped[list[InvoicePayment]] = relationship(
        back_populates="invoice", order_by="InvoicePayment.id")
    queries: Mapped[list[InvoiceQuery]] = relationship(
        back_populates="invoice", order_by="InvoiceQuery.id")
    credits_invoice: Mapped[Invoice | None] = relationship(
        remote_side=[id], back_populates="credit_notes")
    credit_notes: Mapped[list[Invoice]] = relationship(
        back_populates="credits_invoice", order_by="Invoice.id")
    provider = relationship("ProviderOrganisation")
    council = relationship("Council")
    person = relationship("User", foreign_keys=[person_id])
    payer_user = relationship("User", foreign_keys=[payer_user_id])
    budget = relationship("Budget")

    @property
    def reference(self) -> str:
        """The number as printed: INV-000042 (one sequence per provider)."""
        return f"{PREFIXES[InvoiceKind(self.kind)]}-{self.number:06d}"

    @property
    def payable_pence(self) -> int:
        """What the payer owes in all: the gross less credit notes."""
        return self.gross_pence - self.credited_pence

    @property
    def balance_pence(self) -> int:
        """Still to pay (negative: paid more than is now owed, a refund is due)."""
        return self.payable_pence - self.paid_pence

    @property
    def is_invoice(self) -> bool:
        return self.kind is InvoiceKind.INVOICE

    @property
    def settles_budget(self) -> bool:
        """Paid from a personal budget, so approval moves money on its ledger."""
        return self.budget_id is not None and self.share is PayerShare.BUDGET


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        # Each delivery is billed at most once per share (an invoice line sets
        # ``billed_delivery_id``; credit-note and statement-free lines leave it NULL).
        UniqueConstraint("billed_delivery_id", "share", name="uq_invoice_lines_billed"),
        CheckConstraint("net_pence >= 0 AND vat_pence >= 0 AND gross_pence = net_pence "
                        "+ vat_pence", name="totals_add_up"),
        CheckConstraint("quantity_hundredths >= 0", name="quantity_not_negative"),
        CheckConstraint("billed_delivery_id IS NULL OR billed_delivery_id = "
                        "delivery_record_id", name="billed_is_the_delivery"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"))
    delivery_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("delivery_records.id"), index=True)
    billed_delivery_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_records.id"))
    share: Mapped[PayerShare] = mapped_column(str_enum(PayerShare, "line_payer_share"))
    credits_line_id: Mapped[int | None] = mapped_column(ForeignKey("invoice_lines.id"),
                                                        index=True)
    budget_id: Mapped[int | None] = mapped_column(ForeignKey("budgets.id"))
    funding_stream: Mapped[str | None] = mapped_column(String(40))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    category: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(300))
    occurred_on: Mapped[date | None] = mapped_column(Date)
    quantity_hundredths: Mapped[int] = mapped_column(Integer)
    unit_price_pence: Mapped[int] = mapped_column(Integer)
    vat_rate: Mapped[VatRate] = mapped_column(str_enum(VatRate, "vat_rate"))
    net_pence: Mapped[int] = mapped_column(Integer)
    vat_pence: Mapped[int] = mapped_column(Integer)
    gross_pence: Mapped[int] = mapped_column(Integer)

    invoice: Mapped[Invoice] = relationship(back_populates="lines",
                                            foreign_keys=[invoice_id])
    delivery = relationship("DeliveryRecord", foreign_keys=[delivery_record_id])


class InvoicePayment(Base):
    """Money received for an invoice (or given back: a refund), appended once per key."""

    __tablename__ = "invoice_payments"
    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    kind: Mapped[PaymentKind] = mapped_column(str_enum(PaymentKind, "invoice_payment_kind"),
                                              default=PaymentKind.PAYMENT)
    amount_pence: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(40))  # bacs, card, cheque, ...
    reference: Mapped[str] = mapped_column(String(200), default="")
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    paid_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invoice: Mapped[Invoice] = relationship(back_populates="payments")

    @property
    def signed_pence(self) -> int:
        return self.amount_pence if self.kind is PaymentKind.PAYMENT else -self.amount_pence


class InvoiceQuery(Base):
    """A message about an invoice: a payer's query or dispute, or the provider's reply."""

    __tablename__ = "invoice_queries"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_provider: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text)
    # The form's one-time key: sending the same message twice stores it once.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invoice: Mapped[Invoice] = relationship(back_populates="queries")
    author = relationship("User")


# The immutability guards are part of the model: importing it arms them.
from marketplace.invoicing import guards as _guards  # noqa: E402, F401
