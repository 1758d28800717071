"""The community part of the search page: the same words, category, day and
postcode run through ``catalogue.search.community``. Without the "free" filter the
page shows the paid results and, above them, the best few community matches
(labelled as community groups, free or with their small charge); with it
(``free=yes``) it shows free community listings only, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalogue.geo import districts
from catalogue.models import CommunityListing, CommunityListingLocation
from catalogue.search import SearchQuery
from catalogue.search.community import CommunityQuery, community_search
from catalogue.taxonomy import CATEGORIES

PREVIEW = 3


@dataclass
class CommunitySection:
    free_only: bool
    total: int = 0
    rows: list = field(default_factory=list)  # (hit, listing)
    page: int = 1
    pages: int = 1
    any_word: bool = False


def _categories(slug: str | None) -> tuple[str | None, frozenset[str] | None, bool]:
    """(one category, several, whether community listings can match at all)."""
    from catalogue.community.vocabulary import is_category

    if not slug:
        return None, None, True
    if is_category(slug):
        return slug, None, True
    if slug in CATEGORIES:
        children = frozenset(c.slug for c in CATEGORIES.values()
                             if c.parent == slug and is_category(c.slug))
        return None, children, bool(children)
    return None, None, False


def community_section(session, query: SearchQuery, found, args) -> CommunitySection:
    free_only = args.get("free") == "yes"
    section = CommunitySection(free_only=free_only)
    if found.no_usable_words or query.min_rating is not None:
        return section  # community groups are not rated: a rating filter leaves them out
    one, several, possible = _categories(query.category)
    if not possible:
        return section
    words = found.searched_words if found.corrected else query.words
    origin = districts().get(query.district) if query.district else None
    per_page = query.per_page if free_only else PREVIEW
    raw = args.get("page", "1")
    page = int(raw) if free_only and raw.isdigit() and 0 < int(raw) <= 1000 else 1
    cq = CommunityQuery(words=words, category=one, categories=several, free_only=free_only,
                        weekday=query.weekday, origin=origin, page=page, per_page=per_page,
                        today=query.today)
    results = community_search(current_app).search(session, cq)
    section.total, section.any_word = results.total, results.any_word
    section.pages = max(1, -(-results.total // per_page))
    if page > section.pages:
        cq = CommunityQuery(**{**cq.__dict__, "page": section.pages})
        results = community_search(current_app).search(session, cq)
    section.page = cq.page
    ids = [hit.listing_id for hit in results.hits]
    listings = {listing.id: listing for listing in session.scalars(
        select(CommunityListing).where(CommunityListing.id.in_(ids)).options(
            selectinload(CommunityListing.organisation),
            selectinload(CommunityListing.locations)
            .selectinload(CommunityListingLocation.location)))} if ids else {}
    section.rows = [(hit, listings[hit.listing_id]) for hit in results.hits
                    if hit.listing_id in listings]
    return section
