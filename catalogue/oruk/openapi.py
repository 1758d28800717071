"""The OpenAPI document the API serves: the profile's own (``data/openapi.json``),
adapted so that it is valid and true of this server.

- ``openapi`` is 3.1.0: the profile's file says 3.0.0 but uses 3.1's
  ``jsonSchemaDialect`` and JSON Schema 2020-12 schemas (as HSDS 3.0 does);
- ``servers`` names this server's API;
- the schemas are embedded under ``components.schemas`` (from the profile's compiled
  schemas) instead of ``$ref``s to files on GitHub, so the document stands alone;
- ``/service_at_locations/{id}`` answers a service_at_location (the profile's file
  refers to the service schema there, which a service_at_location cannot meet);
- ``start_time``/``end_time`` have a valid schema (string, format time) instead of
  the invalid ``type: time``;
- ``/services`` also takes ``postcode`` and ``proximity``, as ``/service_at_locations``
  does; both list ``page``/``per_page`` limits, and every operation documents its
  400 and 404 answers in the error shape.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from catalogue.oruk.params import MAX_PAGE, MAX_PER_PAGE, MAX_PROXIMITY_M, PER_PAGE

DATA = Path(__file__).resolve().parent / "data"
_REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
_REFS = {
    _REMOTE + "compiled/service.json": "service",
    _REMOTE + "compiled/service_list.json": "service_list",
    _REMOTE + "compiled/service_at_location_list.json": "service_at_location_list",
    _REMOTE + "taxonomy.json": "taxonomy",
    _REMOTE + "taxonomy_term.json": "taxonomy_term",
}
ERROR = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "integer", "description": "The HTTP status code."},
        "message": {"type": "string", "description": "What went wrong."},
        "errors": {"type": "array", "description": "Each bad parameter (400 only).",
                   "items": {"type": "object", "properties": {
                       "parameter": {"type": "string"}, "message": {"type": "string"}}}},
    },
}


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _rewrite(node):
    """Point ``#/definitions/x`` and the profile's remote refs at components."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if value.startswith("#/definitions/"):
                    value = "#/components/schemas/" + value.removeprefix("#/definitions/")
                elif value in _REFS:
                    value = "#/components/schemas/" + _REFS[value]
            out[key] = _rewrite(value)
        return out
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


def _schemas() -> dict:
    full = _load("compiled_service_with_definitions.json")
    definitions = full.pop("definitions")
    schemas = {name: _rewrite(schema) for name, schema in definitions.items()}
    schemas["service"] = _rewrite(full)
    located = copy.deepcopy(schemas["service_at_location"])
    located["properties"]["service"] = {"$ref": "#/components/schemas/service"}
    schemas["service_at_location_full"] = located
    schemas["service_list"] = _load("compiled_service_list.json")
    schemas["service_at_location_list"] = _load("compiled_service_at_location_list.json")
    schemas["Error"] = ERROR
    return schemas


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}


@cache
def _base() -> dict:
    doc = _rewrite(_load("openapi.json"))
    doc["openapi"] = "3.1.0"
    doc["info"]["description"] = (
        "Open Referral UK 3.0 read API of this site's Community Catalogue and paid "
        "support catalogue. " + doc["info"].get("description", ""))
    doc["info"]["license"] = {"name": "Creative Commons Attribution Share-Alike 4.0",
                              "url": "https://creativecommons.org/licenses/by-sa/4.0/"}
    parameters = doc["components"]["parameters"]
    for name in ("start_time", "end_time"):
        parameters[name]["schema"] = {"type": "string", "format": "time",
                                      "examples": ["09:30", "09:30:00"]}
    parameters["day"]["schema"] = {"type": "string", "examples": ["MO", "Monday"]}
    parameters["page"]["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE,
                                    "default": 1}
    parameters["per_page"]["schema"] = {"type": "integer", "minimum": 1,
                                        "maximum": MAX_PER_PAGE, "default": PER_PAGE}
    parameters["proximity"]["schema"] = {"type": "number", "minimum": 1,
                                         "maximum": MAX_PROXIMITY_M}
    parameters["modified_after"]["schema"] = {"type": "string", "format": "date-time"}
    for name in ("taxonomy_term_id", "taxonomy_id"):
        parameters[name]["schema"] = {"type": "string", "format": "uuid"}
    paths = doc["paths"]
    paths["/services"]["get"]["parameters"] += [{"$ref": "#/components/parameters/postcode"},
                                                {"$ref": "#/components/parameters/proximity"}]
    located = paths["/service_at_locations/{id}"]["get"]["responses"]["200"]
    located["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/service_at_location_full"}
    for path, item in paths.items():
        responses = item["get"]["responses"]
        if "parameters" in item["get"]:
            responses["400"] = _error("A parameter cannot be used; the message says which.")
        if "{id}" in path:
            responses["404"] = _error("Nothing published has this id.")
    doc["components"]["schemas"].update(_schemas())
    return doc


def document(server_url: str) -> dict:
    """The document for the API at ``server_url`` (e.g. https://example.org/api/oruk)."""
    doc = copy.deepcopy(_base())
    doc["servers"] = [{"url": server_url, "description": "This site's Open Referral UK API"}]
    return doc
