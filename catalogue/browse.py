"""Reading the public catalogue: what the public may see, how many services each
category holds, and the price that applies to the person looking.

The public rule is ``catalogue.listing`` (approved provider, published service,
confirmed recently enough); the price rule is ``catalogue.pricing.price_for``.
This module only applies them to queries and to the viewer of a request, so
every page (and search) shows the same things at the same prices.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, g
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from catalogue.listing import ListingState, confirmed_since, listing_state
from catalogue.models import ProviderOrganisation, Service, ServiceStatus, VettingStatus
from catalogue.pricing import PriceQuote, RateTerm, funding_councils, price_for
from catalogue.taxonomy import CATEGORIES, children_of
from marketplace.db import utcnow

PAGE_SIZE = 20


def _days() -> tuple[int, int]:
    config = current_app.config
    return config["LISTING_FLAG_DAYS"], config["LISTING_HIDE_DAYS"]


def public_conditions(now: datetime | None = None) -> tuple:
    """WHERE clauses (on a query joined to the provider) for public listings."""
    _flag, hide = _days()
    return (
        ProviderOrganisation.status == VettingStatus.APPROVED,
        Service.status == ServiceStatus.PUBLISHED,
        Service.last_confirmed_at >= confirmed_since(now or utcnow(), hide),
    )


def public_services(now: datetime | None = None) -> Select:
    """Public services with what a list shows (provider, council rates) loaded."""
    return (
        select(Service)
        .join(Service.provider)
        .where(*public_conditions(now))
        .options(selectinload(Service.council_rates), selectinload(Service.provider))
    )


def state_of(service: Service, now: datetime | None = None) -> ListingState:
    flag, hide = _days()
    return listing_state(service.status, service.provider.status, service.last_confirmed_at,
                         now or utcnow(), flag, hide)


def category_slugs(slug: str) -> list[str]:
    """The category and, for a top-level one, its sub-categories."""
    return [slug] + [child.slug for child in children_of(slug)]


def category_counts(session: Session, slugs: list[str] | None = None,
                    now: datetime | None = None) -> dict[str, int]:
    """Public services in each category; a top-level count includes its sub-categories.
    With ``slugs``, only those categories are counted (the rest read 0)."""
    query = (select(Service.category, func.count(Service.id))
             .join(Service.provider)
             .where(*public_conditions(now))
             .group_by(Service.category))
    if slugs is not None:
        query = query.where(Service.category.in_(slugs))
    rows = session.execute(query).all()
    own = {slug: count for slug, count in rows if slug in CATEGORIES}
    totals = dict.fromkeys(CATEGORIES, 0)
    for slug, count in own.items():
        totals[slug] += count
        parent = CATEGORIES[slug].parent
        if parent:
            totals[parent] += count
    return totals


def home_category_counts(session: Session) -> dict[str, int]:
    """``category_counts`` for the home page, kept for ``CATALOGUE_COUNTS_CACHE_SECONDS``
    (60 by default, none in the test configuration): the home page is the busiest page and counting
    every public service is the one part of it that grows with the catalogue. Category
    pages always count afresh."""
    ttl = current_app.config["CATALOGUE_COUNTS_CACHE_SECONDS"]
    if not ttl:
        return category_counts(session)
    cache = current_app.extensions.setdefault("catalogue_counts", {})
    now = time.monotonic()
    if cache.get("until", 0) <= now:
        cache["counts"] = category_counts(session)
        cache["until"] = now + ttl
    return cache["counts"]


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything odd means the first page."""
    raw = (raw or "1").strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.size))


def paginate(session: Session, query: Select, raw_page: str | None,
             size: int = PAGE_SIZE) -> Page:
    """One page of ``query``; a page past the end shows the last page."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = min(page_number(raw_page), max(1, -(-total // size)))
    items = session.scalars(query.limit(size).offset((number - 1) * size)).unique().all()
    return Page(list(items), number, total, size)


# --- the price for the person looking -------------------------------------------------


@dataclass
class ViewerPricing:
    """Who is looking, for pricing: the councils funding them and the day."""

    councils: frozenset[int]
    on: date
    signed_in: bool
    acting_for: object | None = None
    chooses_person: bool = False  # a representative not yet acting for anyone
    _names: dict[int, str] = field(default_factory=dict)

    def quote(self, service: Service) -> PriceQuote:
        rates = [RateTerm(r.council_id, r.rate_pence, r.starts_on, r.ends_on)
                 for r in service.council_rates]
        return price_for(service.price_pence, rates, self.councils, self.on)

    def council_name(self, council_id: int | None) -> str:
        if council_id is None:
            return ""
        if council_id not in self._names:
            from marketplace.accounts.models import Council
            from marketplace.db import db

            council = db.session.get(Council, council_id)
            self._names[council_id] = council.name if council else ""
        return self._names[council_id]


def viewer_pricing() -> ViewerPricing:
    """The pricing context of this request: the person a representative acts for,
    or else the signed-in person; nobody (the public price) for visitors."""
    cached = g.get("_viewer_pricing")
    if cached is not None:
        return cached
    from marketplace.accounts.roles import Role
    from marketplace.security import today

    acting_for = g.get("acting_for")
    person = acting_for if acting_for is not None else current_user
    signed_in = bool(current_user and current_user.is_authenticated)
    pricing = ViewerPricing(
        councils=funding_councils(person), on=today(), signed_in=signed_in,
        acting_for=acting_for,
        chooses_person=(signed_in and acting_for is None
                        and current_user.has_role(Role.REPRESENTATIVE)))
    g._viewer_pricing = pricing
    return pricing
