"""What invoicing keeps about providers and services, in its own tables (so the
catalogue never depends on invoicing): each provider's billing period and payment
terms, the VAT rate of a service, and the per-provider number counters."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, str_enum
from marketplace.invoicing.enums import BillingPeriod, VatRate


class ProviderBillingTerms(Base):
    """A provider's billing period and payment terms; a provider without a row is
    billed every 4 weeks with the site's terms (``INVOICE_PAYMENT_TERMS_DAYS``)."""

    __tablename__ = "provider_billing_terms"
    __table_args__ = (
        CheckConstraint("payment_terms_days IS NULL OR payment_terms_days BETWEEN 0 AND 120",
                        name="terms_in_range"),
    )

    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"), primary_key=True)
    period: Mapped[BillingPeriod] = mapped_column(
        str_enum(BillingPeriod, "billing_period"), default=BillingPeriod.FOUR_WEEKLY)
    payment_terms_days: Mapped[int | None] = mapped_column(Integer)


class ServiceVatRate(Base):
    """The VAT rate a service says applies; without a row, ``vat.default_rate`` by
    category (care and support is exempt)."""

    __tablename__ = "service_vat_rates"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    rate: Mapped[VatRate] = mapped_column(str_enum(VatRate, "service_vat_rate"))


class InvoiceNumberCounter(Base):
    """The last number given in a provider's series. It is read FOR UPDATE and moved
    on in the same transaction as the document it numbers, so a failed run gives its
    number back (no gaps) and two runs never take the same number."""

    __tablename__ = "invoice_number_counters"

    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"), primary_key=True)
    series: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
