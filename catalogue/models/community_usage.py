"""How often community listings are looked at, for commissioners' take-up reports.

One row per listing per day with a count, and nothing else: no person, no session,
no address, no time of day. The count is raised by an upsert in the same
transaction as the page view (``catalogue.community.usage.count_view``), so the
figures are never behind and several web servers never lose a view."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base


class CommunityListingViews(Base):
    __tablename__ = "community_listing_views"
    __table_args__ = (
        CheckConstraint("views > 0", name="views_positive"),
        Index("ix_community_listing_views_day", "day"),
    )

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("community_listings.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=1)
