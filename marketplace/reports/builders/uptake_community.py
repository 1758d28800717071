"""The Community Catalogue's use, for the take-up report: views of its listings and
searches for free things. Neither is about identifiable people (views are daily
counts per listing, ``community_listing_views``; searches are the search log), so
these figures are never hidden.

- A listing belongs to the council of its organisation; the area filter keeps
  listings with a place in the postcode district; the category filter keeps
  listings in the category (or its sub-categories). "Free" is the listing as it
  is now (no charge).
- Searches for free things are searches with "Free community groups and
  activities only" ticked
  (``SearchEvent.filters["free"]``) by people the council funds, or by anyone
  else searching from one of the council's postcode districts.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select

from catalogue.community.access import public_listings
from catalogue.community.vocabulary import category_name
from catalogue.models import (
    CommunityListing,
    CommunityListingLocation,
    CommunityListingViews,
    CommunityLocation,
    CommunityOrganisation,
    SearchEvent,
)
from marketplace.reports.builders.uptake_people import in_district, month_of
from marketplace.reports.filters import ReportFilters, council_districts
from marketplace.reports.tables import Column, Kind, Row, Table


def listing_scope(filters: ReportFilters) -> list:
    """SQL clauses (on listings joined to their organisation) for the filters."""
    clauses = [CommunityOrganisation.council_id == filters.council_id]
    if filters.category_slugs is not None:
        clauses.append(CommunityListing.category.in_(sorted(filters.category_slugs)))
    if filters.district:
        clauses.append(CommunityListing.id.in_(
            select(CommunityListingLocation.listing_id)
            .join(CommunityLocation, CommunityLocation.id == CommunityListingLocation.location_id)
            .where(in_district(CommunityLocation.postcode, filters.district))))
    return clauses


FREE = case((CommunityListing.cost_pence.is_(None), 1), else_=0)


def views(session, filters: ReportFilters, by) -> list[tuple]:
    """(by, free 0/1, views) for views in the period, grouped by ``by``."""
    return session.execute(
        select(by, FREE, func.sum(CommunityListingViews.views))
        .join(CommunityListing, CommunityListing.id == CommunityListingViews.listing_id)
        .join(CommunityOrganisation, CommunityOrganisation.id == CommunityListing.organisation_id)
        .where(*listing_scope(filters), CommunityListingViews.day >= filters.starts_on,
               CommunityListingViews.day <= filters.ends_on)
        .group_by(by, FREE)).all()


def free_searches(session, filters: ReportFilters) -> list:
    """The times of the searches for free things in the period."""
    council = or_(SearchEvent.council_id == filters.council_id,
                  and_(SearchEvent.council_id.is_(None),
                       SearchEvent.district.in_(council_districts(session,
                                                                  filters.council_id))))
    clauses = [SearchEvent.filters["free"].as_boolean().is_(True), council,
               SearchEvent.at >= filters.start_at, SearchEvent.at < filters.end_at]
    if filters.district:
        clauses.append(SearchEvent.district == filters.district)
    if filters.category_slugs is not None:
        clauses.append(SearchEvent.filters["category"].as_string().in_(
            sorted(filters.category_slugs)))
    return list(session.scalars(select(SearchEvent.at).where(*clauses)))


def _view_columns() -> list[Column]:
    return [Column("free_views", _("Views of free listings")),
            Column("charged_views", _("Views of listings with a charge"))]


def by_category(session, filters: ReportFilters) -> Table:
    listed = public_listings().where(*listing_scope(filters),
                                     CommunityListing.cost_pence.is_(None)).subquery()
    published = dict(session.execute(
        select(listed.c.category, func.count()).group_by(listed.c.category)).all())
    seen: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for category, free, count in views(session, filters, CommunityListing.category):
        seen[category][0 if free else 1] += int(count)
    slugs = set(published) | set(seen)
    rows = [Row([str(category_name(slug)), published.get(slug, 0), *seen[slug]])
            for slug in slugs]
    rows.sort(key=lambda r: (-r.values[2], -r.values[1], r.values[0]))
    columns = [Column("category", _("Category"), Kind.TEXT),
               Column("free_listings", _("Free listings published now")), *_view_columns()]
    total = Row([_("All categories"), *(sum(r.values[i] for r in rows) for i in (1, 2, 3))])
    return Table("community", _("Community Catalogue: free listings and their views"),
                 columns, rows, total=total, chart="bar", chart_column="free_views",
                 description=_("Views of the listings' pages in the period, by category. "
                               "These are counts of page views, not of people."))


def by_month(session, filters: ReportFilters) -> Table:
    daily = views(session, filters, CommunityListingViews.day)
    counts: dict = defaultdict(lambda: [0, 0, 0])
    for day, free, count in daily:
        counts[month_of(day)][0 if free else 1] += int(count)
    for at in free_searches(session, filters):
        counts[month_of(at.date())][2] += 1
    rows = [Row([format_date(month, "MMMM yyyy"), *counts[month]])
            for month in filters.months()]
    columns = [Column("month", _("Month"), Kind.TEXT), *_view_columns(),
               Column("free_searches", _("Searches for free things"))]
    total = Row([_("Whole period"), *(sum(r.values[i] for r in rows) for i in (1, 2, 3))])
    return Table("community_months", _("Community Catalogue use by month"), columns, rows,
                 total=total, chart="bar", chart_column="free_views",
                 description=_("Searches for free things are searches with “Free "
                               "community groups and activities only” ticked, by people "
                               "the council funds or from the council's postcode "
                               "districts."))


def community_tables(session, filters: ReportFilters) -> list[Table]:
    return [by_category(session, filters), by_month(session, filters)]
