"""When a community listing is public, flagged or hidden, and when its organiser is
reminded: pure rules, the same approach as ``catalogue.listing`` for services.

A listing is public when its organisation is approved, the listing is published
(approved by a moderator and not withdrawn) and it has been confirmed as accurate
within ``hide_after_days``. After ``flag_after_days`` it is flagged (to the
organiser, and on its public page); after ``hide_after_days`` it is hidden.

Reminders: one e-mail when a listing reaches ``remind_after_days`` without a
confirmation, and one more when it is flagged; never twice for the same stage
(``reminder_sent_at`` records the last one), so the command is idempotent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from catalogue.listing import ListingState, confirmed_since
from catalogue.models.community_enums import CommunityListingStatus
from catalogue.models.enums import VettingStatus

__all__ = ["ListingState", "confirmed_since", "listing_state", "reminder_due"]


def listing_state(listing_status: CommunityListingStatus, organisation_status: VettingStatus,
                  last_confirmed_at: datetime, now: datetime, flag_after_days: int,
                  hide_after_days: int) -> ListingState:
    days = max(0, (now - last_confirmed_at) // timedelta(days=1))
    hidden = days >= hide_after_days
    public = (organisation_status is VettingStatus.APPROVED
              and listing_status is CommunityListingStatus.PUBLISHED and not hidden)
    return ListingState(public=public, stale=days >= flag_after_days,
                        hidden_for_staleness=hidden, days_since_confirmed=days)


def reminder_due(last_confirmed_at: datetime, reminder_sent_at: datetime | None,
                 now: datetime, remind_after_days: int, flag_after_days: int) -> bool:
    """Whether the organiser should be reminded now (see the module's docstring)."""
    days = (now - last_confirmed_at) // timedelta(days=1)
    if days < remind_after_days:
        return False
    if reminder_sent_at is None or reminder_sent_at < last_confirmed_at:
        return True  # nothing sent since the last confirmation
    flagged_at = last_confirmed_at + timedelta(days=flag_after_days)
    return now >= flagged_at and reminder_sent_at < flagged_at
