"""Take-up: people with a budget, how the money is held (the direct payment share),
new budgets by month, primary support reason and age band, and the use of the
Community Catalogue (``uptake_community``).

Counting rules (also said on the page):
- people with a budget: see ``uptake_people`` (agreed budgets overlapping the
  period, each person once);
- ways of holding: a person is counted under every way any part of their budgets
  in the period is held (a budget half direct payment, half managed account counts
  under both), so the ways add up to more than the number of people, which is
  shown once, as the last line;
- new budgets: agreed budgets whose period starts in the month; "first budget"
  when it is the person's earliest agreed budget with the council;
- support reason and age: from the latest budget in the period that records them;
  age is the age reached in the year the period ends (only the year of birth is
  recorded), in the bands of ``marketplace.budgets.enums.AGE_BANDS``.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.budgets.enums import AGE_BANDS, ClientGroup, HoldingMethod
from marketplace.budgets.models import Budget, BudgetHolding
from marketplace.reports.aggregates import small
from marketplace.reports.builders.uptake_community import community_tables
from marketplace.reports.builders.uptake_people import (
    age_band,
    agreed_with,
    held_in,
    month_of,
    people_with_budgets,
    share,
)
from marketplace.reports.filters import count_distinct
from marketplace.reports.registry import register
from marketplace.reports.tables import Column, Headline, Kind, Report, Row, Table

SLUG = "take-up"


def _people_columns(first: str) -> list[Column]:
    return [Column("label", first, Kind.TEXT), Column("people", _("People")),
            Column("share", _("Share of people with a budget"), Kind.PERCENT)]


def _partition(key: str, caption: str, first: str, counts: list[tuple[str, int]],
               total: int, description: str) -> Table:
    """People split into groups that do not overlap, with the total below."""
    rows = [Row([label, n, share(n, total)], people=n) for label, n in counts]
    return Table(key, caption, _people_columns(first), rows,
                 total=Row([_("Everyone with a budget"), total, share(total, total)],
                           people=total),
                 description=description, chart="bar")


def holding_table(session, filters, total: int) -> Table:
    found = dict(session.execute(
        select(BudgetHolding.method, count_distinct(Budget.holder_id))
        .join(Budget, Budget.id == BudgetHolding.budget_id)
        .where(held_in(filters), BudgetHolding.amount_pence > 0)
        .group_by(BudgetHolding.method)).all())
    rows = [Row([str(method.label), found.get(method, 0), share(found.get(method, 0), total)],
                people=found.get(method, 0)) for method in HoldingMethod]
    return Table(
        "holding", _("People with a budget, by how the money is held"),
        _people_columns(_("How the money is held")), rows,
        total=Row([_("Everyone with a budget (each person once)"), total, None],
                  people=total),
        description=_("A person whose budget is held in more than one way (say part "
                      "direct payment, part managed account) is counted under each way, "
                      "so the ways add up to more than the number of people, which is "
                      "shown once, in the last line."),
        chart="bar")


def group_table(people) -> Table:
    counts: dict[ClientGroup | None, int] = defaultdict(int)
    for person in people.values():
        counts[person.client_group] += 1
    lines = [(str(group.label), counts.get(group, 0)) for group in ClientGroup]
    lines.append((_("Not recorded"), counts.get(None, 0)))
    return _partition("groups", _("People with a budget, by primary support reason"),
                      _("Primary support reason"), lines, len(people),
                      _("From the latest of each person's budgets in the period that "
                        "records it."))


def age_table(people, filters) -> Table:
    counts: dict[int | None, int] = defaultdict(int)
    for person in people.values():
        counts[age_band(person.birth_year, filters.ends_on)] += 1
    lines = [(str(label), counts.get(i, 0)) for i, (_low, _high, label) in enumerate(AGE_BANDS)]
    lines.append((_("Not recorded"), counts.get(None, 0)))
    return _partition("ages", _("People with a budget, by age"), _("Age"), lines,
                      len(people),
                      _("Age reached in %(year)d, the year the period ends (only the year "
                        "of birth is recorded).", year=filters.ends_on.year))


def new_budgets_table(session, filters) -> Table:
    """Agreed budgets starting each month, and people's first budgets."""
    starting = session.execute(
        select(Budget.holder_id, Budget.period_starts_on)
        .where(agreed_with(filters), Budget.period_starts_on >= filters.starts_on,
               Budget.period_starts_on <= filters.ends_on)).all()
    firsts = session.execute(
        select(Budget.holder_id, func.min(Budget.period_starts_on))
        .where(agreed_with(filters)).group_by(Budget.holder_id)
        .having(func.min(Budget.period_starts_on) >= filters.starts_on,
                func.min(Budget.period_starts_on) <= filters.ends_on)).all()
    budgets: dict = defaultdict(int)
    holders: dict = defaultdict(set)
    for holder_id, starts_on in starting:
        budgets[month_of(starts_on)] += 1
        holders[month_of(starts_on)].add(holder_id)
    first: dict = defaultdict(int)
    for _holder_id, starts_on in firsts:
        first[month_of(starts_on)] += 1
    rows = [Row([format_date(month, "MMMM yyyy"), budgets[month], first[month]],
                cell_people=[None, len(holders[month]), first[month]])
            for month in filters.months()]
    everyone = {holder_id for holder_id, _day in starting}
    total = Row([_("Whole period"), len(starting), len(firsts)],
                cell_people=[None, len(everyone), len(firsts)])
    columns = [Column("month", _("Month"), Kind.TEXT),
               Column("budgets", _("Budgets starting")),
               Column("first", _("People with their first budget"))]
    return Table("new", _("New budgets by month"), columns, rows, total=total,
                 description=_("Agreed budgets whose period starts in the month (a "
                               "renewal for a new year is a new budget), and how many "
                               "people had their first budget with the council."),
                 chart="bar")


def _headlines(tables: dict[str, Table], people: int) -> list[Headline]:
    """Each headline repeats a figure of a table, and is hidden when it is."""
    holding, new, groups = tables["holding"], tables["new"], tables["groups"]
    direct = list(HoldingMethod).index(HoldingMethod.DIRECT_PAYMENT)
    shown_people = None if small(people) or groups.total_hidden[1] else people
    dp_hidden = holding.hidden[direct][2] or holding.total_hidden[1]
    budgets_hidden = new.total_hidden[1]
    return [
        Headline(_("People with a budget"), shown_people, Kind.COUNT),
        Headline(_("Direct payment share"),
                 None if dp_hidden else holding.rows[direct].values[2], Kind.PERCENT,
                 _("People with all or part of their budget as a direct payment")),
        Headline(_("Budgets starting in the period"),
                 None if budgets_hidden else new.total.values[1], Kind.COUNT),
    ]


@register(SLUG, _l("Take-up"), _l("People with a budget, how they hold it, new budgets, "
                                   "support reasons and ages, and the Community "
                                   "Catalogue's use."), order=30)
def build(session, filters) -> Report:
    people = people_with_budgets(session, filters)
    tables = [holding_table(session, filters, len(people)), new_budgets_table(session, filters),
              group_table(people), age_table(people, filters)]
    tables += community_tables(session, filters)
    report = Report(
        SLUG, _("Take-up"),
        _("People count once however many budgets they have: a person has a budget when "
          "one of theirs was agreed and its period overlaps these dates. The area is "
          "where the person lives. The category filter applies to the Community "
          "Catalogue figures only."), tables)
    report.headlines = _headlines({t.key: t for t in report.tables}, len(people))
    return report
