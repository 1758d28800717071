"""The moderators' queue (new organisations, new listings, changes to published
listings) and problems reported with community listings. Both are open or closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.community_enums import CommunityReportReason, ReviewKind, ReviewOutcome
from catalogue.models.signals import ReportStatus
from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class CommunityReview(Base):
    """One item in the moderation queue. ``changes`` lists what an edit changed:
    ``[{"field": "name", "before": "...", "after": "..."}]``."""

    __tablename__ = "community_reviews"
    __table_args__ = (Index("ix_community_reviews_council_status", "council_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"))
    kind: Mapped[ReviewKind] = mapped_column(str_enum(ReviewKind, "community_review_kind"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("community_organisations.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_listings.id", ondelete="CASCADE"), index=True)
    changes: Mapped[list[dict]] = mapped_column(JSON, default=list)
    status: Mapped[ReportStatus] = mapped_column(
        str_enum(ReportStatus, "report_status"), default=ReportStatus.OPEN)
    outcome: Mapped[ReviewOutcome | None] = mapped_column(
        str_enum(ReviewOutcome, "community_review_outcome"))
    note: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[CommunityOrganisation] = relationship()  # noqa: F821
    listing: Mapped[CommunityListing | None] = relationship()  # noqa: F821


class CommunityReport(Base):
    """"Report a problem" with a community listing, by anyone."""

    __tablename__ = "community_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("community_listings.id", ondelete="CASCADE"), index=True)
    reason: Mapped[CommunityReportReason] = mapped_column(
        str_enum(CommunityReportReason, "community_report_reason"))
    details: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[ReportStatus] = mapped_column(
        str_enum(ReportStatus, "report_status"), default=ReportStatus.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str | None] = mapped_column(String(1000))

    listing: Mapped[CommunityListing] = relationship()  # noqa: F821
