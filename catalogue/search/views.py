"""The public search page: ``/search``, a plain GET form that works without
JavaScript, with facets and their counts, sorting, paging, "did you mean" and
clear messages for anything odd in the query string (never a 500)."""

from __future__ import annotations

import time
from dataclasses import replace

import click
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.routing import BuildError

from catalogue import browse
from catalogue.models import Service
from catalogue.search import (
    PRICE_BANDS,
    SearchError,
    SearchQuery,
    get_search_backend,
    parse_search_args,
    record_search,
)
from catalogue.search.indexing import init_app as init_indexing
from catalogue.search.options import all_options
from marketplace.db import db
from marketplace.security import public

bp = Blueprint("search", __name__)
bp.record_once(lambda state: init_indexing(state.app))

_FILTER_ARGS = ("q", "postcode", "category", "price", "price_min", "price_max", "day",
                "language", "cqc", "funding", "kind", "covers", "rating",
                "free")
_BANDS = {(low, high): key for key, low, high in PRICE_BANDS}
# Where each field's message links to in the error summary.
_ANCHORS = {"price": "price", "category": "category", "day": "day", "language": "language",
            "funding": "funding", "kind": "kind", "page": "results-heading",
            "price_min": "price_min", "price_max": "price_max", "postcode": "postcode",
            "rating": "rating"}


def _pounds(pence: int) -> str:
    return f"{pence // 100}" if pence % 100 == 0 else f"{pence // 100}.{pence % 100:02d}"


def query_args(query: SearchQuery, **changes) -> dict:
    """The query string for ``query`` (cleaned: never the raw input), with changes."""
    args = {"q": query.words, "postcode": query.postcode, "category": query.category,
            "day": query.weekday, "language": query.language,
            "cqc": "yes" if query.cqc_registered else None, "funding": query.funding_stream,
            "kind": query.provider_kind, "covers": "yes" if query.covers_my_area else None,
            "rating": query.min_rating,
            "sort": query.sort.value if query.sort.value != "relevance" else None,
            "page": query.page if query.page > 1 else None}
    band = _BANDS.get((query.price_min_pence, query.price_max_pence))
    if band:
        args["price"] = band
    else:
        if query.price_min_pence is not None:
            args["price_min"] = _pounds(query.price_min_pence)
        if query.price_max_pence is not None:
            args["price_max"] = _pounds(query.price_max_pence)
    args.update(changes)
    return {key: value for key, value in args.items() if value not in (None, "")}


def service_url(service_id: int, search_event_id: int | None) -> str:
    extra = {"from_search": search_event_id} if search_event_id else {}
    try:
        return url_for("catalogue.service", service_id=service_id, **extra)
    except BuildError:  # the public catalogue is not installed on this site
        return f"/services/{service_id}" + (f"?from_search={search_event_id}" if extra else "")


def page_items(query: SearchQuery, pages: int) -> list[dict]:
    """GOV.UK pagination items: the first, last and nearby pages, with gaps."""
    shown = sorted({1, pages, *range(max(1, query.page - 2), min(pages, query.page + 2) + 1)})
    items, previous = [], 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "current": number == query.page,
                      "visuallyHiddenText": _("Page %(n)d", n=number),
                      "href": url_for("search.results",
                                      **query_args(query, page=number if number > 1 else None))})
        previous = number
    return items


def _services(ids: list[int]) -> dict[int, Service]:
    if not ids:
        return {}
    rows = db.session.scalars(select(Service).where(Service.id.in_(ids)).options(
        joinedload(Service.provider), selectinload(Service.council_rates))).unique()
    return {service.id: service for service in rows}


@bp.get("/search")
@public
def results():
    pricing = browse.viewer_pricing()
    query, errors = parse_search_args(request.args, funded_by=pricing.councils,
                                      today=pricing.on)
    backend = get_search_backend(current_app)
    found = backend.search(db.session, query)
    if query.page > found.pages:
        if found.total:
            errors.append(SearchError("page", ngettext(
                "There is only %(num)d page of results, so here it is.",
                "There are only %(num)d pages of results, so this is the last one.",
                found.pages)))
        query = replace(query, page=found.pages)
        found = backend.search(db.session, query)
    searched = any(request.args.get(name) for name in _FILTER_ARGS)
    event_id = record_search(db.session, query, found) if searched else None
    if event_id and request.args.get("free") == "yes":  # free community listings only
        from catalogue.community.usage import note_free_search

        note_free_search(db.session, event_id)
    db.session.commit()
    services = _services([hit.service_id for hit in found.hits])
    rows = [(hit, services[hit.service_id]) for hit in found.hits if hit.service_id in services]
    typed = {name: (request.args.get(name) or "")[:40] for name in
             ("postcode", "price_min", "price_max")}
    error_list = [{"text": str(error), "href": "#" + _ANCHORS.get(error.field, "q")}
                  for error in errors]
    field_errors = {}
    for error in errors:
        field_errors.setdefault(error.field, {"text": str(error)})
    from catalogue.search.community_view import community_section

    community = community_section(db.session, query, found, request.args)
    return render_template(
        "search/results.html", query=query, found=found, rows=rows, errors=errors,
        community=community,
        error_list=error_list, field_errors=field_errors, options=all_options(found, query),
        typed=typed, event_id=event_id, page_items=page_items(query, found.pages),
        query_args=query_args, service_url=service_url, searched=searched)


@bp.cli.command("reindex")
def reindex_command():
    """Rebuild the search index (whoosh) or search documents (postgres) from the
    database: after a restore, a bulk load, or changing the index layout."""
    started = time.perf_counter()
    backend = get_search_backend(current_app)
    count = backend.rebuild(db.session)
    db.session.commit()
    click.echo(f"Search ({backend.name}): {count} listings indexed in "
               f"{time.perf_counter() - started:.1f}s")
