"""When a listing is public, and when it is stale: pure rules shared by the
storefront, the public pages and search.

A service is public when its provider is approved by the council and the
service is published and not hidden for staleness. A service not confirmed as
accurate for ``flag_after_days`` is flagged to its provider; after
``hide_after_days`` it drops out of search and public pages until confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from catalogue.models.enums import ServiceStatus, VettingStatus


@dataclass(frozen=True)
class ListingState:
    public: bool
    stale: bool  # flag it to the provider
    hidden_for_staleness: bool
    days_since_confirmed: int


def listing_state(
    service_status: ServiceStatus,
    provider_status: VettingStatus,
    last_confirmed_at: datetime,
    now: datetime,
    flag_after_days: int,
    hide_after_days: int,
) -> ListingState:
    days = max(0, (now - last_confirmed_at) // timedelta(days=1))
    hidden = days >= hide_after_days
    public = (provider_status is VettingStatus.APPROVED
              and service_status is ServiceStatus.PUBLISHED and not hidden)
    return ListingState(public=public, stale=days >= flag_after_days,
                        hidden_for_staleness=hidden, days_since_confirmed=days)


def confirmed_since(now: datetime, hide_after_days: int) -> datetime:
    """Services confirmed at or after this moment are recent enough to be listed
    (the same rule as ``listing_state``, for database queries)."""
    return now - timedelta(days=hide_after_days - 1, hours=23, minutes=59, seconds=59,
                           microseconds=999_999)
