"""The raw demand rows for one council, period, area and category: searches,
the words of searches that found little, agreed plans that no order serves,
orders that ended without their support, waits for the first visit and ratings.

Each is one query (grouped where the database can do it), filtered on indexed
columns; people are keys (``common.key_of``), districts postcode districts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from catalogue.models import SearchEvent
from marketplace.accounts.models import User
from marketplace.budgets.plans.models import (
    Decision,
    PlanDecision,
    PlanOutcome,
    PlanSpendLine,
    PlanStatus,
    SupportPlan,
    SupportPlanVersion,
)
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus
from marketplace.ordering.lifecycle import OrderStatus
from marketplace.ordering.models import EventKind, Order, OrderEvent, OrderLine
from marketplace.ordering.reasons import EndReason, end_reason
from marketplace.ratings.models import Rating
from marketplace.reports.filters import ReportFilters
from marketplace.reports.gaps.common import (
    ANONYMOUS,
    POOR_RESULTS,
    district_of,
    key_of,
    served,
)

# Orders that did not go ahead: they do not serve a plan.
NOT_GOING_AHEAD = (OrderStatus.DECLINED, OrderStatus.EXPIRED, OrderStatus.REJECTED,
                   OrderStatus.CANCELLED)
ENDED = (OrderStatus.DECLINED, OrderStatus.EXPIRED, OrderStatus.CANCELLED)


@dataclass(frozen=True)
class Searches:
    """Searches with the same category, district, language, searcher and outcome."""

    category: str | None
    district: str | None
    language: str | None
    key: str
    nothing: bool      # no results
    little: bool       # fewer than POOR_RESULTS results
    ordered: bool
    count: int

    @property
    def unmet(self) -> bool:
        return self.little and not self.ordered


@dataclass(frozen=True)
class PlannedSpend:
    key: str
    district: str
    category: str
    domain: str
    outcome_id: int
    amount_pence: int


@dataclass(frozen=True)
class Ended:
    order_id: int
    key: str
    district: str
    categories: frozenset[str]
    status: OrderStatus
    reason: EndReason


@dataclass(frozen=True)
class Wait:
    order_id: int
    key: str
    district: str
    categories: frozenset[str]
    days: int


@dataclass(frozen=True)
class Rated:
    key: str
    category: str
    stars: int


def _search_scope(filters: ReportFilters) -> list:
    where = [SearchEvent.council_id == filters.council_id, SearchEvent.at >= filters.start_at,
             SearchEvent.at < filters.end_at]
    if filters.district:
        where.append(SearchEvent.district == filters.district)
    if filters.category_slugs:
        where.append(SearchEvent.category.in_(sorted(filters.category_slugs)))
    return where


def searches(session: Session, filters: ReportFilters) -> list[Searches]:
    nothing = case((SearchEvent.result_count == 0, 1), else_=0)
    little = case((SearchEvent.result_count < POOR_RESULTS, 1), else_=0)
    query = (select(SearchEvent.category, SearchEvent.district, SearchEvent.language,
                    SearchEvent.searcher_key, nothing, little, SearchEvent.ordered,
                    func.count())
             .where(*_search_scope(filters))
             .group_by(SearchEvent.category, SearchEvent.district, SearchEvent.language,
                       SearchEvent.searcher_key, nothing, little, SearchEvent.ordered))
    return [Searches(category, district, language, key or ANONYMOUS, bool(none), bool(few),
                     bool(ordered), count)
            for category, district, language, key, none, few, ordered, count
            in session.execute(query)]


def unmet_words(session: Session, filters: ReportFilters) -> list[tuple[str, str]]:
    """(words, searcher key) of every search that found little and led to no order
    (searches without a key cannot count towards "different people")."""
    query = (select(SearchEvent.words, SearchEvent.searcher_key)
             .where(*_search_scope(filters), SearchEvent.result_count < POOR_RESULTS,
                    SearchEvent.ordered.is_(False), SearchEvent.searcher_key.is_not(None),
                    SearchEvent.words != ""))
    return [(words, key) for words, key in session.execute(query)]


def _in_scope(filters: ReportFilters, district: str, categories) -> bool:
    if filters.district and district != filters.district:
        return False
    slugs = filters.category_slugs
    return slugs is None or any(c in slugs for c in categories)


def planned_spend(session: Session, filters: ReportFilters) -> list[PlannedSpend]:
    """Spending planned in the newest version of each plan the council had agreed by
    the end of the period, for categories the person has no order for that went
    ahead (placed by the end of the period; any status but declined, expired, not
    approved or cancelled)."""
    rows = session.execute(
        select(SupportPlan.id, SupportPlan.holder_id, User.postcode, SupportPlanVersion.number,
               PlanOutcome.id, PlanOutcome.domain, PlanSpendLine.id, PlanSpendLine.category,
               PlanSpendLine.amount_pence)
        .join(SupportPlanVersion, SupportPlanVersion.plan_id == SupportPlan.id)
        .join(PlanDecision, and_(PlanDecision.version_id == SupportPlanVersion.id,
                                 PlanDecision.decision == Decision.AGREED,
                                 PlanDecision.decided_on <= filters.ends_on))
        .join(PlanOutcome, PlanOutcome.version_id == SupportPlanVersion.id)
        .join(PlanSpendLine, PlanSpendLine.outcome_id == PlanOutcome.id)
        .join(User, User.id == SupportPlan.holder_id)
        .where(SupportPlan.council_id == filters.council_id,
               SupportPlanVersion.status == PlanStatus.AGREED)).all()
    newest: dict[int, int] = {}
    for row in rows:
        newest[row[0]] = max(newest.get(row[0], 0), row[3])
    holders = select(SupportPlan.holder_id).where(SupportPlan.council_id == filters.council_id)
    ordered: dict[int, set[str]] = {}
    for buyer, category in session.execute(
            select(Order.buyer_id, OrderLine.category).join(OrderLine)
            .where(Order.buyer_id.in_(holders), Order.status.not_in(NOT_GOING_AHEAD),
                   Order.created_at < filters.end_at).distinct()):
        ordered.setdefault(buyer, set()).add(category)
    out, seen = [], set()
    for plan_id, holder, postcode, number, outcome, domain, line, category, amount in rows:
        if number != newest[plan_id] or line in seen:
            continue
        seen.add(line)
        district = district_of(postcode)
        if not _in_scope(filters, district, [category]):
            continue
        if any(served(category, bought) for bought in ordered.get(holder, ())):
            continue
        out.append(PlannedSpend(key_of(holder), district, category, str(domain), outcome,
                                amount))
    return out


def ended_orders(session: Session, filters: ReportFilters) -> list[Ended]:
    """Orders of the council's people that were declined, not answered (expired) or
    cancelled in the period, with a reason code (chosen, or what happened)."""
    later = aliased(Order)
    moved = exists().where(later.replaces_order_id == Order.id)
    query = (select(Order.id, Order.status, Order.buyer_id, User.postcode, OrderEvent.actor,
                    OrderEvent.reason_code, moved, OrderLine.category)
             .join(OrderEvent, and_(OrderEvent.order_id == Order.id,
                                    OrderEvent.to_status == Order.status,
                                    OrderEvent.kind == EventKind.STATUS))
             .join(OrderLine, OrderLine.order_id == Order.id)
             .join(User, User.id == Order.buyer_id)
             .where(Order.council_id == filters.council_id, Order.status.in_(ENDED),
                    OrderEvent.at >= filters.start_at, OrderEvent.at < filters.end_at))
    found: dict[int, tuple] = {}
    categories: dict[int, set[str]] = {}
    for order_id, status, buyer, postcode, actor, code, was_moved, category in session.execute(
            query):
        found.setdefault(order_id, (status, buyer, postcode, actor, code, was_moved))
        categories.setdefault(order_id, set()).add(category)
    out = []
    for order_id, (status, buyer, postcode, actor, code, was_moved) in found.items():
        district = district_of(postcode)
        if _in_scope(filters, district, categories[order_id]):
            out.append(Ended(order_id, key_of(buyer), district,
                             frozenset(categories[order_id]), OrderStatus(status),
                             end_reason(status, actor, bool(was_moved), code)))
    return out


def waits(session: Session, filters: ReportFilters) -> list[Wait]:
    """Whole days from placing each order (in the period) to its first visit that
    was not missed (``ordering.deliveries.services.first_deliveries``' rule)."""
    placed = select(Order.id).where(Order.council_id == filters.council_id,
                                    Order.created_at >= filters.start_at,
                                    Order.created_at < filters.end_at)
    first = (select(DeliveryRecord.order_id, func.min(DeliveryRecord.occurred_on).label("on"))
             .where(DeliveryRecord.status != DeliveryStatus.MISSED,
                    DeliveryRecord.order_id.in_(placed))
             .group_by(DeliveryRecord.order_id).subquery())
    query = (select(Order.id, Order.created_at, first.c.on, Order.buyer_id, User.postcode,
                    OrderLine.category)
             .join(first, first.c.order_id == Order.id)
             .join(OrderLine, OrderLine.order_id == Order.id)
             .join(User, User.id == Order.buyer_id))
    found: dict[int, tuple] = {}
    categories: dict[int, set[str]] = {}
    for order_id, created_at, first_on, buyer, postcode, category in session.execute(query):
        found.setdefault(order_id, (created_at, first_on, buyer, postcode))
        categories.setdefault(order_id, set()).add(category)
    out = []
    for order_id, (created_at, first_on, buyer, postcode) in found.items():
        district = district_of(postcode)
        if _in_scope(filters, district, categories[order_id]):
            out.append(Wait(order_id, key_of(buyer), district, frozenset(categories[order_id]),
                            (first_on - created_at.date()).days))
    return out


def ratings(session: Session, filters: ReportFilters) -> list[Rated]:
    query = select(Rating.buyer_id, Rating.category, Rating.stars).where(
        Rating.council_id == filters.council_id, Rating.created_at >= filters.start_at,
        Rating.created_at < filters.end_at)
    if filters.district:
        query = query.where(Rating.area == filters.district)
    if filters.category_slugs:
        query = query.where(Rating.category.in_(sorted(filters.category_slugs)))
    return [Rated(key_of(buyer), category, stars)
            for buyer, category, stars in session.execute(query)]
