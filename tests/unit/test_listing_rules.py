from datetime import UTC, datetime, timedelta

import pytest

from catalogue.listing import confirmed_since, listing_state
from catalogue.models.enums import ServiceStatus, VettingStatus

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def state(days_ago, service=ServiceStatus.PUBLISHED, provider=VettingStatus.APPROVED):
    return listing_state(service, provider, NOW - timedelta(days=days_ago), NOW, 90, 120)


@pytest.mark.parametrize(("days", "stale", "hidden"), [
    (0, False, False), (89, False, False), (90, True, False), (119, True, False),
    (120, True, True), (400, True, True)])
def test_listings_are_flagged_at_90_days_and_hidden_at_120(days, stale, hidden):
    result = state(days)
    assert (result.stale, result.hidden_for_staleness, result.public) == (stale, hidden,
                                                                         not hidden)


@pytest.mark.parametrize(("service", "provider"), [
    (ServiceStatus.DRAFT, VettingStatus.APPROVED), (ServiceStatus.PAUSED, VettingStatus.APPROVED),
    (ServiceStatus.PUBLISHED, VettingStatus.PENDING),
    (ServiceStatus.PUBLISHED, VettingStatus.SUSPENDED)])
def test_nothing_is_public_unless_published_by_an_approved_provider(service, provider):
    assert state(1, service, provider).public is False


@pytest.mark.parametrize("days", [119, 120])
def test_the_database_cut_off_matches_the_rule(days):
    confirmed = NOW - timedelta(days=days)
    assert (confirmed >= confirmed_since(NOW, 120)) is (not state(days).hidden_for_staleness)
