"""Demo history for the Community Catalogue's daily view counts (the take-up report's
"views of free listings"): about 13 months of views of every listing the demo
council's groups publish, more for free listings than for those with a charge,
quieter at weekends and growing over the year. Deterministic (a fixed random
seed) and idempotent (nothing is added if any views are recorded already).

``seed_views(session, today)`` is meant to be called by the demo seed after the
Community Catalogue's demo listings exist."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from catalogue.models import CommunityListing, CommunityListingViews

DAYS = 400


def seed_views(session, today: date, days: int = DAYS) -> int:
    """Add the history; returns how many (listing, day) rows were written."""
    if session.scalar(select(CommunityListingViews.listing_id).limit(1)) is not None:
        return 0
    rng = random.Random(20261124)  # noqa: S311 - deterministic demo data
    listings = session.execute(select(CommunityListing.id, CommunityListing.cost_pence)
                               .order_by(CommunityListing.id)).all()
    rows = []
    for listing_id, cost in listings:
        popularity = rng.uniform(0.5, 3.0) * (1.6 if cost is None else 1.0)
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            growth = 0.6 + 0.8 * (days - back) / days
            weekend = 0.6 if day.weekday() >= 5 else 1.0
            views = int(rng.expovariate(1.0) * popularity * growth * weekend)
            if views:
                rows.append({"listing_id": listing_id, "day": day, "views": views})
    for start in range(0, len(rows), 5_000):
        session.execute(insert(CommunityListingViews), rows[start:start + 5_000])
    return len(rows)
