"""The OpenAPI document the API serves is valid, names this server, and every path it
lists answers as it documents (status and schema)."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from catalogue.oruk import taxonomies
from catalogue.oruk.paid import sal_uuid, service_uuid
from tests.functional.catalogue_factories import add_provider, add_service
from tests.functional.oruk_helpers import add_listing, add_organisation


@pytest.fixture()
def document(client, db_session):
    response = client.get("/api/oruk/openapi.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


def test_the_served_document_is_valid_openapi(document):
    validate(document)
    assert document["servers"][0]["url"].endswith("/api/oruk")
    assert "raw.githubusercontent.com" not in str(document)


def _schema_checker(document, schema) -> Draft202012Validator:
    """A validator for a response schema of the document, its $refs resolved in it."""
    registry = Registry().with_resource("urn:oruk-openapi",
                                        DRAFT202012.create_resource(document))
    wrapped = _point_refs(dict(schema, **{"$id": "urn:oruk-openapi-response"}))
    return Draft202012Validator(wrapped, registry=registry, format_checker=FormatChecker())


def _point_refs(node):
    if isinstance(node, dict):
        return {k: ("urn:oruk-openapi" + v if k == "$ref" and v.startswith("#/") else
                    _point_refs(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_point_refs(v) for v in node]
    return node


def test_every_documented_path_answers_as_documented(client, db_session, document):
    provider = add_provider(db_session)
    service = add_service(db_session, provider)
    listing = add_listing(db_session, add_organisation(db_session))
    term = taxonomies.term_for(taxonomies.CATALOGUE, "gardening")
    ids = {"/services/{id}": [service_uuid(service.id), listing.uuid],
           "/service_at_locations/{id}": [sal_uuid(service.id), listing.locations[0].uuid],
           "/taxonomies/{id}": [taxonomies.taxonomy_id(taxonomies.CATALOGUE)],
           "/taxonomy_terms/{id}": [term.id]}
    base = document["servers"][0]["url"].split("://", 1)[1].split("/", 1)[1]
    assert document["paths"], "no paths"
    for path, item in document["paths"].items():
        operation = item["get"]
        urls = [path.replace("{id}", value) for value in ids.get(path, [path])] \
            if "{id}" in path else [path]
        for url in urls:
            response = client.get(f"/{base}{url}")
            assert response.status_code == 200, url
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            errors = list(_schema_checker(document, schema).iter_errors(response.get_json()))
            assert not errors, (url, [e.message for e in errors[:5]])
        if "{id}" in path:
            unknown = "00000000-1111-4111-8111-222222222222"
            missing = client.get(f"/{base}{path.replace('{id}', unknown)}")
            assert missing.status_code == 404
            schema = operation["responses"]["404"]["content"]["application/json"]["schema"]
            assert not list(_schema_checker(document, schema).iter_errors(missing.get_json()))
        for parameter in operation.get("parameters", []):
            name = re.sub(r".*/", "", parameter["$ref"])
            assert name in document["components"]["parameters"]
