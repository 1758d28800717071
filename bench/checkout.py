"""Checkout benchmark: 50 concurrent buyers placing orders against 10 shared budgets.

    .venv/bin/python bench/checkout.py
    .venv/bin/python bench/checkout.py --buyers 50 --budgets 10 --seconds 20 \
        --processes 2 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/marketplace_bench_checkout

Sets up (untimed) one council, one approved provider with a published hourly service,
and ``--budgets`` budget holders, each with an agreed budget of ``--budget-pounds``.
Then ``--buyers`` threads, each with its own database session (a representative
acting for one of the holders, so five buyers share each budget), place one-off
orders of £20 through the real checkout service (``ordering.checkout.place_orders``:
the basket line, the price rule, funding-stream rules, the ledger's row-locked
commitment, the order, its events and e-mails) and commit, for ``--seconds``. With
``--processes N`` the buyers are shared between N processes (as a web server runs
several worker processes; one Python process runs one thread at a time). The
budgets (by default 300 orders each) run out at about 150 orders a second, so a
faster run exercises refusals too.

Prints orders per second, p50/p95 latency of a placed order (from the start of the
checkout to the commit), refusals for lack of money, statements and CPU time (of the
buyers' processes) per order, the load average before and after, and the number of
budgets whose ledger is overcommitted or disagrees with the orders (must be 0).
Figures only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(app, session, budgets: int, budget_pence: int) -> tuple[int, list[int]]:
    """One provider and service; ``budgets`` holders with a budget each. Returns the
    service id and the holders' ids."""
    from marketplace.accounts.models import Council
    from marketplace.accounts.roles import Role
    from marketplace.accounts.services import create_user
    from marketplace.ordering.models import Basket
    from tests.functional.ordering_helpers import make_budget, make_shop

    council = Council(name="Bench Borough Council", short_name="Bench", slug="bench")
    session.add(council)
    session.flush()
    owner = create_user(session, email="owner@bench.example", full_name="Bench Owner",
                        password="", password_hash="x", roles=[(Role.PROVIDER_STAFF, None)])
    session.commit()
    _provider, service = make_shop(session, owner, name="Bench Home Care", price_pence=2000,
                                   capacity_per_week=None)
    holders = []
    for n in range(budgets):
        holder = create_user(session, email=f"holder{n}@bench.example",
                             full_name=f"Bench Holder {n}", password="", password_hash="x",
                             roles=[(Role.BUDGET_HOLDER, council.id)])
        session.commit()
        make_budget(session, holder, council, paid_in_pence=budget_pence,
                    starts_on=date.today() - timedelta(days=10))
        session.add(Basket(person_id=holder.id))
        session.commit()
        holders.append(holder.id)
    return service.id, holders


def buyer(app, engine, number: int, service_id: int, holder_id: int, stop_at: float,
          results: dict, lock: threading.Lock) -> None:
    from sqlalchemy.orm import Session

    from catalogue import browse
    from catalogue.models import Service
    from marketplace.accounts.models import User
    from marketplace.ordering.basket import basket_of, quote_for, view_line
    from marketplace.ordering.checkout import CheckoutProblem, PaymentChoice, place_orders
    from marketplace.ordering.models import BasketLine, PaymentMethod
    from marketplace.ordering.schedule import ScheduleKind

    latencies, refused, failed = [], 0, 0
    day = date.today() + timedelta(days=3)
    with app.test_request_context("/"), Session(engine) as session:
        person = session.get(User, holder_id)
        service = session.get(Service, service_id)
        budget_id = None
        seq = 0
        while time.perf_counter() < stop_at:
            seq += 1
            started = time.perf_counter()
            try:
                quote = quote_for(service, person, date.today())
                line = BasketLine(basket_id=basket_of(session, person).id,
                                  service_id=service.id, price_seen_pence=quote.pence,
                                  kind=ScheduleKind.ONE_OFF, starts_on=day, weekdays=[],
                                  start_time=clock(10), end_time=clock(11),
                                  quantity_hundredths=100)
                session.add(line)
                session.flush()
                if budget_id is None:
                    from marketplace.ordering import funding

                    budget_id = funding.usable_budgets(session, person, date.today())[0].id
                view = view_line(line, person, date.today(), browse.state_of(service))
                place_orders(session, person=person, placed_by=person, acting_for=None,
                             lines=[view],
                             choices={service.provider_id: PaymentChoice(
                                 PaymentMethod.BUDGET, budget_id, "adult_social_care")},
                             checkout_key=f"bench-{number}-{seq}", today=date.today())
                session.commit()
                latencies.append(time.perf_counter() - started)
            except CheckoutProblem:
                session.rollback()
                refused += 1
            except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
                session.rollback()
                failed += 1
                if failed <= 3:
                    print(f"buyer {number}: {type(exc).__name__}: {exc}"[:300],
                          file=sys.stderr)
            session.expunge_all()
            person = session.get(User, holder_id)
            service = session.get(Service, service_id)
    with lock:
        results["latencies"] += latencies
        results["refused"] += refused
        results["failed"] += failed


def check(session) -> tuple[int, int]:
    """(budgets overcommitted or disagreeing with their orders, orders placed)."""
    from sqlalchemy import func, select

    from marketplace.budgets.models import Budget
    from marketplace.ledger import services as ledger
    from marketplace.ordering.models import Order

    bad = 0
    for budget in session.scalars(select(Budget)):
        figures = ledger.balances(session, budget)
        held = session.scalar(select(func.coalesce(func.sum(Order.committed_pence), 0))
                              .where(Order.budget_id == budget.id))
        allocation = budget.allocation_pence
        if (figures.available_pence < 0 or figures.committed_pence != held
                or figures.committed_pence + figures.spent_pence > allocation
                or ledger.check_invariants(session, budget)):
            bad += 1
    return bad, session.scalar(select(func.count(Order.id)))


def run_buyers(app, url: str, numbers: list[int], service_id: int, holders: list[int],
               start_at: float, seconds: float) -> dict:
    """Buyers ``numbers``, each a thread of this process with its own connection, from
    ``start_at`` (``time.monotonic``) for ``seconds``; what they did."""
    from sqlalchemy import event

    from marketplace.db import make_engine

    engine = make_engine(url, pool_size=len(numbers) + 5, max_overflow=10)
    statements = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args):
        statements[0] += 1

    results = {"latencies": [], "refused": 0, "failed": 0}
    lock = threading.Lock()
    time.sleep(max(0.0, start_at - time.monotonic()))
    cpu, began = time.process_time(), time.monotonic()
    stop_at = time.perf_counter() + seconds - (began - start_at)
    threads = [threading.Thread(target=buyer, args=(app, engine, n, service_id,
                                                    holders[n % len(holders)], stop_at,
                                                    results, lock))
               for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.update(statements=statements[0], cpu=time.process_time() - cpu,
                   ended=time.monotonic())
    engine.dispose()
    return results


def _child(app, url, numbers, service_id, holders, start_at, seconds, queue) -> None:
    queue.put(run_buyers(app, url, numbers, service_id, holders, start_at, seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL",
        "postgresql+psycopg://postgres@127.0.0.1:5432/marketplace_bench_checkout"))
    parser.add_argument("--buyers", type=int, default=50)
    parser.add_argument("--budgets", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--budget-pounds", type=int, default=6000)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()

    from tests.conftest import migrate, recreate_database

    url = args.database_url
    recreate_database(url)
    migrate(url)
    from marketplace import create_app
    from marketplace.db import db, make_engine

    instance = tempfile.mkdtemp(prefix="bench-checkout-")
    app = create_app({"MARKETPLACE_ENV": "development", "DATABASE_URL": url,
                      "INSTANCE_PATH": instance, "MAIL_BACKEND": "memory",
                      "SEARCH_BACKEND": "postgres"})
    with app.app_context():
        service_id, holders = build(app, db.session, args.budgets, args.budget_pounds * 100)
        db.session.remove()
    app.extensions["db_engine"].dispose()  # no connection is shared with a forked buyer
    load_before = os.getloadavg()
    processes = max(1, min(args.processes, args.buyers))
    shares = [list(range(args.buyers))[n::processes] for n in range(processes)]
    start_at = time.monotonic() + (2.0 if processes > 1 else 0.0)
    if processes == 1:
        runs = [run_buyers(app, url, shares[0], service_id, holders, start_at, args.seconds)]
    else:
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        children = [context.Process(target=_child, args=(app, url, share, service_id, holders,
                                                         start_at, args.seconds, queue))
                    for share in shares]
        for child in children:
            child.start()
        runs = [queue.get() for _child_ in children]
        for child in children:
            child.join()
    elapsed = max(r["ended"] for r in runs) - start_at
    load_after = os.getloadavg()
    from sqlalchemy.orm import Session

    engine = make_engine(url)
    with app.app_context(), Session(engine) as session:
        bad, placed = check(session)
    latencies = sorted(latency for r in runs for latency in r["latencies"])
    refused = sum(r["refused"] for r in runs)
    p95 = statistics.quantiles(latencies, n=100, method="inclusive")[94] * 1000 \
        if len(latencies) > 1 else float("nan")
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    attempts = max(1, len(latencies) + refused)
    print(f"buyers {args.buyers} in {processes} process(es), budgets {args.budgets} of "
          f"£{args.budget_pounds:,}, {elapsed:.1f} s on {engine.dialect.name}")
    print(f"load average        {load_before[0]:.2f} before, {load_after[0]:.2f} after "
          f"({os.cpu_count()} CPUs)")
    print(f"orders placed       {len(latencies)} ({placed} in the database)")
    print(f"orders per second   {len(latencies) / elapsed:.1f}")
    print(f"latency p50 / p95   {p50:.1f} / {p95:.1f} ms")
    print(f"refused (no money)  {refused}")
    print(f"errors              {sum(r['failed'] for r in runs)}")
    print(f"per checkout        {sum(r['statements'] for r in runs) / attempts:.1f} statements, "
          f"{sum(r['cpu'] for r in runs) / attempts * 1000:.1f} ms CPU of the buyers' "
          f"process(es) (basket line, look-ups and commit included)")
    print(f"overcommitted budgets {bad}")
    engine.dispose()


if __name__ == "__main__":
    main()
