"""The demo Community Catalogue: about 80 listings with schedules around Ashdown."""

from __future__ import annotations

from sqlalchemy import func, select

from catalogue.community.schedules import next_occurrences
from catalogue.models import (
    CommunityListing,
    CommunityListingStatus,
    CommunityOrganiser,
    CommunityReview,
    ScheduleFreq,
)
from marketplace.accounts.services import find_user_by_email
from marketplace.demo import seed


def test_the_demo_has_about_80_community_listings_with_schedules(app, db_session):
    with app.app_context():
        seed(db_session)
        db_session.commit()
        listings = db_session.scalars(select(CommunityListing)).all()
        assert 75 <= len(listings) <= 90
        assert all(listing.schedules and listing.locations for listing in listings)
        freqs = {s.freq for listing in listings for s in listing.schedules}
        assert freqs == set(ScheduleFreq)
        assert sum(listing.is_free for listing in listings) > len(listings) / 2
        statuses = {listing.status for listing in listings}
        assert statuses == set(CommunityListingStatus)
        postcodes = {link.location.postcode.split()[0] for listing in listings
                     for link in listing.locations}
        assert {"HA1", "HA5"} <= postcodes
        today = seed.__globals__["date"].today()
        assert all(next_occurrences(listing.schedules, today, 1) for listing in listings
                   if listing.schedules[0].freq is not ScheduleFreq.ONCE)
        organiser = find_user_by_email(db_session, "organiser@ashdown.example")
        owned = db_session.scalar(select(func.count(CommunityListing.id)).join(
            CommunityOrganiser, CommunityOrganiser.organisation_id
            == CommunityListing.organisation_id).where(CommunityOrganiser.user_id
                                                       == organiser.id))
        assert owned >= 3
        assert db_session.scalar(select(func.count(CommunityReview.id))) >= 5
        before = len(listings)
        seed(db_session)
        db_session.commit()
        assert db_session.scalar(select(func.count(CommunityListing.id))) == before
