"""Concurrency, on PostgreSQL: 50 real threads, each with its own connection and
session, try to commit money from the same budget at the same moment. The row lock
on the budget means they never commit more than is available.

This needs real, committed data visible to other connections, so it runs in a
scratch database of its own (the usual test transaction is never committed). On
SQLite it is skipped: SQLite has no row locks (its writers take turns on the whole
file), so there is nothing of this kind to test there.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.taxonomy import FundingStream
from marketplace.accounts import services as accounts
from marketplace.accounts.models import Council
from marketplace.accounts.roles import Role
from marketplace.budgets.enums import HoldingMethod
from marketplace.budgets.models import Budget
from marketplace.budgets.services import HoldingSpec
from marketplace.db import make_engine
from marketplace.ledger import services as ledger
from marketplace.ledger.errors import InsufficientFunds
from marketplace.ledger.models import LedgerTransfer, TransferKind
from tests.budget_helpers import make_budget
from tests.conftest import _database_url, migrate, recreate_database

THREADS = 50
ASC = FundingStream.ADULT_SOCIAL_CARE


@pytest.fixture(scope="module")
def scratch_engine(tmp_root, is_postgres, app):
    if not is_postgres:
        pytest.skip("PostgreSQL-only: SQLite has no row locks (writers take turns on the "
                    "whole database file), so concurrent spending cannot race there")
    url = _database_url(tmp_root, "ledger_concurrency")
    recreate_database(url)
    migrate(url)
    engine = make_engine(url, pool_size=THREADS + 5, max_overflow=5)
    yield engine
    engine.dispose()


@pytest.fixture()
def funded_budget(scratch_engine, app):
    """A council-managed budget with an allocation of £1,000.00 (no cash paid in: what
    may be committed is the allocation), committed for everyone to see."""
    with app.app_context(), Session(scratch_engine) as session:
        council = session.scalar(select(Council).where(Council.slug == "race"))
        if council is None:
            council = Council(name="Race Council", short_name="Race", slug="race")
            session.add(council)
            session.flush()
        holder = accounts.create_user(
            session, email=f"race{session.scalar(select(func.count(Budget.id)))}@example.org",
            full_name="Race Holder", password="correct horse battery",
            roles=[(Role.BUDGET_HOLDER, council.id)])
        budget = make_budget(session, holder, council, amount=100_000, holdings=[
            HoldingSpec(HoldingMethod.COUNCIL_MANAGED, 100_000)])
        return budget.id


def _race(engine, app, budget_id: int, amount: int, key_for) -> tuple[int, int, list]:
    barrier = threading.Barrier(THREADS)
    results = {"ok": 0, "refused": 0, "errors": []}
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            with app.app_context(), Session(engine) as session:
                budget = session.get(Budget, budget_id)
                barrier.wait(timeout=30)
                try:
                    ledger.commit(session, budget, amount, stream=ASC, key=key_for(n),
                                  reference=f"order:{n}", on=date(2026, 5, 1))
                    session.commit()
                    outcome = "ok"
                except InsufficientFunds:
                    session.rollback()
                    outcome = "refused"
            with lock:
                results[outcome] += 1
        except Exception as exc:  # noqa: BLE001 - reported by the test
            with lock:
                results["errors"].append(repr(exc))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results["ok"], results["refused"], results["errors"]


@pytest.mark.postgres_only
def test_fifty_threads_never_commit_more_than_is_available(scratch_engine, app,
                                                           funded_budget):
    # £1,000.00 available; each thread wants £30.00: 33 fit, 17 must be refused.
    ok, refused, errors = _race(scratch_engine, app, funded_budget, 3_000,
                                lambda n: f"race:{funded_budget}:{n}")
    assert errors == []
    assert (ok, refused) == (33, 17)
    with app.app_context(), Session(scratch_engine) as session:
        budget = session.get(Budget, funded_budget)
        figures = ledger.balances(session, budget)
        assert figures.committed_pence == 99_000
        assert figures.available_pence == 1_000
        assert figures.allocated_pence == 100_000 and figures.received_pence == 0
        assert ledger.check_invariants(session, budget) == []


@pytest.mark.postgres_only
def test_fifty_threads_sending_the_same_key_post_it_once(scratch_engine, app, funded_budget):
    ok, refused, errors = _race(scratch_engine, app, funded_budget, 2_500,
                                lambda n: f"same:{funded_budget}")
    assert errors == []
    assert (ok, refused) == (THREADS, 0)  # every caller gets the one transfer back
    with app.app_context(), Session(scratch_engine) as session:
        posted = session.scalars(select(LedgerTransfer).where(
            LedgerTransfer.budget_id == funded_budget,
            LedgerTransfer.kind == TransferKind.COMMITMENT)).all()
        assert [t.amount_pence for t in posted] == [2_500]
