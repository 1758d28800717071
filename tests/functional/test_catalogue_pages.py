"""The public catalogue pages: the home page's categories and search box, category
pages, provider storefronts and service pages; and that nothing which is not a
public listing can be seen by the public."""

from __future__ import annotations

import re
from datetime import time

import pytest
from sqlalchemy import select

from catalogue.models import (
    MemberRole,
    ProviderMember,
    SearchEvent,
    ServicePhoto,
    ServiceStatus,
    VettingStatus,
)
from catalogue.taxonomy import TOP_LEVEL, children_of
from marketplace.accounts.roles import Role
from tests.conftest import sign_in
from tests.functional.catalogue_factories import (
    REGISTERED,
    add_availability,
    add_provider,
    add_service,
)


def _plain(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_home_page_has_a_search_box_and_every_category_with_its_count(
        client, db_session):
    provider = add_provider(db_session)
    add_service(db_session, provider, category="getting-up-and-dressed")
    add_service(db_session, provider, name="Night sitting", category="night-care")
    add_service(db_session, provider, name="Draft", status=ServiceStatus.DRAFT)
    page = client.get("/").get_data(as_text=True)
    form = re.search(r'<form method="get" action="([^"]+)" role="search".*?</form>', page, re.S)
    assert form, "no search form"
    assert form.group(1) == "/search"
    assert 'name="q"' in form.group(0) and 'name="postcode"' in form.group(0)
    for category in TOP_LEVEL:
        assert f'href="/categories/{category.slug}"' in page, category.slug
    text = _plain(page)
    assert "Personal care at home 2 services" in text
    assert "Domestic help 0 services" in text


def test_a_top_level_category_lists_its_sub_categories_and_all_their_services(
        client, db_session):
    provider = add_provider(db_session)
    add_service(db_session, provider, name="Morning visits", category="getting-up-and-dressed")
    add_service(db_session, provider, name="Waking nights", category="night-care")
    add_service(db_session, provider, name="Cleaning", category="cleaning-and-laundry")
    page = client.get("/categories/personal-care").get_data(as_text=True)
    text = _plain(page)
    for child in children_of("personal-care"):
        assert f'href="/categories/{child.slug}"' in page
    assert "Night care 1 service" in text
    assert "Morning visits" in text and "Waking nights" in text
    assert "Cleaning" not in text
    sub = _plain(client.get("/categories/night-care").get_data(as_text=True))
    assert "Waking nights" in sub and "Morning visits" not in sub
    assert "Personal care at home" in sub  # the breadcrumb and caption


def test_an_unknown_category_is_not_found(client):
    assert client.get("/categories/no-such-thing").status_code == 404
    assert client.get("/categories/" + "x" * 5000).status_code == 404


def test_category_pages_are_paged_and_odd_page_numbers_are_harmless(client, db_session):
    provider = add_provider(db_session)
    for n in range(23):
        add_service(db_session, provider, name=f"Visit plan {n:02d}")
    first = client.get("/categories/getting-up-and-dressed").get_data(as_text=True)
    assert "Visit plan 19" in first and "Visit plan 20" not in first
    assert 'href="/categories/getting-up-and-dressed?page=2"' in first
    assert "govuk-pagination" in first
    second = client.get("/categories/getting-up-and-dressed?page=2").get_data(as_text=True)
    assert "Visit plan 22" in second and "Visit plan 00" not in second
    for odd in ("abc", "-1", "0", "99999999999999999999", "2.5", "%00"):
        response = client.get(f"/categories/getting-up-and-dressed?page={odd}")
        assert response.status_code in (200, 400), odd
    past_the_end = client.get("/categories/getting-up-and-dressed?page=40")
    assert past_the_end.status_code == 200
    assert "Visit plan 22" in past_the_end.get_data(as_text=True)


def test_a_storefront_shows_the_profile_cqc_registration_and_public_services(
        client, db_session):
    provider = add_provider(db_session, specialisms="Halal cooking.",
                            premises_accessibility="Step-free office.", **REGISTERED)
    add_service(db_session, provider, name="Morning visits", regulated=True)
    add_service(db_session, provider, name="Secret draft", status=ServiceStatus.DRAFT)
    page = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    text = _plain(page)
    assert "Meadow Home Care" in text
    assert "Morning visits" in text and "Secret draft" not in text
    assert "Postcode areas HA1 and HA2" in text
    assert "English and Gujarati" in text
    assert "Female and male workers" in text
    assert "Halal cooking." in text and "Step-free office." in text
    assert "Registered" in text and "Good" in text and "Rated on 12 March 2025" in text
    assert "hello@meadow.example" in text and "020 7946 0123" in text


def test_a_storefront_says_when_a_provider_is_not_registered_with_cqc(client, db_session):
    unregulated = add_provider(db_session, name="Garden Friends")
    add_service(db_session, unregulated, name="Mowing", category="gardening")
    text = _plain(client.get(f"/providers/{unregulated.id}").get_data(as_text=True))
    assert "Not registered with CQC: not needed" in text
    regulated = add_provider(db_session, name="Unregistered Care")
    add_service(db_session, regulated, regulated=True)
    text = _plain(client.get(f"/providers/{regulated.id}").get_data(as_text=True))
    assert "Not registered with CQC" in text and "not needed" not in text


def test_a_service_page_has_everything_a_buyer_needs(client, db_session):
    provider = add_provider(db_session, **REGISTERED)
    service = add_service(db_session, provider, regulated=True, max_age=64,
                          outcomes=["daily_living", "staying_safe"])
    add_availability(db_session, service, 0, time(7, 0), time(10, 30))
    add_availability(db_session, service, 0, time(17, 0), time(22, 0))
    add_availability(db_session, service, 5, time(9, 0), time(12, 0))
    db_session.add(ServicePhoto(service_id=service.id, filename="a" * 32 + ".png",
                                alt_text="A carer helping a man into his coat"))
    db_session.commit()
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    text = _plain(page)
    for expected in (
        "Morning visits", "Help to get up, wash and dress.", "Visits from 7am.",
        "Getting up, washing and dressing", "Daily living", "Staying safe",
        "£24.50 per hour", "Minimum booking: 2 hours.",
        "Can usually start within 3 days of booking", "Postcode areas HA1 and HA2",
        "Can take on about 40 hours a week more", "18 to 64", "English and Gujarati",
        "Yes: this includes personal care", "Good", "Rated on 12 March 2025",
        "Monday 07:00 to 10:30, 17:00 to 22:00", "Tuesday Not available",
        "Saturday 09:00 to 12:00", "No one has rated this service yet",
        "last confirmed these details on", "Report a problem with this listing",
    ):
        assert expected in text, expected
    assert 'alt="A carer helping a man into his coat"' in page
    assert "<caption" in page and 'scope="row"' in page and 'scope="col"' in page
    headings = [int(level) for level in re.findall(r"<h([1-6])", page)]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False)), headings


def test_a_listing_not_confirmed_for_90_days_is_shown_with_a_warning(client, db_session):
    service = add_service(db_session, add_provider(db_session), confirmed_days_ago=100)
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "has not confirmed these details for 100 days" in page


@pytest.mark.parametrize(("what", "provider_status", "service_status", "days"), [
    ("a draft", VettingStatus.APPROVED, ServiceStatus.DRAFT, 1),
    ("a paused service", VettingStatus.APPROVED, ServiceStatus.PAUSED, 1),
    ("a provider waiting for checks", VettingStatus.PENDING, ServiceStatus.PUBLISHED, 1),
    ("a suspended provider", VettingStatus.SUSPENDED, ServiceStatus.PUBLISHED, 1),
    ("a listing not confirmed for 120 days", VettingStatus.APPROVED,
     ServiceStatus.PUBLISHED, 120),
])
def test_listings_that_are_not_public_are_not_found_by_the_public(
        client, db_session, make_user, what, provider_status, service_status, days):
    provider = add_provider(db_session, name="Hidden Care", status=provider_status)
    service = add_service(db_session, provider, name="Hidden visits", status=service_status,
                          confirmed_days_ago=days)
    for path in (f"/services/{service.id}", f"/services/{service.id}/report",
                 f"/services/{service.id}/report/sent"):
        assert client.get(path).status_code == 404, (what, path)
    for path in ("/", "/categories/personal-care", "/categories/getting-up-and-dressed"):
        assert "Hidden visits" not in client.get(path).get_data(as_text=True), (what, path)
    storefront = client.get(f"/providers/{provider.id}")
    if provider_status is VettingStatus.APPROVED:
        assert "Hidden visits" not in storefront.get_data(as_text=True), what
    else:
        assert storefront.status_code == 404, what
    # Signing in (even as the provider's own staff) does not make the public pages show it.
    owner = make_user(Role.PROVIDER_STAFF)
    db_session.add(ProviderMember(provider_id=provider.id, user_id=owner.id,
                                  member_role=MemberRole.OWNER))
    db_session.commit()
    sign_in(client, owner)
    assert client.get(f"/services/{service.id}").status_code == 404, what


def test_unknown_providers_and_services_are_not_found(client):
    for path in ("/providers/999999", "/services/999999", "/services/999999/report",
                 "/providers/abc", "/services/1e3"):
        assert client.get(path).status_code == 404, path


def test_opening_a_service_from_a_search_is_recorded_and_junk_ids_are_harmless(
        client, db_session):
    service = add_service(db_session, add_provider(db_session))
    event = SearchEvent(words="home care", result_count=1)
    db_session.add(event)
    db_session.commit()
    for junk in ("abc", "-1", "0", "99999999999999999999999", "9999999999", "2147483648",
                 "1 OR 1=1", "%00", "", "999999"):
        assert client.get(f"/services/{service.id}?from_search={junk}").status_code in (
            200, 400), junk
    assert client.get(f"/services/{service.id}?from_search={event.id}").status_code == 200
    try:
        from catalogue.search import record_opened  # noqa: F401
    except ImportError:
        return  # the search package is not there yet: nothing to record into
    db_session.expire_all()
    opened = db_session.scalar(select(SearchEvent.opened_service_id)
                               .where(SearchEvent.id == event.id))
    assert opened == service.id


def test_ages_capacity_and_lead_times_read_naturally(client, db_session):
    provider = add_provider(db_session)
    cases = [
        (dict(min_age=None, max_age=None, capacity_per_week=None, lead_time_days=0),
         ["All ages", "Ask the provider whether they can take you on",
          "Can usually start straight away"]),
        (dict(min_age=65, max_age=None, capacity_per_week=0, lead_time_days=1),
         ["65 and over", "Not taking on anyone new at the moment",
          "Can usually start within 1 day of booking"]),
    ]
    for fields, expected in cases:
        service = add_service(db_session, provider, **fields)
        text = _plain(client.get(f"/services/{service.id}").get_data(as_text=True))
        for words in expected:
            assert words in text, words


def test_the_home_page_counts_may_be_kept_for_a_minute_but_category_pages_are_exact(
        app, client, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "CATALOGUE_COUNTS_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.extensions, "catalogue_counts", {})
    provider = add_provider(db_session)
    add_service(db_session, provider, category="live-in-care")
    assert "Personal care at home 1 service" in _plain(client.get("/").get_data(as_text=True))
    add_service(db_session, provider, name="Second", category="live-in-care")
    assert "Personal care at home 1 service" in _plain(client.get("/").get_data(as_text=True))
    category = _plain(client.get("/categories/personal-care").get_data(as_text=True))
    assert "2 services listed" in category and "Live-in care 2 services" in category
    app.extensions["catalogue_counts"]["until"] = 0  # the minute has passed
    assert "Personal care at home 2 services" in _plain(client.get("/").get_data(as_text=True))
