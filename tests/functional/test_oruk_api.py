"""The Open Referral UK 3.0 API: every answer meets the profile's schemas, with and
without filters; filters mean what they say; nothing unpublished leaks; bad input
gets a clear 400 and unknown ids a 404, in the API's JSON error shape."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import event

from catalogue.models import CommunityListingStatus, ServiceStatus, VettingStatus
from catalogue.oruk import taxonomies
from catalogue.oruk.paid import sal_uuid, service_uuid
from tests.functional.catalogue_factories import (
    add_availability,
    add_provider,
    add_rate,
    add_service,
)
from tests.functional.oruk_helpers import (
    add_listing,
    add_organisation,
    assert_no_empty_values,
    assert_valid,
    assert_valid_page,
)

API = "/api/oruk"


@pytest.fixture()
def world(db_session, council):
    provider = add_provider(db_session, coverage_radius_km=5, address="1 High Street",
                            town="Harrow", website="https://meadow.example")
    morning = add_service(db_session, provider, max_age=90)
    add_availability(db_session, morning, 0, time(7, 0), time(10, 0))
    add_rate(db_session, morning, council, 1999, date(2020, 1, 1))
    garden = add_service(db_session, provider, name="Garden tidy", category="gardening",
                         price_pence=3000, min_age=None)
    add_availability(db_session, garden, 2, time(13, 0), time(16, 0))
    far = add_provider(db_session, name="Northern Care", postcode="M1 1AE")
    far.areas.clear()
    db_session.commit()
    add_service(db_session, far, name="Manchester visits")
    hidden = [
        add_service(db_session, add_provider(db_session, name="Pending Care",
                                             status=VettingStatus.PENDING), name="Pending one"),
        add_service(db_session, provider, name="Draft one", status=ServiceStatus.DRAFT),
        add_service(db_session, provider, name="Paused one", status=ServiceStatus.PAUSED),
        add_service(db_session, provider, name="Stale one", confirmed_days_ago=400),
    ]
    organisation = add_organisation(db_session)
    walk = add_listing(db_session, organisation)
    choir = add_listing(db_session, organisation, name="Saturday choir", byday="SA",
                        opens_at=time(14, 0), closes_at=time(16, 0), postcode="NW9 5XX",
                        category="arts-and-culture", cost_pence=250,
                        cost_description="Tea and biscuits", min_age=16, max_age=99, needs=[],
                        circumstances=[], accessibility=[], languages=["en"])
    pending_org = add_organisation(db_session, name="Not Yet Approved Club",
                                   status=VettingStatus.PENDING)
    hidden_listings = [
        add_listing(db_session, pending_org, name="Unapproved organisation's group"),
        add_listing(db_session, organisation, name="Pending listing",
                    status=CommunityListingStatus.PENDING),
        add_listing(db_session, organisation, name="Rejected listing",
                    status=CommunityListingStatus.REJECTED),
        add_listing(db_session, organisation, name="Withdrawn listing",
                    status=CommunityListingStatus.WITHDRAWN),
        add_listing(db_session, organisation, name="Stale listing", confirmed_days_ago=400),
    ]
    return {"morning": morning, "garden": garden, "walk": walk, "choir": choir,
            "hidden": hidden, "hidden_listings": hidden_listings}


def _get(client, path, status=200):
    response = client.get(API + path)
    assert response.status_code == status, (path, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    return response.get_json()


def _names(data) -> set[str]:
    return {item.get("name") or item["service"]["name"] for item in data["contents"]}


FILTERS = ["", "?search=walk", "?page=1&per_page=1", "?page=2&per_page=2", "?page=99",
           "?taxonomy_term_id={leisure}", "?taxonomy_id={catalogue}", "?minimum_age=16",
           "?maximum_age=95", "?day=TU", "?day=Monday&start_time=06:00&end_time=11:00",
           "?postcode=HA1 2AB", "?postcode=HA1&proximity=2000", "?search=zzzz"]


def _filled(template: str) -> str:
    leisure = taxonomies.term_for(taxonomies.CATALOGUE, "leisure-and-social").id
    return template.format(leisure=leisure, catalogue=taxonomies.taxonomy_id("catalogue"))


@pytest.mark.parametrize("query", FILTERS)
def test_list_answers_meet_the_schemas_with_and_without_filters(client, world, query):
    services = _get(client, "/services" + _filled(query))
    assert_valid_page(services, "service_list")
    assert_no_empty_values(services)
    located = _get(client, "/service_at_locations" + _filled(query))
    assert_valid_page(located, "service_at_location_list")
    assert_no_empty_values(located)


def test_single_answers_meet_the_schemas(client, world):
    for key in ("morning", "garden"):
        full = _get(client, f"/services/{service_uuid(world[key].id)}")
        assert_valid("service", full)
        assert_no_empty_values(full)
        at = _get(client, f"/service_at_locations/{sal_uuid(world[key].id)}")
        assert_valid("service_at_location", at)
    for key in ("walk", "choir"):
        full = _get(client, f"/services/{world[key].uuid}")
        assert_valid("service", full)
        assert_no_empty_values(full)
        at = _get(client, f"/service_at_locations/{world[key].locations[0].uuid}")
        assert_valid("service_at_location", at)
        assert at["service"]["id"] == world[key].uuid
    for page in (_get(client, "/taxonomies"), _get(client, "/taxonomy_terms?per_page=200")):
        assert_valid("page", page)
    for item in _get(client, "/taxonomies")["contents"]:
        assert_valid("taxonomy", item)
        whole = _get(client, f"/taxonomies/{item['id']}")
        assert_valid("taxonomy", whole)
        assert whole["taxonomy_terms"]
    for item in _get(client, "/taxonomy_terms?per_page=200")["contents"]:
        assert_valid("taxonomy_term", item)
    term = taxonomies.term_for(taxonomies.CATALOGUE, "gardening")
    assert_valid("taxonomy_term", _get(client, f"/taxonomy_terms/{term.id}"))


def test_the_root_says_which_version_and_where_the_document_is(client, db_session):
    data = _get(client, "/")
    assert data["version"] == "3.0"
    assert data["openapi_url"].endswith("/api/oruk/openapi.json")


def test_both_catalogues_are_published_and_nothing_unpublished_is(client, world):
    names = _names(_get(client, "/services?per_page=200"))
    assert {"Morning visits", "Garden tidy", "Manchester visits", "Tuesday walking group",
            "Saturday choir"} == names
    for service in world["hidden"]:
        _get(client, f"/services/{service_uuid(service.id)}", 404)
        _get(client, f"/service_at_locations/{sal_uuid(service.id)}", 404)
    for listing in world["hidden_listings"]:
        _get(client, f"/services/{listing.uuid}", 404)
        _get(client, f"/service_at_locations/{listing.locations[0].uuid}", 404)
    located = _names(_get(client, "/service_at_locations?per_page=200"))
    assert located == names


def test_paid_services_carry_their_public_price_never_a_council_rate(client, world):
    full = _get(client, f"/services/{service_uuid(world['morning'].id)}")
    assert full["cost_options"][0]["amount"] == 24.5
    assert full["cost_options"][0]["amount_description"] == "per hour"
    assert "19.99" not in str(full)
    assert full["schedules"][0]["byday"] == "MO"
    assert {area["name"] for area in full["service_areas"]} >= {"HA1", "HA2"}
    assert full["attributes"][0]["taxonomy_term"]["term"] == "getting-up-and-dressed"


def test_a_community_listing_shows_everything_we_model(client, world):
    full = _get(client, f"/services/{world['walk'].uuid}")
    assert full["cost_options"][0]["amount"] == 0 and full["fees"] == "Free"
    assert full["schedules"][0]["byday"] == "TU"
    assert full["schedules"][0]["until"] == "2027-12-31"
    address = full["service_at_locations"][0]["location"]["addresses"][0]
    assert address["postal_code"] == "HA1 2AB" and address["country"] == "GB"
    links = {(a["link_type"], a["taxonomy_term"]["term"]) for a in full["attributes"]}
    assert links >= {("category", "walking-and-outdoors"), ("kind", "club_or_group"),
                     ("need", "dementia"), ("circumstance", "older-people"),
                     ("accessibility", "step-free")}
    assert {language["code"] for language in full["languages"]} == {"en", "gu"}
    choir = _get(client, f"/services/{world['choir'].uuid}")
    assert choir["cost_options"][0]["amount"] == 2.5


def test_no_person_is_published(client, world, make_user, db_session):
    from catalogue.models import CommunityOrganiser

    organiser = make_user(name="Private Organiser Person", email="organiser@example.org")
    db_session.add(CommunityOrganiser(organisation_id=world["walk"].organisation_id,
                                      user_id=organiser.id))
    db_session.commit()
    for path in ("/services?per_page=200", f"/services/{world['walk'].uuid}",
                 "/service_at_locations?per_page=200"):
        text = str(_get(client, path))
        assert "Private Organiser Person" not in text and "organiser@example.org" not in text


@pytest.mark.parametrize(("query", "expected"), [
    ("?search=WALKING group", {"Tuesday walking group"}),
    ("?search=meadow", {"Morning visits", "Garden tidy"}),  # the organisation's name
    ("?taxonomy_term_id={leisure}", {"Saturday choir"}),  # arts-and-culture is under it
    ("?taxonomy_term_id={gardening}", {"Garden tidy"}),
    ("?taxonomy_term_id={kind}", {"Tuesday walking group", "Saturday choir"}),
    ("?taxonomy_term_id={need}", {"Tuesday walking group"}),
    ("?taxonomy_id={needs}", {"Tuesday walking group"}),
    ("?minimum_age=18", {"Morning visits", "Manchester visits", "Tuesday walking group"}),
    ("?maximum_age=99", {"Morning visits", "Saturday choir"}),
    ("?maximum_age=95", {"Morning visits"}),
    ("?day=TU", {"Tuesday walking group"}),
    ("?day=monday&start_time=07:00&end_time=10:00", {"Morning visits"}),
    ("?day=MO&start_time=07:30", set()),
    ("?start_time=13:00", {"Garden tidy", "Saturday choir"}),
    ("?postcode=HA2 0AA", {"Morning visits", "Garden tidy"}),  # listed district
    ("?postcode=HA3", {"Morning visits", "Garden tidy"}),  # within the 5 km radius
    ("?postcode=HA1 1AA", {"Morning visits", "Garden tidy", "Tuesday walking group"}),
    ("?postcode=HA1&proximity=1000", {"Morning visits", "Garden tidy",
                                      "Tuesday walking group"}),
    ("?postcode=HA1&proximity=8000", {"Morning visits", "Garden tidy",
                                      "Tuesday walking group", "Saturday choir"}),
    ("?postcode=M1&proximity=500", {"Manchester visits"}),
])
def test_filters_select_what_they_say(client, world, query, expected):
    ids = {"leisure": taxonomies.term_for(taxonomies.CATALOGUE, "leisure-and-social").id,
           "gardening": taxonomies.term_for(taxonomies.CATALOGUE, "gardening").id,
           "kind": taxonomies.term_for(taxonomies.KINDS, "club_or_group").id,
           "need": taxonomies.term_for(taxonomies.NEEDS, "dementia").id,
           "needs": taxonomies.taxonomy_id(taxonomies.NEEDS)}
    path = query.format(**ids) + "&per_page=200"
    assert _names(_get(client, "/services" + path)) == expected
    located = _names(_get(client, "/service_at_locations" + path))
    assert located <= expected


def test_the_paging_envelope_counts_across_both_catalogues(client, world):
    first = _get(client, "/services?per_page=2")
    assert (first["total_items"], first["total_pages"], first["size"]) == (5, 3, 2)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    last = _get(client, "/services?per_page=2&page=3")
    assert last["size"] == 1 and last["last_page"] and not last["first_page"]
    past = _get(client, "/services?per_page=2&page=4")
    assert past["empty"] and past["contents"] == []
    seen = [item["id"] for page in (1, 2, 3)
            for item in _get(client, f"/services?per_page=2&page={page}")["contents"]]
    assert len(set(seen)) == 5


def test_a_page_costs_the_same_queries_however_many_services_there_are(client, world, app,
                                                                       db_session):
    def count_queries() -> int:
        seen = []
        engine = app.extensions["db_engine"]
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            _get(client, "/services?per_page=3")
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    before = count_queries()
    provider = add_provider(db_session, name="Many Services Ltd")
    for n in range(12):
        add_service(db_session, provider, name=f"Extra service {n:02d}")
    assert count_queries() == before


@pytest.mark.parametrize("query", [
    "page=-1", "page=0", "page=abc", "per_page=100000", "per_page=0", "proximity=abc",
    "postcode=HA1&proximity=abc", "postcode=HA1&proximity=-5", "day=Funday",
    "postcode=ZZ99 9ZZ", "postcode=not a postcode", "start_time=25:00", "end_time=9am",
    "start_time=12:00&end_time=11:00", "minimum_age=-1", "maximum_age=abc",
    "minimum_age=60&maximum_age=20", "taxonomy_term_id=nope", "taxonomy_id=123",
    "proximity=1000", "search=" + "x" * 300, "minimum_age=nan", "page=99999999999999",
])
def test_bad_filter_values_get_a_clear_400(client, db_session, query):
    for path in ("/services", "/service_at_locations"):
        response = client.get(f"{API}{path}?{query}")
        assert response.status_code == 400, (path, query)
        data = response.get_json()
        assert data["code"] == 400
        name = query.split("=")[0]
        assert any(error["parameter"] in (name, "maximum_age", "end_time", "proximity")
                   for error in data["errors"]), data
        assert name in data["message"] or data["errors"]


@pytest.mark.parametrize("query", ["page=-1", "per_page=100000", "page=x"])
def test_taxonomy_lists_refuse_bad_paging_too(client, db_session, query):
    for path in ("/taxonomies", "/taxonomy_terms"):
        assert client.get(f"{API}{path}?{query}").status_code == 400


@pytest.mark.parametrize("path", [
    "/services/{uuid}", "/services/not-a-uuid", "/service_at_locations/{uuid}",
    "/taxonomies/{uuid}", "/taxonomy_terms/{uuid}", "/taxonomy_terms/x",
    "/services/" + "0" * 8 + "-0000-0000-0000-" + "f" * 12, "/no-such-endpoint",
])
def test_unknown_ids_get_a_404_in_the_error_shape(client, db_session, path):
    response = client.get(API + path.format(uuid="3f7b145d-84af-42d7-8fae-eaca714b02b2"))
    assert response.status_code == 404
    data = response.get_json()
    assert data["code"] == 404 and data["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_any_origin_may_read_the_api(client, db_session):
    response = client.get(API + "/services", headers={"Origin": "https://other.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    bad = client.get(API + "/services?page=-1", headers={"Origin": "https://other.example"})
    assert bad.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(API + "/services", headers={
        "Origin": "https://other.example", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    page = client.get("/accessibility")
    assert "Access-Control-Allow-Origin" not in page.headers


def test_the_api_is_read_only(client, db_session):
    for path in ("/services", "/taxonomies"):
        response = client.post(API + path, json={})
        assert response.status_code in (400, 405)
        assert response.get_json()["code"] in (400, 405)


def test_the_api_answers_in_english_whatever_the_site_language(client, world):
    client.get("/language/cy")
    term = taxonomies.term_for(taxonomies.CATALOGUE, "gardening")
    assert _get(client, f"/taxonomy_terms/{term.id}")["name"] == "Gardening"
