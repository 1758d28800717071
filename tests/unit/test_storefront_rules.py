"""Small rules behind the storefront and council forms: times, postcodes, districts,
image checks, overlapping rates, and reading CQC files."""

from __future__ import annotations

import io
import json
from datetime import date, time

import pytest

from catalogue import cqc, uploads
from catalogue.fields import parse_time
from catalogue.models import CqcRating
from catalogue.storefront.forms import normalise_postcode, parse_districts
from catalogue.vetting.operations import _overlaps


@pytest.mark.parametrize(("text", "expected"), [
    ("9", time(9)), ("09:00", time(9)), ("9.30", time(9, 30)), ("17:45", time(17, 45)),
    ("5pm", time(17)), ("5.30 p.m.", time(17, 30)), ("12am", time(0)), ("12pm", time(12)),
    ("0:00", time(0)), ("23:59", time(23, 59)),
])
def test_times_are_read_the_way_people_write_them(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "24:00", "9:60", "13pm", "noon", "9m", "09:00:00",
                                  "-1", "1e9", "9:5"])
def test_anything_else_is_not_a_time(text):
    assert parse_time(text) is None


def test_postcodes_are_tidied_and_unknown_ones_refused():
    assert normalise_postcode(" ha1   2ab ") == "HA1 2AB"
    assert normalise_postcode("ha12ab") == "HA1 2AB"
    for bad in ("HA1", "ZZ99 9ZZ", "HA1 2A", "<script>"):
        with pytest.raises(ValueError):
            normalise_postcode(bad)


def test_districts_are_listed_once_each_and_must_be_known():
    assert parse_districts("ha1, HA2;HA3  ha1\nHA5") == ["HA1", "HA2", "HA3", "HA5"]
    assert parse_districts("") == []
    with pytest.raises(ValueError, match="QQ7"):
        parse_districts("HA1 QQ7")
    with pytest.raises(ValueError):
        parse_districts("HA1 2AB")  # "2AB" is not a district
    with pytest.raises(ValueError):
        parse_districts(" ".join(["HA1"] * 101))


def test_an_image_is_recognised_by_its_first_bytes_not_its_name():
    assert uploads.image_kind(b"\x89PNG\r\n\x1a\nrest") == "png"
    assert uploads.image_kind(b"\xff\xd8\xff\xe0rest") == "jpg"
    assert uploads.image_kind(b"GIF89a") is None
    assert uploads.image_kind(b"<svg xmlns=") is None


class _Upload:
    def __init__(self, data: bytes):
        self.stream = io.BytesIO(data)


def test_reading_an_upload_refuses_empty_large_and_non_image_files():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert uploads.read_image(_Upload(png), 1000) == (png, "png")
    for data, limit, words in ((b"", 1000, "empty"), (png, 50, "smaller than 1 KB"),
                               (png, 100, "smaller than 1 KB"), (b"%PDF-1.7", 1000, "PNG or JPEG")):
        with pytest.raises(uploads.UploadRefused) as caught:
            uploads.read_image(_Upload(data), limit)
        assert words in str(caught.value.message)
    assert uploads.size_words(2 * 1024 * 1024) == "2 MB"


@pytest.mark.parametrize(("a", "b", "overlap"), [
    ((date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), None), False),
    ((date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 1, 31), None), True),
    ((date(2026, 1, 1), None), (date(2030, 1, 1), None), True),
    ((date(2026, 3, 1), date(2026, 3, 1)), (date(2026, 1, 1), date(2026, 2, 28)), False),
    ((date(2026, 1, 10), date(2026, 1, 20)), (date(2026, 1, 1), date(2026, 12, 31)), True),
])
def test_rates_overlap_when_their_days_share_any_day(a, b, overlap):
    assert _overlaps(*a, *b) is overlap
    assert _overlaps(*b, *a) is overlap


def test_a_cqc_location_is_read_from_the_api_shape():
    (location,) = cqc.parse_locations(json.dumps({
        "locationId": "1-000210669", "name": "Willow Care", "registrationStatus": "Registered",
        "postalCode": "HA1 2AB",
        "currentRatings": {"overall": {"rating": "Requires Improvement",
                                       "reportDate": "2025-09-18T00:00:00"}}}))
    assert location == cqc.CqcLocation("1-000210669", "Willow Care", "Registered",
                                       CqcRating.REQUIRES_IMPROVEMENT, date(2025, 9, 18),
                                       "HA1 2AB")


def test_a_location_without_a_rating_is_not_yet_rated_while_registered():
    registered, gone = cqc.parse_locations(json.dumps([
        {"locationId": "1-1", "registrationStatus": "Registered"},
        {"locationId": "1-2", "registrationStatus": "Deregistered"}]))
    assert registered.rating is CqcRating.NOT_RATED and gone.rating is None


def test_a_location_listed_twice_is_refused():
    with pytest.raises(cqc.CqcFileError, match="more than once"):
        cqc.parse_locations(json.dumps({"locations": [
            {"locationId": "1-1", "registrationStatus": "Registered"},
            {"locationId": "1-1", "registrationStatus": "Registered"}]}))
