"""Invoice runs racing, on PostgreSQL: two runs (the button pressed twice, or the button
and ``flask invoices run`` at once) start at the same moment over the same delivered
visits, each in its own thread with its own connection. Together they must leave
exactly what one clean run leaves: every document once, every visit billed once per
share, and each provider's numbers 1..n with no gap, whether or not the provider has
been invoiced before (its number counter already there, or made by the race).

Real commits are needed, so this runs in a scratch database of its own. SQLite has no
row locks (its writers take turns on the whole file): skipped there, as the ledger's
and checkout's race tests are.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace.accounts.models import Council
from marketplace.accounts.roles import Role
from marketplace.budgets.enums import HoldingMethod
from marketplace.budgets.models import Budget
from marketplace.db import make_engine
from marketplace.invoicing import runs
from marketplace.invoicing.models import Invoice, InvoiceLine
from marketplace.ledger import services as ledger
from tests.conftest import _database_url, migrate, recreate_database
from tests.integration.test_invoice_run_crashes import _snapshot, _world
from tests.invoicing_helpers import TODAY, days, held_budget, make_order, make_user

# The 4-week billing period before the helpers' MAY (18 May to 14 June 2026).
APRIL = (date(2026, 4, 20), date(2026, 5, 17))
DOCUMENTS = 6  # what one clean run of ``_world`` makes (its own crash test says so)


@pytest.fixture(scope="module")
def engine(tmp_root, is_postgres, app):
    if not is_postgres:
        pytest.skip("PostgreSQL-only: SQLite has no row locks (writers take turns on the "
                    "whole database file), so invoice runs cannot race there")
    url = _database_url(tmp_root, "invoice_run_race")
    recreate_database(url)
    migrate(url)
    engine = make_engine(url, pool_size=12, max_overflow=4)
    yield engine
    engine.dispose()


def _council(session) -> Council:
    council = session.scalar(select(Council).where(Council.slug == "race"))
    if council is None:
        council = Council(name="Race Council", short_name="Race", slug="race")
        session.add(council)
        session.commit()
    return council


def _invoiced_before(session, council, providers, tag) -> None:
    """An earlier period already invoiced for each provider (its counter exists)."""
    holder = make_user(session, Role.BUDGET_HOLDER, council=council, name=f"Earlier {tag}")
    for provider in providers.values():
        budget = held_budget(session, holder, council, HoldingMethod.COUNCIL_MANAGED)
        make_order(session, holder, provider, provider.services[0], budget,
                   visits=days(*APRIL)[:2])
        runs.run_invoices(session, provider, *APRIL, today=TODAY)
        session.commit()


def _race(engine, app, threads: int) -> tuple[list[runs.RunResult], list[str]]:
    """``threads`` invoice runs over everything due, started together."""
    barrier = threading.Barrier(threads)
    results: list[runs.RunResult] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            with app.app_context(), Session(engine) as session:
                session.execute(select(1))  # connected before the start line
                barrier.wait(timeout=30)
                result = runs.run_due(session, until=TODAY, today=TODAY)
            with lock:
                results.append(result)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            with lock:
                errors.append(repr(exc))

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in workers), "an invoice run never finished"
    return results, errors


def _numbers(session, provider_id: int, series: str) -> list[int]:
    return list(session.scalars(select(Invoice.number).where(
        Invoice.provider_id == provider_id, Invoice.series == series).order_by(Invoice.number)))


@pytest.mark.postgres_only
@pytest.mark.parametrize("threads", [2, 6])
@pytest.mark.parametrize("counters_exist", [False, True], ids=["first-run", "later-run"])
def test_invoice_runs_started_together_invoice_each_visit_once_without_gaps(
        engine, app, threads, counters_exist):
    tag = f"Race {threads} {counters_exist}"
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        council = _council(session)
        providers, budgets = _world(session, council, tag)
        if counters_exist:
            _invoiced_before(session, council, providers, tag)
        assert runs.due_periods(session, TODAY), "nothing for the race to invoice"

    results, errors = _race(engine, app, threads)

    assert errors == []
    assert all(not r.failures for r in results), [r.failures for r in results]
    # Between them the runs made each document once: one run made it, the others
    # found its visits already billed.
    assert sum(r.count for r in results) == DOCUMENTS
    with app.app_context(), Session(engine) as session:
        raced = _snapshot(session, providers, budgets)
        ids = [p.id for p in providers.values()]
        # Each visit is on one line per share, never two.
        billed = session.execute(
            select(InvoiceLine.billed_delivery_id, InvoiceLine.share, func.count())
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(Invoice.provider_id.in_(ids), InvoiceLine.billed_delivery_id.is_not(None))
            .group_by(InvoiceLine.billed_delivery_id, InvoiceLine.share)).all()
        assert billed and {count for _r, _s, count in billed} == {1}
        for provider in providers.values():
            invoice_numbers = _numbers(session, provider.id, "invoice")
            assert invoice_numbers == list(range(1, len(invoice_numbers) + 1))
            statement_numbers = _numbers(session, provider.id, "statement")
            assert statement_numbers == list(range(1, len(statement_numbers) + 1))
        for budget in budgets.values():
            assert ledger.check_invariants(session, session.get(Budget, budget.id)) == []
        # Nothing is left to invoice, and running again makes nothing.
        assert runs.run_due(session, until=TODAY, today=TODAY).count == 0
        session.rollback()

        # The same world run once, by one run alone, leaves the same documents.
        clean_providers, clean_budgets = _world(session, _council(session), f"Clean {tag}")
        if counters_exist:
            _invoiced_before(session, _council(session), clean_providers, f"Clean {tag}")
        assert runs.run_due(session, until=TODAY, today=TODAY).count == DOCUMENTS
        session.commit()
        clean = _snapshot(session, clean_providers, clean_budgets)
    assert raced[0] == clean[0]      # the documents, numbers, lines and totals
    assert raced[1] == clean[1]      # the number counters
    assert raced[2] == clean[2]      # every budget's money on the ledger
