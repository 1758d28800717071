"""The ratings demo rates exactly what the rules allow over the demo's orders, the same
way every time, and only once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from marketplace.accounts.roles import Role
from marketplace.ratings.demo import seed_ratings
from marketplace.ratings.models import Rating, ReviewReply, ReviewStatus
from tests.functional.ordering_helpers import make_shop
from tests.functional.ratings_helpers import bought


def test_the_demo_rates_only_eligible_orders_and_only_once(db_session, make_user, council):
    owner = make_user(Role.PROVIDER_STAFF)
    shop, service = make_shop(db_session, owner)
    done, active, early = (make_user(Role.BUDGET_HOLDER) for _ in range(3))
    bought(db_session, done, shop, service, council, status="completed", visits=0)
    bought(db_session, active, shop, service, council, status="active", visits=3)
    bought(db_session, early, shop, service, council, status="active", visits=2)
    assert seed_ratings(db_session, date(2026, 11, 23)) == 2
    ratings = db_session.scalars(select(Rating).order_by(Rating.buyer_id)).all()
    assert [r.buyer_id for r in ratings] == sorted([done.id, active.id])
    assert all(r.review_status is ReviewStatus.PUBLISHED and r.text for r in ratings)
    assert db_session.scalar(select(func.count(ReviewReply.id))) == 2
    assert seed_ratings(db_session, date(2026, 11, 23)) == 0
    assert db_session.scalar(select(func.count(Rating.id))) == 2
