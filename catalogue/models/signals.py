"""What the public tells us: searches (for market-gap reports, anonymous) and
reports of problems with listings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class SearchEvent(Base):
    """One search. No name, id or full postcode: words, filters, the postcode
    district, and ``searcher_key``, a keyed hash (``catalogue.search.events``) that
    tells searches by different people apart. It is a pseudonym, not anonymity:
    whoever holds the site's secret key can work out which searches were made for
    a given person, so the log is treated as personal data and only aggregates
    leave it. ``category`` and ``language`` repeat those filters as indexed columns for
    the commissioners' reports; ``ordered`` is set when an order is placed for a
    service opened from the search (``events.mark_ordered``)."""

    __tablename__ = "search_events"
    __table_args__ = (
        Index("ix_search_events_council_at", "council_id", "at"),
        Index("ix_search_events_council_category_at", "council_id", "category", "at"),
        Index("ix_search_events_searcher_at", "searcher_key", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"))
    words: Mapped[str] = mapped_column(String(200), default="")
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    district: Mapped[str | None] = mapped_column(String(8))
    result_count: Mapped[int] = mapped_column(default=0)
    opened_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL"))
    ordered: Mapped[bool] = mapped_column(default=False)
    searcher_key: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(80))  # a taxonomy slug
    language: Mapped[str | None] = mapped_column(String(8))


class ReportStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ReportReason(StrEnum):
    WRONG_DETAILS = "wrong_details"
    PRICE_WRONG = "price_wrong"
    NO_LONGER_AVAILABLE = "no_longer_available"
    CONCERN = "concern"
    OTHER = "other"

    @property
    def label(self):
        return {
            "wrong_details": _l("Some details are wrong"),
            "price_wrong": _l("The price is wrong"),
            "no_longer_available": _l("The service is no longer available"),
            "concern": _l("I am worried about this provider"),
            "other": _l("Something else"),
        }[self.value]


class ListingReport(Base):
    __tablename__ = "listing_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True)
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"), index=True)
    reason: Mapped[ReportReason] = mapped_column(str_enum(ReportReason, "report_reason"))
    details: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[ReportStatus] = mapped_column(
        str_enum(ReportStatus, "report_status"), default=ReportStatus.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str | None] = mapped_column(String(1000))
