"""The demo budgets: realistic amounts and holdings, the Okafor family represented by
the demo representative, a few months of sound ledger history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from marketplace.accounts.models import Authority
from marketplace.accounts.services import find_user_by_email
from marketplace.budgets.demo import demo_period
from marketplace.budgets.enums import BudgetKind, BudgetStatus, HoldingMethod
from marketplace.budgets.models import Budget
from marketplace.demo import seed
from marketplace.ledger import services as ledger
from marketplace.ledger.models import TransferKind

TODAY = date(2026, 9, 20)


def test_demo_budgets_are_realistic_and_their_ledgers_sound(app, db_session):
    with app.app_context():
        seed(db_session, today=TODAY)
        db_session.commit()
        budgets = db_session.scalars(select(Budget)).all()
        assert len(budgets) >= 33
        assert all(400_000 <= b.allocation_pence <= 4_000_000 for b in budgets)
        methods = {h.method for b in budgets for h in b.holdings}
        assert methods == set(HoldingMethod)
        assert any(len(b.holdings) > 1 for b in budgets)
        assert any(len(b.streams) > 1 for b in budgets)
        assert {b.status for b in budgets} == {BudgetStatus.AGREED, BudgetStatus.INDICATIVE}
        margaret = find_user_by_email(db_session, "holder@ashdown.example")
        assert len([b for b in budgets if b.holder_id == margaret.id]) == 2
        # The family: a mother's adult budget and two children's budgets, all three
        # people represented by rep@ashdown.example.
        sarah = find_user_by_email(db_session, "rep@ashdown.example")
        family = [find_user_by_email(db_session, f"{n}.okafor@ashdown.example")
                  for n in ("joy", "tobi", "ada")]
        represented = set(db_session.scalars(select(Authority.holder_id).where(
            Authority.representative_id == sarah.id)))
        assert {p.id for p in family} <= represented
        kinds = [b.kind for b in budgets if b.holder_id in {p.id for p in family}]
        assert sorted(kinds) == sorted([BudgetKind.PERSONAL_BUDGET,
                                        BudgetKind.CHILDRENS_BUDGET,
                                        BudgetKind.CHILDRENS_BUDGET])
        start, _end = demo_period(TODAY)
        for budget in budgets:
            assert ledger.check_invariants(db_session, budget) == []
            entries = ledger.transfers(db_session, budget)
            if budget.status is BudgetStatus.AGREED:
                kinds_seen = {t.kind for t in entries}
                assert {TransferKind.ALLOCATION, TransferKind.COMMITMENT} <= kinds_seen
                figures = ledger.balances(db_session, budget)
                assert figures.allocated_pence == budget.agreed_pence
                # Cash is paid to someone holding the money, never into a budget the
                # council manages itself.
                paid = any(m is not HoldingMethod.COUNCIL_MANAGED
                           for m in budget.holding_methods)
                assert (TransferKind.INSTALMENT in kinds_seen) == paid
                assert (figures.received_pence > 0) == paid
                if paid:  # the cash statement is never overdrawn
                    assert figures.received_pence >= figures.spent_pence
                assert min(t.effective_on for t in entries) < date(2026, 5, 1)
                # (This module's own history: the ordering demo adds orders of its own.)
                assert all(start <= t.effective_on <= TODAY for t in entries
                           if t.reference is None or t.reference.startswith("historic:"))
            else:
                assert entries == []
        assert any(ledger.balances(db_session, b).spent_pence > 0 for b in budgets)
        council_managed = [b for b in budgets if b.status is BudgetStatus.AGREED and
                           b.holding_methods == [HoldingMethod.COUNCIL_MANAGED]]
        assert council_managed
        assert any(ledger.balances(db_session, b).spent_pence > 0 for b in council_managed)
        assert any(ledger.balances(db_session, b).contributions_pence > 0 for b in budgets)


def test_the_demo_period_always_has_a_few_months_behind_it():
    assert demo_period(date(2026, 9, 20)) == (date(2026, 4, 1), date(2027, 3, 31))
    assert demo_period(date(2026, 5, 2)) == (date(2025, 12, 1), date(2026, 11, 30))
    assert demo_period(date(2027, 1, 15)) == (date(2026, 4, 1), date(2027, 3, 31))
    assert demo_period(date(2026, 2, 10)) == (date(2025, 4, 1), date(2026, 3, 31))
