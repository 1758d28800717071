"""Community organisations, their organisers and their places (ORUK "organization"
and "location"). Listings are in ``community_listings``, schedules in
``community_schedules``, the moderation queue and reports in ``community_moderation``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.community_enums import LocationType
from catalogue.models.community_listings import new_uuid
from catalogue.models.enums import VettingStatus
from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class CommunityOrganisation(Base):
    __tablename__ = "community_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(500))
    postcode: Mapped[str | None] = mapped_column(String(10))
    # PENDING until a council officer or administrator approves; SUSPENDED when they
    # decline or suspend it (``status_reason`` says why)
    status: Mapped[VettingStatus] = mapped_column(
        str_enum(VettingStatus, "community_vetting_status"), default=VettingStatus.PENDING
    )
    status_reason: Mapped[str | None] = mapped_column(String(1000))
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisers: Mapped[list[CommunityOrganiser]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    listings: Mapped[list[CommunityListing]] = relationship(  # noqa: F821
        back_populates="organisation", cascade="all, delete-orphan",
        order_by="CommunityListing.name")
    locations: Mapped[list[CommunityLocation]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan",
        order_by="CommunityLocation.name")


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


class CommunityLocation(Base):
    """A place an organisation's listings happen at (or an online/phone "place").
    ``latitude``/``longitude`` come from the postcode district (catalogue.geo) unless
    an import gave exact ones."""

    __tablename__ = "community_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("community_organisations.id", ondelete="CASCADE"), index=True)
    location_type: Mapped[LocationType] = mapped_column(
        str_enum(LocationType, "community_location_type"), default=LocationType.PHYSICAL)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    address_1: Mapped[str] = mapped_column(String(200), default="")
    address_2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    organisation: Mapped[CommunityOrganisation] = relationship(back_populates="locations")
    listing_links: Mapped[list[CommunityListingLocation]] = relationship(  # noqa: F821
        back_populates="location", cascade="all, delete-orphan")
