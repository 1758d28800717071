"""When a community listing happens: the Open Referral UK 3.0 ``schedule`` object.

- one-off event: ``freq`` ONCE, ``dtstart`` the date, ``opens_at``/``closes_at``;
- weekly: ``freq`` WEEKLY, ``byday`` "MO,TH" (iCal), every ``interval`` weeks from
  ``dtstart``;
- monthly: ``freq`` MONTHLY, ``byday`` "2TU" (2nd Tuesday), "-1FR" (last Friday)
  or several ("1MO,3MO"), or ``bymonthday`` "1,15,-1";
- ``until`` is the last possible date (the organiser's "end date"); ``valid_from``
  and ``valid_to`` bound when the information is valid (kept for ORUK feeds).

``byday`` and ``bymonthday`` are stored as the ORUK strings; the pure functions in
``catalogue.community.schedules`` parse, check and expand them.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.community_enums import ScheduleFreq
from catalogue.models.community_listings import new_uuid
from marketplace.db import Base, str_enum


class CommunitySchedule(Base):
    __tablename__ = "community_schedules"
    __table_args__ = (
        CheckConstraint("interval >= 1", name="interval_positive"),
        CheckConstraint("opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at",
                        name="times_in_order"),
        CheckConstraint("dtstart IS NULL OR until IS NULL OR dtstart <= until",
                        name="dates_in_order"),
        CheckConstraint("valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to",
                        name="validity_in_order"),
        CheckConstraint("freq <> 'once' OR dtstart IS NOT NULL", name="one_off_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("community_listings.id", ondelete="CASCADE"), index=True)
    # set when the schedule is for one of the listing's places only
    listing_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_listing_locations.id", ondelete="SET NULL"), index=True)
    freq: Mapped[ScheduleFreq] = mapped_column(str_enum(ScheduleFreq, "schedule_freq"))
    interval: Mapped[int] = mapped_column(default=1)
    byday: Mapped[str] = mapped_column(String(60), default="")
    bymonthday: Mapped[str] = mapped_column(String(60), default="")
    dtstart: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)
    description: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    listing: Mapped[CommunityListing] = relationship(  # noqa: F821
        back_populates="schedules")
    listing_location: Mapped[CommunityListingLocation | None] = relationship()  # noqa: F821
