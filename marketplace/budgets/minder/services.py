"""Gathering the Budget Minder's figures for one budget (reads only, never writes).

Headline figures come from the ledger's own ``balances``; the rest (spending by
month and by category, purchases, price rises, new representatives) from the
ledger's transfers and the catalogue's prices, handed to the pure functions in
``projections`` and ``alerts``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalogue.models import Service, ServiceStatus
from catalogue.pricing import RateTerm
from catalogue.taxonomy import CATEGORIES, Outcome, top_level_of
from marketplace.accounts.models import Authority
from marketplace.budgets.enums import BudgetStatus, ContributionBasis, ContributionMethod
from marketplace.budgets.minder import alerts as alert_rules
from marketplace.budgets.minder.projections import (
    Month,
    Projection,
    monthly_series,
    project_year_end,
    weekly_amount,
    weeks_left,
)
from marketplace.budgets.models import Budget
from marketplace.budgets.plans.models import SupportPlan
from marketplace.budgets.services import scheduled_amounts
from marketplace.ledger.models import LedgerAccount, LedgerTransfer, TransferKind
from marketplace.ledger.services import Balances, balances, balances_by_stream

UNPLANNED = ""


@dataclass(frozen=True)
class PlanLine:
    key: str  # a top-level category slug, or an Outcome value
    planned_pence: int
    spent_pence: int

    @property
    def difference_pence(self) -> int:
        return self.planned_pence - self.spent_pence


@dataclass
class MinderView:
    budget: Budget
    balances: Balances
    left_pence: int
    weekly_pence: int | None
    weeks_left: int
    projection: Projection
    months: list[Month]
    alerts: list[alert_rules.Alert]
    plan: SupportPlan | None
    by_category: list[PlanLine]
    by_outcome: list[PlanLine]
    streams: dict | None


def _spent_delta(t: LedgerTransfer) -> int:
    return t.leg(LedgerAccount.SPENT)


def _category_of(t: LedgerTransfer) -> str:
    slug = t.category or (t.reverses.category if t.reverses is not None else None)
    return top_level_of(slug) if slug in CATEGORIES else UNPLANNED


def plan_for(session: Session, budget: Budget) -> SupportPlan | None:
    """The plan to measure spending against: the agreed plan for this budget (or,
    failing that, the newest plan for it)."""
    plans = session.scalars(select(SupportPlan).where(SupportPlan.budget_id == budget.id)
                            .order_by(SupportPlan.id.desc())).all()
    agreed = [p for p in plans if p.agreed_version is not None]
    return (agreed or plans or [None])[0]


def spend_against_plan(plan: SupportPlan | None, spent_by_category: dict[str, int]
                       ) -> tuple[list[PlanLine], list[PlanLine]]:
    """Planned and actual spending by category, and by outcome. Actual spending in a
    category is shared between the outcomes that planned it, in proportion to what
    each planned; spending the plan did not foresee is shown as unplanned."""
    version = (plan.agreed_version or plan.latest) if plan is not None else None
    planned_cat: dict[str, int] = defaultdict(int)
    planned_pairs: dict[tuple[Outcome, str], int] = defaultdict(int)
    if version is not None:
        for outcome in version.outcomes:
            for line in outcome.spend_lines:
                top = top_level_of(line.category) if line.category in CATEGORIES \
                    else UNPLANNED
                planned_cat[top] += line.amount_pence
                planned_pairs[(outcome.domain, top)] += line.amount_pence
    categories = sorted(set(planned_cat) | {k for k, v in spent_by_category.items() if v},
                        key=lambda k: (k == UNPLANNED, k))
    by_category = [PlanLine(c, planned_cat.get(c, 0), spent_by_category.get(c, 0))
                   for c in categories]
    spent_outcome: dict[str, int] = defaultdict(int)
    planned_outcome: dict[str, int] = defaultdict(int)
    for (domain, cat), planned in planned_pairs.items():
        planned_outcome[domain.value] += planned
        actual = spent_by_category.get(cat, 0)
        if actual and planned_cat[cat]:
            spent_outcome[domain.value] += actual * planned // planned_cat[cat]
    unplanned = sum(v for k, v in spent_by_category.items() if not planned_cat.get(k))
    shared = sum(spent_outcome.values())
    # Whole pence: any remainder of the sharing goes to the unplanned line.
    remainder = sum(v for k, v in spent_by_category.items() if planned_cat.get(k)) - shared
    by_outcome = [PlanLine(o.value, planned_outcome[o.value], spent_outcome[o.value])
                  for o in Outcome if planned_outcome.get(o.value)]
    if unplanned or remainder:
        by_outcome.append(PlanLine(UNPLANNED, 0, unplanned + remainder))
    return by_category, by_outcome


def _price_data(session: Session, provider_ids: set[int]) -> list[alert_rules.PricedService]:
    if not provider_ids:
        return []
    services = session.scalars(
        select(Service).where(Service.provider_id.in_(provider_ids),
                              Service.status == ServiceStatus.PUBLISHED)
        .options(selectinload(Service.council_rates), selectinload(Service.provider))).all()
    return [alert_rules.PricedService(
        s.provider.name, s.name, s.price_pence,
        tuple(RateTerm(r.council_id, r.rate_pence, r.starts_on, r.ends_on)
              for r in s.council_rates)) for s in services]


def _ordered_prices(session: Session, budget: Budget,
                    today: date) -> list[alert_rules.OrderedPrice]:
    """The person's current orders paid from this budget, line by line: the price
    ordered at against the price that applies to them today."""
    from catalogue.pricing import price_for
    from marketplace.ordering.lifecycle import OrderStatus
    from marketplace.ordering.models import Order, OrderLine

    current = (OrderStatus.AWAITING_APPROVAL, OrderStatus.APPROVED,
               OrderStatus.AWAITING_PROVIDER, OrderStatus.ACCEPTED, OrderStatus.ACTIVE,
               OrderStatus.PAUSED)
    lines = session.scalars(
        select(OrderLine).join(Order, Order.id == OrderLine.order_id)
        .where(Order.budget_id == budget.id, Order.status.in_(current))
        .options(selectinload(OrderLine.service).selectinload(Service.council_rates),
                 selectinload(OrderLine.service).selectinload(Service.provider))).all()
    found = []
    for line in lines:
        service = line.service
        rates = [RateTerm(r.council_id, r.rate_pence, r.starts_on, r.ends_on)
                 for r in service.council_rates]
        now = price_for(service.price_pence, rates, [budget.council_id], today).pence
        found.append(alert_rules.OrderedPrice(service.provider.name, service.name,
                                              line.unit_price_pence, now))
    return found


def _new_representatives(session: Session, budget: Budget, transfers, today: date):
    since = today - timedelta(days=alert_rules.NEW_REPRESENTATIVE_DAYS)
    authorities = session.scalars(select(Authority).where(
        Authority.holder_id == budget.holder_id, Authority.starts_on >= since)).all()
    reps = []
    for authority in authorities:
        spending = tuple((t.effective_on, t.amount_pence) for t in transfers
                         if t.kind is TransferKind.COMMITMENT
                         and t.created_by_id == authority.representative_id)
        reps.append(alert_rules.NewRepresentative(authority.representative.full_name,
                                                  authority.starts_on, spending))
    return reps


def _contribution_per_instalment(budget: Budget) -> int | None:
    if (budget.contribution_method is not ContributionMethod.PAID_INTO_BUDGET
            or budget.contribution_basis is not ContributionBasis.WEEKLY_AMOUNT
            or not budget.contribution_weekly_pence):
        return None
    weeks = budget.payment_frequency.weeks
    if weeks is None:
        return None
    return budget.contribution_weekly_pence * weeks


def minder_view(session: Session, budget: Budget, today: date, *,
                with_streams: bool = False) -> MinderView:
    figures = balances(session, budget)
    allocation = budget.allocation_pence
    left = allocation - figures.spent_pence - figures.committed_pence
    transfers = session.scalars(
        select(LedgerTransfer).where(LedgerTransfer.budget_id == budget.id)
        .order_by(LedgerTransfer.effective_on, LedgerTransfer.id)).all()
    spending = [(t.effective_on, _spent_delta(t)) for t in transfers if _spent_delta(t)]
    projection = project_year_end(
        spent_pence=figures.spent_pence, committed_pence=figures.committed_pence,
        allocation_pence=allocation, period_start=budget.period_starts_on,
        period_end=budget.period_ends_on, today=today)
    months = monthly_series(spending, period_start=budget.period_starts_on,
                            period_end=budget.period_ends_on, today=today,
                            projection=projection)
    spent_by_category: dict[str, int] = defaultdict(int)
    for t in transfers:
        if _spent_delta(t):
            spent_by_category[_category_of(t)] += _spent_delta(t)
    plan = plan_for(session, budget)
    by_category, by_outcome = spend_against_plan(plan, spent_by_category)

    found = alert_rules.spending_alerts(projection, period_end=budget.period_ends_on)
    if budget.status is BudgetStatus.AGREED:
        found += alert_rules.payment_due_alerts(
            scheduled_amounts(budget), today=today,
            contribution_pence=_contribution_per_instalment(budget))
    bought_from = {t.provider_id for t in transfers if t.provider_id is not None
                   and t.kind in (TransferKind.COMMITMENT, TransferKind.SETTLEMENT)}
    rises = alert_rules.price_rise_alerts(_price_data(session, bought_from),
                                          council_id=budget.council_id, today=today)
    found += rises + alert_rules.ordered_price_alerts(
        _ordered_prices(session, budget, today), today=today, already=rises)
    found += alert_rules.unusual_day_alerts(
        [(t.effective_on, t.amount_pence) for t in transfers
         if t.kind is TransferKind.COMMITMENT], allocation_pence=allocation, today=today)
    found += alert_rules.new_representative_alerts(
        _new_representatives(session, budget, transfers, today), today=today)
    streams = None
    if with_streams:
        by_stream = balances_by_stream(session, budget)
        shares = budget.stream_shares
        streams = {s: (shares.get(s, 0), b) for s, b in by_stream.items()}
    weeks = weeks_left(today, budget.period_ends_on)
    return MinderView(
        budget=budget, balances=figures, left_pence=left,
        weekly_pence=weekly_amount(left, today, budget.period_ends_on),
        weeks_left=int(weeks), projection=projection, months=months, alerts=found,
        plan=plan, by_category=by_category, by_outcome=by_outcome, streams=streams)
