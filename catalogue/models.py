"""Provider organisations, their members and services; community organisations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, utcnow


def _enum(enum_cls, name: str):
    return Enum(enum_cls, name=name, native_enum=False, length=40,
                values_callable=lambda cls: [m.value for m in cls], validate_strings=True)


class ProviderKind(StrEnum):
    AGENCY = "agency"
    CHARITY = "charity"
    USER_LED = "user_led"
    SOCIAL_ENTERPRISE = "social_enterprise"
    MICRO_PROVIDER = "micro_provider"
    PERSONAL_ASSISTANT = "personal_assistant"
    COUNCIL_IN_HOUSE = "council_in_house"

    @property
    def label(self):
        return PROVIDER_KIND_LABELS[self]


PROVIDER_KIND_LABELS = {
    ProviderKind.AGENCY: _l("Care agency"),
    ProviderKind.CHARITY: _l("Charity or voluntary group"),
    ProviderKind.USER_LED: _l("User-led organisation"),
    ProviderKind.SOCIAL_ENTERPRISE: _l("Social enterprise"),
    ProviderKind.MICRO_PROVIDER: _l("Micro-provider"),
    ProviderKind.PERSONAL_ASSISTANT: _l("Personal assistant (sole trader)"),
    ProviderKind.COUNCIL_IN_HOUSE: _l("Council in-house service"),
}


class VettingStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SUSPENDED = "suspended"

    @property
    def label(self):
        return {"pending": _l("Waiting for council checks"), "approved": _l("Approved"),
                "suspended": _l("Suspended")}[self.value]


class MemberRole(StrEnum):
    OWNER = "owner"
    STAFF = "staff"

    @property
    def label(self):
        return {"owner": _l("Owner"), "staff": _l("Staff")}[self.value]


class Unit(StrEnum):
    HOUR = "hour"
    SESSION = "session"
    VISIT = "visit"
    DAY = "day"
    NIGHT = "night"
    WEEK = "week"
    ITEM = "item"

    @property
    def label(self):
        return UNIT_LABELS[self]


UNIT_LABELS = {
    Unit.HOUR: _l("per hour"), Unit.SESSION: _l("per session"), Unit.VISIT: _l("per visit"),
    Unit.DAY: _l("per day"), Unit.NIGHT: _l("per night"), Unit.WEEK: _l("per week"),
    Unit.ITEM: _l("per item"),
}


class ProviderOrganisation(Base):
    __tablename__ = "provider_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ProviderKind] = mapped_column(_enum(ProviderKind, "provider_kind"))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(300))
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    status: Mapped[VettingStatus] = mapped_column(
        _enum(VettingStatus, "vetting_status"), default=VettingStatus.PENDING, index=True
    )
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[ProviderMember]] = relationship(
        back_populates="provider", cascade="all, delete-orphan"
    )
    services: Mapped[list[Service]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", order_by="Service.name"
    )


class ProviderMember(Base):
    __tablename__ = "provider_members"
    __table_args__ = (UniqueConstraint("provider_id", "user_id", name="uq_provider_members_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    member_role: Mapped[MemberRole] = mapped_column(_enum(MemberRole, "member_role"))

    provider: Mapped[ProviderOrganisation] = relationship(back_populates="members")


class ServiceStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    PAUSED = "paused"


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (CheckConstraint("price_pence >= 0", name="price_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    category: Mapped[str] = mapped_column(String(80), index=True)
    unit: Mapped[Unit] = mapped_column(_enum(Unit, "service_unit"))
    price_pence: Mapped[int]
    status: Mapped[ServiceStatus] = mapped_column(
        _enum(ServiceStatus, "service_status"), default=ServiceStatus.DRAFT, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[ProviderOrganisation] = relationship(back_populates="services")


class CommunityOrganisation(Base):
    __tablename__ = "community_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    postcode: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[VettingStatus] = mapped_column(
        _enum(VettingStatus, "community_vetting_status"), default=VettingStatus.PENDING
    )
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisers: Mapped[list[CommunityOrganiser]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


class CommunityOrganiser(Base):
    __tablename__ = "community_organisers"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id", name="uq_community_organisers_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("community_organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    organisation: Mapped[CommunityOrganisation] = relationship(back_populates="organisers")
