"""The search's minimum-rating filter (``catalogue.search.register_rating_filter``):
the services whose shown rating is at least a number of stars.

"Shown" is exact: the fair average, rounded to one decimal place as the pages show
it (a service shown as "4.0 out of 5" counts as 4 stars and up, even if its fair
average is 3.96), and only services with enough ratings to show a figure: those
with "fewer than 3 ratings" never match a rating filter.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import Service
from marketplace.ratings.models import Rating
from marketplace.ratings.rules import MIN_RATINGS_SHOWN, one_decimal
from marketplace.ratings.services import service_summaries


def rated_at_least(session: Session, minimum: float) -> set[int]:
    enough = (select(Rating.service_id).group_by(Rating.service_id)
              .having(func.count(Rating.id) >= MIN_RATINGS_SHOWN))
    services = list(session.scalars(select(Service).where(Service.id.in_(enough))))
    return {service_id for service_id, summary in service_summaries(session, services).items()
            if summary.enough and float(one_decimal(summary.fair_average)) >= minimum}
