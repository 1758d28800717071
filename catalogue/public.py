"""The public catalogue: category pages, provider storefronts, service pages and
'report a problem with this listing'. Everything here is public, and shows only
public listings (``catalogue.listing``) at the price for the viewer
(``catalogue.pricing.price_for``, through ``catalogue.browse.viewer_pricing``)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from catalogue import browse, wording
from catalogue.models import (
    ProviderOrganisation,
    ReportReason,
    Service,
    VettingStatus,
)
from catalogue.reporting import ReportForm, report_problem
from catalogue.taxonomy import CATEGORIES, children_of
from marketplace.db import db
from marketplace.security import public

bp = Blueprint("catalogue", __name__)


@bp.app_template_global("viewer_pricing")
def _viewer_pricing_global():
    return browse.viewer_pricing()


@bp.app_context_processor
def _wording():
    return {"wording": wording}


def search_action() -> str:
    """Where the search box sends people: the search page once it exists."""
    try:
        return url_for("search.results")
    except BuildError:
        return "/search"


def _public_service_or_404(service_id: int) -> Service:
    service = db.session.get(Service, service_id)
    if service is None or not browse.state_of(service).public:
        abort(404)
    return service


@bp.get("/categories/<slug>")
@public
def category(slug: str):
    chosen = CATEGORIES.get(slug)
    if chosen is None:
        abort(404)
    counts = browse.category_counts(db.session, browse.category_slugs(slug))
    query = (browse.public_services()
             .where(Service.category.in_(browse.category_slugs(slug)))
             .order_by(Service.name, ProviderOrganisation.name, Service.id))
    page = browse.paginate(db.session, query, request.args.get("page"))
    parent = CATEGORIES[chosen.parent] if chosen.parent else None
    return render_template("catalogue/category.html", category=chosen, parent=parent,
                           children=children_of(slug), counts=counts, page=page)


@bp.get("/providers/<int:provider_id>")
@public
def provider(provider_id: int):
    organisation = db.session.get(ProviderOrganisation, provider_id)
    if organisation is None or organisation.status is not VettingStatus.APPROVED:
        abort(404)
    # Through the provider's own rows (its index), then the pure listing rule.
    services = [s for s in db.session.scalars(
        select(Service).where(Service.provider_id == organisation.id)
        .options(selectinload(Service.council_rates))
        .order_by(Service.name, Service.id)) if browse.state_of(s).public]
    regulated = any(service.regulated for service in services)
    return render_template("catalogue/provider.html", provider=organisation,
                           services=services, offers_regulated=regulated)


@bp.get("/services/<int:service_id>")
@public
def service(service_id: int):
    listing = _public_service_or_404(service_id)
    _record_opened_from_search(request.args.get("from_search"), listing.id)
    chosen = CATEGORIES.get(listing.category)
    parent = CATEGORIES.get(chosen.parent) if chosen and chosen.parent else None
    return render_template("catalogue/service.html", service=listing,
                           state=browse.state_of(listing), category=chosen, parent=parent)


def _record_opened_from_search(raw: str | None, service_id: int) -> None:
    """Tell the search log that a search led here (for market-gap reports). Junk ids,
    and ids of searches that do not exist, are ignored."""
    if not raw or not raw.isdigit() or len(raw) > 10 or not 0 < int(raw) < 2**31:
        return
    try:
        from catalogue.search import record_opened
    except ImportError:  # the search package has not been installed on this site
        return
    if record_opened(db.session, int(raw), service_id):
        db.session.commit()


@bp.route("/services/<int:service_id>/report", methods=["GET", "POST"])
@public
def report(service_id: int):
    listing = _public_service_or_404(service_id)
    form = ReportForm()
    if form.validate_on_submit():
        report_problem(db.session, listing, ReportReason(form.reason.data),
                       form.details.data or "", form.contact_email.data)
        db.session.commit()
        return redirect(url_for("catalogue.report_sent", service_id=listing.id))
    status = 200 if request.method == "GET" else 400
    return render_template("catalogue/report.html", service=listing, form=form), status


@bp.get("/services/<int:service_id>/report/sent")
@public
def report_sent(service_id: int):
    listing = _public_service_or_404(service_id)
    return render_template("catalogue/report_sent.html", service=listing)

