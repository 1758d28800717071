"""Budget Minder alerts, as pure functions of plain data (no Flask, no session).

Each function returns a list of ``Alert``; the view gathers the data and renders
the messages. Thresholds are named constants so they can be explained and tested.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from catalogue.pricing import RateTerm, price_for

# Large underspend: at least a quarter of the period gone and on course to use
# less than three quarters of the money.
UNDERSPEND_AFTER_SHARE = Decimal("0.25")
UNDERSPEND_BELOW_SHARE = Decimal("0.75")
# A payment is "due" in the next 7 days.
PAYMENT_DUE_DAYS = 7
# Price rises: those starting in the next 60 days, or that started in the last 30.
PRICE_AHEAD_DAYS = 60
PRICE_BEHIND_DAYS = 30
# Unusual spending: 3 or more large purchases on one day in the last 30 days, where
# large is more than a week's share of the budget (and never less than £100).
UNUSUAL_PURCHASES_IN_A_DAY = 3
UNUSUAL_LOOKBACK_DAYS = 30
LARGE_PURCHASE_FLOOR_PENCE = 10_000
# A representative added in the last 30 days who spent within 7 days of starting.
NEW_REPRESENTATIVE_DAYS = 30
SPENT_AT_ONCE_DAYS = 7


class AlertKind(StrEnum):
    OVERSPEND = "overspend"
    UNDERSPEND = "underspend"
    PAYMENT_DUE = "payment_due"
    PRICE_RISE = "price_rise"
    UNUSUAL_DAY = "unusual_day"
    NEW_REPRESENTATIVE = "new_representative"


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    data: dict = field(default_factory=dict)
    warning: bool = True  # False for information (a payment due)


def spending_alerts(projection, *, period_end: date) -> list[Alert]:
    """Projected overspend, or a large underspend once enough of the period has gone."""
    if projection.allocation_pence <= 0:
        return []
    if projection.difference_pence > 0:
        return [Alert(AlertKind.OVERSPEND, {"projected": projection.projected_pence,
                                            "over": projection.difference_pence,
                                            "allocation": projection.allocation_pence,
                                            "period_end": period_end})]
    if (projection.share_elapsed >= UNDERSPEND_AFTER_SHARE
            and projection.projected_pence
            < projection.allocation_pence * UNDERSPEND_BELOW_SHARE):
        return [Alert(AlertKind.UNDERSPEND, {"projected": projection.projected_pence,
                                             "left": -projection.difference_pence,
                                             "allocation": projection.allocation_pence,
                                             "period_end": period_end})]
    return []


def payment_due_alerts(scheduled: Iterable[tuple[date, int]], *, today: date,
                       contribution_pence: int | None = None) -> list[Alert]:
    """The next instalment on the schedule (``scheduled``: (date, pence), from
    marketplace.budgets.services.scheduled_amounts), and the person's own contribution
    when they pay it into the budget on the same schedule, if due in the next few days."""
    upcoming = sorted((d, p) for d, p in scheduled
                      if today <= d <= today + timedelta(days=PAYMENT_DUE_DAYS))
    if not upcoming:
        return []
    day, amount = upcoming[0]
    alerts = [Alert(AlertKind.PAYMENT_DUE, {"amount": amount, "on": day, "who": "council"},
                    warning=False)]
    if contribution_pence:
        alerts.append(Alert(AlertKind.PAYMENT_DUE, {"amount": contribution_pence, "on": day,
                                                    "who": "person"}, warning=False))
    return alerts


@dataclass(frozen=True)
class PricedService:
    provider_name: str
    service_name: str
    public_pence: int
    rates: tuple[RateTerm, ...]


def price_rise_alerts(services: Iterable[PricedService], *, council_id: int,
                      today: date) -> list[Alert]:
    """Price rises on services of providers this person has bought from: the price
    they would pay (catalogue.pricing.price_for, so the council rate where there is
    one) on each day it changes, soon or lately, compared with the day before."""
    alerts = []
    funded = [council_id]
    for service in services:
        days = set()
        for rate in service.rates:
            if rate.council_id != council_id:
                continue
            days.add(rate.starts_on)
            if rate.ends_on is not None:
                days.add(rate.ends_on + timedelta(days=1))
        for day in sorted(days):
            if not today - timedelta(days=PRICE_BEHIND_DAYS) < day \
                    <= today + timedelta(days=PRICE_AHEAD_DAYS):
                continue
            before = price_for(service.public_pence, service.rates, funded,
                               day - timedelta(days=1)).pence
            after = price_for(service.public_pence, service.rates, funded, day).pence
            if after > before:
                alerts.append(Alert(AlertKind.PRICE_RISE, {
                    "provider": service.provider_name, "service": service.service_name,
                    "before": before, "after": after, "on": day,
                    "started": day <= today}))
    return alerts


@dataclass(frozen=True)
class OrderedPrice:
    """A line of one of the person's current orders: the unit price it was ordered at
    and the price that would apply to the person today."""

    provider_name: str
    service_name: str
    ordered_pence: int
    now_pence: int


def ordered_price_alerts(lines: Iterable[OrderedPrice], *, today: date,
                         already: Iterable[Alert] = ()) -> list[Alert]:
    """Price rises since the person ordered: public prices keep no history, so compare
    what each current order line was ordered at with what applies today. A service
    already named by a rate-change alert is not named twice."""
    named = {(a.data["provider"], a.data["service"]) for a in already
             if a.kind is AlertKind.PRICE_RISE}
    alerts = []
    for line in lines:
        key = (line.provider_name, line.service_name)
        if line.now_pence > line.ordered_pence and key not in named:
            named.add(key)
            alerts.append(Alert(AlertKind.PRICE_RISE, {
                "provider": line.provider_name, "service": line.service_name,
                "before": line.ordered_pence, "after": line.now_pence, "on": today,
                "started": True, "since_order": True}))
    return alerts


def unusual_day_alerts(purchases: Iterable[tuple[date, int]], *, allocation_pence: int,
                       today: date) -> list[Alert]:
    """Several large purchases on one day (``purchases``: (date, pence) of money set
    aside for orders)."""
    large = max(LARGE_PURCHASE_FLOOR_PENCE, allocation_pence // 52)
    by_day: dict[date, list[int]] = defaultdict(list)
    for day, pence in purchases:
        if pence >= large and today - timedelta(days=UNUSUAL_LOOKBACK_DAYS) <= day <= today:
            by_day[day].append(pence)
    return [Alert(AlertKind.UNUSUAL_DAY, {"on": day, "count": len(amounts),
                                          "total": sum(amounts)})
            for day, amounts in sorted(by_day.items())
            if len(amounts) >= UNUSUAL_PURCHASES_IN_A_DAY]


@dataclass(frozen=True)
class NewRepresentative:
    name: str
    starts_on: date
    spending: tuple[tuple[date, int], ...]  # (date, pence) of orders they placed


def new_representative_alerts(reps: Iterable[NewRepresentative], *,
                              today: date) -> list[Alert]:
    """A representative added recently who spent money at once."""
    alerts = []
    for rep in reps:
        if not today - timedelta(days=NEW_REPRESENTATIVE_DAYS) <= rep.starts_on <= today:
            continue
        soon = [p for d, p in rep.spending
                if rep.starts_on <= d <= rep.starts_on + timedelta(days=SPENT_AT_ONCE_DAYS)]
        if soon:
            alerts.append(Alert(AlertKind.NEW_REPRESENTATIVE, {
                "name": rep.name, "starts_on": rep.starts_on, "count": len(soon),
                "total": sum(soon)}))
    return alerts
