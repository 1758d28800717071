"""The commissioners' view of ratings (for the reports issue): how many ratings and
what average, by category, by provider and by area (postcode district), for the
people one council funds. Groups with fewer than 5 ratings show neither count nor
average (``marketplace.reports.aggregates.suppress``, with its secondary suppression).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import ProviderOrganisation
from catalogue.taxonomy import CATEGORIES
from marketplace.ratings.models import Rating
from marketplace.reports.aggregates import suppress


@dataclass(frozen=True)
class Row:
    label: object  # a string or a lazy string
    count: int | None      # None: fewer than 5
    average: float | None  # None when the count is hidden

    @property
    def suppressed(self) -> bool:
        return self.count is None


def _rows(session: Session, column, council_id: int, label) -> list[Row]:
    found = session.execute(
        select(column, func.count(Rating.id), func.avg(Rating.stars))
        .where(Rating.council_id == council_id).group_by(column).order_by(column)).all()
    shown = suppress([(key, count) for key, count, _avg in found])
    averages = {key: float(avg) for key, _count, avg in found}
    return [Row(label(key), count, None if count is None else round(averages[key], 2))
            for key, count in shown]


def ratings_by(session: Session, council_id: int) -> dict[str, list[Row]]:
    """{"category": rows, "provider": rows, "area": rows} for one council's people."""
    names = {pid: name for pid, name in session.execute(
        select(ProviderOrganisation.id, ProviderOrganisation.name)
        .where(ProviderOrganisation.id.in_(select(Rating.provider_id)
                                           .where(Rating.council_id == council_id))))}
    return {
        "category": _rows(session, Rating.category, council_id,
                          lambda slug: str(CATEGORIES[slug].name) if slug in CATEGORIES
                          else slug),
        "provider": _rows(session, Rating.provider_id, council_id,
                          lambda pid: names.get(pid, str(pid))),
        "area": _rows(session, Rating.area, council_id, lambda area: area or _l("Not known")),
    }
