"""Our vocabularies as ORUK taxonomies: stable ids, parents, and every term found."""

from __future__ import annotations

import re

from catalogue.community.vocabulary import COMMUNITY_CATEGORIES
from catalogue.oruk import taxonomies
from catalogue.oruk.openapi import document
from catalogue.taxonomy import CATEGORIES


def test_every_category_is_a_term_with_its_parent():
    child = taxonomies.term_for(taxonomies.CATALOGUE, "gardening")
    assert child.as_oruk()["parent_id"] == taxonomies.term_for(
        taxonomies.CATALOGUE, "gardening-and-handyperson").id
    assert all(taxonomies.category_term(slug) for slug in CATEGORIES)
    assert all(taxonomies.category_term(slug) for slug in COMMUNITY_CATEGORIES)
    assert taxonomies.term_by_id(child.id) is child


def test_a_top_level_category_stands_for_its_sub_categories():
    term = taxonomies.term_for(taxonomies.CATALOGUE, "meals")
    assert taxonomies.category_slugs_under(term) == ["meals", "meals-delivered",
                                                     "lunch-clubs"]


def test_taxonomy_ids_are_found_back():
    for key in taxonomies.taxonomy_keys():
        assert taxonomies.taxonomy_key_of(taxonomies.taxonomy_id(key)) == key


def test_the_document_has_every_schema_it_refers_to():
    doc = document("https://example.org/api/oruk")
    text = str(doc)
    for name in doc["components"]["schemas"]:
        assert name
    for ref in set(re.findall(r"#/components/schemas/([A-Za-z_]+)", text)):
        assert ref in doc["components"]["schemas"], ref
