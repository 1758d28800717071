"""How an order may be paid: the person's budgets, the funding streams that may buy a
service (the budgets' own rules), card payment, the support plan, and the ledger.

Ordering owns none of these rules: this module is the one place that asks the
budgets, plans and ledger packages, so the rest of ordering reads plainly.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from catalogue.models import Service, ServiceFundingStream
from catalogue.taxonomy import CATEGORIES, FundingStream
from marketplace.accounts.roles import Role
from marketplace.budgets import rules
from marketplace.budgets.enums import BudgetStatus, HoldingMethod
from marketplace.budgets.models import Budget


def usable_budgets(session: Session, person, on: date) -> list[Budget]:
    """The person's agreed budgets whose period includes ``on``."""
    return list(session.scalars(_usable(select(Budget), person, on)
                                .order_by(Budget.period_starts_on, Budget.id)))


def _usable(query, person, on: date):
    return query.where(Budget.holder_id == person.id, Budget.status == BudgetStatus.AGREED,
                       Budget.period_starts_on <= on, Budget.period_ends_on >= on)


def budget_of(session: Session, person, budget_id: int | None, on: date) -> Budget | None:
    """One of the person's usable budgets, or None (someone else's, closed or junk).
    One statement: the budget with its funding streams (its holdings load if asked)."""
    if not isinstance(budget_id, int) or isinstance(budget_id, bool):
        return None
    return session.scalars(
        _usable(select(Budget).where(Budget.id == budget_id), person, on)
        .options(joinedload(Budget.streams), lazyload(Budget.holdings))).unique().first()


def load_stream_codes(session: Session, services: Iterable[Service]) -> None:
    """Load the funding streams each of ``services`` accepts, for all of them in one
    statement (instead of one lazy load per service); already loaded ones are kept."""
    missing = {s.id: s for s in services if "funding_streams" not in s.__dict__}
    if not missing:
        return
    found: dict[int, list[ServiceFundingStream]] = {i: [] for i in missing}
    for row in session.scalars(select(ServiceFundingStream)
                               .where(ServiceFundingStream.service_id.in_(list(missing)))
                               .order_by(ServiceFundingStream.id)):
        found[row.service_id].append(row)
    for service_id, rows in found.items():
        set_committed_value(missing[service_id], "funding_streams", rows)


def streams_for(budget: Budget, services: Iterable[Service]) -> list[FundingStream]:
    """The budget's funding streams that may buy every one of ``services``: the stream's
    rules allow the category (``marketplace.budgets.rules.may_buy``), and the service
    accepts the stream (or names none)."""
    services = list(services)
    fitting = []
    for stream_row in budget.streams:
        stream = stream_row.stream
        if stream_row.share_pence <= 0:
            continue
        if all(rules.may_buy(stream, s.category)
               and (not s.stream_codes or stream in s.stream_codes) for s in services):
            fitting.append(stream)
    return fitting


def may_pay_by_card(person, budgets: Iterable[Budget]) -> bool:
    """Self-funders pay by card; so may direct-payment holders (a prepaid card)."""
    if person.has_role(Role.SELF_FUNDER):
        return True
    return any(HoldingMethod.DIRECT_PAYMENT in b.holding_methods for b in budgets)


def planned_categories(session: Session, person) -> set[str]:
    """The categories the person's agreed support plans plan spending on: the spend
    lines of each plan's agreed version (``SupportPlan.agreed_version``, the newest
    agreed), in one statement."""
    from marketplace.budgets.plans.models import (
        PlanOutcome,
        PlanSpendLine,
        PlanStatus,
        SupportPlan,
        SupportPlanVersion,
    )

    agreed = (select(SupportPlanVersion.plan_id,
                     func.max(SupportPlanVersion.number).label("number"))
              .join(SupportPlan, SupportPlan.id == SupportPlanVersion.plan_id)
              .where(SupportPlan.holder_id == person.id,
                     SupportPlanVersion.status == PlanStatus.AGREED)
              .group_by(SupportPlanVersion.plan_id).subquery())
    return set(session.scalars(
        select(PlanSpendLine.category).distinct()
        .join(PlanOutcome, PlanOutcome.id == PlanSpendLine.outcome_id)
        .join(SupportPlanVersion, SupportPlanVersion.id == PlanOutcome.version_id)
        .join(agreed, (agreed.c.plan_id == SupportPlanVersion.plan_id)
              & (agreed.c.number == SupportPlanVersion.number))))


def outside_plan(session: Session, person, categories: Iterable[str]) -> bool:
    """True when the person's agreed support plan does not plan spending on every one
    of ``categories`` (a plan line for the category itself or its parent counts).
    No agreed plan at all means every purchase is outside it."""
    planned = planned_categories(session, person)
    for slug in categories:
        parent = CATEGORIES[slug].parent if slug in CATEGORIES else None
        if slug not in planned and (parent is None or parent not in planned):
            return True
    return False


def approval_threshold_pence(session: Session | None = None,
                             council_id: int | None = None) -> int | None:
    """Above this (pence) an order waits for an officer: the council's own setting,
    else the site's ORDER_APPROVAL_THRESHOLD_PENCE. 0 or None means no limit."""
    value = None
    if session is not None and council_id is not None:
        from marketplace.accounts.models import Council

        council = session.get(Council, council_id)
        value = council.order_approval_threshold_pence if council is not None else None
    if value is None:
        value = current_app.config.get("ORDER_APPROVAL_THRESHOLD_PENCE")
    return int(value) if value else None


def restricted_categories() -> tuple[str, ...]:
    return tuple(current_app.config.get("ORDER_RESTRICTED_CATEGORIES", ()))


# --- the ledger -------------------------------------------------------------------


class NotEnoughMoney(Exception):
    """The ledger refused to set the money aside; ``message`` says why (translated)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def lock_budget(session: Session, budget: Budget) -> None:
    """Take the budget's row lock now, as the ledger does when it posts (held until
    the transaction ends; a no-op on SQLite). The ledger's lock is FOR NO KEY UPDATE,
    which the key-share lock that an order's foreign key takes on the budget row does
    not conflict with, so writing the order first cannot deadlock; a checkout takes
    the lock only when it posts, to hold it for as short a time as possible."""
    from marketplace.ledger import services as ledger

    session.execute(ledger.lock_statement(budget.id))


def available_pence(session: Session, budget: Budget, stream: FundingStream) -> int:
    from marketplace.ledger import services as ledger

    return ledger.balances(session, budget, stream=stream).available_pence


def commit_money(session: Session, budget: Budget, amount_pence: int, *, stream: str, key: str,
                 reference: str, provider_id: int, category: str | None,
                 description: str, actor=None) -> None:
    from marketplace.ledger import services as ledger

    if amount_pence <= 0:
        return
    try:
        ledger.commit(session, budget, amount_pence, stream=FundingStream(stream), key=key,
                      reference=reference, provider_id=provider_id, category=category,
                      description=description, actor=actor)
    except ledger.LedgerError as exc:  # InsufficientFunds, or a closed budget
        raise NotEnoughMoney(exc.message) from exc


def release_money(session: Session, budget: Budget, amount_pence: int, *, stream: str, key: str,
                  reference: str, provider_id: int, description: str, actor=None) -> None:
    from marketplace.ledger import services as ledger

    if amount_pence <= 0:
        return
    ledger.release(session, budget, amount_pence, stream=FundingStream(stream), key=key,
                   reference=reference, provider_id=provider_id, description=description,
                   actor=actor)
