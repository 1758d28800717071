"""Budgets for tests: one call makes an agreed budget (its allocation posted to the
ledger, which is what may be committed), with cash paid in if asked for."""

from __future__ import annotations

from datetime import date

from catalogue.taxonomy import FundingStream
from marketplace.budgets import services as budgets
from marketplace.budgets.enums import BudgetKind, HoldingMethod
from marketplace.ledger import services as ledger

PERIOD = (date(2026, 4, 1), date(2027, 3, 31))


def make_budget(session, holder, council, *, amount: int = 1_200_000,
                streams: dict[FundingStream, int] | None = None, paid_in: int = 0,
                agreed: bool = True, kind: BudgetKind = BudgetKind.PERSONAL_BUDGET,
                name: str = "Personal budget 2026/27", holdings=None):
    """A budget for the 2026/27 financial year, committed to the database. Agreed
    (the default), its allocation of ``amount`` is posted to the ledger (available
    to commit), split by ``streams``; ``paid_in`` pence of cash instalments are
    recorded on the first day (split over the streams as their shares are)."""
    budget = budgets.create_budget(
        session, holder=holder, council=council, kind=kind, name=name,
        period_starts_on=PERIOD[0], period_ends_on=PERIOD[1], indicative_pence=amount,
        streams=streams, holdings=holdings)
    if agreed:
        budgets.agree_allocation(session, budget, amount)
    if paid_in:
        shares = budget.stream_shares
        parts = budgets.split_pence(paid_in, list(shares.values()))
        for stream, part in zip(shares, parts, strict=True):
            if part:
                ledger.record_instalment(session, budget, part, stream=stream,
                                         received_on=PERIOD[0],
                                         key=f"test:{budget.id}:{stream.value}:paid-in")
    session.commit()
    return budget


def budget_for_another_council(session, holder, council):
    """The access matrix's stranger's budget, with a little history."""
    budget = make_budget(session, holder, council, amount=600_000, paid_in=100_000,
                         holdings=[budgets.HoldingSpec(HoldingMethod.COUNCIL_MANAGED, 600_000)])
    ledger.commit(session, budget, 10_000, stream=FundingStream.ADULT_SOCIAL_CARE,
                  key=f"test:{budget.id}:commit", reference="order:1", on=PERIOD[0])
    session.commit()
    return budget


def matrix_args(session, stranger, other_council) -> dict:
    """For the access matrix: a budget, a challenge and a ledger entry of a person in
    another council, which no test role but the administrator may see."""
    budget = budget_for_another_council(session, stranger, other_council)
    indicative = make_budget(session, stranger, other_council, amount=300_000, agreed=False,
                             name="Challenged budget")
    challenge = budgets.record_challenge(
        session, indicative, raised_on=PERIOD[0], raised_by="Their son",
        grounds="Night-time needs were missed")
    entry = ledger.transfers(session, budget)[0]
    session.commit()
    return {"budget_id": budget.id, "challenge_id": challenge.id, "transfer_id": entry.id}


def bad_input_forms(session, holder, officer, finance, council) -> list[tuple]:
    """For test_bad_input: (who, form URL) for every budget back-office form."""
    budget = make_budget(session, holder, council, amount=1_200_000, paid_in=100_000,
                         name="Junk budget")
    indicative = make_budget(session, holder, council, amount=500_000, agreed=False,
                             name="Junk indicative budget")
    challenge = budgets.record_challenge(
        session, indicative, raised_on=PERIOD[0], raised_by="Them", grounds="Too low")
    entry = ledger.transfers(session, budget)[0]
    session.commit()
    return [
        (officer, f"/council/budgets/people/{holder.id}/new"),
        (officer, f"/council/budgets/{budget.id}/change"),
        (officer, f"/council/budgets/{budget.id}/amounts"),
        (officer, f"/council/budgets/{indicative.id}/amounts"),
        (officer, f"/council/budgets/{budget.id}/challenges/new"),
        (officer, f"/council/budgets/challenges/{challenge.id}/decide"),
        (officer, f"/council/budgets/{budget.id}/money-received"),
        (finance, f"/council/budgets/entries/{entry.id}/correct"),
    ]
