"""`flask community import-oruk FILE`: loads an Open Referral UK 3.0 feed into the
Community Catalogue, updates rather than duplicates, reports what it skipped, refuses
malformed files item by item with nothing imported, and round-trips both the
profile's example and a feed exported by our own API."""

from __future__ import annotations

import json
from datetime import date, time

import pytest
from sqlalchemy import delete, func, select

from catalogue.models import (
    CommunityListing,
    CommunityListingLocation,
    CommunityListingStatus,
    CommunityLocation,
    CommunityOrganisation,
    CommunityReview,
    CommunitySchedule,
    VettingStatus,
)
from tests.functional.catalogue_factories import add_provider, add_service
from tests.functional.oruk_helpers import add_listing, add_organisation, load

EXAMPLE = load("examples/service_full.json")


def _run(app, path, *options):
    return app.test_cli_runner().invoke(
        args=["community", "import-oruk", str(path), *options])


def _write(tmp_path, data, name="feed.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _listing(session, uuid) -> CommunityListing:
    session.expire_all()
    return session.scalar(select(CommunityListing).where(CommunityListing.uuid == uuid))


def test_the_profiles_example_imports_and_round_trips_what_we_model(app, db_session, tmp_path,
                                                                    client):
    result = _run(app, _write(tmp_path, [EXAMPLE]), "--approve")
    assert result.exit_code == 0, result.output
    assert "Created: Community Counselling" in result.output
    assert "not one of ours" in result.output  # the example's made-up taxonomy term
    assert "not a place on Earth" in result.output  # its latitude is 100
    listing = _listing(db_session, EXAMPLE["id"])
    assert listing.status is CommunityListingStatus.PUBLISHED
    assert listing.organisation.status is VettingStatus.APPROVED
    exported = client.get(f"/api/oruk/services/{EXAMPLE['id']}").get_json()
    for key in ("id", "name", "url", "email", "minimum_age", "maximum_age"):
        assert exported[key] == EXAMPLE[key], key
    assert exported["description"] == EXAMPLE["description"].strip()
    for key in ("id", "name", "description", "email", "website"):
        assert exported["organization"][key] == EXAMPLE["organization"][key], key
    assert exported["cost_options"][0]["amount"] == 35
    assert exported["cost_options"][0]["amount_description"] == "per 1 hour session"
    schedule = {k: v for k, v in EXAMPLE["schedules"][0].items()
                if k not in ("schedule_link", "attending_type")}
    assert {k: exported["schedules"][0][k] for k in schedule} == schedule
    sal, theirs = exported["service_at_locations"][0], EXAMPLE["service_at_locations"][0]
    assert sal["id"] == theirs["id"]
    assert sal["location"]["id"] == theirs["location"]["id"]
    for key in ("name", "description", "location_type"):
        assert sal["location"][key] == theirs["location"][key]
    for key in ("address_1", "city", "postal_code"):
        assert sal["location"]["addresses"][0][key] == theirs["location"]["addresses"][0][key]
    details = sal["location"]["accessibility"][0]["details"]
    assert theirs["location"]["accessibility"][0]["details"] in details


def test_importing_again_updates_rather_than_duplicates(app, db_session, tmp_path):
    assert _run(app, _write(tmp_path, [EXAMPLE]), "--approve").exit_code == 0
    changed = dict(EXAMPLE, name="Community Counselling (renamed)")
    result = _run(app, _write(tmp_path, [changed]), "--approve")
    assert result.exit_code == 0, result.output
    assert "Updated: Community Counselling (renamed)" in result.output
    assert _count(db_session, CommunityListing) == 1
    assert _count(db_session, CommunityOrganisation) == 1
    assert _count(db_session, CommunityLocation) == 1
    assert _count(db_session, CommunitySchedule) == 1
    assert _listing(db_session, EXAMPLE["id"]).name == "Community Counselling (renamed)"


def test_a_paged_list_imports_too(app, db_session, tmp_path):
    paged = load("examples/service_list.json") | {"contents": [EXAMPLE]}
    result = _run(app, _write(tmp_path, paged))
    assert result.exit_code == 0, result.output
    assert _listing(db_session, EXAMPLE["id"]) is not None


def test_without_approval_new_things_wait_for_a_moderator(app, db_session, tmp_path, client):
    result = _run(app, _write(tmp_path, [EXAMPLE]))
    assert result.exit_code == 0, result.output
    assert "waiting for a moderator" in result.output
    listing = _listing(db_session, EXAMPLE["id"])
    assert listing.status is CommunityListingStatus.PENDING
    assert listing.organisation.status is VettingStatus.PENDING
    assert _count(db_session, CommunityReview) == 2  # the organisation and the listing
    assert client.get(f"/api/oruk/services/{EXAMPLE['id']}").status_code == 404


MODELLED = ("name", "summary", "description", "kind", "category", "cost_pence",
            "cost_description", "min_age", "max_age", "needs", "circumstances",
            "accessibility", "accessibility_notes", "languages", "email", "phone", "website")


def _snapshot(listing: CommunityListing) -> dict:
    org = listing.organisation
    return {
        "listing": {name: getattr(listing, name) for name in MODELLED} | {"uuid": listing.uuid},
        "organisation": {name: getattr(org, name) for name in
                         ("uuid", "name", "description", "email", "website", "phone")},
        "places": [(link.uuid, link.location.uuid, link.location.name,
                    link.location.description, link.location.address_1,
                    link.location.address_2, link.location.city, link.location.postcode,
                    link.location.latitude, link.location.longitude,
                    link.location.location_type) for link in listing.locations],
        "schedules": [(s.uuid, s.freq, s.interval, s.byday, s.bymonthday, s.dtstart, s.until,
                       s.valid_from, s.valid_to, s.opens_at, s.closes_at, s.description,
                       s.notes, s.listing_location.uuid if s.listing_location else None)
                      for s in listing.schedules],
    }


def test_a_feed_exported_by_our_own_api_round_trips(app, db_session, tmp_path, client):
    organisation = add_organisation(db_session)
    walk = add_listing(db_session, organisation)
    choir = add_listing(db_session, organisation, name="Monthly choir", byday="2SA",
                        cost_pence=250, cost_description="Tea and biscuits", max_age=99,
                        languages=["cy"], phone=None, website=None)
    from catalogue.models import CommunitySchedule as Schedule
    from catalogue.models import ScheduleFreq

    choir.schedules[0].freq = ScheduleFreq.MONTHLY
    choir.schedules.append(Schedule(freq=ScheduleFreq.ONCE, dtstart=date(2026, 12, 24),
                                    opens_at=time(18, 0), closes_at=time(20, 0),
                                    description="Carols", valid_from=date(2026, 11, 1),
                                    valid_to=date(2026, 12, 31)))
    db_session.commit()
    add_service(db_session, add_provider(db_session))  # a paid service is in the feed too
    listed = client.get("/api/oruk/services?per_page=200").get_json()["contents"]
    feed = [client.get(f"/api/oruk/services/{item['id']}").get_json() for item in listed]
    before = {row.uuid: _snapshot(row) for row in (walk, choir)}
    for model in (CommunitySchedule, CommunityListingLocation, CommunityListing,
                  CommunityLocation, CommunityOrganisation):
        db_session.execute(delete(model))
    db_session.commit()
    result = _run(app, _write(tmp_path, feed), "--approve")
    assert result.exit_code == 0, result.output
    assert "paid service of this site's own catalogue" in result.output
    assert "2 listing(s) created" in result.output
    for uuid, snapshot in before.items():
        assert _snapshot(_listing(db_session, uuid)) == snapshot


def test_a_malformed_file_is_reported_item_by_item_and_nothing_is_imported(app, db_session,
                                                                           tmp_path):
    bad_age = dict(EXAMPLE, id="11111111-1111-4111-8111-111111111111", minimum_age="twelve")
    bad_schedule = dict(EXAMPLE, id=None, schedules=[
        dict(EXAMPLE["schedules"][0], freq="DAILY"),
        dict(EXAMPLE["schedules"][0], opens_at="25:00")])
    result = _run(app, _write(tmp_path, [EXAMPLE, bad_age, bad_schedule, "text"]), "--approve")
    assert result.exit_code != 0
    output = result.output
    assert "item 2 (id 11111111-1111-4111-8111-111111111111): minimum_age: must be a whole" \
        in output
    assert "item 3: id: is required" in output
    assert "item 3: schedules[0].freq: must be WEEKLY or MONTHLY" in output
    assert "item 3: schedules[1].opens_at: must be a time" in output
    assert "item 4: must be a service object" in output
    assert "Nothing was imported" in output
    assert _count(db_session, CommunityListing) == 0
    assert _count(db_session, CommunityOrganisation) == 0


@pytest.mark.parametrize("content", ["not json", "{\"hello\": 1}", "42"])
def test_a_file_that_is_not_a_feed_is_refused(app, db_session, tmp_path, content):
    result = _run(app, _write(tmp_path, content))
    assert result.exit_code != 0
    assert "Nothing was imported" in result.output
    assert _count(db_session, CommunityListing) == 0


def test_ids_of_another_organisations_rows_refuse_the_whole_import(app, db_session, tmp_path):
    theirs = add_listing(db_session, add_organisation(db_session, name="First Group")).uuid
    clash = dict(EXAMPLE, id=theirs)
    result = _run(app, _write(tmp_path, [EXAMPLE, clash]), "--approve")
    assert result.exit_code != 0
    assert "belongs to a listing of another organisation" in result.output
    assert _listing(db_session, EXAMPLE["id"]) is None
    assert _listing(db_session, theirs).name == "Tuesday walking group"


def test_inactive_services_and_unknown_charges_are_skipped_with_the_reason(app, db_session,
                                                                           tmp_path):
    inactive = dict(EXAMPLE, id="22222222-2222-4222-8222-222222222222", status="defunct")
    unpriced = {k: v for k, v in EXAMPLE.items() if k != "cost_options"} | {
        "id": "33333333-3333-4333-8333-333333333333", "fees": "£5 a week"}
    result = _run(app, _write(tmp_path, [inactive, unpriced]))
    assert result.exit_code == 0, result.output
    assert "its status is 'defunct'" in result.output
    assert "no cost option gives the amount" in result.output
    assert _count(db_session, CommunityListing) == 0


def test_a_dry_run_changes_nothing(app, db_session, tmp_path):
    result = _run(app, _write(tmp_path, [EXAMPLE]), "--dry-run")
    assert result.exit_code == 0 and "dry run" in result.output
    assert _count(db_session, CommunityListing) == 0
