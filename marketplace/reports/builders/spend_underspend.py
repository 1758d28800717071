"""Underspends: the agreed budgets for which the Budget Minder would show its
"large underspend" alert on the last day of the report period (or today, if that
is sooner): at least a quarter of the budget's period gone, and spending on course
to use less than three quarters of the money (``marketplace.budgets.minder.alerts``
and ``projections``, the same rule and the same arithmetic as the person sees).
Spent and set aside come from the ledger as at that day. The tables count people
and money by the budget's way of holding it and by client group."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from marketplace.budgets.enums import ClientGroup, HoldingMethod
from marketplace.budgets.minder.alerts import AlertKind, spending_alerts
from marketplace.budgets.minder.projections import project_year_end
from marketplace.ledger.services import balances_for_budgets
from marketplace.reports.builders import spend_data as data
from marketplace.reports.builders.spend_data import BudgetFacts
from marketplace.reports.filters import ReportFilters
from marketplace.reports.tables import Column, Kind, Row, Table
from marketplace.security import today


@dataclass(frozen=True)
class BudgetUse:
    facts: BudgetFacts
    underspent: bool
    left_pence: int  # projected to be left over at the end of the budget's period


def budget_use(session: Session, budgets: dict[int, BudgetFacts], as_of: date
               ) -> list[BudgetUse]:
    """Each agreed budget with money in it that had started by ``as_of``, and
    whether it shows a large underspend then."""
    looked_at = [b for b in budgets.values()
                 if b.agreed and b.allocation_pence > 0 and b.period_starts_on <= as_of]
    figures = {}
    ids = [b.id for b in looked_at]
    for start in range(0, len(ids), 5000):
        figures.update(balances_for_budgets(session, ids[start:start + 5000], on=as_of))
    found = []
    for budget in looked_at:
        money = figures[budget.id]
        projection = project_year_end(
            spent_pence=money.spent_pence, committed_pence=money.committed_pence,
            allocation_pence=budget.allocation_pence, period_start=budget.period_starts_on,
            period_end=budget.period_ends_on, today=as_of)
        alerts = [a for a in spending_alerts(projection, period_end=budget.period_ends_on)
                  if a.kind is AlertKind.UNDERSPEND]
        found.append(BudgetUse(budget, bool(alerts),
                               alerts[0].data["left"] if alerts else 0))
    return found


def enum_order(kind):
    members = list(kind)
    return lambda k: (k is None, members.index(k) if k is not None else 0)


def client_group_label(group: ClientGroup | None) -> str:
    return group.label if group is not None else _("Not recorded")


def underspend_tables(session, filters: ReportFilters) -> list[Table]:
    facts = data.budget_facts(session, filters)
    uses = budget_use(session, facts, min(filters.ends_on, today()))
    by = {"holding": defaultdict(list), "client_group": defaultdict(list)}
    for use in uses:
        by["holding"][use.facts.method].append(use)
        by["client_group"][use.facts.client_group].append(use)
    note = _("Whole budgets: the category chosen does not change these figures.") \
        if filters.category else ""
    mixed = _("Mixed: held in more than one way")
    return [
        _underspend_table("underspend_holding",
                          _("Large underspends by way of holding the money"),
                          _("Way of holding the money"), by["holding"], uses,
                          lambda k: k.label if k is not None else mixed,
                          enum_order(HoldingMethod), note),
        _underspend_table("underspend_client_group", _("Large underspends by client group"),
                          _("Client group"), by["client_group"], uses, client_group_label,
                          enum_order(ClientGroup), note),
    ]


def _underspend_row(label, uses: Iterable) -> Row | None:
    uses = list(uses)
    everyone = {u.facts.holder_id for u in uses}
    if not everyone:
        return None
    under = [u for u in uses if u.underspent]
    people = len({u.facts.holder_id for u in under})
    return Row([label, len(everyone), people, sum(u.facts.allocation_pence for u in under),
                sum(u.left_pence for u in under)],
               cell_people=[None, len(everyone), people, people, people])


def _underspend_table(key, caption, label, groups, uses, label_of, order, note) -> Table:
    rows = [row for k in sorted(groups, key=order)
            if (row := _underspend_row(label_of(k), groups[k]))]
    columns = [Column("group", label, Kind.TEXT),
               Column("looked_at", _("People with an agreed budget"), Kind.COUNT),
               Column("underspent", _("People with a large underspend"), Kind.COUNT),
               Column("allocation", _("Their budgets"), Kind.PENCE),
               Column("left", _("Projected to be left over"), Kind.PENCE)]
    description = _("A large underspend, as the Budget Minder warns of it: at least a "
                    "quarter of the budget's period gone, and spending on course to use less "
                    "than three quarters of the money, on the last day of the period "
                    "chosen (or today).")
    return Table(key, caption, columns, rows, total=_underspend_row(_("Total"), uses),
                 description=" ".join(p for p in (description, note) if p))
