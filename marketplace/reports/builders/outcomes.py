"""Outcomes: what plan reviews recorded for each outcome domain (better, the same
or worse), as counts and shares for the period and over time.

Counting rule (said on the page): each person counts once per domain in the
period, by the result of their latest review in the period that looked at that
domain (the latest date; on the same day, the one recorded last). The table over
time shows those same results by the quarter (the month, when the period is six
months or shorter) in which that latest review took place, so a domain's quarters
add up to its figures for the period. People are budget holders; the council is
the plan's; the area is where the person lives; the category filter keeps reviews
of plans that set money aside for support in that category. Small numbers are
hidden across the two tables together (``outcomes_privacy``).
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from catalogue.taxonomy import Outcome
from marketplace.budgets.plans.models import (
    PlanOutcome,
    PlanReview,
    PlanReviewResult,
    PlanSpendLine,
    ReviewResult,
    SupportPlan,
)
from marketplace.reports.builders.outcomes_privacy import PresetTable, suppress_domain
from marketplace.reports.builders.uptake_people import lives_in, month_of, quarter_of, share
from marketplace.reports.filters import ReportFilters
from marketplace.reports.registry import register
from marketplace.reports.tables import Column, Kind, Report, Row

SLUG = "outcomes"
RESULTS = list(ReviewResult)       # better, same, worse: the grid's columns
PERIOD = "period"                  # the key of the whole period
MONTHLY_UP_TO = 6                  # months; longer periods are shown by quarter


def review_results(session, filters: ReportFilters) -> list[tuple]:
    """(holder id, reviewed on, review id, domain, result) in the period."""
    query = (select(SupportPlan.holder_id, PlanReview.reviewed_on, PlanReview.id,
                    PlanReviewResult.domain, PlanReviewResult.result)
             .join(PlanReview, PlanReview.plan_id == SupportPlan.id)
             .join(PlanReviewResult, PlanReviewResult.review_id == PlanReview.id)
             .where(SupportPlan.council_id == filters.council_id,
                    PlanReview.reviewed_on >= filters.starts_on,
                    PlanReview.reviewed_on <= filters.ends_on))
    if filters.district:
        query = query.where(lives_in(SupportPlan.holder_id, filters.district))
    if filters.category_slugs is not None:
        query = query.where(PlanReview.version_id.in_(
            select(PlanOutcome.version_id)
            .join(PlanSpendLine, PlanSpendLine.outcome_id == PlanOutcome.id)
            .where(PlanSpendLine.category.in_(sorted(filters.category_slugs)))))
    return session.execute(query).all()


def buckets(filters: ReportFilters) -> tuple[list[date], object]:
    """The periods over time (first days) and the function giving a day's period."""
    months = filters.months()
    if len(months) <= MONTHLY_UP_TO:
        return months, month_of
    return sorted({quarter_of(m) for m in months}), quarter_of


def bucket_label(first: date, by) -> str:
    if by is month_of:
        return format_date(first, "MMMM yyyy")
    last = date(first.year + (first.month + 1) // 12, (first.month + 1) % 12 + 1, 1)
    return _("%(first)s to %(last)s", first=format_date(first, "MMM yyyy"),
             last=format_date(last, "MMM yyyy"))


def latest_results(rows) -> dict[tuple, tuple]:
    """{(domain, holder): (reviewed on, review id, result)}: each person's latest
    review of each domain in the period (the latest date; that day, the last made)."""
    latest: dict[tuple, tuple] = {}
    for holder, on, review_id, domain, result in rows:
        slot = (domain, holder)
        if slot not in latest or (on, review_id) > latest[slot][:2]:
            latest[slot] = (on, review_id, result)
    return latest


def tally(latest: dict, key) -> dict:
    """{period: {domain: {result: people}}}, each person's latest result counted in
    the period ``key(reviewed on)`` it was recorded in."""
    counts: dict = {}
    for (domain, _holder), (on, _id, result) in latest.items():
        cell = counts.setdefault(key(on), {}).setdefault(domain, dict.fromkeys(RESULTS, 0))
        cell[result] += 1
    return counts


def _figures(counts: dict, period, domain) -> list[int]:
    cell = counts.get(period, {}).get(domain, dict.fromkeys(RESULTS, 0))
    parts = [cell[r] for r in RESULTS]
    return [*parts, sum(parts)]


def _columns(first: list[Column], kind: Kind) -> list[Column]:
    labels = [_("Got better"), _("Stayed the same"), _("Got worse")]
    return [*first, *(Column(r.value, label, kind) for r, label in zip(RESULTS, labels,
                                                                         strict=True)),
            Column("people", _("People reviewed"))]


def _shares(figures: list[int]) -> list[float]:
    return [share(n, figures[3]) for n in figures[:3]] + [figures[3]]


def _grids(whole: dict, over_time: dict, firsts: list[date], by):
    """Rows and hidden flags of the period grid and of the grid over time: each
    domain's quarters add up to its period row, so they are suppressed together."""
    grid, timeline = [], []   # (row values, figures, flags)
    for domain in Outcome:
        label = str(domain.label)
        period = _figures(whole, PERIOD, domain)
        quarters = [(first, _figures(over_time, first, domain)) for first in firsts]
        quarters = [(first, figures) for first, figures in quarters if figures[3]]
        period_hidden, quarters_hidden = suppress_domain(period, [f for _q, f in quarters])
        grid.append(([label], period, [False, *period_hidden]))
        for (first, figures), flags in zip(quarters, quarters_hidden, strict=True):
            timeline.append(([label, bucket_label(first, by)], figures, [False, False, *flags]))
    return grid, timeline


def _table(key, caption, first_columns, lines, kind: Kind, **options) -> PresetTable:
    """Counts (``Kind.COUNT``) or shares (``Kind.PERCENT``) of ``lines``."""
    labels = len(first_columns)
    rows, preset = [], []
    for values, figures, flags in lines:
        shown = figures if kind is Kind.COUNT else _shares(figures)
        rows.append(Row([*values, *shown], cell_people=[None] * labels + figures))
        if kind is Kind.PERCENT and flags[-1]:
            # A share gives its count away when the number of people is shown, so
            # with that number hidden every share in the row is hidden too.
            flags = flags[:labels] + [True] * 4
        preset.append(flags)
    return PresetTable(key, caption, _columns(first_columns, kind), rows,
                       row_total_column=True, preset=preset, **options)


@register(SLUG, _l("Outcomes"), _l("What plan reviews found for each outcome: better, the "
                                    "same or worse, for the period and over time."), order=40)
def build(session, filters) -> Report:
    rows = review_results(session, filters)
    firsts, by = buckets(filters)
    latest = latest_results(rows)
    grid, timeline = _grids(tally(latest, lambda _on: PERIOD), tally(latest, by), firsts, by)
    domain = Column("domain", _("Outcome"), Kind.TEXT)
    when = Column("when", _("Month") if by is month_of else _("Quarter"), Kind.TEXT)
    tables = [
        _table("domains", _("Outcomes by domain: number of people"), [domain], grid,
               Kind.COUNT, description=_("Each person once per outcome: the result of "
                                         "their latest review in the period.")),
        _table("shares", _("Outcomes by domain: shares"), [domain], grid, Kind.PERCENT,
               chart="bar", chart_column=ReviewResult.BETTER.value,
               description=_("The share of the people reviewed for each outcome whose "
                             "review found it got better, stayed the same or got worse.")),
        _table("over_time", _("Outcomes over time"), [domain, when], timeline, Kind.PERCENT,
               description=_("The same results by the %(unit)s of each person's latest "
                             "review, so each outcome's lines add up to its figures above.",
                             unit=_("month") if by is month_of else _("quarter"))),
    ]
    return Report(
        SLUG, _("Outcomes"),
        _("Plan reviews record, for each outcome in a person's plan, whether things got "
          "better, stayed the same or got worse. Each person is counted once per outcome: "
          "by their latest review in the period that looked at that outcome. The area is "
          "where the person lives; the category keeps people whose reviewed plan set "
          "money aside for support in it."), tables)
