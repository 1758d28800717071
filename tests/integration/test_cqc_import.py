"""`flask catalogue import-cqc FILE` updates providers from CQC API data, and changes
nothing when the file is malformed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from catalogue.models import CqcRating, ProviderOrganisation
from tests.functional.storefront_helpers import make_provider

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "cqc_locations.json"


def _run(app, path):
    return app.test_cli_runner().invoke(args=["catalogue", "import-cqc", str(path)])


@pytest.fixture()
def providers(db_session):
    willow = make_provider(db_session, name="Willow Care", cqc_location_id="1-000210669",
                           cqc_status="Registered", cqc_rating=CqcRating.GOOD,
                           cqc_rating_date=date(2022, 3, 2))
    bluebell = make_provider(db_session, name="Bluebell Home Support",
                             cqc_location_id="1-2784631207", cqc_status="Registered",
                             check_cqc=True)
    fresh = make_provider(db_session, name="Newly Registered Homecare",
                          cqc_location_id="1-555000111")
    other = make_provider(db_session, name="Gardening Friends")
    return willow, bluebell, fresh, other


def test_the_example_file_updates_matching_providers_and_says_what_changed(
        app, db_session, providers):
    result = _run(app, EXAMPLE)
    assert result.exit_code == 0, result.output
    willow, bluebell, fresh, other = (db_session.get(ProviderOrganisation, p.id)
                                      for p in providers)
    assert (willow.cqc_status, willow.cqc_rating, willow.cqc_rating_date) == (
        "Registered", CqcRating.OUTSTANDING, date(2025, 9, 18))
    assert (bluebell.cqc_status, bluebell.cqc_rating) == ("Deregistered",
                                                          CqcRating.REQUIRES_IMPROVEMENT)
    assert bluebell.check_cqc is False
    assert fresh.cqc_rating is CqcRating.NOT_RATED and fresh.cqc_status == "Registered"
    assert other.cqc_status is None
    assert "Updated Willow Care (1-000210669): rating Good -> Outstanding; report date " \
           "2022-03-02 -> 2025-09-18" in result.output
    assert "no longer registered: the council's CQC check was cleared" in result.output
    assert "3 location(s) read, 3 provider(s) updated" in result.output
    again = _run(app, EXAMPLE)
    assert "Unchanged: Willow Care" in again.output and "0 provider(s) updated" in again.output


def test_a_single_location_object_is_accepted_and_unknown_locations_are_skipped(
        app, db_session, providers, tmp_path):
    location = json.loads(EXAMPLE.read_text())["locations"][0]
    location["locationId"] = "1-999999999"
    path = tmp_path / "one.json"
    path.write_text(json.dumps(location))
    result = _run(app, path)
    assert result.exit_code == 0
    assert "No provider has CQC location 1-999999999: skipped" in result.output


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not valid JSON"),
    ("[]", "holds no locations"),
    ('"a string"', "must hold a location object"),
    ('{"locations": {"locationId": "1-1"}}', "'locations' must be a list"),
    ('{"locations": [{"name": "No id", "registrationStatus": "Registered"}]}',
     "'locationId' is missing"),
    ('{"locationId": "XYZ", "registrationStatus": "Registered"}', "is not a CQC location id"),
    ('{"locationId": "1-000210669"}', "'registrationStatus' is missing"),
    ('{"locationId": "1-000210669", "registrationStatus": "Registered", '
     '"currentRatings": {"overall": {"rating": "Brilliant"}}}', "unknown rating 'Brilliant'"),
    ('{"locationId": "1-000210669", "registrationStatus": "Registered", '
     '"currentRatings": {"overall": {"rating": "Good", "reportDate": "18/09/2025"}}}',
     "is not a date like 2024-05-31"),
])
def test_a_malformed_file_gets_a_clear_message_and_changes_nothing(
        app, db_session, providers, tmp_path, content, message):
    good = json.loads(EXAMPLE.read_text())["locations"][0]
    path = tmp_path / "bad.json"
    # A good location first: it must not be applied when a later one is malformed.
    if content.startswith('{"locationId"'):
        content = json.dumps({"locations": [good, json.loads(content)]})
    path.write_text(content)
    result = _run(app, path)
    assert result.exit_code != 0
    assert "was not imported, nothing changed" in result.output
    assert message in result.output
    willow = db_session.get(ProviderOrganisation, providers[0].id)
    assert willow.cqc_rating is CqcRating.GOOD


def test_a_missing_file_is_reported(app, db_session, tmp_path):
    result = _run(app, tmp_path / "nowhere.json")
    assert result.exit_code != 0 and "does not exist" in result.output
