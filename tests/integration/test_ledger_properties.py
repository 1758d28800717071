"""Property-based: any sequence of allocation changes, instalments, contributions,
commitments, releases, settlements, refunds and corrections keeps every ledger
invariant.

After every step, whether the service accepted it or refused it:
- every transfer balances (its legs sum to zero, at least two legs);
- the balances the services report equal a model replayed from the accepted steps,
  and a fresh sum of the legs (``check_invariants`` recomputes them three ways);
- the allocation in the ledger is, for each stream, the share last agreed (the
  budget's shares are the one cached figure, and they always agree with the legs),
  and available + committed + spent is that allocation;
- available, committed, spent and received are never below zero, for any stream;
- instalments and contributions never change what is available;
- a refused step posts nothing and changes no share;
and at the end posted rows still cannot be updated or deleted (and, on PostgreSQL,
the database's deferred checks agree with all of it).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text, update

from catalogue.taxonomy import FundingStream
from marketplace.accounts.roles import Role
from marketplace.budgets import services as budgets
from marketplace.ledger import services as ledger
from marketplace.ledger.errors import LedgerError, PostedEntryError
from marketplace.ledger.models import LedgerLeg, LedgerTransfer, TransferKind
from tests.budget_helpers import make_budget

STREAMS = [FundingStream.ADULT_SOCIAL_CARE, FundingStream.SUPPORTING_PEOPLE]
REFS = ["order:1", "order:2"]
DAYS = [date(2026, 4, 6), date(2026, 6, 1), date(2026, 9, 14), date(2027, 3, 31)]
OPS = ["allocate", "instalment", "contribution", "commit", "release", "settle", "refund",
       "correct"]
SHARES = {STREAMS[0]: 300_000, STREAMS[1]: 100_000}

steps = st.lists(st.tuples(
    st.sampled_from(OPS + ["commit"] * 2),  # commitments often, so there is money to move
    st.integers(0, len(STREAMS) - 1),
    # mostly sensible amounts, sometimes zero or negative, or absurdly large
    st.one_of(st.integers(1, 60_000), st.integers(1, 20_000), st.integers(1, 5_000),
              st.integers(-100, 0), st.just(10**10)),
    st.integers(0, len(REFS) - 1),
    st.integers(0, 30),            # which earlier transfer a correction reverses
    st.integers(0, len(DAYS) - 1),
    # committed_pence for settle; the second stream's new share (x 3) for allocate
    st.one_of(st.none(), st.integers(1, 60_000)),
), min_size=6, max_size=20)


class Model:
    """What the balances must be: a plain replay of the accepted movements."""

    ACCOUNTS = ("available", "committed", "spent", "received", "funder", "person")

    def __init__(self):
        self.accounts = {s: dict.fromkeys(self.ACCOUNTS, 0) for s in STREAMS}
        self.shares = dict(SHARES)

    def apply(self, transfer: LedgerTransfer) -> None:
        for leg in transfer.legs:
            self.accounts[transfer.stream][leg.account.value] += leg.amount_pence

    def balances(self, stream=None) -> ledger.Balances:
        chosen = [stream] if stream else STREAMS
        total = {k: sum(self.accounts[s][k] for s in chosen) for k in self.ACCOUNTS}
        instalments = total["received"] + total["person"]
        return ledger.Balances(
            received_pence=total["received"],
            committed_pence=total["committed"], spent_pence=total["spent"],
            available_pence=total["available"], instalments_pence=instalments,
            contributions_pence=-total["person"],
            allocated_pence=-total["funder"] - instalments)


def _count(session) -> int:
    return session.scalar(select(func.count(LedgerTransfer.id)))


def _new_shares(amount, committed) -> dict[FundingStream, int]:
    """Shares for an allocation step: 0 to £5,000 for the first stream (or a bad
    amount: negative, or absurdly large), 0 to £1,800 for the second."""
    first = amount * 7 % 500_001 if 0 < amount < 10**10 else amount
    return {STREAMS[0]: first, STREAMS[1]: (committed or 0) * 3}


def _run(session, budget, officer, n, step, posted):
    """Run one step; return the transfers it posted (raise if it was refused)."""
    op, stream_i, amount, ref_i, target_i, day_i, committed = step
    stream, ref, day, key = STREAMS[stream_i], REFS[ref_i], DAYS[day_i], f"{budget.id}:{n}"
    if op == "allocate":
        shares = _new_shares(amount, committed)
        before = {t.id for t in ledger.transfers(session, budget)}
        budgets.agree_allocation(session, budget, sum(shares.values()), streams=shares,
                                 on=day)
        return [t for t in ledger.transfers(session, budget) if t.id not in before]
    return [_move(session, budget, officer, step, posted, stream, ref, day, key)]


def _move(session, budget, officer, step, posted, stream, ref, day, key):
    op, _stream_i, amount, _ref_i, target_i, _day_i, committed = step
    if op == "instalment":
        return ledger.record_instalment(session, budget, amount, stream=stream,
                                        received_on=day, key=key)
    if op == "contribution":
        return ledger.record_contribution(session, budget, amount, received_on=day, key=key,
                                          stream=stream)
    if op == "commit":
        return ledger.commit(session, budget, amount, stream=stream, key=key, reference=ref,
                             on=day, category="getting-up-and-dressed")
    if op == "release":
        return ledger.release(session, budget, amount, stream=stream, key=key, reference=ref,
                              on=day)
    if op == "settle":
        return ledger.settle(session, budget, amount, stream=stream, key=key, reference=ref,
                             committed_pence=committed, on=day)
    if op == "refund":
        return ledger.refund(session, budget, amount, stream=stream, key=key, reference=ref,
                             on=day)
    if not posted:
        raise LedgerError("nothing to correct yet")
    target = posted[target_i % len(posted)]
    return ledger.correct(session, target, reason="Property test", actor=officer, key=key,
                          on=max(day, target.effective_on))


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=steps)
# Every kind of movement accepted at least once, whatever the random examples do:
# book, invoice less than booked, refund, release the rest, change the allocation
# (up for one stream, down for the other), pay cash in, and try to correct an
# allocation (refused: it is changed by agreeing a new amount).
@example(sequence=[("commit", 0, 30_000, 0, 0, 0, None), ("settle", 0, 20_000, 0, 0, 1, 25_000),
                   ("refund", 0, 5_000, 0, 0, 2, None), ("release", 0, 5_000, 0, 0, 2, None),
                   ("allocate", 0, 50_000, 0, 0, 2, 1_000),
                   ("instalment", 1, 1_000, 0, 0, 0, None), ("contribution", 0, 700, 0, 0, 1, None),
                   ("correct", 0, 1, 0, 5, 3, None), ("correct", 0, 1, 0, 6, 3, None)])
def test_any_sequence_of_movements_keeps_every_invariant(
        db_session, make_user, council, is_postgres, sequence):
    holder = make_user(Role.BUDGET_HOLDER)
    officer = make_user(Role.FINANCE_OFFICER)
    budget = make_budget(db_session, holder, council, amount=400_000, streams=SHARES)
    model, posted = Model(), []
    for transfer in ledger.transfers(db_session, budget):  # the allocation agreed
        model.apply(transfer)
    for n, step in enumerate(sequence):
        before_count = _count(db_session)
        before = ledger.balances(db_session, budget)
        try:
            made = _run(db_session, budget, officer, n, step, posted)
        except (LedgerError, budgets.BudgetError):
            event(f"{step[0]} refused")
            assert _count(db_session) == before_count, step
            assert ledger.balances(db_session, budget) == before, step
            assert budget.stream_shares == model.shares, step
        else:
            event(f"{step[0]} accepted")
            assert _count(db_session) == before_count + len(made), step
            for transfer in made:
                model.apply(transfer)
                posted.append(transfer)
            if step[0] == "allocate":
                model.shares = _new_shares(step[2], step[6])
                assert all(t.kind is TransferKind.ALLOCATION for t in made)
            else:
                assert len(made) == 1, step
                if step[0] in ("instalment", "contribution"):
                    assert ledger.balances(db_session, budget).available_pence == \
                        before.available_pence
            # The same step again (same key, or the same shares) posts nothing new.
            again = _run(db_session, budget, officer, n, step, posted[:-len(made) or None])
            if step[0] == "allocate":
                assert again == []
            else:
                assert [t.id for t in again] == [t.id for t in made]
            assert _count(db_session) == before_count + len(made), step
        assert ledger.check_invariants(db_session, budget) == [], step
        assert ledger.balances(db_session, budget) == model.balances()
        for stream in STREAMS:
            figures = ledger.balances(db_session, budget, stream=stream)
            assert figures == model.balances(stream)
            assert figures.allocated_pence == model.shares[stream]
            assert figures.available_pence + figures.committed_pence + \
                figures.spent_pence == figures.allocated_pence
            assert figures.available_pence >= 0
            assert figures.committed_pence >= 0
            assert figures.spent_pence >= 0
            assert figures.received_pence >= 0
    if is_postgres:
        # Run the deferred checks now, as a commit would, then defer them again (the
        # examples share one transaction).
        db_session.connection().execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
        db_session.connection().execute(text("SET CONSTRAINTS ALL DEFERRED"))
    for transfer in posted:
        assert sum(leg.amount_pence for leg in transfer.legs) == 0
        assert (transfer.kind is TransferKind.CORRECTION) == (transfer.reverses_id is not None)
    if posted:
        with pytest.raises(PostedEntryError):
            db_session.execute(update(LedgerLeg).where(
                LedgerLeg.transfer_id == posted[0].id).values(amount_pence=1))
        posted[0].description = "tampered"
        with pytest.raises(PostedEntryError):
            db_session.flush()
        db_session.rollback()
    db_session.commit()
