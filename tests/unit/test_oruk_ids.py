"""Stable identifiers: uuid5 for things without a uuid column, readable back for
paid services; taxonomy ids never change; empty fields are left out."""

from __future__ import annotations

import uuid

import pytest

from catalogue.oruk import ids
from catalogue.oruk.serialise import compact, pounds


def test_an_embedded_id_is_a_stable_version_5_uuid_that_reads_back():
    made = ids.embedded(ids.PAID_SERVICE, 42)
    assert made == ids.embedded(ids.PAID_SERVICE, 42)
    assert uuid.UUID(made).version == 5
    assert ids.embedded_id(ids.PAID_SERVICE, made) == 42
    assert ids.embedded_id(ids.PAID_SERVICE, made.upper()) == 42


def test_each_kind_has_its_own_ids():
    service = ids.embedded(ids.PAID_SERVICE, 7)
    assert service != ids.embedded(ids.PROVIDER, 7)
    assert ids.embedded_id(ids.PROVIDER, service) is None
    assert ids.embedded_id(ids.PAID_SERVICE, str(uuid.uuid4())) is None


@pytest.mark.parametrize("text", ["", "abc", "1" * 36, None, "{" + "0" * 34 + "}"])
def test_text_that_is_not_a_uuid_reads_as_nothing(text):
    assert ids.embedded_id(ids.PAID_SERVICE, text) is None


def test_plain_stable_ids_never_change():
    assert ids.stable("taxonomy", "catalogue") == str(
        uuid.uuid5(ids.NAMESPACE, "taxonomy:catalogue"))


def test_empty_fields_are_left_out_and_zero_is_kept():
    assert compact({"a": None, "b": "", "c": [], "d": {}, "e": 0, "f": [{"g": None}],
                    "h": False}) == {"e": 0, "h": False}


def test_amounts_are_pounds():
    assert (pounds(2450), pounds(300), pounds(5)) == (24.5, 3, 0.05)
