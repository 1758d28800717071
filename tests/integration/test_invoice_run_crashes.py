"""A run that crashes at any step, then runs again, leaves exactly what a clean run
leaves: the same invoices with the same numbers (no gaps), lines and ledger."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.accounts.roles import Role
from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing import runs
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.terms import InvoiceNumberCounter
from marketplace.ledger import services as ledger
from tests.invoicing_helpers import MAY, TODAY, days, held_budget, make_order, make_shop, make_user


class Crash(Exception):
    pass


def _world(session, council, tag):
    """Two providers; the first bills a council (with the person's contribution), a
    managed account and an ISF; the second a direct payment and a self-funder."""
    person = make_user(session, Role.BUDGET_HOLDER, council=council, name=f"Person {tag}")
    p1, s1 = make_shop(session, name=f"{tag} Care One", price_pence=2000)
    p2, s2 = make_shop(session, name=f"{tag} Care Two", price_pence=1500)
    visits = days(*MAY)
    budgets = {
        "council": held_budget(session, person, council, HoldingMethod.COUNCIL_MANAGED),
        "managed": held_budget(session, person, council, HoldingMethod.MANAGED_ACCOUNT,
                               organisation="Minders Ltd"),
        "isf": held_budget(session, person, council, HoldingMethod.INDIVIDUAL_SERVICE_FUND,
                           provider=p1),
        "direct": held_budget(session, person, council, HoldingMethod.DIRECT_PAYMENT),
    }
    make_order(session, person, p1, s1, budgets["council"], visits=visits,
               contribution_pence=4000)
    make_order(session, person, p1, s1, budgets["managed"], visits=visits[:3])
    make_order(session, person, p1, s1, budgets["isf"], visits=visits[2:5])
    make_order(session, person, p2, s2, budgets["direct"], visits=visits)
    make_order(session, person, p2, s2, None, visits=visits[:2])
    return {"p1": p1, "p2": p2}, budgets


def _snapshot(session, providers, budgets):
    names = {p.id: key for key, p in providers.items()}
    invoices = session.scalars(select(Invoice).where(Invoice.provider_id.in_(names))).all()
    documents = sorted(
        (names[i.provider_id], i.series, i.number, i.kind.value, i.payer_kind.value,
         i.share.value, i.status.value, i.net_pence, i.vat_pence, i.gross_pence,
         tuple(sorted((line.occurred_on, line.share.value, line.gross_pence)
                      for line in i.lines)))
        for i in invoices)
    counters = sorted((names[c.provider_id], c.series, c.last_number) for c in session.scalars(
        select(InvoiceNumberCounter).where(InvoiceNumberCounter.provider_id.in_(names))))
    money = {key: ledger.balances(session, b) for key, b in budgets.items()}
    return documents, counters, money


STEPS = ([("locked", 1), ("locked", 2), ("grouped", 1), ("grouped", 2), ("drawn", 1),
          ("flushed", 1), ("flushed", 2)]
         + [("numbered", k) for k in range(1, 7)]
         + [("invoice_created", k) for k in range(1, 7)])


@pytest.mark.parametrize(("step", "occurrence"), STEPS)
def test_a_crash_at_any_step_then_a_rerun_equals_a_clean_run(db_session, council, monkeypatch,
                                                             step, occurrence):
    seen = {"n": 0, "crashed": False}

    def crash_at(name):
        if name == step and not seen["crashed"]:
            seen["n"] += 1
            if seen["n"] == occurrence:
                seen["crashed"] = True
                raise Crash(name)

    providers, budgets = _world(db_session, council, "Crashy")
    monkeypatch.setattr(runs, "checkpoint", crash_at)
    with pytest.raises(Crash):
        runs.run_due(db_session, until=TODAY, today=TODAY)
    db_session.rollback()
    monkeypatch.setattr(runs, "checkpoint", lambda name: None)
    again = runs.run_due(db_session, until=TODAY, today=TODAY)
    assert not again.failures
    crashed = _snapshot(db_session, providers, budgets)

    clean_providers, clean_budgets = _world(db_session, council, "Clean")
    clean = runs.run_due(db_session, until=TODAY, today=TODAY)
    assert clean.count == 6
    expected = _snapshot(db_session, clean_providers, clean_budgets)
    assert seen["crashed"]
    assert crashed == expected
    # And no gaps: each provider's invoice numbers are 1..n.
    for key in ("p1", "p2"):
        numbers = sorted(d[2] for d in crashed[0] if d[0] == key and d[1] == "invoice")
        assert numbers == list(range(1, len(numbers) + 1))
    assert runs.run_due(db_session, until=TODAY, today=TODAY).count == 0
