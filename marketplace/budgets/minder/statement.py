"""Statements for any period: opening balance, instalments, contributions, spending
by provider, commitments and closing balance.

Built from the ledger's legs (marketplace.ledger.models), so the figures are the
ledger's own. A statement is a cash statement, as the direct-payment audit return
needs: its balance is the cash held for the person, what was received (instalments
and contributions: the ``received`` account) less what was spent (the ``spent``
account). Money set aside for orders is still held, and is shown as such; the
allocation (spending power, not cash) is not a line of it. A correction counts
where the movement it reverses counted. The opening balance on a day is the sum of
every movement before it, and the closing balance is the sum up to and including
the last day (opening + received - spent): so one period's closing balance is
always the next period's opening balance.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.budgets.models import Budget
from marketplace.ledger.models import LedgerAccount, LedgerTransfer, TransferKind

MAX_STATEMENT_DAYS = 3 * 366 + 1  # a statement covers at most about three years


class StatementError(ValueError):
    """Bad dates; the message is safe to show."""


@dataclass(frozen=True)
class Movement:
    kind: TransferKind  # for a correction: the kind of the movement it reverses
    effective_on: date
    held_pence: int  # change in cash held (received less spent)
    committed_pence: int  # change in money set aside for orders
    provider: str | None
    description: str
    reference: str | None
    is_correction: bool = False


@dataclass
class Statement:
    starts_on: date
    ends_on: date
    opening_pence: int
    instalments: list[Movement] = field(default_factory=list)
    contributions: list[Movement] = field(default_factory=list)
    spending: list[Movement] = field(default_factory=list)
    commitments: list[Movement] = field(default_factory=list)
    committed_at_end_pence: int = 0
    closing_pence: int = 0

    @property
    def instalments_pence(self) -> int:
        return sum(m.held_pence for m in self.instalments)

    @property
    def contributions_pence(self) -> int:
        return sum(m.held_pence for m in self.contributions)

    @property
    def spent_pence(self) -> int:
        return -sum(m.held_pence for m in self.spending)

    @property
    def spend_by_provider(self) -> list[tuple[str, int]]:
        totals: dict[str, int] = defaultdict(int)
        for m in self.spending:
            totals[m.provider or ""] -= m.held_pence
        return sorted(totals.items(), key=lambda item: (item[0] == "", item[0].lower()))

    @property
    def committed_in_period_pence(self) -> int:
        return sum(m.committed_pence for m in self.commitments)

    @property
    def available_at_end_pence(self) -> int:
        return self.closing_pence - self.committed_at_end_pence


def check_period(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is None or ends_on is None:
        raise StatementError("missing")
    if ends_on < starts_on:
        raise StatementError("order")
    if (ends_on - starts_on).days + 1 > MAX_STATEMENT_DAYS:
        raise StatementError("too_long")


def movements(session: Session, budget: Budget, *, until: date) -> list[Movement]:
    """Every movement of the budget effective on or before ``until``, oldest first."""
    transfers = session.scalars(
        select(LedgerTransfer).where(LedgerTransfer.budget_id == budget.id,
                                     LedgerTransfer.effective_on <= until)
        .order_by(LedgerTransfer.effective_on, LedgerTransfer.id)).all()
    kinds = {t.id: t.kind for t in transfers}
    result = []
    for t in transfers:
        kind = t.kind
        if kind is TransferKind.CORRECTION and t.reverses_id is not None:
            kind = kinds.get(t.reverses_id) or t.reverses.kind
        held = t.leg(LedgerAccount.RECEIVED) - t.leg(LedgerAccount.SPENT)
        result.append(Movement(
            kind=kind, effective_on=t.effective_on, held_pence=held,
            committed_pence=t.leg(LedgerAccount.COMMITTED),
            provider=t.provider.name if t.provider is not None else None,
            description=t.description or "", reference=t.reference,
            is_correction=t.kind is TransferKind.CORRECTION))
    return result


def build_statement(moves: list[Movement], starts_on: date, ends_on: date) -> Statement:
    """The statement for ``starts_on``..``ends_on`` (both included), from movements."""
    check_period(starts_on, ends_on)
    opening = sum(m.held_pence for m in moves if m.effective_on < starts_on)
    statement = Statement(starts_on, ends_on, opening)
    for m in moves:
        if m.effective_on > ends_on:
            continue
        statement.committed_at_end_pence += m.committed_pence
        if m.effective_on < starts_on:
            continue
        if m.kind is TransferKind.INSTALMENT:
            statement.instalments.append(m)
        elif m.kind is TransferKind.CONTRIBUTION:
            statement.contributions.append(m)
        elif m.kind in (TransferKind.SETTLEMENT, TransferKind.REFUND):
            statement.spending.append(m)
        elif m.kind in (TransferKind.COMMITMENT, TransferKind.RELEASE):
            statement.commitments.append(m)
        if m.kind in (TransferKind.COMMITMENT, TransferKind.RELEASE,
                      TransferKind.ALLOCATION) and m.held_pence:
            raise AssertionError("a commitment or an allocation changed the cash held")
    statement.closing_pence = (opening + statement.instalments_pence
                               + statement.contributions_pence - statement.spent_pence)
    held = sum(m.held_pence for m in moves if m.effective_on <= ends_on)
    if held != statement.closing_pence:  # every movement is in exactly one line
        raise AssertionError("statement does not reconcile with the ledger")
    return statement


def statement_for(session: Session, budget: Budget, starts_on: date,
                  ends_on: date) -> Statement:
    check_period(starts_on, ends_on)
    return build_statement(movements(session, budget, until=ends_on), starts_on, ends_on)
