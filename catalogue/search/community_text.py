"""The words a community listing is found by, in English, kept in
``CommunityListing.search_text`` (both search back ends read it): its name (twice,
for weight), organisation, summary, description, category, kind, who it is for,
"free" or "charge", and its places' names and towns. A ``before_flush`` hook
keeps it up to date whenever a listing, its organisation or one of its places
changes."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from catalogue.models import (
    COMMUNITY_KIND_LABELS,
    CommunityListing,
    CommunityListingLocation,
    CommunityLocation,
    CommunityOrganisation,
)
from catalogue.search.text import english


def listing_text(listing: CommunityListing) -> str:
    from catalogue.community.vocabulary import CIRCUMSTANCES, NEEDS, category_name
    from catalogue.taxonomy import CATEGORIES

    words = [listing.name, listing.name, listing.summary or "", listing.description or "",
             english(category_name(listing.category))]
    shared = CATEGORIES.get(listing.category)
    if shared is not None and shared.parent:
        words.append(english(CATEGORIES[shared.parent].name))
    if listing.kind is not None:
        words.append(english(COMMUNITY_KIND_LABELS[listing.kind]))
    if listing.organisation is not None:
        words.append(listing.organisation.name)
    words += [english(NEEDS[n]) for n in listing.needs or [] if n in NEEDS]
    words += [english(CIRCUMSTANCES[c]) for c in listing.circumstances or [] if c in CIRCUMSTANCES]
    words.append("free" if listing.cost_pence is None else "charge")
    words.append("community")
    for link in listing.locations:
        if link.location is not None:
            words += [link.location.name, link.location.city or ""]
    return " ".join(word for word in words if word)[:20000]


@event.listens_for(Session, "before_flush")
def _refresh_search_text(session, _context, _instances) -> None:
    with session.no_autoflush:
        _refresh(session)


def _refresh(session) -> None:
    touched: set[CommunityListing] = set()
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, CommunityListing):
            touched.add(obj)
        elif isinstance(obj, CommunityListingLocation) and obj.listing is not None:
            touched.add(obj.listing)
        elif isinstance(obj, CommunityOrganisation) and obj in session.dirty:
            touched.update(obj.listings)
        elif isinstance(obj, CommunityLocation) and obj in session.dirty:
            touched.update(link.listing for link in obj.listing_links if link.listing)
    for listing in touched:
        if listing in session.deleted:
            continue
        text = listing_text(listing)
        if listing.search_text != text:
            listing.search_text = text
