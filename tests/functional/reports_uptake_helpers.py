"""Known data sets for the take-up and outcomes reports, and an attacker that tries
to work hidden figures out from the shown ones.

Rows are inserted directly (no ledger, no e-mail), committed, so the HTTP tests see
them too. The attacker is independent of the reports' own suppression code: it
searches every assignment of whole numbers (at least 1: zeros are always shown)
to the hidden cells that agrees with every sum the shown figures obey, and reports
a hidden cell that has the same value in all of them."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from catalogue.taxonomy import Outcome
from marketplace.accounts import services as accounts
from marketplace.accounts.roles import Role
from marketplace.budgets.enums import BudgetKind, BudgetStatus, HoldingMethod
from marketplace.budgets.models import Budget, BudgetHolding
from marketplace.budgets.plans.models import (
    PlanOutcome,
    PlanReview,
    PlanReviewResult,
    PlanSpendLine,
    PlanStatus,
    ReviewResult,
    SupportPlan,
    SupportPlanVersion,
)
from marketplace.reports.filters import ReportFilters

YEAR = (date(2026, 4, 1), date(2027, 3, 31))


def filters_for(council, starts_on: date, ends_on: date, **extra) -> ReportFilters:
    return ReportFilters(council_id=council.id, council_name=council.name,
                         starts_on=starts_on, ends_on=ends_on, **extra)


def query(council, starts_on: date, ends_on: date, **extra) -> str:
    """The query string of the report page for these filters."""
    args = [f"council={council.id}",
            f"start={starts_on.day}&start={starts_on.month}&start={starts_on.year}",
            f"end={ends_on.day}&end={ends_on.month}&end={ends_on.year}"]
    args += [f"{key}={value}" for key, value in extra.items()]
    return "&".join(args)


def build(app, session, slug: str, filters: ReportFilters):
    from marketplace.reports.registry import REPORTS

    with app.test_request_context("/"):
        return REPORTS[slug].build(session, filters)


_COUNTER = {"n": 0}


def holder(session, council, postcode: str | None = "HA1 2AB"):
    """A budget holder of the council (no password to hash: it is never used)."""
    _COUNTER["n"] += 1
    person = accounts.create_user(
        session, email=f"uptake{_COUNTER['n']}@example.org",
        full_name=f"Uptake Person {_COUNTER['n']}", password="", password_hash="unused",
        roles=[(Role.BUDGET_HOLDER, council.id)])
    person.postcode = postcode
    session.flush()
    return person


def budget(session, person, council, period=YEAR, *, agreed=True, holdings=None,
           group=None, born=None, kind=BudgetKind.PERSONAL_BUDGET, status=None) -> Budget:
    """An agreed (or indicative) £10,000 budget held as ``holdings`` [(method, pence)]."""
    holdings = holdings or [(HoldingMethod.DIRECT_PAYMENT, 1_000_000)]
    amount = sum(pence for _m, pence in holdings)
    row = Budget(holder_id=person.id, council_id=council.id, kind=kind, name="Budget",
                 period_starts_on=period[0], period_ends_on=period[1],
                 indicative_pence=amount, agreed_pence=amount if agreed else None,
                 status=status or (BudgetStatus.AGREED if agreed else BudgetStatus.INDICATIVE),
                 client_group=group, birth_year=born)
    for method, pence in holdings:
        row.holdings.append(BudgetHolding(
            method=method, amount_pence=pence,
            organisation_name="Minders Ltd" if method is HoldingMethod.MANAGED_ACCOUNT else None))
    session.add(row)
    session.flush()
    return row


def plan(session, person, council, officer, domains, *, categories=("pa-everyday-support",)):
    """An agreed plan with one outcome per domain, each with spend in ``categories``."""
    plan_row = SupportPlan(holder_id=person.id, council_id=council.id, title="My plan",
                           status=PlanStatus.AGREED, agreed_on=date(2026, 1, 5))
    version = SupportPlanVersion(number=1, status=PlanStatus.AGREED, created_by_id=officer.id)
    for domain in domains:
        outcome = PlanOutcome(domain=domain, what_i_want="Text about me",
                              what_i_will_do="More text")
        outcome.spend_lines = [PlanSpendLine(category=c, amount_pence=10_000)
                               for c in categories]
        version.outcomes.append(outcome)
    plan_row.versions.append(version)
    session.add(plan_row)
    session.flush()
    return plan_row


def review(session, plan_row, officer, on: date, results: dict[Outcome, ReviewResult]):
    row = PlanReview(plan=plan_row, version_id=plan_row.versions[-1].id, reviewed_on=on,
                     reviewed_by_id=officer.id, notes="Private notes about the person",
                     next_review_on=on + timedelta(days=365),
                     results=[PlanReviewResult(domain=d, result=r) for d, r in results.items()])
    session.add(row)
    session.flush()
    return row


def csv_table(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def recoverable(values: dict, hidden: set, equations: list, upper: int, may_be_zero=()):
    """(cell, value) of a hidden cell that every consistent assignment agrees on, or
    None. ``values`` are the true figures (only the shown ones are used),
    ``equations`` lists of (cell, +1/-1) adding up to 0, hidden values in 1..upper
    (0..upper for the cells in ``may_be_zero``: shares hidden with their row)."""
    unknown = sorted(hidden, key=repr)
    if not unknown:
        return None
    eqs = [[(c, k) for c, k in eq] for eq in equations]
    seen: dict = {cell: set() for cell in unknown}
    lowest = {cell: 0 if cell in may_be_zero else 1 for cell in unknown}
    assignment: dict = {}

    def value(cell):
        return assignment.get(cell) if cell in hidden else values[cell]

    def consistent() -> bool:
        for eq in eqs:
            known = [k * value(c) for c, k in eq if value(c) is not None]
            free = [(c, k) for c, k in eq if value(c) is None]
            total = sum(known)
            low = total + sum(k * (lowest[c] if k > 0 else upper) for c, k in free)
            high = total + sum(k * (upper if k > 0 else lowest[c]) for c, k in free)
            if not low <= 0 <= high:
                return False
        return True

    def search(i: int) -> bool:
        """False once every hidden cell has been seen with two values (stop early)."""
        if i == len(unknown):
            for cell in unknown:
                seen[cell].add(assignment[cell])
            return any(len(v) < 2 for v in seen.values())
        for guess in range(lowest[unknown[i]], upper + 1):
            assignment[unknown[i]] = guess
            if consistent() and not search(i + 1):
                return False
        del assignment[unknown[i]]
        return True

    search(0)
    assert all(seen.values()), "no assignment fits: the equations do not hold"
    for cell in unknown:
        if len(seen[cell]) == 1 and seen[cell] != {0}:  # zeros are shown anyway
            return cell, seen[cell].pop()
    return None
