"""Market-gap signals for the commissioners' reports (issue 6, point 9): orders that
ended without the support happening (declined, expired, rejected, cancelled), why
and when, and how long people wait from ordering to their first visit.

Aggregates only, never personal data: counts by month, category, provider kind and
a reason CODE (a provider's free-text reason is never returned: it may name the
person), with the reports' small-number suppression applied ("fewer than 5").
The first visit comes from the deliveries package's records
(``deliveries.services.first_deliveries``): missed visits do not count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import ProviderOrganisation
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.models import EventKind, Order, OrderEvent, OrderLine
from marketplace.reports.aggregates import suppress

UNMET = (OrderStatus.DECLINED, OrderStatus.EXPIRED, OrderStatus.REJECTED,
         OrderStatus.CANCELLED)


class Why:
    """Reason codes: what a commissioner may see about why support did not happen."""

    DECLINED = "declined_by_provider"
    NO_ANSWER = "provider_did_not_answer"
    NOT_APPROVED = "not_approved"            # + the approval reasons, below
    CANCELLED_BY_BUYER = "cancelled_by_buyer"
    CANCELLED_BY_PROVIDER = "cancelled_by_provider"
    NOTICE_RAN_OUT = "buyer_gave_notice"
    MOVED = "moved_to_another_provider"


@dataclass(frozen=True)
class Unmet:
    """One order that ended without (all of) its support, without who it was for."""

    status: OrderStatus
    why: str
    month: str          # "2026-11": when it ended
    category: str       # the catalogue category of its first line
    provider_kind: str
    council_id: int | None
    approval_reasons: tuple[str, ...]


def _why(status: OrderStatus, actor: Actor, moved: bool) -> str:
    if status is OrderStatus.DECLINED:
        return Why.DECLINED
    if status is OrderStatus.EXPIRED:
        return Why.NO_ANSWER
    if status is OrderStatus.REJECTED:
        return Why.NOT_APPROVED
    if moved:
        return Why.MOVED
    if actor is Actor.SYSTEM:
        return Why.NOTICE_RAN_OUT
    return Why.CANCELLED_BY_PROVIDER if actor is Actor.PROVIDER else Why.CANCELLED_BY_BUYER


def unmet_orders(session: Session, *, council_id: int | None = None,
                 since: date | None = None, until: date | None = None) -> list[Unmet]:
    """Every order that ended declined, expired, rejected or cancelled (filtered on the
    day it ended), as rows without personal data."""
    query = (select(Order, OrderEvent.actor, OrderEvent.at, ProviderOrganisation.kind)
             .join(OrderEvent, OrderEvent.order_id == Order.id)
             .join(ProviderOrganisation, ProviderOrganisation.id == Order.provider_id)
             .where(Order.status.in_(UNMET), OrderEvent.to_status == Order.status,
                    OrderEvent.kind == EventKind.STATUS)
             .order_by(Order.id))
    if council_id is not None:
        query = query.where(Order.council_id == council_id)
    moved = set(session.scalars(select(Order.replaces_order_id)
                                .where(Order.replaces_order_id.is_not(None))))
    rows = []
    for order, actor, at, kind in session.execute(query):
        ended = at.date()
        if (since and ended < since) or (until and ended > until):
            continue
        first = session.scalar(select(OrderLine.category).where(OrderLine.order_id == order.id)
                               .order_by(OrderLine.id).limit(1))
        rows.append(Unmet(OrderStatus(order.status), _why(order.status, actor,
                                                          order.id in moved),
                          f"{ended:%Y-%m}", first or "", str(kind), order.council_id,
                          tuple(order.approval_reasons or ())))
    return rows


def unmet_by(session: Session, key: str, **filters) -> list[tuple[object, int | None]]:
    """Counts of unmet orders grouped by ``key`` ("why", "month", "category",
    "provider_kind" or "status"), largest first, small numbers suppressed."""
    counts = Counter(getattr(row, key) for row in unmet_orders(session, **filters))
    return suppress(sorted(counts.items(), key=lambda item: (-item[1], str(item[0]))))


def approval_refusals(session: Session, **filters) -> list[tuple[str, int | None]]:
    """Why orders the council did not approve needed approval (reason codes)."""
    counts = Counter(reason for row in unmet_orders(session, **filters)
                     if row.status is OrderStatus.REJECTED for reason in row.approval_reasons)
    return suppress(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True)
class Waiting:
    orders: int | None        # None: fewer than 5 (nothing else is shown then)
    median_days: float | None
    p90_days: int | None
    longest_days: int | None


def _waits(session: Session, council_id: int | None, since: date | None,
           until: date | None) -> list[int]:
    from marketplace.ordering.deliveries.services import first_deliveries

    return [row.days for row in first_deliveries(session, council_id=council_id,
                                                 since=since, until=until)]


def time_to_first_delivery(session: Session, *, council_id: int | None = None,
                           since: date | None = None, until: date | None = None,
                           threshold: int = 5) -> Waiting:
    """Days from submitting an order to its first delivered visit (orders submitted
    from ``since`` to ``until``). Nothing but the count is hidden below 5 orders."""
    days = sorted(_waits(session, council_id, since, until))
    if 0 < len(days) < threshold:
        return Waiting(None, None, None, None)
    if not days:
        return Waiting(0, None, None, None)
    p90 = days[min(len(days) - 1, max(0, -(-len(days) * 9 // 10) - 1))]
    return Waiting(len(days), float(median(days)), p90, days[-1])


def waiting_by_category(session: Session, *, council_id: int | None = None,
                        since: date | None = None, until: date | None = None
                        ) -> list[tuple[str, Waiting]]:
    """The same, for each category of support (by the order's first line)."""
    from marketplace.ordering.deliveries.services import first_deliveries

    by_category: dict[str, list[int]] = {}
    for row in first_deliveries(session, council_id=council_id, since=since, until=until):
        category = session.scalar(select(OrderLine.category).where(
            OrderLine.order_id == row.order_id).order_by(OrderLine.id).limit(1))
        by_category.setdefault(category or "", []).append(row.days)
    out = []
    for category, days in sorted(by_category.items()):
        days.sort()
        if len(days) < 5:
            out.append((category, Waiting(None, None, None, None)))
        else:
            p90 = days[min(len(days) - 1, max(0, -(-len(days) * 9 // 10) - 1))]
            out.append((category, Waiting(len(days), float(median(days)), p90, days[-1])))
    return out
