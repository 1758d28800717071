"""The budget ledger: the allocation (spending power) and cash received kept apart,
movements, balances, idempotency, refusals that change nothing, and append-only rows
(in the code everywhere, and in PostgreSQL itself)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from catalogue.taxonomy import FundingStream
from marketplace.accounts.roles import Role
from marketplace.budgets import services as budgets
from marketplace.budgets.enums import HoldingMethod
from marketplace.ledger import services as ledger
from marketplace.ledger.errors import InsufficientFunds, LedgerError, PostedEntryError
from marketplace.ledger.models import LedgerAccount, LedgerLeg, LedgerTransfer, TransferKind
from tests.budget_helpers import PERIOD, make_budget

ASC, SP = FundingStream.ADULT_SOCIAL_CARE, FundingStream.SUPPORTING_PEOPLE
DAY = date(2026, 5, 1)


@pytest.fixture()
def holder(make_user):
    return make_user(Role.BUDGET_HOLDER, name="Ledger Holder")


@pytest.fixture()
def budget(db_session, holder, council):
    """£12,000 a year, agreed: £10,000 adult social care and £2,000 Supporting People,
    with £1,000 and £200 of cash paid in."""
    return make_budget(db_session, holder, council, amount=1_200_000,
                       streams={ASC: 1_000_000, SP: 200_000}, paid_in=120_000)


def _count(session) -> int:
    return session.scalar(select(func.count(LedgerTransfer.id)))


def test_each_movement_moves_money_between_the_right_accounts(db_session, budget):
    # What may be committed is the allocation; the instalments are cash received.
    assert ledger.balances(db_session, budget) == ledger.Balances(
        received_pence=120_000, available_pence=1_200_000, instalments_pence=120_000,
        allocated_pence=1_200_000)
    ledger.record_contribution(db_session, budget, 5_000, received_on=DAY, key="c1")
    ledger.commit(db_session, budget, 40_000, stream=ASC, key="o1", reference="order:1",
                  provider_id=None, category="getting-up-and-dressed", on=DAY)
    ledger.release(db_session, budget, 10_000, stream=ASC, key="r1", reference="order:1",
                   on=DAY)
    ledger.settle(db_session, budget, 30_000, stream=ASC, key="s1", reference="order:1",
                  on=DAY)
    ledger.refund(db_session, budget, 2_500, stream=ASC, key="f1", reference="order:1",
                  on=DAY)
    figures = ledger.balances(db_session, budget)
    assert figures.received_pence == 125_000
    assert figures.contributions_pence == 5_000
    assert figures.instalments_pence == 120_000
    assert figures.committed_pence == 0
    assert figures.spent_pence == 27_500
    assert figures.allocated_pence == 1_200_000
    assert figures.available_pence == 1_172_500
    assert figures.cash_pence == 97_500  # received less spent
    assert ledger.balances(db_session, budget, stream=SP).available_pence == 200_000
    assert ledger.check_invariants(db_session, budget) == []


def test_balances_as_at_a_date_and_opening_balances(db_session, budget):
    ledger.commit(db_session, budget, 1_000, stream=ASC, key="a", reference="order:2",
                  on=date(2026, 6, 10))
    ledger.settle(db_session, budget, 1_000, stream=ASC, key="b", reference="order:2",
                  on=date(2026, 7, 1))
    assert ledger.balances(db_session, budget, on=date(2026, 6, 30)).committed_pence == 1_000
    assert ledger.opening_balances(db_session, budget, date(2026, 7, 1)).spent_pence == 0
    assert ledger.opening_balances(db_session, budget, date(2026, 7, 2)).spent_pence == 1_000
    june = ledger.transfers(db_session, budget, date(2026, 6, 1), date(2026, 6, 30))
    assert [t.kind for t in june] == [TransferKind.COMMITMENT]
    by_stream = ledger.balances_by_stream(db_session, budget)
    assert set(by_stream) == {ASC, SP}
    assert ledger.balances_for_budgets(db_session, [budget.id])[budget.id] == \
        ledger.balances(db_session, budget)


def test_the_same_key_posts_once_and_returns_the_first_transfer(db_session, budget):
    first = ledger.commit(db_session, budget, 5_000, stream=ASC, key="same",
                          reference="order:3", on=DAY)
    before = _count(db_session)
    again = ledger.commit(db_session, budget, 5_000, stream=ASC, key="same",
                          reference="order:3", on=DAY)
    assert again.id == first.id
    assert _count(db_session) == before
    with pytest.raises(LedgerError, match="already used for a different"):
        ledger.commit(db_session, budget, 6_000, stream=ASC, key="same", reference="order:3")
    assert ledger.balances(db_session, budget).committed_pence == 5_000


def test_spending_more_than_is_available_is_refused_and_changes_nothing(db_session, budget):
    before = _count(db_session)
    with pytest.raises(InsufficientFunds, match="not enough money available"):
        ledger.commit(db_session, budget, 1_000_001, stream=ASC, key="big",
                      reference="order:4", on=DAY)
    # Each stream's money is its own: Supporting People has only £2,000.
    with pytest.raises(InsufficientFunds):
        ledger.commit(db_session, budget, 200_001, stream=SP, key="sp", reference="order:5",
                      on=DAY)
    assert _count(db_session) == before
    assert ledger.balances(db_session, budget).available_pence == 1_200_000


@pytest.mark.parametrize(("amount", "message"), [
    (0, "more than £0.00"), (-500, "more than £0.00"), (10**12, "or less"),
    (12.5, "whole number"), (True, "whole number"),
])
def test_bad_amounts_are_refused_with_a_clear_message(db_session, budget, amount, message):
    before = _count(db_session)
    for call in (
        lambda: ledger.commit(db_session, budget, amount, stream=ASC, key="k",
                              reference="order:6", on=DAY),
        lambda: ledger.record_instalment(db_session, budget, amount, stream=ASC,
                                         received_on=DAY, key="k2"),
        lambda: ledger.refund(db_session, budget, amount, stream=ASC, key="k3",
                              reference="r", on=DAY),
    ):
        with pytest.raises(LedgerError, match=message):
            call()
    assert _count(db_session) == before


def test_dates_outside_the_period_streams_not_in_the_budget_and_overpayment_are_refused(
        db_session, budget):
    before = _count(db_session)
    with pytest.raises(LedgerError, match="within the budget's period"):
        ledger.record_instalment(db_session, budget, 100, stream=ASC,
                                 received_on=date(2027, 4, 1), key="late")
    with pytest.raises(LedgerError, match="within the budget's period"):
        ledger.commit(db_session, budget, 100, stream=ASC, key="early", reference="o",
                      on=date(2026, 3, 31))
    with pytest.raises(LedgerError, match="no Access to Work funding"):
        ledger.commit(db_session, budget, 100, stream=FundingStream.ACCESS_TO_WORK,
                      key="atw", reference="o", on=DAY)
    with pytest.raises(LedgerError, match="more than that stream's share"):
        ledger.record_instalment(db_session, budget, 180_001, stream=SP, received_on=DAY,
                                 key="too-much")
    with pytest.raises(LedgerError, match="category of support"):
        ledger.commit(db_session, budget, 100, stream=ASC, key="cat", reference="o",
                      category="no-such-thing", on=DAY)
    assert _count(db_session) == before


def test_releases_and_settlements_are_limited_to_what_is_set_aside_for_the_reference(
        db_session, budget):
    ledger.commit(db_session, budget, 5_000, stream=ASC, key="c", reference="order:7",
                  on=DAY)
    ledger.commit(db_session, budget, 5_000, stream=ASC, key="d", reference="order:8",
                  on=DAY)
    with pytest.raises(LedgerError, match="Only £50.00 is set aside for order:7"):
        ledger.release(db_session, budget, 6_000, stream=ASC, key="r", reference="order:7",
                       on=DAY)
    with pytest.raises(LedgerError, match="Only £0.00 is set aside for order:9"):
        ledger.settle(db_session, budget, 100, stream=ASC, key="s", reference="order:9",
                      on=DAY)
    with pytest.raises(LedgerError, match="more than has been spent"):
        ledger.refund(db_session, budget, 100, stream=ASC, key="f", reference="order:7",
                      on=DAY)


def test_an_invoice_below_the_commitment_releases_the_difference_visibly(db_session, budget):
    ledger.commit(db_session, budget, 10_000, stream=ASC, key="c", reference="order:10",
                  on=DAY)
    paid = ledger.settle(db_session, budget, 8_000, stream=ASC, key="s", reference="invoice:1",
                         commitment_reference="order:10", committed_pence=10_000, on=DAY)
    assert paid.leg(LedgerAccount.AVAILABLE) == 2_000
    assert "£20.00 set aside but not invoiced was released" in paid.description
    figures = ledger.balances(db_session, budget)
    assert (figures.committed_pence, figures.spent_pence, figures.available_pence) == (
        0, 8_000, 1_192_000)


def test_an_invoice_above_the_commitment_draws_the_difference_or_is_refused(
        db_session, budget):
    ledger.commit(db_session, budget, 10_000, stream=ASC, key="c", reference="order:11",
                  on=DAY)
    paid = ledger.settle(db_session, budget, 12_000, stream=ASC, key="s",
                         reference="order:11", committed_pence=10_000, on=DAY)
    assert paid.leg(LedgerAccount.AVAILABLE) == -2_000
    assert "more than was set aside" in paid.description
    ledger.commit(db_session, budget, 10_000, stream=SP, key="c2", reference="order:12",
                  on=DAY)
    # Supporting People has £1,900 still available and £100 set aside: £2,000.01 is
    # a penny too much.
    with pytest.raises(InsufficientFunds):
        ledger.settle(db_session, budget, 200_001, stream=SP, key="s2", reference="order:12",
                      committed_pence=10_000, on=DAY)
    assert ledger.balances(db_session, budget, stream=SP).committed_pence == 10_000


def test_a_correction_reverses_a_transfer_once_with_its_reason(db_session, budget, make_user):
    officer = make_user(Role.FINANCE_OFFICER)
    wrong = ledger.commit(db_session, budget, 7_000, stream=ASC, key="c",
                          reference="order:13", on=DAY)
    fix = ledger.correct(db_session, wrong, reason="Entered twice", actor=officer, key="x1",
                         on=DAY)
    assert fix.kind is TransferKind.CORRECTION and fix.reverses_id == wrong.id
    assert fix.description == "Entered twice" and fix.created_by_id == officer.id
    assert {(leg.account, leg.amount_pence) for leg in fix.legs} == {
        (LedgerAccount.COMMITTED, -7_000), (LedgerAccount.AVAILABLE, 7_000)}
    assert ledger.balances(db_session, budget).committed_pence == 0
    assert ledger.correct(db_session, wrong, reason="Entered twice", actor=officer,
                          key="x1").id == fix.id
    with pytest.raises(LedgerError, match="already corrected"):
        ledger.correct(db_session, wrong, reason="Again", actor=officer, key="x2")
    with pytest.raises(LedgerError, match="cannot be reversed"):
        ledger.correct(db_session, fix, reason="Undo", actor=officer, key="x3")
    with pytest.raises(LedgerError, match="reason"):
        ledger.correct(db_session, budget_transfer(db_session, budget), reason="  ",
                       actor=officer, key="x4")


def budget_transfer(session, budget) -> LedgerTransfer:
    return session.scalars(select(LedgerTransfer).where(
        LedgerTransfer.budget_id == budget.id).order_by(LedgerTransfer.id)).first()


def test_a_correction_that_would_leave_a_negative_balance_is_refused(db_session, budget,
                                                                     make_user):
    finance = make_user(Role.FINANCE_OFFICER)
    booked = ledger.commit(db_session, budget, 90_000, stream=ASC, key="c",
                           reference="order:14", on=DAY)
    ledger.settle(db_session, budget, 90_000, stream=ASC, key="s", reference="order:14",
                  on=DAY)
    before = _count(db_session)
    with pytest.raises(LedgerError, match="more than the money set aside"):
        ledger.correct(db_session, booked, reason="Booked twice", actor=finance, key="x")
    assert _count(db_session) == before


def test_correcting_an_instalment_changes_the_cash_not_what_is_available(db_session, budget,
                                                                         make_user):
    paid_in = ledger.transfers(db_session, budget, stream=ASC)[-1]
    assert paid_in.kind is TransferKind.INSTALMENT
    ledger.commit(db_session, budget, 900_000, stream=ASC, key="c", reference="order:15",
                  on=DAY)
    fix = ledger.correct(db_session, paid_in, reason="Paid to the wrong person",
                         actor=make_user(Role.FINANCE_OFFICER), key="x")
    assert fix.signed_received_pence == -100_000 and fix.signed_available_pence == 0
    figures = ledger.balances(db_session, budget)
    assert (figures.received_pence, figures.available_pence) == (20_000, 300_000)
    assert ledger.check_invariants(db_session, budget) == []


def test_an_allocation_is_not_corrected_by_a_reversing_entry(db_session, budget, make_user):
    allocation = budget_transfer(db_session, budget)
    assert allocation.kind is TransferKind.ALLOCATION
    before = _count(db_session)
    with pytest.raises(LedgerError, match="change the budget's agreed amount"):
        ledger.correct(db_session, allocation, reason="Wrong amount",
                       actor=make_user(Role.FINANCE_OFFICER), key="x")
    assert _count(db_session) == before


# --- the allocation is the spending power; instalments are cash --------------------

def _allocations(session, budget) -> list[tuple[FundingStream, int, int]]:
    """(stream, amount, change to available) of each allocation transfer, in order."""
    return [(t.stream, t.amount_pence, t.signed_available_pence)
            for t in ledger.transfers(session, budget) if t.kind is TransferKind.ALLOCATION]


def test_agreeing_posts_the_allocation_by_stream_and_a_change_only_the_difference(
        db_session, holder, council):
    budget = make_budget(db_session, holder, council, amount=1_200_000, agreed=False,
                         streams={ASC: 1_000_000, SP: 200_000})
    assert ledger.transfers(db_session, budget) == []  # nothing before it is agreed
    budgets.agree_allocation(db_session, budget, 1_200_000)
    assert _allocations(db_session, budget) == [(ASC, 1_000_000, 1_000_000),
                                                (SP, 200_000, 200_000)]
    first = ledger.transfers(db_session, budget)
    assert {t.effective_on for t in first} == {PERIOD[0]}  # for the whole period
    assert all(t.leg(LedgerAccount.FUNDER) == -t.amount_pence for t in first)
    # Agreeing the same again posts nothing.
    budgets.agree_allocation(db_session, budget, 1_200_000)
    assert len(_allocations(db_session, budget)) == 2
    # £1,500 more, to adult social care only: one transfer of the difference.
    budgets.agree_allocation(db_session, budget, 1_350_000,
                             streams={ASC: 1_150_000, SP: 200_000}, on=DAY)
    assert _allocations(db_session, budget)[2:] == [(ASC, 150_000, 150_000)]
    # A reduction takes money back out of available.
    budgets.agree_allocation(db_session, budget, 1_300_000,
                             streams={ASC: 1_150_000, SP: 150_000}, on=DAY)
    assert _allocations(db_session, budget)[3:] == [(SP, 50_000, -50_000)]
    figures = ledger.balances_by_stream(db_session, budget)
    assert (figures[ASC].allocated_pence, figures[SP].allocated_pence) == (1_150_000, 150_000)
    assert ledger.balances(db_session, budget).available_pence == 1_300_000
    assert ledger.check_invariants(db_session, budget) == []


def test_a_reduction_below_what_is_set_aside_and_spent_is_refused_per_stream(
        db_session, budget):
    ledger.commit(db_session, budget, 150_000, stream=SP, key="c", reference="order:16",
                  on=DAY)
    ledger.settle(db_session, budget, 20_000, stream=SP, key="s", reference="order:16",
                  committed_pence=20_000, on=DAY)
    before = _count(db_session)
    with pytest.raises(budgets.BudgetError,
                       match="Supporting People share cannot be less than £1,500.00"):
        budgets.agree_allocation(db_session, budget, 1_200_000,
                                 streams={ASC: 1_060_000, SP: 140_000})
    with pytest.raises(budgets.BudgetError, match="cannot be less than £1,500.00"):
        budgets.set_streams(db_session, budget, {ASC: 1_060_000, SP: 140_000})
    # The ledger refuses it too, whoever calls it.
    with pytest.raises(LedgerError, match="cannot be less than £1,500.00"):
        ledger.allocate(db_session, budget, {ASC: 1_000_000, SP: 149_999})
    assert _count(db_session) == before
    # Down to exactly what is used is fine, and moving the rest to another stream.
    budgets.set_streams(db_session, budget, {ASC: 1_050_000, SP: 150_000})
    assert ledger.balances(db_session, budget, stream=SP).available_pence == 0
    assert ledger.balances(db_session, budget, stream=ASC).available_pence == 1_050_000
    assert ledger.check_invariants(db_session, budget) == []


def test_a_stream_with_only_its_allocation_can_be_dropped(db_session, holder, council):
    budget = make_budget(db_session, holder, council, amount=1_200_000,
                         streams={ASC: 1_000_000, SP: 200_000})
    budgets.agree_allocation(db_session, budget, 1_200_000, streams={ASC: 1_200_000})
    figures = ledger.balances_by_stream(db_session, budget)
    assert figures[SP].allocated_pence == 0 and figures[ASC].allocated_pence == 1_200_000
    assert ledger.check_invariants(db_session, budget) == []


def test_instalments_and_contributions_are_cash_and_never_add_to_what_is_available(
        db_session, budget):
    before = ledger.balances(db_session, budget)
    paid = ledger.record_instalment(db_session, budget, 92_308, stream=ASC, received_on=DAY,
                                    key="i")
    own = ledger.record_contribution(db_session, budget, 7_360, received_on=DAY, key="o")
    for transfer in (paid, own):
        assert transfer.signed_available_pence == 0
        assert transfer.signed_received_pence == transfer.amount_pence
    after = ledger.balances(db_session, budget)
    assert after.available_pence == before.available_pence == 1_200_000
    assert (after.instalments_pence, after.contributions_pence, after.received_pence) == (
        212_308, 7_360, 219_668)
    # The instalment cap stays: never more cash paid in than the allocation.
    with pytest.raises(LedgerError, match="more than the budget of £12,000.00"):
        ledger.record_instalment(db_session, budget, 1_000_000, stream=ASC,
                                 received_on=DAY, key="too-much")


def test_a_council_managed_budget_with_no_cash_can_buy_a_years_care(db_session, holder,
                                                                    council):
    """Nobody is paid anything for a council-managed budget; a recurring package is
    committed to the end of the period against the allocation."""
    budget = make_budget(db_session, holder, council, amount=1_800_000, holdings=[
        budgets.HoldingSpec(HoldingMethod.COUNCIL_MANAGED, 1_800_000)])
    assert ledger.balances(db_session, budget).received_pence == 0
    # 10 hours a week at £22.00 from 1 May to 31 March: 48 weeks, £10,560.00.
    ledger.commit(db_session, budget, 1_056_000, stream=ASC, key="package",
                  reference="order:20", category="getting-up-and-dressed", on=DAY)
    figures = ledger.balances(db_session, budget)
    assert (figures.committed_pence, figures.available_pence) == (1_056_000, 744_000)
    with pytest.raises(InsufficientFunds):
        ledger.commit(db_session, budget, 744_001, stream=ASC, key="more",
                      reference="order:21", on=DAY)
    assert ledger.check_invariants(db_session, budget) == []


def test_a_direct_payment_with_one_instalment_can_commit_to_the_year_end(
        db_session, holder, council):
    budget = make_budget(db_session, holder, council, amount=1_300_000, paid_in=100_000)
    ledger.commit(db_session, budget, 1_100_000, stream=ASC, key="package",
                  reference="order:22", on=DAY)
    figures = ledger.balances(db_session, budget)
    assert (figures.received_pence, figures.committed_pence, figures.available_pence) == (
        100_000, 1_100_000, 200_000)


def test_closing_a_budget_posts_nothing_and_keeps_what_is_set_aside(db_session, budget):
    ledger.commit(db_session, budget, 50_000, stream=ASC, key="c", reference="order:23",
                  on=DAY)
    before, count = ledger.balances(db_session, budget), _count(db_session)
    budgets.close_budget(db_session, budget)
    assert _count(db_session) == count
    assert ledger.balances(db_session, budget) == before
    with pytest.raises(LedgerError, match="closed"):
        ledger.commit(db_session, budget, 100, stream=ASC, key="c2", reference="order:24",
                      on=DAY)
    with pytest.raises(LedgerError, match="closed"):
        ledger.allocate(db_session, budget, {ASC: 0, SP: 0})
    with pytest.raises(budgets.BudgetError, match="closed"):
        budgets.agree_allocation(db_session, budget, 100_000)
    # A late invoice is still paid from what was set aside.
    ledger.settle(db_session, budget, 50_000, stream=ASC, key="s", reference="order:23",
                  on=date(2027, 4, 20))
    assert ledger.balances(db_session, budget).committed_pence == 0
    assert ledger.check_invariants(db_session, budget) == []


def test_unbalanced_entries_are_refused_by_the_code(db_session, budget):
    with pytest.raises(LedgerError, match="must balance"):
        ledger._post(db_session, budget, TransferKind.CORRECTION, 100, stream=ASC,
                     effective_on=DAY, key="unbalanced",
                     legs=[(LedgerAccount.AVAILABLE, 100), (LedgerAccount.FUNDER, -99)])
    assert ledger.find_transfer(db_session, "unbalanced") is None


def test_posted_rows_cannot_be_changed_or_deleted_through_the_code(db_session, budget):
    transfer = budget_transfer(db_session, budget)
    transfer.amount_pence = 1
    with pytest.raises(PostedEntryError):
        db_session.flush()
    db_session.rollback()
    leg = db_session.get(LedgerLeg, transfer.legs[0].id)
    leg.amount_pence = 5
    with pytest.raises(PostedEntryError):
        db_session.flush()
    db_session.rollback()
    db_session.delete(db_session.get(LedgerLeg, leg.id))
    with pytest.raises(PostedEntryError):
        db_session.flush()
    db_session.rollback()
    with pytest.raises(PostedEntryError):
        db_session.execute(update(LedgerLeg).values(amount_pence=0))
    with pytest.raises(PostedEntryError):
        db_session.execute(delete(LedgerTransfer))
    posted = db_session.get(LedgerTransfer, transfer.id)
    posted.legs.append(LedgerLeg(account=LedgerAccount.AVAILABLE, amount_pence=1))
    with pytest.raises(PostedEntryError):
        db_session.flush()
    db_session.rollback()
    assert ledger.check_invariants(db_session, budget) == []
    assert ledger.balances(db_session, budget).received_pence == 120_000


# --- PostgreSQL enforces the same in the database ------------------------------

@pytest.fixture()
def postgres(is_postgres):
    if not is_postgres:
        pytest.skip("PostgreSQL-only: SQLite has no triggers of this kind; the code-level "
                    "guards above cover it")


def _refused_by_database(session, sql: str, params=None, immediate: bool = False) -> str:
    """Run raw SQL statements (separated by ';') in a savepoint; return the database's
    error message."""
    nested = session.begin_nested()
    try:
        for statement in sql.split(";"):
            session.connection().execute(text(statement), params or {})
        if immediate:
            session.connection().execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    except DBAPIError as exc:
        nested.rollback()
        return str(exc.orig)
    nested.rollback()
    raise AssertionError(f"the database accepted: {sql}")


@pytest.mark.postgres_only
def test_postgres_refuses_updates_and_deletes_of_posted_rows(db_session, budget, postgres):
    transfer = budget_transfer(db_session, budget)
    # Check the pending deferred triggers now, as a commit would (TRUNCATE refuses to
    # run while any are pending, which would hide what this test is about).
    db_session.connection().execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    for sql in ("UPDATE ledger_legs SET amount_pence = amount_pence * 2",
                "DELETE FROM ledger_legs",
                "UPDATE ledger_transfers SET description = 'changed'",
                "DELETE FROM ledger_transfers WHERE id = :id",
                "TRUNCATE ledger_legs, ledger_transfers CASCADE"):
        assert "append-only" in _refused_by_database(db_session, sql, {"id": transfer.id})
    assert ledger.check_invariants(db_session, budget) == []


@pytest.mark.postgres_only
def test_postgres_refuses_unbalanced_transfers_and_negative_balances(db_session, budget,
                                                                     postgres):
    header = ("INSERT INTO ledger_transfers (id, budget_id, kind, amount_pence, effective_on, "
              "stream, description, idempotency_key, created_at) VALUES (:id, :budget, "
              "'instalment', 100, '2026-05-01', 'adult_social_care', '', :key, now())")
    params = {"budget": budget.id, "id": 900_001, "key": "raw-1"}
    unbalanced = header + "; INSERT INTO ledger_legs (transfer_id, account, amount_pence) " \
        "VALUES (900001, 'available', 100), (900001, 'funder', -99)"
    assert "unbalanced" in _refused_by_database(db_session, unbalanced, params, immediate=True)
    no_legs = header
    assert "unbalanced" in _refused_by_database(db_session, no_legs, params, immediate=True)
    overspend = header + "; INSERT INTO ledger_legs (transfer_id, account, amount_pence) " \
        "VALUES (900001, 'committed', 100000000), (900001, 'available', -100000000)"
    assert "negative" in _refused_by_database(db_session, overspend, params, immediate=True)
    unpaid = header + "; INSERT INTO ledger_legs (transfer_id, account, amount_pence) " \
        "VALUES (900001, 'received', -100000000), (900001, 'funder', 100000000)"
    assert "received balance would be negative" in _refused_by_database(
        db_session, unpaid, params, immediate=True)
    # A balanced one, posted by the services, passes the same deferred checks.
    ledger.commit(db_session, budget, 100, stream=ASC, key="ok", reference="o", on=DAY)
    db_session.connection().execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    assert ledger.check_invariants(db_session, budget) == []


def test_the_period_is_the_financial_year(budget):
    assert (budget.period_starts_on, budget.period_ends_on) == PERIOD


@pytest.mark.parametrize(("shares", "message"), [
    ({ASC: -1, SP: 200_000}, "cannot be negative"),
    ({ASC: 12.5, SP: 200_000}, "whole number"),
    ({ASC: True, SP: 200_000}, "whole number"),
    ({ASC: 10**9, SP: 200_000}, "or less"),
    ({"no-such-stream": 100}, "Choose a funding stream"),
])
def test_bad_allocations_are_refused_and_post_nothing(db_session, budget, shares, message):
    before = _count(db_session)
    with pytest.raises(LedgerError, match=message):
        ledger.allocate(db_session, budget, shares)
    assert _count(db_session) == before


def test_nothing_is_allocated_before_the_budget_is_agreed(db_session, holder, council):
    budget = make_budget(db_session, holder, council, amount=500_000, agreed=False)
    with pytest.raises(LedgerError, match="not agreed yet"):
        ledger.allocate(db_session, budget, {ASC: 500_000})
    assert ledger.balances(db_session, budget) == ledger.Balances()
    assert ledger.check_invariants(db_session, budget) == []
