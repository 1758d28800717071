"""Orders with delivered visits, ratings, reviews and concerns, for the ratings tests,
the access matrix and the bad-input test (committed: each request closes the session)."""

from __future__ import annotations

from marketplace.ordering.deliveries.models import DeliveryStatus
from marketplace.ratings import services as ratings
from marketplace.ratings.models import ConcernSource, Rating, ReviewStatus
from marketplace.ratings.rules import Viewer
from tests.functional.deliveries_helpers import bare_order, bare_record
from tests.functional.ordering_helpers import make_budget, make_shop

_count = {"n": 0}


def bought(session, holder, provider, service, council, *, status="active", visits=3,
           budget=None):
    """An order of ``service`` by ``holder`` in ``status``, with ``visits`` delivered."""
    _count["n"] += 1
    budget = budget or make_budget(session, holder, council, paid_in_pence=0,
                                   name=f"Ratings budget {_count['n']}")
    order = bare_order(session, holder, provider, service, council, budget,
                       reference=f"ORD-RATE-{_count['n']:04d}", status=status)
    for day in range(visits):
        bare_record(session, order, days_ago=day + 1, status=DeliveryStatus.CONFIRMED)
    session.commit()
    return order


def rated(session, holder, service, *, stars=4, text=None, status=None, worried=False,
          acting_for=None, scope=None) -> Rating:
    """A rating saved through the service (the holder must be eligible)."""
    viewer = (Viewer(holder.id) if acting_for is None
              else Viewer(acting_for.id, holder.id, scope))
    rating = ratings.rate(session, viewer=viewer, service=service,
                          given=ratings.RatingInput(stars=stars, text=text, worried=worried),
                          rated_by=acting_for or holder)
    if status is not None and rating.review_status is not ReviewStatus.SAFEGUARDING:
        rating.review_status = status
    session.commit()
    return rating


def worried_concern(session, rating):
    from sqlalchemy import select

    from marketplace.ratings.models import SafeguardingConcern

    return session.scalar(select(SafeguardingConcern)
                          .where(SafeguardingConcern.rating_id == rating.id))


def matrix_args(session, stranger, council, provider, service) -> dict:
    """A published review by ``stranger`` and a safeguarding concern from another of
    their reviews (another council's person), for the access matrix."""
    bought(session, stranger, provider, service, council, status="completed", visits=0)
    rating = rated(session, stranger, service, stars=2, text="Often late.",
                   status=ReviewStatus.PUBLISHED)
    concern = ratings.raise_concern(session, rating, ConcernSource.MODERATOR, raised_by=None)
    session.commit()
    from tests.functional.board_helpers import matrix_args as board_args  # posts, questions

    return {"rating_id": rating.id, "concern_id": concern.id,
            **board_args(session, stranger, council, provider, service)}


def bad_input_forms(session, holder, officer, council) -> list:
    """(who signs in, form URL) for every ratings form, for test_bad_input."""
    from marketplace.accounts.roles import Role
    from marketplace.accounts.services import create_user
    from tests.functional.board_helpers import bad_input_forms as board_forms

    owner = create_user(session, email="junk-ratings@example.org", full_name="Junk Ratings",
                        password="correct horse battery", roles=[(Role.PROVIDER_STAFF, None)])
    session.commit()
    provider, service = make_shop(session, owner, name="Junk Ratings Care")
    shops = [service] + [make_shop(session, owner, name=f"Junk Ratings {n}")[1]
                         for n in (2, 3)]
    for each in shops:
        bought(session, holder, each.provider, each, council, status="completed", visits=0)
    published = rated(session, holder, shops[0], stars=5, text="Kind and on time.",
                      status=ReviewStatus.PUBLISHED)
    pending = rated(session, holder, shops[1], stars=3, text="Fine.")
    worried = rated(session, holder, shops[2], stars=1, text="Left alone all day.",
                    worried=True)
    concern = worried_concern(session, worried)
    return [
        (holder, f"/services/{service.id}/rate"),
        (None, f"/reviews/{published.id}/report"),
        (owner, f"/provider/reviews/{published.id}/reply"),
        (officer, f"/council/reviews/{pending.id}"),
        (officer, f"/council/safeguarding/{concern.id}"),
        *board_forms(session, holder, officer, council, owner, service),
    ]
