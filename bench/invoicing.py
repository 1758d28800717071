"""Invoicing benchmark: an invoice run over 100,000 delivered visits across 500
providers, then the same run again (which must create nothing).

    .venv/bin/python bench/invoicing.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/marketplace_bench

The data is bulk-inserted (not timed): one council, 500 providers with one hourly
service each, 10 people per provider (5,000 budgets: 70% council-managed, 15% direct
payments, 10% managed accounts, 5% self-funded with no budget, a quarter of the
budget orders split with the person's contribution), one order per person with its
money set aside on the ledger, and 20 visits per order on Tuesdays and Thursdays
over ten weeks, all recorded and undisputed. Prints seconds for each run, the
invoices created, the statements sent (invoice lines and documents go by COPY on
PostgreSQL: one statement each per transaction), the CPU time of this process and the
load average before and after. Figures only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START = date(2026, 4, 20)  # a Monday that starts a 4-week billing period
WEEKS = 10


def _visit_days() -> list[date]:
    return [START + timedelta(days=7 * w + d) for w in range(WEEKS) for d in (1, 3)]


def build(session, providers: int, people_per_provider: int) -> None:
    from sqlalchemy import insert

    from catalogue.models import ProviderOrganisation, Service, Unit, VettingStatus
    from catalogue.models.enums import ProviderKind
    from marketplace.accounts.models import Council, User
    from marketplace.budgets.enums import BudgetKind, BudgetStatus, HoldingMethod
    from marketplace.budgets.models import Budget, BudgetHolding, BudgetStream
    from marketplace.db import utcnow
    from marketplace.ledger.models import LedgerLeg, LedgerTransfer
    from marketplace.ordering.deliveries.models import DeliveryRecord
    from marketplace.ordering.models import Order, OrderLine

    rng = random.Random(9)  # noqa: S311
    now = utcnow()
    council_id = session.scalar(insert(Council).returning(Council.id), [
        {"name": "Bench Council", "short_name": "Bench", "slug": "bench", "created_at": now}])

    def ids(model, rows):
        out = []
        for start in range(0, len(rows), 10000):
            out += session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True),
                                   rows[start:start + 10000]).all()
        return out

    provider_ids = ids(ProviderOrganisation, [
        {"name": f"Bench provider {i:04d}", "kind": ProviderKind.AGENCY, "description": "",
         "status": VettingStatus.APPROVED, "address": f"{i} Bench Road", "town": "Harrow",
         "postcode": "HA1 1AA", "created_at": now} for i in range(providers)])
    service_ids = ids(Service, [
        {"provider_id": p, "name": "Help at home", "summary": "Help", "description": "",
         "category": "getting-up-and-dressed", "unit": Unit.HOUR, "price_pence": 2000,
         "status": "published", "last_confirmed_at": now, "created_at": now}
        for p in provider_ids])
    people = providers * people_per_provider
    user_ids = ids(User, [
        {"email": f"bench-{i}@example.org", "email_normalised": f"bench-{i}@example.org",
         "full_name": f"Bench Person {i}", "password_hash": "x", "session_nonce": f"n{i}",
         "is_active_account": True, "created_at": now} for i in range(people)])
    methods = ([HoldingMethod.COUNCIL_MANAGED] * 14 + [HoldingMethod.DIRECT_PAYMENT] * 3
               + [HoldingMethod.MANAGED_ACCOUNT] * 2 + [None])
    plan = [rng.choice(methods) for _ in range(people)]
    budgeted = [i for i, m in enumerate(plan) if m is not None]
    allocation = 2_000_000
    budget_ids = ids(Budget, [
        {"holder_id": user_ids[i], "council_id": council_id, "kind": BudgetKind.PERSONAL_BUDGET,
         "name": "Budget", "period_starts_on": date(2026, 4, 1),
         "period_ends_on": date(2027, 3, 31), "indicative_pence": allocation,
         "agreed_pence": allocation, "status": BudgetStatus.AGREED,
         "payment_frequency": "four_weekly", "contribution_basis": "none",
         "created_at": now, "updated_at": now} for i in budgeted])
    budget_of = dict(zip(budgeted, budget_ids, strict=True))
    session.execute(insert(BudgetStream), [
        {"budget_id": b, "stream": "adult_social_care", "share_pence": allocation}
        for b in budget_ids])
    session.execute(insert(BudgetHolding), [
        {"budget_id": budget_of[i], "method": plan[i], "amount_pence": allocation,
         "organisation_name": "Bench Minders" if plan[i] is HoldingMethod.MANAGED_ACCOUNT
         else None} for i in budgeted])
    visits = _visit_days()
    per_visit = 4000  # 2 hours at £20
    total = per_visit * len(visits)
    orders = []
    for i in range(people):
        budget = budget_of.get(i)
        split = budget is not None and rng.random() < 0.25
        orders.append({
            "reference": f"ORD-B{i:07d}", "idempotency_key": f"bench:{i}",
            "checkout_key": f"bench{i}", "buyer_id": user_ids[i], "placed_by_id": user_ids[i],
            "provider_id": provider_ids[i // people_per_provider], "status": "active",
            "payment_method": "card" if budget is None else "split" if split else "budget",
            "budget_id": budget, "council_id": council_id if budget else None,
            "funding_stream": "adult_social_care" if budget else None, "total_pence": total,
            "contribution_pence": total // 4 if split else 0,
            "committed_pence": (total - total // 4 if split else total) if budget else 0,
            "approval_reasons": [], "created_at": now, "updated_at": now})
    order_ids = ids(Order, orders)
    line_ids = ids(OrderLine, [
        {"order_id": o, "service_id": service_ids[i // people_per_provider],
         "service_name": "Help at home", "category": "getting-up-and-dressed",
         "unit": Unit.HOUR, "unit_price_pence": 2000, "price_basis": "public",
         "public_price_pence": 2000, "total_pence": total, "kind": "recurring",
         "starts_on": START, "weekdays": [1, 3], "start_time": clock(9),
         "end_time": clock(11), "quantity_hundredths": 200}
        for i, o in enumerate(order_ids)])
    # The money set aside for each budget order (allocation and commitment legs).
    transfers, legs_for = [], []
    for i, order_id in enumerate(order_ids):
        row = orders[i]
        if row["budget_id"] is None:
            continue
        for kind, amount, legs, ref in (
                ("allocation", allocation, [("available", allocation), ("funder", -allocation)],
                 None),
                ("commitment", row["committed_pence"],
                 [("committed", row["committed_pence"]), ("available", -row["committed_pence"])],
                 f"order:{order_id}")):
            transfers.append({"budget_id": row["budget_id"], "kind": kind,
                              "amount_pence": amount, "effective_on": date(2026, 4, 1),
                              "stream": "adult_social_care", "provider_id": row["provider_id"],
                              "description": "", "reference": ref,
                              "idempotency_key": f"bench:{kind}:{order_id}", "created_at": now})
            legs_for.append(legs)
    transfer_ids = ids(LedgerTransfer, transfers)
    session.execute(insert(LedgerLeg), [
        {"transfer_id": t, "account": account, "amount_pence": amount}
        for t, legs in zip(transfer_ids, legs_for, strict=True) for account, amount in legs])
    records = []
    for i, (order_id, line_id) in enumerate(zip(order_ids, line_ids, strict=True)):
        for day in visits:
            records.append({
                "order_id": order_id, "order_line_id": line_id,
                "provider_id": orders[i]["provider_id"], "occurred_on": day,
                "starts_at": clock(9), "ends_at": clock(11), "units_hundredths": 200,
                "unit_price_pence": 2000, "status": "recorded", "recorded_at": now})
    for start in range(0, len(records), 20000):
        session.execute(insert(DeliveryRecord), records[start:start + 20000])
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--providers", type=int, default=500)
    parser.add_argument("--people-per-provider", type=int, default=10)
    parser.add_argument("--create-all", action="store_true",
                        help="Make the schema from the models instead of the migrations.")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-invoicing-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite'}"
    os.environ["INSTANCE_PATH"] = str(tmp)
    from tests.conftest import migrate, recreate_database

    recreate_database(url)
    if args.create_all:
        from sqlalchemy import create_engine

        import marketplace.models as models

        engine = create_engine(url)
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        models.metadata.create_all(engine)
        engine.dispose()
    else:
        migrate(url)

    from sqlalchemy import event, func, select

    from marketplace import create_app
    from marketplace.db import db
    from marketplace.invoicing.models import Invoice, InvoiceLine
    from marketplace.invoicing.runs import run_due
    from marketplace.ordering.deliveries.models import DeliveryRecord

    app = create_app({"MARKETPLACE_ENV": "development", "DATABASE_URL": url,
                      "MAIL_BACKEND": "memory"})
    until = START + timedelta(weeks=WEEKS + 4)
    with app.app_context():
        started = time.perf_counter()
        build(db.session, args.providers, args.people_per_provider)
        visits = db.session.scalar(select(func.count(DeliveryRecord.id)))
        print(f"data: {visits:,} delivered visits across {args.providers} providers "
              f"({time.perf_counter() - started:.1f} s to insert)")
        statements = [0]

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(*_args):
            statements[0] += 1

        for label in ("first run", "second run"):
            load = os.getloadavg()[0]
            statements[0] = 0
            started, cpu = time.perf_counter(), time.process_time()
            result = run_due(db.session, until=until, today=until)
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
            print(f"{label}: {seconds:.1f} s, {result.count:,} invoices created "
                  f"({result.periods:,} provider-periods, {len(result.failures)} failures); "
                  f"{statements[0]:,} statements besides COPY, {cpu:.1f} s CPU here; load "
                  f"average {load:.2f} before, {os.getloadavg()[0]:.2f} after")
        lines = db.session.scalar(select(func.count(InvoiceLine.id)))
        invoices = db.session.scalar(select(func.count(Invoice.id)))
        print(f"total: {invoices:,} invoices with {lines:,} lines")


if __name__ == "__main__":
    main()
