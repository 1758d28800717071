"""The public Community Catalogue: browse by category, "what's on" near a postcode,
listing pages with their next dates, and "report a problem". Only public listings
(``access.public_listings``) are shown; everything is public and works without
JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from catalogue.community import operations as ops
from catalogue.community.access import public_listings, state_of
from catalogue.community.forms import CommunityReportForm
from catalogue.community.schedules import listing_occurrences, next_occurrences
from catalogue.community.usage import count_view, viewed_by_outsider
from catalogue.community.vocabulary import all_categories, category_name, is_category
from catalogue.geo import Place, UnknownPostcode, distance_km, district_of, districts
from catalogue.models import (
    CommunityListing,
    CommunityListingLocation,
    CommunityReportReason,
)
from marketplace.db import db
from marketplace.security import public, today

bp = Blueprint("community", __name__)


@bp.app_context_processor
def _community_wording():
    from catalogue.community import vocabulary, wording
    from catalogue.taxonomy import LANGUAGES

    return {"community_wording": wording, "community_vocabulary": vocabulary,
            "community_languages": LANGUAGES}


@bp.cli.command("remind")
def remind_command():
    """E-mail organisers whose listings need confirming (idempotent: safe to run daily)."""
    import click

    from catalogue.community.access import now
    from marketplace.mail import deliver_outbox

    # E-mails are rendered with the site's templates, which expect a request (the
    # signed-in person, the navigation): give them an anonymous one.
    with current_app.test_request_context("/", base_url=current_app.config["PUBLIC_BASE_URL"]):
        run = ops.send_reminders(db.session, now())
        db.session.commit()
    deliver_outbox(limit=10_000)
    click.echo(f"Reminded the organisers of {run.listings} listing(s): {run.sent} e-mail(s).")
PAGE_SIZE = 20
DISTANCES = (1, 2, 5, 10, 20)
DEFAULT_DISTANCE = 5
MAX_DAYS_AHEAD = 365


def _with_details(query):
    return query.options(
        selectinload(CommunityListing.schedules),
        selectinload(CommunityListing.locations).selectinload(CommunityListingLocation.location))


def listing_places(listing: CommunityListing) -> list[Place]:
    """Where the listing happens, as points (exact, or the postcode district's centre)."""
    points = []
    for link in listing.locations:
        location = link.location
        if location.latitude is not None and location.longitude is not None:
            points.append(Place("", location.latitude, location.longitude, location.city))
            continue
        try:
            points.append(districts()[district_of(location.postcode or "")])
        except UnknownPostcode:
            continue
    return points


def nearest_km(listing: CommunityListing, origin: Place) -> float | None:
    distances = [distance_km(origin, point) for point in listing_places(listing)]
    return min(distances) if distances else None


@bp.get("/community-groups")
@public
def index():
    counts = _category_counts()
    categories = [(slug, name, counts.get(slug, 0)) for slug, name in all_categories()]
    return render_template("community/index.html", categories=categories,
                           total=sum(counts.values()))


def _category_counts() -> dict[str, int]:
    listed = public_listings().subquery()
    return dict(db.session.execute(
        select(listed.c.category, func.count()).group_by(listed.c.category)).all())


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@bp.get("/community-groups/categories/<slug>")
@public
def category(slug: str):
    if not is_category(slug):
        abort(404)
    free_only = request.args.get("free") == "yes"
    query = public_listings().where(CommunityListing.category == slug)
    if free_only:
        query = query.where(CommunityListing.cost_pence.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(_page_number(), pages)
    listings = db.session.scalars(_with_details(query).order_by(
        CommunityListing.name, CommunityListing.id).limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)).all()
    on = today()
    rows = [(listing, next_occurrences(listing.schedules, on, 1)) for listing in listings]
    return render_template("community/category.html", slug=slug, name=category_name(slug),
                           rows=rows, total=total, page=page, pages=pages, free_only=free_only)


def _public_listing_or_404(listing_id: int) -> CommunityListing:
    listing = db.session.get(CommunityListing, listing_id)
    if listing is None or not state_of(listing).public:
        abort(404)
    return listing


@bp.get("/community-groups/<int:listing_id>")
@public
def listing(listing_id: int):
    found = _public_listing_or_404(listing_id)
    if viewed_by_outsider(found):
        count_view(db.session, found.id, today())
        db.session.commit()
    return render_template("community/listing.html", listing=found, state=state_of(found),
                           upcoming=next_occurrences(found.schedules, today(), 6),
                           category_name=category_name(found.category))


@bp.route("/community-groups/<int:listing_id>/report", methods=["GET", "POST"])
@public
def report(listing_id: int):
    found = _public_listing_or_404(listing_id)
    form = CommunityReportForm()
    if form.validate_on_submit():
        ops.report_problem(db.session, found, CommunityReportReason(form.reason.data),
                           form.details.data or "", form.contact_email.data)
        db.session.commit()
        return redirect(url_for("community.report_sent", listing_id=found.id))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("community/report.html", form=form, listing=found), status


@bp.get("/community-groups/<int:listing_id>/report/sent")
@public
def report_sent(listing_id: int):
    return render_template("community/report_sent.html",
                           listing=_public_listing_or_404(listing_id))


@bp.cli.command("reindex")
def reindex_command():
    """Rebuild the community search index (whoosh; PostgreSQL needs none)."""
    import click

    from catalogue.search.community import community_search

    count = community_search(current_app).rebuild(db.session)
    click.echo(f"Community search: {count} listing(s) indexed.")


@dataclass
class Happening:
    listing: CommunityListing
    opens_at: object
    closes_at: object
    distance_km: float | None


def _whats_on_args():
    """Parse the query string: (values, errors as {field: message})."""
    errors: dict[str, str] = {}
    postcode = (request.args.get("postcode") or "").strip()[:10]
    origin = None
    if postcode:
        try:
            origin = districts()[district_of(postcode)]
        except UnknownPostcode:
            errors["postcode"] = _("We do not recognise the postcode %(postcode)s. Enter a "
                                   "postcode like HA1 2AB, or the first part, like HA1",
                                   postcode=postcode)
    raw_within = request.args.get("within") or str(DEFAULT_DISTANCE)
    within = int(raw_within) if raw_within.isdigit() and int(raw_within) in DISTANCES else None
    if within is None:
        errors["within"] = _("Choose a distance from the list")
        within = DEFAULT_DISTANCE
    on = today()
    start = on
    raw_start = (request.args.get("from") or "").strip()
    if raw_start:
        try:
            start = date.fromisoformat(raw_start[:10])
        except ValueError:
            errors["from"] = _("Choose a week from the links on the page")
        if start < on or start > on + timedelta(days=MAX_DAYS_AHEAD):
            if "from" not in errors:
                errors["from"] = _("You can look at the next 12 months only")
            start = on
    category = request.args.get("category") or None
    if category and not is_category(category):
        errors["category"] = _("Choose a category from the list")
        category = None
    free_only = request.args.get("free") == "yes"
    return {"postcode": postcode if origin else "", "origin": origin, "within": within,
            "start": start, "today": on, "category": category, "free_only": free_only}, errors


@bp.get("/whats-on")
@public
def whats_on():
    args, errors = _whats_on_args()
    start, end = args["start"], args["start"] + timedelta(days=6)
    query = public_listings()
    if args["category"]:
        query = query.where(CommunityListing.category == args["category"])
    if args["free_only"]:
        query = query.where(CommunityListing.cost_pence.is_(None))
    days = {start + timedelta(days=n): [] for n in range(7)}
    for found in db.session.scalars(_with_details(query)).all():
        distance = None
        if args["origin"] is not None:
            distance = nearest_km(found, args["origin"])
            if distance is None or distance > args["within"]:
                continue
        for occurrence in listing_occurrences(found.schedules, start, end):
            days[occurrence.on].append(
                Happening(found, occurrence.opens_at, occurrence.closes_at, distance))
    for happenings in days.values():
        happenings.sort(key=lambda h: (h.opens_at is None, h.opens_at or 0, h.listing.name))
    previous = start - timedelta(days=7) if start > today() else None
    if previous is not None and previous < today():
        previous = today()
    following = start + timedelta(days=7)
    if following > today() + timedelta(days=MAX_DAYS_AHEAD):
        following = None
    error_list = [{"text": message, "href": f"#{field}"} for field, message in errors.items()]
    return render_template(
        "community/whats_on.html", days=days, args=args, errors=errors,
        error_list=error_list, distances=DISTANCES, categories=all_categories(),
        previous=previous, following=following,
        count=sum(len(h) for h in days.values())), 400 if errors else 200
