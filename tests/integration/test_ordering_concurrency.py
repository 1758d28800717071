"""Checkout under load, on PostgreSQL: real threads, each with its own connection,
check out against one budget at the same moment. The ledger's row lock on the budget
means the orders never commit more than is available; and the same checkout sent by
many threads at once exists once.

Real commits are needed, so this runs in a scratch database of its own. SQLite has
no row locks (its writers take turns on the whole file): skipped there.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalogue import browse
from marketplace.accounts import services as accounts
from marketplace.accounts.models import Council, User
from marketplace.accounts.roles import Role
from marketplace.budgets.models import Budget
from marketplace.db import make_engine
from marketplace.ledger import services as ledger
from marketplace.ordering.basket import add_line, quote_for, view_line
from marketplace.ordering.checkout import CheckoutProblem, PaymentChoice, place_orders
from marketplace.ordering.models import BasketLine, Order, PaymentMethod
from tests.conftest import _database_url, migrate, recreate_database
from tests.functional.ordering_helpers import agree_plan, make_budget, make_shop, once

THREADS = 30


@pytest.fixture(scope="module")
def engine(tmp_root, is_postgres, app):
    if not is_postgres:
        pytest.skip("PostgreSQL-only: SQLite has no row locks, so checkouts cannot race")
    url = _database_url(tmp_root, "ordering_concurrency")
    recreate_database(url)
    migrate(url)
    engine = make_engine(url, pool_size=THREADS + 5, max_overflow=5)
    yield engine
    engine.dispose()


def _world(engine, app, name: str, lines: int, paid_in: int) -> tuple[int, int, list[int]]:
    """A holder with a budget of ``paid_in`` pence and ``lines`` basket lines of £30."""
    with app.test_request_context("/"), Session(engine) as session:
        council = session.scalar(select(Council).where(Council.slug == "race"))
        if council is None:
            council = Council(name="Race Council", short_name="Race", slug="race")
            session.add(council)
            session.commit()
        holder = accounts.create_user(
            session, email=f"{name}@example.org", full_name="Race Holder",
            password="correct horse battery", roles=[(Role.BUDGET_HOLDER, council.id)])
        owner = accounts.create_user(
            session, email=f"{name}-owner@example.org", full_name="Race Owner",
            password="correct horse battery", roles=[(Role.PROVIDER_STAFF, None)])
        session.commit()
        _provider, service = make_shop(session, owner, name=f"{name} care", price_pence=2000)
        budget = make_budget(session, holder, council, paid_in_pence=paid_in)
        officer = accounts.create_user(
            session, email=f"{name}-officer@example.org", full_name="Race Officer",
            password="correct horse battery", roles=[(Role.COUNCIL_OFFICER, council.id)])
        agree_plan(session, holder, officer)  # so orders go straight to the provider
        quote = quote_for(service, holder, date.today())
        ids = [add_line(session, holder, service, once(units=150), quote.pence).id
               for _ in range(lines)]
        session.commit()
        return holder.id, budget.id, ids


def _race(engine, app, holder_id, budget_id, line_ids, key_for):
    barrier = threading.Barrier(len(line_ids))
    results = {"ok": 0, "refused": 0, "duplicate": 0, "errors": []}
    lock = threading.Lock()

    def worker(n: int, line_id: int) -> None:
        try:
            with app.test_request_context("/"), Session(engine) as session:
                holder = session.get(User, holder_id)
                line = session.get(BasketLine, line_id)
                views = [view_line(line, holder, date.today(), browse.state_of(line.service))]
                choice = PaymentChoice(PaymentMethod.BUDGET, budget_id, "adult_social_care")
                barrier.wait(timeout=30)
                try:
                    place_orders(session, person=holder, placed_by=holder, acting_for=None,
                                 lines=views, choices={line.service.provider_id: choice},
                                 checkout_key=key_for(n), today=date.today())
                    session.commit()
                    outcome = "ok"
                except CheckoutProblem:
                    session.rollback()
                    outcome = "refused"
                except IntegrityError:  # the same checkout, placed by another thread
                    session.rollback()
                    outcome = "duplicate"
            with lock:
                results[outcome] += 1
        except Exception as exc:  # noqa: BLE001 - reported by the test
            with lock:
                results["errors"].append(repr(exc))

    threads = [threading.Thread(target=worker, args=(n, line_id))
               for n, line_id in enumerate(line_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.postgres_only
def test_concurrent_checkouts_never_commit_more_than_is_available(engine, app):
    # £300.00 available; each checkout sets aside £30.00: 10 fit, 20 are refused.
    holder_id, budget_id, lines = _world(engine, app, "race-money", THREADS, 30_000)
    results = _race(engine, app, holder_id, budget_id, lines, lambda n: f"money-{n}")
    assert results["errors"] == []
    assert (results["ok"], results["refused"]) == (10, 20)
    with app.app_context(), Session(engine) as session:
        budget = session.get(Budget, budget_id)
        figures = ledger.balances(session, budget)
        assert figures.committed_pence == 30_000
        assert figures.available_pence == 0
        orders = session.scalars(select(Order).where(Order.budget_id == budget_id)).all()
        assert sum(o.committed_pence for o in orders) == 30_000
        assert ledger.check_invariants(session, budget) == []


@pytest.mark.postgres_only
def test_the_same_checkout_sent_by_many_threads_at_once_exists_once(engine, app):
    holder_id, budget_id, lines = _world(engine, app, "race-key", 10, 100_000)
    results = _race(engine, app, holder_id, budget_id, lines, lambda n: "one-checkout")
    assert results["errors"] == []
    assert results["refused"] == 0
    with app.app_context(), Session(engine) as session:
        count = session.scalar(select(func.count(Order.id)).where(
            Order.checkout_key == "one-checkout"))
        assert count == 1
        budget = session.get(Budget, budget_id)
        assert ledger.balances(session, budget).committed_pence == 3_000


@pytest.mark.postgres_only
def test_two_ticks_at_once_expire_each_order_once(engine, app):
    from datetime import timedelta

    from marketplace.db import utcnow
    from marketplace.ordering.lifecycle import OrderStatus, Timer
    from marketplace.ordering.models import OrderEvent
    from marketplace.ordering.services import run_timers

    holder_id, budget_id, lines = _world(engine, app, "race-tick", 5, 100_000)
    results = _race(engine, app, holder_id, budget_id, lines, lambda n: f"tick-{n}")
    assert results["ok"] == 5
    later = utcnow() + timedelta(days=30)
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def tick() -> None:
        try:
            with app.test_request_context("/"), Session(engine) as session:
                barrier.wait(timeout=30)
                counts.append(run_timers(session, now=later, today=date.today())[
                    Timer.PROVIDER_REPLY_DUE])
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(repr(exc))

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with app.app_context(), Session(engine) as session:
        orders = session.scalars(select(Order).where(Order.budget_id == budget_id)).all()
        assert {o.status for o in orders} == {OrderStatus.EXPIRED}
        expired = session.scalar(select(func.count(OrderEvent.id)).join(Order).where(
            Order.budget_id == budget_id, OrderEvent.to_status == OrderStatus.EXPIRED))
        assert expired == 5
        # Both ticks expired every due order on the site between them, each once.
        per_order = session.execute(select(OrderEvent.order_id, func.count(OrderEvent.id))
                                    .where(OrderEvent.to_status == OrderStatus.EXPIRED)
                                    .group_by(OrderEvent.order_id)).all()
        assert all(n == 1 for _order, n in per_order)
        assert sum(counts) == len(per_order)
        budget = session.get(Budget, budget_id)
        assert ledger.balances(session, budget).committed_pence == 0
