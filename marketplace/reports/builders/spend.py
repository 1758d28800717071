"""Spend and commitments: money spent from personal budgets in the period and set
aside for orders at its end (the ledger: ``spend_data``), by month, category,
provider, funding stream, way of holding the money and client group; what was
ordered and invoiced from budgets, people's own contributions and self-funders'
own money; and budgets with a large underspend (``spend_underspend``).

Every figure is about named people (budget holders, buyers), so every row says how
many people each of its figures is about and ``Report`` hides those about fewer
than 5. Tables that share a total (spent, set aside, people, underspends) hide it
together: a total hidden in one table is hidden in all, and in the headlines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from catalogue.taxonomy import CATEGORIES, FundingStream, top_level_of
from marketplace.budgets.enums import ClientGroup, HoldingMethod
from marketplace.invoicing.enums import PayerShare
from marketplace.invoicing.payers import contribution_part
from marketplace.ordering.models import PaymentMethod
from marketplace.reports.aggregates import small
from marketplace.reports.builders import spend_data as data
from marketplace.reports.builders.spend_underspend import (
    client_group_label,
    enum_order,
    underspend_tables,
)
from marketplace.reports.filters import ReportFilters, category_label
from marketplace.reports.registry import register
from marketplace.reports.tables import Column, Headline, Kind, Report, Row, Table

SHARED_TOTALS = ("spent", "committed", "people", "looked_at", "underspent", "allocation",
                 "left")


class Amounts:
    """Pence per person, for one figure of one row."""

    def __init__(self) -> None:
        self.by_person: dict[int, int] = defaultdict(int)

    def add(self, person: int, pence: int) -> None:
        self.by_person[person] += pence

    @property
    def pence(self) -> int:
        return sum(self.by_person.values())

    @property
    def people(self) -> set[int]:
        return {p for p, v in self.by_person.items() if v}


def _groups():
    return defaultdict(lambda: defaultdict(Amounts))


def _row(label, figures, keys: list[str]) -> Row | None:
    """A row: the number of people, then the ``keys`` figures; None when no
    one is behind any of them."""
    people = set().union(*(figures[k].people for k in keys))
    if not people:
        return None
    return Row([label, len(people), *(figures[k].pence for k in keys)],
               cell_people=[None, len(people), *(len(figures[k].people) for k in keys)])


def _table(key, caption, label, groups, overall, keys, columns, *, label_of, order,
           description="", chart=None, people_key="people") -> Table:
    rows = [row for k in sorted(groups, key=order) if (row := _row(label_of(k), groups[k], keys))]
    people = Column(people_key, _("People"), Kind.COUNT)
    total = _row(_("Total"), overall, keys)
    return Table(key, caption, [Column("group", label, Kind.TEXT), people, *columns], rows,
                 total=total, description=description, chart=chart,
                 chart_column=columns[0].key if chart else None)


def _category_key(filters: ReportFilters) -> Callable[[str | None], str]:
    def key(slug: str | None) -> str:
        if slug not in CATEGORIES:
            return ""
        return slug if filters.category else top_level_of(slug)
    return key


def _ledger_tables(session, filters: ReportFilters, rows, facts) -> list[Table]:
    category_of = _category_key(filters)
    keys = {
        "category": lambda r: category_of(r.category),
        "provider": lambda r: r.provider_id,
        "stream": lambda r: r.stream,
        "holding": lambda r: facts[r.budget_id].method_for(r.provider_id),
        "client_group": lambda r: facts[r.budget_id].client_group,
    }
    groups = {name: _groups() for name in keys}
    overall = defaultdict(Amounts)
    months = _groups()
    opening: dict[int, int] = defaultdict(int)
    for row in rows:
        figure = "spent" if row.account is data.SPENT else "committed"
        overall[figure].add(row.holder_id, row.pence)
        for name, key in keys.items():
            groups[name][key(row)][figure].add(row.holder_id, row.pence)
        if row.on is None:
            opening[row.holder_id] += row.pence
        else:
            months[row.on.replace(day=1)][figure].add(row.holder_id, row.pence)
    money = [Column("spent", _("Spent"), Kind.PENCE),
             Column("committed", _("Set aside at the end of the period"), Kind.PENCE)]
    both = ["spent", "committed"]
    names = data.provider_names(session, groups["provider"])
    spent_first = {k: -g["spent"].pence for k, g in groups["provider"].items()}
    return [
        *_month_tables(filters, months, opening, overall),
        _table("categories", _("Spent and set aside by category"), _("Category"),
               groups["category"], overall, both, money,
               label_of=lambda k: category_label(k) if k else _("No category recorded"),
               order=lambda k: (k == "", category_label(k) if k else ""), chart="bar"),
        _table("providers", _("Spent and set aside by provider"), _("Provider"),
               groups["provider"], overall, both, money,
               label_of=lambda k: names.get(k) or _("No provider recorded"),
               order=lambda k: (spent_first[k], names.get(k) or "", k or 0), chart="bar",
               description=_("People: the different budget holders who bought from the "
                             "provider.")),
        _table("streams", _("Spent and set aside by funding stream"), _("Funding stream"),
               groups["stream"], overall, both, money, label_of=lambda k: k.label,
               order=enum_order(FundingStream)),
        _table("holding", _("Spent and set aside by way of holding the money"),
               _("Way of holding the money"), groups["holding"], overall, both, money,
               label_of=lambda k: k.label, order=enum_order(HoldingMethod),
               description=_("For a budget held in more than one way, the way that pays "
                             "for each provider, as for invoices.")),
        _table("client_groups", _("Spent and set aside by client group"), _("Client group"),
               groups["client_group"], overall, both, money, label_of=client_group_label,
               order=enum_order(ClientGroup)),
    ]


def _month_tables(filters: ReportFilters, months, opening, overall) -> list[Table]:
    """Spent in each month (adding up to the period's total), and set aside at each
    month's end (a balance: it adds up to nothing, so that table has no total)."""
    spent_rows, held_rows = [], []
    held = dict(opening)
    for month in filters.months():
        for person, pence in months[month]["committed"].by_person.items():
            held[person] = held.get(person, 0) + pence
        label = format_date(month, "MMMM yyyy")
        spent = months[month]["spent"]
        spent_rows.append(Row([label, spent.pence], cell_people=[None, len(spent.people)]))
        held_rows.append(Row([label, sum(held.values())],
                             cell_people=[None, sum(1 for v in held.values() if v)]))
    month = Column("month", _("Month"), Kind.TEXT)
    return [
        Table("months", _("Spent by month"), [month, Column("spent", _("Spent"), Kind.PENCE)],
              spent_rows, total=Row([_("Total"), overall["spent"].pence],
                                    cell_people=[None, len(overall["spent"].people)]),
              chart="bar"),
        Table("month_ends", _("Set aside at the end of each month"),
              [month, Column("held", _("Set aside"), Kind.PENCE)], held_rows,
              description=_("Money held on budgets for orders not yet invoiced, on the last "
                            "day of each month.")),
    ]


def _who_paid(filters: ReportFilters, lines, billed) -> Table:
    shares = _groups()
    for line in lines:
        if line.method is PaymentMethod.CARD:
            shares[PayerShare.SELF_FUNDED]["ordered"].add(line.buyer_id, line.line_total_pence)
            continue
        own = contribution_part(line.line_total_pence, line.contribution_pence,
                                line.order_total_pence) if line.method is PaymentMethod.SPLIT \
            else 0
        shares[PayerShare.BUDGET]["ordered"].add(line.buyer_id, line.line_total_pence - own)
        shares[PayerShare.CONTRIBUTION]["ordered"].add(line.buyer_id, own)
    for row in billed:
        shares[row.share]["invoiced"].add(row.person_id, row.pence)
    overall = defaultdict(Amounts)
    for figures in shares.values():
        for name, amounts in figures.items():
            for person, pence in amounts.by_person.items():
                overall[name].add(person, pence)
    labels = {PayerShare.BUDGET: _("From personal budgets (council-funded)"),
              PayerShare.CONTRIBUTION: _("People's own contributions to orders from a budget"),
              PayerShare.SELF_FUNDED: _("Self-funded: paid by the person, with no budget")}
    return _table(
        "who_paid", _("Self-funded and council-funded"), _("Who pays"), shares, overall,
        ["ordered", "invoiced"],
        [Column("ordered", _("Orders placed in the period"), Kind.PENCE),
         Column("invoiced", _("Invoiced in the period, less credit notes"), Kind.PENCE)],
        label_of=labels.get, order=enum_order(PayerShare), people_key="payers",
        description=_("Orders at the value they were placed at; invoices and Individual "
                      "Service Fund statements by the day they were issued."))


def _hide_shared_totals(report: Report) -> set[str]:
    """Hide a total shared by several tables in all of them once any hides it; the
    keys of the totals hidden."""
    hidden = set()
    for key in SHARED_TOTALS:
        places = [(t, i) for t in report.tables if t.total is not None
                  for i, c in enumerate(t.columns) if c.key == key]
        if any(t.total_hidden[i] for t, i in places):
            hidden.add(key)
            for t, i in places:
                t.total_hidden[i] = True
    ends = report.table("month_ends")
    if "committed" in hidden and ends is not None and ends.rows:
        ends.hidden[-1][1] = True  # the last month's balance is the period's
    return hidden


def _headline(report: Report, hidden: set[str], key: str, label, kind: Kind, hint=""):
    for table in report.tables:
        if table.total is None:
            continue
        for index, column in enumerate(table.columns):
            if column.key == key:
                value = table.total.values[index]
                people = table.total.cell_people[index]
                gone = key in hidden or small(people)
                return Headline(str(label), None if gone else value, kind, str(hint))
    return Headline(str(label), 0, kind, str(hint))


@register("spend", _l("Spend and commitments"),
          _l("Money spent and set aside from personal budgets by month, category, provider, "
             "funding stream, way of holding the money and client group; self-funded "
             "against council-funded; large underspends."), order=20)
def build(session, filters: ReportFilters) -> Report:
    rows = data.ledger_rows(session, filters)
    facts = data.budget_facts(session, filters, ids={r.budget_id for r in rows})
    tables = _ledger_tables(session, filters, rows, facts)
    council = data.Council.of(session, filters.council_id)
    tables.append(_who_paid(filters, data.order_lines(session, filters, council),
                            data.invoiced(session, filters, council)))
    tables += underspend_tables(session, filters)
    report = Report(
        "spend", str(_("Spend and commitments")),
        str(_("Spent: invoices paid from personal budgets or drawn from Individual Service "
              "Funds, less refunds, on the day the budget's ledger records them. Set aside: "
              "money held on budgets for orders not yet invoiced.")),
        tables,
        notes=[str(_("Self-funded purchases count for the council whose area the buyer "
                     "lives in. The area is where the person the money is for lives."))])
    hidden = _hide_shared_totals(report)
    report.headlines = [
        _headline(report, hidden, "spent", _("Spent from personal budgets"), Kind.PENCE),
        _headline(report, hidden, "committed", _("Set aside for orders at the end of the "
                                                 "period"), Kind.PENCE),
        _headline(report, hidden, "people", _("People with money spent or set aside"),
                  Kind.COUNT),
        _headline(report, hidden, "underspent", _("People with a large underspend"),
                  Kind.COUNT),
    ]
    return report
