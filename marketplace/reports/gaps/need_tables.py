"""The report's tables about plans and orders: planned spending no order serves
(by category and by outcome), orders declined, not answered or cancelled (by
category, and by reason code), and the days from order to first visit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from flask_babel import lazy_gettext as _l

from catalogue.taxonomy import Outcome
from marketplace.ordering.lifecycle import OrderStatus
from marketplace.ordering.reasons import EndReason
from marketplace.reports.gaps.common import Grouping, median_and_p90
from marketplace.reports.gaps.demand import Ended, PlannedSpend, Wait
from marketplace.reports.tables import Column, Kind, Row, Table


def _by_category(grouping: Grouping, items: Iterable, categories: Callable) -> dict:
    by: dict[str, list] = defaultdict(list)
    for item in items:
        for group in grouping.groups(categories(item)):
            by[group].append(item)
    return by


def _names(groups, grouping: Grouping) -> list[str]:
    return sorted(groups, key=grouping.name)


def _plan_row(label: str, lines: list[PlannedSpend], with_outcomes: bool = True) -> Row:
    people = len({line.key for line in lines})
    values = [label, people]
    if with_outcomes:
        values.append(len({line.outcome_id for line in lines}))
    values.append(sum(line.amount_pence for line in lines))
    return Row(values, people=people)


def plans_by_category(planned: list[PlannedSpend], grouping: Grouping) -> Table:
    by = _by_category(grouping, planned, lambda line: [line.category])
    return Table(
        "plans", str(_l("Agreed plans with no order, by category")),
        [Column("category", str(_l("Category")), Kind.TEXT),
         Column("people", str(_l("People"))),
         Column("outcomes", str(_l("Outcomes"))),
         Column("planned", str(_l("Planned spend")), Kind.PENCE)],
        [_plan_row(grouping.name(g), by[g]) for g in _names(by, grouping)],
        total=_plan_row(str(_l("All categories")), planned), chart="bar",
        chart_column="people",
        description=str(_l("Money set aside in the newest plan the council had agreed by the "
                           "end of the period, for support the person has no order for that "
                           "went ahead.")))


def plans_by_outcome(planned: list[PlannedSpend]) -> Table:
    by: dict[str, list[PlannedSpend]] = defaultdict(list)
    for line in planned:
        by[line.domain].append(line)
    label = {o.value: str(o.label) for o in Outcome}
    return Table(
        "plan_outcomes", str(_l("Agreed plans with no order, by outcome")),
        [Column("outcome", str(_l("Outcome")), Kind.TEXT),
         Column("people", str(_l("People"))),
         Column("planned", str(_l("Planned spend")), Kind.PENCE)],
        [_plan_row(label.get(d, d), by[d], with_outcomes=False)
         for d in sorted(by, key=lambda d: label.get(d, d))],
        total=_plan_row(str(_l("All outcomes")), planned, with_outcomes=False))


ENDINGS = (OrderStatus.DECLINED, OrderStatus.EXPIRED, OrderStatus.CANCELLED)


def _ended_row(label: str, orders: list[Ended]) -> Row:
    values, people = [label], [None]
    for status in ENDINGS:
        these = [o for o in orders if o.status is status]
        values.append(len(these))
        people.append(len({o.key for o in these}))
    values.append(len(orders))
    people.append(len({o.key for o in orders}))
    return Row(values, cell_people=people)


def ended_by_category(ended: list[Ended], grouping: Grouping) -> Table:
    by = _by_category(grouping, ended, lambda order: order.categories)
    return Table(
        "ended", str(_l("Orders declined, not answered or cancelled, by category")),
        [Column("category", str(_l("Category")), Kind.TEXT),
         Column("declined", str(_l("Declined"))),
         Column("expired", str(_l("Not answered in time"))),
         Column("cancelled", str(_l("Cancelled"))),
         Column("all", str(_l("All")))],
        [_ended_row(grouping.name(g), by[g]) for g in _names(by, grouping)],
        total=_ended_row(str(_l("All categories")), ended), row_total_column=True,
        description=str(_l("Orders that ended in the period without their support. An "
                           "order for several categories counts in each.")))


def ended_by_reason(ended: list[Ended]) -> Table:
    by: dict[EndReason, list[Ended]] = defaultdict(list)
    for order in ended:
        by[order.reason].append(order)

    def row(label, orders):
        people = len({o.key for o in orders})
        return Row([label, len(orders), people], people=people)

    return Table(
        "reasons", str(_l("Why orders were declined, not answered or cancelled")),
        [Column("reason", str(_l("Reason")), Kind.TEXT),
         Column("orders", str(_l("Orders"))),
         Column("people", str(_l("People")))],
        [row(str(r.label), by[r]) for r in sorted(by, key=lambda r: (-len(by[r]), r.value))],
        total=row(str(_l("All reasons")), ended), chart="bar",
        description=str(_l("The reason the provider or the person chose from a list, or "
                           "else what happened. What they wrote is never shown.")))


def _wait_row(label: str, waits: list[Wait]) -> Row:
    middle, p90 = median_and_p90(w.days for w in waits)
    people = len({w.key for w in waits})
    return Row([label, len(waits), middle, p90], people=people)


def waits_by_category(waits: list[Wait], grouping: Grouping) -> Table:
    by = _by_category(grouping, waits, lambda wait: wait.categories)
    return Table(
        "waits", str(_l("Days from order to first visit")),
        [Column("category", str(_l("Category")), Kind.TEXT),
         Column("orders", str(_l("Orders"))),
         Column("median", str(_l("Median days")), Kind.NUMBER),
         Column("p90", str(_l("90th percentile, days")), Kind.NUMBER)],
        [_wait_row(grouping.name(g), by[g]) for g in _names(by, grouping)],
        total=_wait_row(str(_l("All categories")), waits), chart="bar", chart_column="median",
        description=str(_l("Orders placed in the period that have had a visit (missed visits "
                           "do not count). 9 in 10 orders had their first visit within the "
                           "90th percentile.")))
