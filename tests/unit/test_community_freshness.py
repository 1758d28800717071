"""Community listings: public, flagged after 6 months, hidden later; reminders once
per stage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from catalogue.community.freshness import listing_state, reminder_due
from catalogue.models import CommunityListingStatus, VettingStatus

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
PUBLISHED, APPROVED = CommunityListingStatus.PUBLISHED, VettingStatus.APPROVED


def ago(days):
    return NOW - timedelta(days=days)


def state(days, status=PUBLISHED, organisation=APPROVED):
    return listing_state(status, organisation, ago(days), NOW, 183, 274)


def test_a_recently_confirmed_published_listing_of_an_approved_group_is_public():
    fresh = state(10)
    assert fresh.public and not fresh.stale and not fresh.hidden_for_staleness
    assert fresh.days_since_confirmed == 10


def test_it_is_flagged_after_six_months_and_hidden_later():
    assert state(182).stale is False
    flagged = state(183)
    assert flagged.stale and flagged.public
    hidden = state(274)
    assert hidden.hidden_for_staleness and not hidden.public


def test_pending_rejected_withdrawn_or_unapproved_listings_are_never_public():
    for status in (CommunityListingStatus.PENDING, CommunityListingStatus.REJECTED,
                   CommunityListingStatus.WITHDRAWN):
        assert state(1, status=status).public is False
    assert state(1, organisation=VettingStatus.PENDING).public is False
    assert state(1, organisation=VettingStatus.SUSPENDED).public is False


def test_a_reminder_is_due_once_at_five_months_and_once_more_when_flagged():
    confirmed = ago(160)
    assert reminder_due(confirmed, None, NOW, 152, 183) is True
    assert reminder_due(ago(100), None, NOW, 152, 183) is False
    sent = ago(5)
    assert reminder_due(confirmed, sent, NOW, 152, 183) is False  # already sent this stage
    flagged = ago(190)
    assert reminder_due(flagged, flagged + timedelta(days=153), NOW, 152, 183) is True
    assert reminder_due(flagged, flagged + timedelta(days=184), NOW, 152, 183) is False


def test_confirming_again_starts_the_reminders_afresh():
    confirmed = ago(155)
    old_reminder = ago(300)  # sent before the last confirmation
    assert reminder_due(confirmed, old_reminder, NOW, 152, 183) is True
