"""Provider organisations: their storefront profile, coverage, evidence and vetting."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.enums import (
    CqcRating,
    MemberRole,
    ProviderKind,
    VettingStatus,
)
from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class ProviderOrganisation(Base):
    __tablename__ = "provider_organisations"
    __table_args__ = (
        CheckConstraint("coverage_radius_km IS NULL OR coverage_radius_km BETWEEN 1 AND 200",
                        name="radius_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ProviderKind] = mapped_column(str_enum(ProviderKind, "provider_kind"))
    description: Mapped[str] = mapped_column(Text, default="")
    logo_filename: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(300))
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    # Where the provider works: listed districts, and/or a radius from its base.
    coverage_radius_km: Mapped[int | None]
    female_workers: Mapped[bool] = mapped_column(default=False)
    male_workers: Mapped[bool] = mapped_column(default=False)
    specialisms: Mapped[str | None] = mapped_column(Text)  # cultural or faith
    premises_accessibility: Mapped[str | None] = mapped_column(Text)
    # Declarations, with expiry dates checked by the council.
    insurance_declared: Mapped[bool] = mapped_column(default=False)
    insurance_expires_on: Mapped[date | None] = mapped_column(Date)
    dbs_declared: Mapped[bool] = mapped_column(default=False)
    dbs_expires_on: Mapped[date | None] = mapped_column(Date)
    # CQC registration, typed in or imported from the CQC API's JSON.
    cqc_location_id: Mapped[str | None] = mapped_column(String(20), index=True)
    cqc_status: Mapped[str | None] = mapped_column(String(40))
    cqc_rating: Mapped[CqcRating | None] = mapped_column(str_enum(CqcRating, "cqc_rating"))
    cqc_rating_date: Mapped[date | None] = mapped_column(Date)
    # Council vetting.
    status: Mapped[VettingStatus] = mapped_column(
        str_enum(VettingStatus, "vetting_status"), default=VettingStatus.PENDING, index=True
    )
    check_identity: Mapped[bool] = mapped_column(default=False)
    check_insurance: Mapped[bool] = mapped_column(default=False)
    check_dbs: Mapped[bool] = mapped_column(default=False)
    check_references: Mapped[bool] = mapped_column(default=False)
    check_cqc: Mapped[bool] = mapped_column(default=False)
    status_reason: Mapped[str | None] = mapped_column(String(500))
    vetted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    vetted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    members: Mapped[list[ProviderMember]] = relationship(
        back_populates="provider", cascade="all, delete-orphan"
    )
    services: Mapped[list[Service]] = relationship(  # noqa: F821
        back_populates="provider", cascade="all, delete-orphan", order_by="Service.name"
    )
    languages: Mapped[list[ProviderLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="ProviderLanguage.language"
    )
    areas: Mapped[list[ProviderArea]] = relationship(
        cascade="all, delete-orphan", order_by="ProviderArea.district"
    )

    @property
    def is_public(self) -> bool:
        return self.status is VettingStatus.APPROVED

    @property
    def language_codes(self) -> list[str]:
        return [row.language for row in self.languages]

    @property
    def districts(self) -> list[str]:
        return [row.district for row in self.areas]

    def expired_evidence(self, today: date) -> list[str]:
        """Names of declarations whose expiry date has passed."""
        expired = []
        if self.insurance_expires_on and self.insurance_expires_on < today:
            expired.append("insurance")
        if self.dbs_expires_on and self.dbs_expires_on < today:
            expired.append("dbs")
        return expired


class ProviderMember(Base):
    __tablename__ = "provider_members"
    __table_args__ = (UniqueConstraint("provider_id", "user_id", name="uq_provider_members_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    member_role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole, "member_role"))

    provider: Mapped[ProviderOrganisation] = relationship(back_populates="members")


class ProviderLanguage(Base):
    __tablename__ = "provider_languages"
    __table_args__ = (
        UniqueConstraint("provider_id", "language", name="uq_provider_languages_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8), index=True)


class ProviderArea(Base):
    __tablename__ = "provider_areas"
    __table_args__ = (UniqueConstraint("provider_id", "district", name="uq_provider_areas_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"), index=True
    )
    district: Mapped[str] = mapped_column(String(8), index=True)
