"""Ratings as pure rules: who may rate a service, and the figures shown. No Flask, no
session: the services gather the facts and ask these functions.

Who may rate (``eligibility``): the buyer of an order for the service that has been
completed, or that is under way (active or paused) or ended early (cancelled) after at
least ``MIN_DELIVERED_VISITS`` delivered visits or sessions; or a representative acting
for that buyer with authority to order. Ending early is included on purpose: someone
who left a provider after real support must be able to say why, or ratings lean
towards the providers people stay with.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from marketplace.accounts.roles import Scope
from marketplace.ordering.lifecycle import OrderStatus

MIN_DELIVERED_VISITS = 3
MIN_RATINGS_SHOWN = 3  # fewer than this: "fewer than 3 ratings", never a figure
PRIOR_WEIGHT = 5  # how many "average" ratings the fair average starts from
SITE_PRIOR_MEAN = 3.5  # the category's mean when the category has no ratings yet
STARS = (1, 2, 3, 4, 5)
MAX_TEXT = 2000

UNDER_WAY = frozenset({OrderStatus.ACTIVE, OrderStatus.PAUSED, OrderStatus.CANCELLED})


class Reason(StrEnum):
    """Why someone may, or may not, rate a service."""

    COMPLETED = "completed"            # may: an order for it was completed
    DELIVERED = "delivered"            # may: enough visits or sessions were delivered
    NOT_SIGNED_IN = "not_signed_in"
    NO_ORDER = "no_order"              # never bought it (or it is someone else's order)
    TOO_FEW_VISITS = "too_few_visits"  # bought it, but not enough has been delivered yet
    SCOPE_TOO_NARROW = "scope_too_narrow"  # acting for someone with view-only authority

    @property
    def allowed(self) -> bool:
        return self in (Reason.COMPLETED, Reason.DELIVERED)


@dataclass(frozen=True)
class OrderFacts:
    """What the rules need to know about one order of one service."""

    order_id: int
    buyer_id: int
    service_id: int
    status: OrderStatus
    delivered_visits: int = 0


@dataclass(frozen=True)
class Viewer:
    """Who is asking: the signed-in user, and whom they act for (if anyone)."""

    user_id: int | None
    acting_for_id: int | None = None
    acting_scope: Scope | None = None


@dataclass(frozen=True)
class Eligibility:
    reason: Reason
    buyer_id: int | None = None
    order_id: int | None = None
    by_representative: bool = False
    delivered_visits: int = 0

    @property
    def allowed(self) -> bool:
        return self.reason.allowed


def eligibility(viewer: Viewer, service_id: int, orders: Iterable[OrderFacts]) -> Eligibility:
    """May ``viewer`` rate ``service_id``, given ``orders`` (any orders: only the
    buyer's own orders of this service are considered)."""
    if viewer.user_id is None:
        return Eligibility(Reason.NOT_SIGNED_IN)
    by_representative = viewer.acting_for_id is not None
    if by_representative and (viewer.acting_scope is None
                              or not viewer.acting_scope.covers(Scope.ORDER)):
        return Eligibility(Reason.SCOPE_TOO_NARROW, buyer_id=viewer.acting_for_id,
                           by_representative=True)
    buyer_id = viewer.acting_for_id if by_representative else viewer.user_id
    own = [o for o in orders if o.buyer_id == buyer_id and o.service_id == service_id]
    if not own:
        return Eligibility(Reason.NO_ORDER, buyer_id=buyer_id,
                           by_representative=by_representative)
    completed = [o for o in own if o.status is OrderStatus.COMPLETED]
    if completed:
        return Eligibility(Reason.COMPLETED, buyer_id, completed[-1].order_id,
                           by_representative, max(o.delivered_visits for o in own))
    under_way = sorted((o for o in own if o.status in UNDER_WAY),
                       key=lambda o: (o.delivered_visits, o.order_id))
    best = under_way[-1] if under_way else None
    if best is not None and best.delivered_visits >= MIN_DELIVERED_VISITS:
        return Eligibility(Reason.DELIVERED, buyer_id, best.order_id, by_representative,
                           best.delivered_visits)
    return Eligibility(Reason.TOO_FEW_VISITS, buyer_id, None, by_representative,
                       max(o.delivered_visits for o in own))


# --- figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """The figures for one service (or provider): counts of each star, the plain
    average and the fair average (towards ``prior_mean``)."""

    count: int
    distribution: dict[int, int]
    average: float | None
    fair_average: float | None

    @property
    def enough(self) -> bool:
        return self.count >= MIN_RATINGS_SHOWN

    def share(self, stars: int) -> int:
        """Whole-number percentage of ratings with ``stars`` (for the bars)."""
        return round(100 * self.distribution.get(stars, 0) / self.count) if self.count else 0


def bayesian_average(total_stars: int, count: int, prior_mean: float,
                     prior_weight: int = PRIOR_WEIGHT) -> float | None:
    """The average pulled towards ``prior_mean`` as if ``prior_weight`` ratings of
    that mean came first: few ratings say little, many say a lot."""
    if count <= 0:
        return None
    return (prior_weight * prior_mean + total_stars) / (prior_weight + count)


def summarise(stars: Sequence[int], prior_mean: float | None = None,
              prior_weight: int = PRIOR_WEIGHT) -> Summary:
    distribution = {s: 0 for s in STARS}
    for value in stars:
        distribution[value] += 1
    count = len(stars)
    average = sum(stars) / count if count else None
    prior = SITE_PRIOR_MEAN if prior_mean is None else prior_mean
    return Summary(count, distribution, average,
                   bayesian_average(sum(stars), count, prior, prior_weight))


def one_decimal(value: float | None) -> str:
    """1 decimal place, rounding halves up (3.25 -> 3.3), as people expect."""
    if value is None:
        return ""
    return f"{int(value * 10 + 0.5 + 1e-9) / 10:.1f}"
