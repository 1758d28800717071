"""Eighteen months of history for the demo council, so every commissioner report has
something to show (issue 9, point 8). Called once by ``marketplace.demo.seed``,
after the other demo modules; deterministic (a fixed random seed) and idempotent
(nothing is added once the history's people exist).

A few hundred fictional budget holders and a few dozen self-funders
(``demo_people``) get budgets year by year (``demo_budgets``), support plans and
reviews (``demo_plans``), and order what their plans name from the demo catalogue
(``demo_attempts`` decides, ``demo_orders`` places, answers, delivers and ends the
orders); the visits are invoiced, approved and paid (``demo_money``), and what they
searched for is logged (``demo_searches``), with the Community Catalogue's daily
views over the same months (``catalogue.community.usage_demo``). Everything goes through the same
services people use, dated when it happened, so the ledger reconciles to the
penny. Two gaps emerge from the data: nobody who speaks Urdu offers personal
assistance in HA3 and HA9, and short breaks are too few for the demand.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from flask import current_app, has_request_context
from sqlalchemy import delete, func, select

from catalogue.community.usage_demo import seed_views
from catalogue.taxonomy import FundingStream
from marketplace.accounts import services as accounts
from marketplace.accounts.models import Council, User
from marketplace.budgets.enums import BudgetKind, ClientGroup
from marketplace.budgets.models import Budget
from marketplace.mail import OutboxMessage
from marketplace.reports import demo_budgets, demo_orders, demo_plans, demo_searches
from marketplace.reports.demo_attempts import plan_attempts
from marketplace.reports.demo_budgets import Period
from marketplace.reports.demo_catalogue import Catalogue
from marketplace.reports.demo_money import invoice_history
from marketplace.reports.demo_people import (
    HISTORY_DOMAIN,
    ISF_PROVIDERS,
    MONTHS,
    make_people,
)

COUNCIL_SLUG = "ashdown"
SEED = 20260901


def history_people():
    """The history's people (a query)."""
    return select(User).where(User.email_normalised.like(f"%@{HISTORY_DOMAIN}"))


def wanted() -> bool:
    """``DEMO_HISTORY`` in the configuration; by default on, except in tests (which
    seed the demo often and, but for this module's own, do not need the history)."""
    return bool(current_app.config.get("DEMO_HISTORY", not current_app.testing))


def seed_history(session, today: date) -> dict:
    """Add the history (once); returns counts and how long each part took."""
    if not wanted():
        return {}
    council = session.scalar(select(Council).where(Council.slug == COUNCIL_SLUG))
    if council is None or session.scalar(history_people().limit(1)) is not None:
        return {}
    if not has_request_context():  # e-mails build links: behave as a request to "/"
        with current_app.test_request_context("/"):
            return seed_history(session, today)
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 2)
        clock[0] = now

    first_mail = session.scalar(select(func.max(OutboxMessage.id))) or 0
    rng = random.Random(SEED)  # noqa: S311 - deterministic demo data
    officer = accounts.find_user_by_email(session, "officer@ashdown.example")
    finance = accounts.find_user_by_email(session, "finance@ashdown.example")
    start = demo_budgets.history_start(today, MONTHS)
    catalogue = Catalogue(session)
    people = make_people(rng, today, _isf_agencies(catalogue))
    demo_budgets.create_accounts(session, people, council, start)
    periods = demo_budgets.create_budgets(session, rng, people, council, officer, start, today)
    lap("people and budgets")
    demo_plans.create_plans(session, rng, periods, officer, today)
    lap("plans")
    attempts, unmet = [], []
    for period in periods + _self_funding(rng, people, start, today):
        if period.agreed_on is None:
            continue
        made, found_nothing = plan_attempts(rng, catalogue, period, today, start)
        attempts += made
        unmet += [(period, need) for need in found_nothing]
    placed = demo_orders.place_orders(session, attempts, officer)
    lap("orders")
    visits = demo_orders.record_visits(session, attempts, today)
    lap("visits")
    money = invoice_history(session, rng, today, finance)
    lap("invoices")
    finished = demo_orders.finish_orders(session, attempts, today)
    rated = demo_orders.rate_some(session, rng, attempts, today)
    demo_budgets.record_cash(session, periods, today, officer)
    lap("endings, ratings and payments into budgets")
    reviews = demo_plans.record_reviews(session, rng, periods, attempts, officer, today)
    closed = demo_budgets.close_finished(session, periods, today, officer)
    lap("reviews")
    log = demo_searches.SearchLog(rng, catalogue, council.id, start, today)
    demo_searches.before_orders(log, [a for a in attempts if a.order_id])
    demo_searches.for_unmet(log, unmet)
    demo_searches.browsing(log, people)
    demo_searches.visitors(log)
    searches = log.write(session)
    views = seed_views(session, today, days=(today - start).days)
    _describe_demo_budgets(session, council, rng, today)
    session.flush()
    # The history's e-mails were never sent: they are not kept.
    session.execute(delete(OutboxMessage).where(OutboxMessage.id > first_mail))
    lap("searches")
    counts = {"people": len(people), "budgets": len(periods), "orders": placed,
              "visits": visits, "reviews": reviews, "closed budgets": closed,
              "finished orders": finished, "ratings": rated, "searches": searches,
              "community listing days viewed": views, **money}
    current_app.logger.info("demo history: %s; seconds: %s", counts, timings)
    return {**counts, "seconds": timings}


def _isf_agencies(catalogue: Catalogue):
    """district -> the agencies that could hold an ISF there (they offer personal
    care in the district)."""
    def near(district: str) -> list[str]:
        return sorted({o.provider_name for o in catalogue.choices(
            "personal-care", district, stream=FundingStream.ADULT_SOCIAL_CARE, age=70)
            if o.provider_name in ISF_PROVIDERS})
    return near


def _self_funding(rng, people, start: date, today: date) -> list[Period]:
    """Self-funders pay by card: a stretch of time in which they look for support."""
    found = []
    for person in people:
        if person.self_funder:
            begins = demo_budgets.month_start(start, person.anchor) + timedelta(
                days=rng.randint(0, 27))
            period = Period(person, None, begins, today + timedelta(days=365), True,
                            agreed_on=begins, bought=person.needs[:1])
            person.periods.append(period)
            found.append(period)
    return found


ADULT_GROUPS = [g for g in ClientGroup if g is not ClientGroup.DISABLED_CHILD]


def _describe_demo_budgets(session, council, rng, today: date) -> None:
    """The other demo budgets were made before budgets had a client group and year
    of birth: give them one (children's budgets are for disabled children)."""
    chosen: dict[int, tuple[ClientGroup, int]] = {}
    for budget in session.scalars(select(Budget).where(
            Budget.council_id == council.id, Budget.client_group.is_(None))
            .order_by(Budget.id)):
        if budget.holder_id not in chosen:
            chosen[budget.holder_id] = (
                (ClientGroup.DISABLED_CHILD, today.year - rng.randint(6, 16))
                if budget.kind is BudgetKind.CHILDRENS_BUDGET
                else (rng.choice(ADULT_GROUPS), today.year - rng.randint(25, 92)))
        budget.client_group, budget.birth_year = chosen[budget.holder_id]
