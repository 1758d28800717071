"""The spend report and the auditors' pages, on a known data set
(tests/functional/reports_spend_helpers.py): every figure against a sum made here
straight from the ledger legs, orders and invoice lines; small numbers hidden,
including through totals; person-level pages for auditors only, each look in the
audit log; bad filters answered with a message."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from catalogue.taxonomy import CATEGORIES
from marketplace.accounts.roles import Role
from marketplace.audit import AuditEvent
from marketplace.budgets.enums import HoldingMethod
from marketplace.budgets.minder.statement import statement_for
from marketplace.budgets.models import Budget
from marketplace.invoicing.enums import InvoiceKind, PayerShare
from marketplace.invoicing.models import Invoice, InvoiceLine
from marketplace.ledger.models import LedgerAccount, LedgerLeg, LedgerTransfer, TransferKind
from marketplace.ordering.models import Order, OrderLine, PaymentMethod
from marketplace.reports.builders.spend import _hide_shared_totals
from marketplace.reports.filters import ReportFilters
from marketplace.reports.registry import REPORTS
from marketplace.reports.tables import Column, Kind, Report, Row, Table
from tests.conftest import sign_in
from tests.functional.reports_spend_helpers import END, REPORT_TODAY, START, build_world

SPENT, COMMITTED = LedgerAccount.SPENT, LedgerAccount.COMMITTED


@pytest.fixture()
def world(app, db_session, make_user, council, other_council, freeze_today):
    freeze_today(REPORT_TODAY)
    return build_world(app, db_session, make_user, council, other_council)


def _filters(council, **values) -> ReportFilters:
    return ReportFilters(council_id=council.id, council_name=council.name,
                         starts_on=values.pop("starts_on", START),
                         ends_on=values.pop("ends_on", END), **values)


def _build(app, session, filters):
    with app.test_request_context("/"):
        report = REPORTS["spend"].build(session, filters)
        labels = {t.key: [str(r.values[0]) for r in t.rows] for t in report.tables}
    return report, labels


def _args(filters: ReportFilters) -> str:
    return urlencode(filters.query_args(), doseq=True)


# --- the figures, summed here from the raw rows -----------------------------------------

def _legs(session, council):
    return session.execute(
        select(LedgerLeg.account, LedgerLeg.amount_pence, LedgerTransfer, Budget)
        .join(LedgerTransfer, LedgerTransfer.id == LedgerLeg.transfer_id)
        .join(Budget, Budget.id == LedgerTransfer.budget_id)
        .where(Budget.council_id == council.id)).all()


def _pays(transfer, budget):
    """The holding that pays this provider: an ISF it holds, else the first other."""
    for holding in budget.holdings:
        if holding.method is HoldingMethod.INDIVIDUAL_SERVICE_FUND \
                and holding.provider_id == transfer.provider_id:
            return holding.method
    others = [h.method for h in budget.holdings
              if h.method is not HoldingMethod.INDIVIDUAL_SERVICE_FUND]
    return others[0] if others else HoldingMethod.COUNCIL_MANAGED


def _top(slug):
    if slug not in CATEGORIES:
        return ""
    return CATEGORIES[slug].parent or slug


def _category(legs):
    """A movement's category, or that of its order's commitment (releases name none)."""
    ordered = {}
    for _account, _pence, transfer, _budget in sorted(legs, key=lambda leg: leg[2].id):
        if transfer.kind is TransferKind.COMMITMENT and transfer.category:
            ordered.setdefault((transfer.budget_id, transfer.reference), transfer.category)
    return lambda t: t.category or ordered.get((t.budget_id, t.reference))


def _by(legs, key, start=START, end=END):
    """key -> (people, spent, committed, spent people, committed people)."""
    spent, held = defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))
    for account, pence, transfer, budget in legs:
        if account is SPENT and start <= transfer.effective_on <= end:
            spent[key(transfer, budget)][budget.holder_id] += pence
        elif account is COMMITTED and transfer.effective_on <= end:
            held[key(transfer, budget)][budget.holder_id] += pence
    out = {}
    for k in set(spent) | set(held):
        spenders = {p for p, v in spent[k].items() if v}
        holders = {p for p, v in held[k].items() if v}
        if spenders | holders:
            out[k] = (len(spenders | holders), sum(spent[k].values()), sum(held[k].values()),
                      len(spenders), len(holders))
    return out


def _check(table, expected, label_of):
    assert len(table.rows) == len(expected), table.key
    rows = {str(r.values[0]): r for r in table.rows}
    for key, (people, spent, held, n_spent, n_held) in expected.items():
        row = rows[str(label_of(key))]
        assert row.values[1:] == [people, spent, held], (table.key, key)
        assert row.cell_people == [None, people, n_spent, n_held], (table.key, key)


def test_every_spend_figure_is_the_sum_of_the_ledger_legs(app, db_session, council, world):
    report, _labels = _build(app, db_session, _filters(council))
    legs = _legs(db_session, council)
    names = {p.id: p.name for p in world["providers"]}
    with app.test_request_context("/"):
        category = _category(legs)
        _check(report.table("categories"), _by(legs, lambda t, b: _top(category(t))),
               lambda k: CATEGORIES[k].name if k else "No category recorded")
        _check(report.table("providers"), _by(legs, lambda t, b: t.provider_id),
               lambda k: names[k])
        _check(report.table("streams"), _by(legs, lambda t, b: t.stream), lambda k: k.label)
        _check(report.table("holding"), _by(legs, _pays), lambda k: k.label)
        _check(report.table("client_groups"), _by(legs, lambda t, b: b.client_group),
               lambda k: k.label if k else "Not recorded")
    overall = _by(legs, lambda t, b: "all")["all"]
    for key in ("categories", "providers", "streams", "holding", "client_groups"):
        total = report.table(key).total
        assert total.values[1:] == list(overall[:3]), key
    # Known by construction: 6 x £160 less a £40 credit, £50 of NHS money, £120 and £90
    # by direct payment (one visit disputed), an £80 ISF draw, £120 of a split order.
    assert overall[1] == 96_000 - 4_000 + 5_000 + 12_000 + 9_000 + 8_000 + 12_000
    assert overall[0] == 11  # the council's budget holders: never self-funders or strangers
    headlines = {h.label: h.value for h in report.headlines}
    assert headlines["Spent from personal budgets"] == overall[1]
    assert headlines["Set aside for orders at the end of the period"] == overall[2]
    assert headlines["People with money spent or set aside"] == 11


def test_each_month_is_spent_that_month_and_set_aside_at_its_end(app, db_session, council,
                                                                   world):
    report, _labels = _build(app, db_session, _filters(council))
    legs = _legs(db_session, council)
    months, ends = report.table("months"), report.table("month_ends")
    assert [r.values[0] for r in months.rows][:3] == ["April 2026", "May 2026", "June 2026"]
    assert len(months.rows) == len(ends.rows) == 8
    for index, (row, end_row) in enumerate(zip(months.rows, ends.rows, strict=True)):
        first = date(2026, 4 + index, 1)
        last = min((first + timedelta(days=32)).replace(day=1) - timedelta(days=1), END)
        spent = _by(legs, lambda t, b: "m", start=first, end=last).get("m", (0, 0, 0, 0, 0))
        held = _by(legs, lambda t, b: "m", start=last, end=last).get("m", (0, 0, 0, 0, 0))
        assert (row.values[1], end_row.values[1]) == (spent[1], held[2]), row.values[0]
        assert (row.cell_people, end_row.cell_people) == (
            [None, spent[3]], [None, held[4]]), row.values[0]
    assert months.total.values[1] == sum(r.values[1] for r in months.rows)
    assert ends.total is None  # a balance has no total


def _split(line_total: int, contribution: int, total: int) -> int:
    if not contribution or not total:
        return 0
    return int((Decimal(line_total) * contribution / total).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP))


def test_self_funded_against_council_funded(app, db_session, council, world):
    report, _labels = _build(app, db_session, _filters(council))
    ordered = defaultdict(lambda: defaultdict(int))
    billed = defaultdict(lambda: defaultdict(int))
    people = {p.id for p in world["people"].values()}
    for order, line in db_session.execute(select(Order, OrderLine).join(OrderLine)):
        if order.buyer_id not in people:
            continue  # another council's holder, or a self-funder of no council
        if order.payment_method is PaymentMethod.CARD:
            ordered[PayerShare.SELF_FUNDED][order.buyer_id] += line.total_pence
            continue
        own = _split(line.total_pence, order.contribution_pence, order.total_pence)
        ordered[PayerShare.BUDGET][order.buyer_id] += line.total_pence - own
        ordered[PayerShare.CONTRIBUTION][order.buyer_id] += own
    for invoice, line in db_session.execute(select(Invoice, InvoiceLine).join(
            InvoiceLine, InvoiceLine.invoice_id == Invoice.id)):
        if invoice.person_id in people:
            sign = -1 if invoice.kind is InvoiceKind.CREDIT_NOTE else 1
            billed[line.share][invoice.person_id] += sign * line.gross_pence
    table = report.table("who_paid")
    assert len(table.rows) == 3
    for row, share in zip(table.rows, PayerShare, strict=True):
        everyone = {p for p, v in ordered[share].items() if v} | {
            p for p, v in billed[share].items() if v}
        assert row.values[1:] == [len(everyone), sum(ordered[share].values()),
                                  sum(billed[share].values())], share
    assert sum(billed[PayerShare.SELF_FUNDED].values()) == 3 * 16_000
    assert sum(billed[PayerShare.CONTRIBUTION].values()) == 4_000
    assert [c.key for c in table.columns] == ["group", "payers", "ordered", "invoiced"]


def test_underspends_are_the_budget_minders_alert(app, db_session, council, world):
    report, _labels = _build(app, db_session, _filters(council))
    table = report.table("underspend_holding")
    rows = {str(r.values[0]): r.values[1:] for r in table.rows}
    with app.test_request_context("/"):
        managed = str(HoldingMethod.COUNCIL_MANAGED.label)
    # Council-managed: six Ables, Dee and Eve; Eve has most of her small budget set
    # aside, so only seven are on course to leave more than a quarter unused.
    assert rows[managed][:2] == [8, 7]
    under = [world["budgets"][n] for n in world["budgets"]
             if n.startswith("Alex") or n == "Dee Split"]
    assert rows[managed][2] == sum(b.allocation_pence for b in under)
    assert table.total.values[1] == 11
    by_group = report.table("underspend_client_group")
    assert sum(r.values[1] for r in by_group.rows) == 11


def test_a_category_filter_keeps_only_its_own_spending(app, db_session, council, world):
    filters = _filters(council, category="personal-care")
    report, labels = _build(app, db_session, filters)
    slugs = filters.category_slugs
    legs = _legs(db_session, council)
    category = _category(legs)
    legs = [leg for leg in legs if category(leg[2]) in slugs]
    assert labels["categories"] == [str(CATEGORIES["getting-up-and-dressed"].name)]
    expected = _by(legs, lambda t, b: category(t))["getting-up-and-dressed"]
    assert report.table("categories").rows[0].values[1:] == list(expected[:3])
    assert labels["providers"] == ["Willow Care"]


# --- small numbers ---------------------------------------------------------------------

def _no_line_gives_a_hidden_figure_away(report):
    """In every table, no column with a shown total has exactly one hidden figure."""
    for table in report.tables:
        if table.total is None:
            continue
        for index, column in enumerate(table.columns):
            if not column.numeric or table.total_hidden[index]:
                continue
            gone = [row[index] for row in table.hidden if row[index]]
            assert len(gone) != 1, (table.key, column.key)


def test_figures_about_fewer_than_5_people_are_hidden_even_through_totals(
        app, client, db_session, council, world, make_user):
    filters = _filters(council)
    report, labels = _build(app, db_session, filters)
    _no_line_gives_a_hidden_figure_away(report)
    providers = report.table("providers")
    assert labels["providers"][0] == "Willow Care"
    oak = labels["providers"].index("Oak Cleaning")
    assert providers.hidden[oak][1:] == [True, True, True]  # two buyers
    assert providers.hidden[0][1:3] == [False, False]  # eight buyers, seven with money spent
    # One person spends NHS money: hidden, and so is the other stream, as the total
    # of the column is shown.
    streams = report.table("streams")
    assert [str(r.values[0]) for r in streams.rows] == ["Adult social care",
                                                        "NHS personal health budget"]
    assert streams.hidden[1][2] and streams.hidden[0][2] and not streams.total_hidden[2]
    # Self-funders (3) and the one person's contribution are hidden; then the budgets'
    # row has to be hidden too, or it would give their sum away.
    who = report.table("who_paid")
    assert who.hidden[1][1:] == [True, True, True] and who.hidden[2][1:] == [True] * 3

    commissioner = make_user(Role.COMMISSIONER, name="Cora Commissioner")
    sign_in(client, commissioner)
    page = client.get(f"/council/reports/spend?{_args(filters)}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for person in world["people"]:
        assert person not in text
    lines = list(csv.reader(io.StringIO(client.get(
        f"/council/reports/spend?{_args(filters)}&download=providers").get_data(as_text=True))))
    oak_line = next(line for line in lines if line[0] == "Oak Cleaning")
    assert oak_line[1:] == ["fewer than 5"] * 3
    stream_lines = list(csv.reader(io.StringIO(client.get(
        f"/council/reports/spend?{_args(filters)}&download=streams").get_data(as_text=True))))
    nhs_spent = f"{streams.rows[1].values[2] // 100}.{streams.rows[1].values[2] % 100:02d}"
    assert all(nhs_spent not in line for line in stream_lines)
    pack = client.get(f"/council/reports/pack.pdf?{_args(filters)}")
    assert pack.status_code == 200 and pack.data.startswith(b"%PDF")


def test_an_area_with_fewer_than_5_people_shows_no_figures_at_all(app, client, db_session,
                                                                  council, world, make_user):
    filters = _filters(council, district="HA2")  # the two direct payments and the ISF
    report, _labels = _build(app, db_session, filters)
    _no_line_gives_a_hidden_figure_away(report)
    assert [h.value for h in report.headlines] == [None, None, None, None]
    for key in ("categories", "providers", "holding", "client_groups"):
        table = report.table(key)
        assert all(all(row[1:]) for row in table.hidden), key
        assert all(table.total_hidden[1:]), key
    sign_in(client, make_user(Role.COMMISSIONER, name="Cora Commissioner"))
    text = client.get(f"/council/reports/spend?{_args(filters)}").get_data(as_text=True)
    spent = report.table("categories").total.values[2]
    assert f"£{spent // 100:,}.{spent % 100:02d}" not in text
    assert "fewer than 5" in text


def test_a_total_hidden_in_one_table_is_hidden_in_all_and_in_the_headlines(app):
    alone = Table("a", "A", [Column("g", "G", Kind.TEXT), Column("spent", "S", Kind.PENCE)],
                  [Row(["x", 50], cell_people=[None, 3])],
                  total=Row(["Total", 50], cell_people=[None, 6]))
    many = Table("b", "B", [Column("g", "G", Kind.TEXT), Column("spent", "S", Kind.PENCE)],
                 [Row(["p", 20], cell_people=[None, 6]), Row(["q", 30], cell_people=[None, 6])],
                 total=Row(["Total", 50], cell_people=[None, 12]))
    report = Report("t", "T", "", [alone, many])
    assert alone.total_hidden[1] and not many.total_hidden[1]
    assert _hide_shared_totals(report) == {"spent"}
    assert many.total_hidden[1]


# --- bad filters ------------------------------------------------------------------------

BAD = [
    ("start=1&start=4&start=2026&end=1&end=3&end=2026",
     "The end of the period must be the same as or after its start"),
    ("start=1&start=1&start=2000&end=1&end=1&end=2100", "Choose a period of 5 years or less"),
    ("start=1&start=4&start=2026&end=30&end=11&end=2026&category=astrology",
     "Choose a category from the list"),
    ("start=1&start=4&start=2026&end=30&end=11&end=2026&area=ZZ9",
     "Choose an area from the list"),
    ("start=31&start=2&start=2026&end=1&end=3&end=2026", "Enter a real date"),
]


@pytest.mark.parametrize(("query", "message"), BAD)
def test_bad_filters_are_refused_with_a_message(app, client, db_session, council, world,
                                                make_user, query, message):
    sign_in(client, world["finance"])
    for url in ("/council/reports/spend", "/council/reports/audit/exceptions",
                "/council/reports/audit/exceptions.csv"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url
        assert message in response.get_data(as_text=True), url


# --- the auditors' pages ----------------------------------------------------------------

def _audits(session, action):
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                           .order_by(AuditEvent.id)).all()


def test_a_commissioner_can_reach_no_person_level_page(app, client, db_session, council,
                                                       world, make_user):
    sign_in(client, make_user(Role.COMMISSIONER, name="Cora Commissioner"))
    holder = world["people"]["Alex Able1"]
    for user_id in (holder.id, world["stranger"].id, 999_999, world["finance"].id):
        for tail in ("", "/statement.csv", "/statement.pdf"):
            assert client.get(f"/council/reports/audit/people/{user_id}{tail}"
                              ).status_code == 403, (user_id, tail)
    assert client.get("/council/reports/audit/exceptions").status_code == 403
    assert client.get("/council/reports/audit/exceptions.csv").status_code == 403
    assert client.get("/council/reports/spend").status_code == 200
    assert _audits(db_session, "report.viewed_person") == []


def test_an_officer_of_another_council_is_refused(app, client, db_session, council,
                                                 other_council, world, make_user):
    elsewhere = make_user(Role.COUNCIL_OFFICER, council_for=other_council, name="Oz Other")
    sign_in(client, elsewhere)
    holder = world["people"]["Alex Able1"]
    for tail in ("", "/statement.csv", "/statement.pdf"):
        assert client.get(f"/council/reports/audit/people/{holder.id}{tail}"
                          ).status_code == 403
    theirs = client.get(f"/council/reports/audit/exceptions?council={council.id}")
    assert theirs.status_code == 400
    assert "Choose a council from the list" in theirs.get_data(as_text=True)
    own = client.get("/council/reports/audit/exceptions").get_data(as_text=True)
    assert other_council.name in own
    for text in (own, theirs.get_data(as_text=True)):
        assert "Alex Able" not in text and "Bea Direct" not in text
    assert client.get(f"/council/reports/audit/people/{world['stranger'].id}").status_code == 200


def test_an_auditor_sees_a_statement_and_the_look_is_logged(app, client, db_session, council,
                                                             world):
    finance = world["finance"]
    holder = world["people"]["Alex Able2"]
    budget = world["budgets"]["Alex Able2"]
    sign_in(client, finance)
    page = client.get(f"/council/reports/audit/people/{holder.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    with app.test_request_context("/"):
        statement = statement_for(db_session, budget, budget.period_starts_on, REPORT_TODAY)
    assert holder.full_name in text
    assert f'data-figure="spent">£{statement.spent_pence // 100:,}.' in text
    assert statement.spent_pence == 16_000 - 4_000  # four visits less the credit note
    csv_text = client.get(f"/council/reports/audit/people/{holder.id}/statement.csv"
                          f"?budget={budget.id}&start=1&start=4&start=2026&end=30&end=11"
                          f"&end=2026").get_data(as_text=True)
    assert holder.full_name in csv_text and "Willow Care" in csv_text
    pdf = client.get(f"/council/reports/audit/people/{holder.id}/statement.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    looks = _audits(db_session, "report.viewed_person")
    assert [(e.actor_id, e.object_type, e.object_id, e.detail["format"]) for e in looks] == [
        (finance.id, "user", str(holder.id), kind) for kind in ("page", "csv", "pdf")]
    assert looks[1].detail["start"] == "2026-04-01" and looks[1].detail["end"] == "2026-11-30"
    assert looks[0].detail["budget_id"] == budget.id
    # Junk in the address: a clear message, never a 500.
    junk = client.get(f"/council/reports/audit/people/{holder.id}?budget=abc")
    assert junk.status_code == 400
    assert "Choose one of this person&#39;s budgets" in junk.get_data(as_text=True)
    assert client.get(f"/council/reports/audit/people/{holder.id}?budget="
                      f"{world['budgets']['Bea Direct1'].id}").status_code == 404
    assert client.get("/council/reports/audit/people/999999").status_code == 404
    bad = client.get(f"/council/reports/audit/people/{holder.id}?start=1&start=5&start=2026"
                     f"&end=1&end=4&end=2026")
    assert bad.status_code == 400
    assert "The last day must be the same as or after the first day" in bad.get_data(
        as_text=True)
    assert client.get(f"/council/reports/audit/people/{holder.id}/statement.csv?start=x"
                      ).status_code == 400


def test_the_exceptions_list(app, client, db_session, council, world):
    officer = world["officer"]
    sign_in(client, officer)
    query = "start=1&start=4&start=2026&end=30&end=11&end=2026"
    page = client.get(f"/council/reports/audit/exceptions?{query}")
    assert page.status_code == 200
    with app.test_request_context("/"):
        from marketplace.reports.audit_exceptions import Section, exceptions

        found = exceptions(db_session, _filters(council))
    people = {u.id: name for name, u in world["people"].items()}

    def lines(section):
        return [(people[line.person_id], line.reference) for line in found[section]]

    first, dear, waiting = world["first"], world["dear"], world["waiting"]
    assert lines(Section.APPROVALS) == [("Alex Able1", first.reference),
                                        ("Bea Direct1", dear.reference),
                                        ("Cal Fund", waiting.reference)]
    outcomes = [line.outcome for line in found[Section.APPROVALS]]
    assert outcomes[0].startswith("Approved by the council on 3 May 2026 by Olu Officer")
    assert "Too dear" in outcomes[1] and outcomes[2] == "Still waiting for a decision"
    assert lines(Section.OUTSIDE_PLAN) == [("Alex Able1", first.reference),
                                           ("Bea Direct1", dear.reference)]
    assert "More than the council's threshold of £400.00" in found[Section.OUTSIDE_PLAN][1].what
    alerts = found[Section.ALERTS]
    assert [(people[a.person_id], a.on, a.amount_pence) for a in alerts] == [
        ("Alex Able2", date(2026, 4, 1), 90_000), ("Alex Able3", date(2026, 4, 10), 5_000)]
    assert "Rita Rep" in alerts[1].what
    assert lines(Section.DISPUTES) == [("Bea Direct2", found[Section.DISPUTES][0].reference)]
    assert "Nobody came" in found[Section.DISPUTES][0].what
    assert lines(Section.CREDIT_NOTES) == [("Alex Able2", world["note"].reference)]
    text = page.get_data(as_text=True)
    holder = world["people"]["Alex Able2"]
    assert (f'/council/reports/audit/people/{holder.id}?budget='
            f'{world["budgets"]["Alex Able2"].id}') in text
    for name in ("Alex Able1", "Bea Direct1", "Cal Fund", "Bea Direct2", "Alex Able3"):
        assert name in text
    assert "Hal Elsewhere" not in text
    download = client.get(f"/council/reports/audit/exceptions.csv?{query}")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0][:3] == ["Section", "Date", "Person"]
    assert len(rows) == 1 + sum(len(v) for v in found.values())
    assert any(row[2] == "Bea Direct2" and "Nobody came" in row[6] for row in rows)
    looks = _audits(db_session, "report.viewed_exceptions")
    assert [(e.actor_id, e.object_id, e.detail["format"]) for e in looks] == [
        (officer.id, str(council.id), "page"), (officer.id, str(council.id), "csv")]
    assert looks[0].detail["lines"] == len(rows) - 1
