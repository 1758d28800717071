"""Services (listings), their weekly availability, funding streams, photos, and the
rates councils agree for them."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
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

from catalogue.models.enums import ServiceStatus, Unit
from catalogue.taxonomy import FundingStream
from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint("price_pence >= 0", name="price_not_negative"),
        CheckConstraint("min_booking_units >= 1", name="min_booking_positive"),
        CheckConstraint("lead_time_days >= 0", name="lead_time_not_negative"),
        CheckConstraint("capacity_per_week IS NULL OR capacity_per_week >= 0",
                        name="capacity_not_negative"),
        CheckConstraint("min_age IS NULL OR max_age IS NULL OR min_age <= max_age",
                        name="ages_in_order"),
        Index("ix_services_status_confirmed", "status", "last_confirmed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(80), index=True)  # a taxonomy slug
    outcomes: Mapped[list[str]] = mapped_column(JSON, default=list)
    unit: Mapped[Unit] = mapped_column(str_enum(Unit, "service_unit"))
    price_pence: Mapped[int]
    min_booking_units: Mapped[int] = mapped_column(default=1)
    lead_time_days: Mapped[int] = mapped_column(default=0)
    capacity_per_week: Mapped[int | None]  # units a week the provider can take on
    # Days' notice a buyer gives to cancel accepted support (None: the site's default,
    # ORDER_NOTICE_DAYS). Set by ordering's migration; shown and used by ordering.
    notice_days: Mapped[int | None]
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    regulated: Mapped[bool] = mapped_column(default=False)  # a CQC regulated activity
    status: Mapped[ServiceStatus] = mapped_column(
        str_enum(ServiceStatus, "service_status"), default=ServiceStatus.DRAFT, index=True
    )
    last_confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    provider: Mapped[ProviderOrganisation] = relationship(  # noqa: F821
        back_populates="services")
    availability: Mapped[list[ServiceAvailability]] = relationship(
        cascade="all, delete-orphan",
        order_by="(ServiceAvailability.weekday, ServiceAvailability.starts_at)",
    )
    funding_streams: Mapped[list[ServiceFundingStream]] = relationship(
        cascade="all, delete-orphan")
    photos: Mapped[list[ServicePhoto]] = relationship(
        cascade="all, delete-orphan", order_by="ServicePhoto.position")
    council_rates: Mapped[list[CouncilRate]] = relationship(
        back_populates="service", cascade="all, delete-orphan")

    @property
    def stream_codes(self) -> list[FundingStream]:
        return [row.stream for row in self.funding_streams]

    @property
    def weekdays(self) -> list[int]:
        return sorted({slot.weekday for slot in self.availability})


class ServiceAvailability(Base):
    __tablename__ = "service_availability"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_in_range"),
        CheckConstraint("starts_at < ends_at", name="times_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]  # 0 = Monday
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)


class ServiceFundingStream(Base):
    __tablename__ = "service_funding_streams"
    __table_args__ = (
        UniqueConstraint("service_id", "stream", name="uq_service_funding_streams_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True)
    stream: Mapped[FundingStream] = mapped_column(str_enum(FundingStream, "funding_stream"))


class ServicePhoto(Base):
    __tablename__ = "service_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(100), unique=True)
    alt_text: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)


class CouncilRate(Base):
    """A rate a council agreed for a service, for the people that council funds."""

    __tablename__ = "council_rates"
    __table_args__ = (
        CheckConstraint("rate_pence >= 0", name="rate_not_negative"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
        Index("ix_council_rates_lookup", "service_id", "council_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    rate_pence: Mapped[int]
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    service: Mapped[Service] = relationship(back_populates="council_rates")
