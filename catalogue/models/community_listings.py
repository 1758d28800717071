"""Community listings (ORUK "service"), and the places each happens at (ORUK
"service_at_location"). Cost: ``cost_pence`` NULL means free; otherwise a small
charge in pence, with ``cost_description`` saying what it covers."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.community_enums import CommunityKind, CommunityListingStatus
from marketplace.db import Base, UTCDateTime, str_enum, utcnow


def new_uuid() -> str:
    return str(uuid4())


class CommunityListing(Base):
    __tablename__ = "community_listings"
    __table_args__ = (
        CheckConstraint("cost_pence IS NULL OR cost_pence > 0", name="cost_positive_or_free"),
        CheckConstraint("min_age IS NULL OR min_age >= 0", name="min_age_not_negative"),
        CheckConstraint("min_age IS NULL OR max_age IS NULL OR min_age <= max_age",
                        name="ages_in_order"),
        Index("ix_community_listings_status_confirmed", "status", "last_confirmed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("community_organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[CommunityKind] = mapped_column(str_enum(CommunityKind, "community_kind"))
    # a slug of catalogue.taxonomy or of catalogue.community.vocabulary
    category: Mapped[str] = mapped_column(String(80), index=True)
    cost_pence: Mapped[int | None]  # NULL: free
    cost_description: Mapped[str] = mapped_column(String(300), default="")
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)  # vocabulary.NEEDS slugs
    circumstances: Mapped[list[str]] = mapped_column(JSON, default=list)  # .CIRCUMSTANCES
    accessibility: Mapped[list[str]] = mapped_column(JSON, default=list)  # .ACCESSIBILITY
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # taxonomy.LANGUAGES codes
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[CommunityListingStatus] = mapped_column(
        str_enum(CommunityListingStatus, "community_listing_status"),
        default=CommunityListingStatus.PENDING, index=True)
    moderation_note: Mapped[str | None] = mapped_column(String(1000))
    # English words search matches (name, organisation, category, kind, places...),
    # kept up to date on every flush by catalogue.search.community_text
    search_text: Mapped[str] = mapped_column(Text, default="")
    last_confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[CommunityOrganisation] = relationship(  # noqa: F821
        back_populates="listings")
    locations: Mapped[list[CommunityListingLocation]] = relationship(
        back_populates="listing", cascade="all, delete-orphan",
        order_by="CommunityListingLocation.id")
    schedules: Mapped[list[CommunitySchedule]] = relationship(  # noqa: F821
        back_populates="listing", cascade="all, delete-orphan",
        order_by="CommunitySchedule.id")

    @property
    def is_free(self) -> bool:
        return self.cost_pence is None


class CommunityListingLocation(Base):
    """A listing happens at a location (ORUK service_at_location, with its own uuid)."""

    __tablename__ = "community_listing_locations"
    __table_args__ = (
        UniqueConstraint("listing_id", "location_id", name="uq_community_listing_locations_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("community_listings.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(
        ForeignKey("community_locations.id", ondelete="CASCADE"), index=True)

    listing: Mapped[CommunityListing] = relationship(back_populates="locations")
    location: Mapped[CommunityLocation] = relationship(  # noqa: F821
        back_populates="listing_links")
