"""The Open Referral UK 3.0 read API under /api/oruk/: public, read-only, JSON.

Every answer is built in English (the feed does not follow the site's language).
Bad parameters give 400 and unknown ids 404, both in the API's error shape
``{"code": ..., "message": ...}`` (``marketplace.errors``); a 400 also lists each
bad parameter under ``"errors"``.

CORS: every origin may read the API. A small ``after_app_request`` hook adds the
headers rather than the flask-cors extension: the API is GET-only, public and
sends no cookies that matter, so three fixed headers are all that is needed, and
they also reach error answers (404s for paths no route matches) that a
blueprint-level extension would not see.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, jsonify, request, url_for
from flask_babel import force_locale

from catalogue.oruk import bp, community, paid, taxonomies
from catalogue.oruk.openapi import document
from catalogue.oruk.paging import envelope, page_keys
from catalogue.oruk.params import BadFilters, parse_filters, parse_paging
from marketplace.db import db, utcnow
from marketplace.security import public, today

PROFILE_URL = "https://openreferraluk.org/"


def _english(view):
    @wraps(view)
    def run(*args, **kwargs):
        with force_locale("en"):
            return view(*args, **kwargs)

    return run


@bp.errorhandler(BadFilters)
def _bad_filters(error: BadFilters):
    return jsonify({"code": 400, "message": f"Bad parameters: {error}",
                    "errors": [{"parameter": name, "message": text}
                               for name, text in error.problems.items()]}), 400


@bp.after_app_request
def _cors(response):
    if request.path == bp.url_prefix or request.path.startswith(bp.url_prefix + "/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _dialect() -> str:
    return db.session.get_bind().dialect.name


@bp.get("/")
@public
def root():
    return jsonify({"version": "3.0", "profile": PROFILE_URL,
                    "openapi_url": url_for("oruk.openapi", _external=True)})


@bp.get("/openapi.json")
@public
def openapi():
    return jsonify(document(url_for("oruk.root", _external=True).rstrip("/")))


@bp.get("/services")
@public
@_english
def services():
    filters = parse_filters(request.args)
    now, day = utcnow(), today()
    total, keys = page_keys(db.session, [paid.keys(filters, now),
                                         community.keys(filters, now, day, _dialect())], filters)
    paid_rows = paid.load(db.session, [i for s, i in keys if s == paid.SOURCE], full=False)
    community_rows = community.load(db.session, [i for s, i in keys if s == community.SOURCE])
    contents = [paid.brief(paid_rows[i], day) if s == paid.SOURCE
                else community.brief(community_rows[i]) for s, i in keys]
    return jsonify(envelope(total, filters, contents))


@bp.get("/services/<item_id>")
@public
@_english
def service(item_id: str):
    now = utcnow()
    found = paid.find(db.session, item_id, now)
    if found is not None:
        return jsonify(paid.full(found, today()))
    listing = community.find(db.session, item_id, now)
    if listing is None:
        abort(404, description=f"No published service has the id {item_id[:60]!r}.")
    return jsonify(community.full(listing))


@bp.get("/service_at_locations")
@public
@_english
def service_at_locations():
    filters = parse_filters(request.args)
    now, day = utcnow(), today()
    total, keys = page_keys(
        db.session, [paid.keys(filters, now, located=True),
                     community.sal_keys(filters, now, day, _dialect())], filters)
    paid_rows = paid.load(db.session, [i for s, i in keys if s == paid.SOURCE], full=False)
    links = community.load_links(db.session, [i for s, i in keys if s == community.SOURCE])
    contents = [paid.sal_brief(paid_rows[i], day) if s == paid.SOURCE
                else community.sal_brief(links[i]) for s, i in keys]
    return jsonify(envelope(total, filters, contents))


@bp.get("/service_at_locations/<item_id>")
@public
@_english
def service_at_location(item_id: str):
    now = utcnow()
    found = paid.find_sal(db.session, item_id, now)
    if found is not None:
        return jsonify(paid.sal_brief(found, today()) | {"service": paid.full(found, today())})
    link = community.find_link(db.session, item_id, now)
    if link is None:
        abort(404, description=f"No published service at a location has the id "
                               f"{item_id[:60]!r}.")
    return jsonify(community.sal_brief(link) | {"service": community.full(link.listing)})


def _static_page(items: list[dict]):
    filters = parse_paging(request.args)
    page = items[filters.offset:filters.offset + filters.per_page]
    return jsonify(envelope(len(items), filters, page))


@bp.get("/taxonomies")
@public
@_english
def taxonomy_list():
    return _static_page([taxonomies.taxonomy_as_oruk(key) for key in taxonomies.taxonomy_keys()])


@bp.get("/taxonomies/<item_id>")
@public
@_english
def taxonomy(item_id: str):
    key = taxonomies.taxonomy_key_of(item_id.lower())
    if key is None:
        abort(404, description=f"No taxonomy has the id {item_id[:60]!r}.")
    return jsonify(taxonomies.taxonomy_as_oruk(key, with_terms=True))


@bp.get("/taxonomy_terms")
@public
@_english
def taxonomy_term_list():
    return _static_page([term.as_oruk() for term in taxonomies.all_terms()])


@bp.get("/taxonomy_terms/<item_id>")
@public
@_english
def taxonomy_term(item_id: str):
    term = taxonomies.term_by_id(item_id.lower())
    if term is None:
        abort(404, description=f"No taxonomy term has the id {item_id[:60]!r}.")
    return jsonify(term.as_oruk())

