"""Posting to the budget ledger, and reading balances back from its legs.

Every function takes the session, flushes and never commits; the caller commits
once. Each posting function is idempotent by ``key``: called again with a key
already used, it returns the transfer posted the first time and posts nothing (and
refuses if the key was used for a different movement). Each takes a row lock on
the budget (``SELECT ... FOR NO KEY UPDATE`` on PostgreSQL, see ``lock_statement``)
before it reads the balances it checks, in a statement of its own so that the
balances are read after the lock is granted, so two purchases can never both spend
the same pound; the lock is held until the caller's transaction ends.

Refusals raise ``LedgerError`` (or ``InsufficientFunds``) with a message to show,
and post nothing. Money is integer pence; amounts are always positive and the
direction comes from the kind of movement (see marketplace.ledger.models; an
allocation's direction is in its legs: a reduction takes money out of available).

Spending power comes from the allocation (``allocate``, posted when the budget's
agreed amount or stream shares are agreed or changed); instalments and
contributions are cash received, which never changes what is available.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app, has_app_context
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, null, select, union_all
from sqlalchemy.orm import Session

from catalogue.taxonomy import CATEGORIES, FundingStream
from marketplace.budgets.enums import BudgetStatus
from marketplace.budgets.models import MAX_BUDGET_PENCE, Budget
from marketplace.ledger.errors import InsufficientFunds, LedgerError, PostedEntryError
from marketplace.ledger.models import (
    NON_NEGATIVE_ACCOUNTS,
    LedgerAccount,
    LedgerLeg,
    LedgerTransfer,
    TransferKind,
)
from marketplace.money import format_pence

__all__ = [
    "Balances", "InsufficientFunds", "LedgerError", "PostedEntryError", "allocate",
    "balances", "balances_by_stream", "balances_for_budgets", "commit", "committed_for",
    "correct",
    "opening_balances", "record_contribution", "record_instalment", "refund", "release",
    "settle", "transfers",
]

A, C, S = LedgerAccount.AVAILABLE, LedgerAccount.COMMITTED, LedgerAccount.SPENT
R = LedgerAccount.RECEIVED
FUNDER, PERSON = LedgerAccount.FUNDER, LedgerAccount.PERSON
# Money may be settled, released or refunded for a while after the period ends
# (late invoices), but nothing is dated before the period or absurdly late.
LATE_DAYS = 366


@dataclass(frozen=True)
class Balances:
    """A budget's money, derived from the ledger legs (optionally as at a date, or for
    one funding stream).

    Spending power: ``allocated_pence`` (the agreed allocation posted to the ledger)
    ``= available_pence + committed_pence + spent_pence`` always. Cash:
    ``received_pence = instalments_pence + contributions_pence`` (money paid into the
    budget's account), and the cash held is ``cash_pence = received - spent``."""

    received_pence: int = 0
    committed_pence: int = 0
    spent_pence: int = 0
    available_pence: int = 0
    instalments_pence: int = 0
    contributions_pence: int = 0
    allocated_pence: int = 0

    @property
    def cash_pence(self) -> int:
        """Money received less money paid out for invoices (a statement's balance)."""
        return self.received_pence - self.spent_pence

    @classmethod
    def from_accounts(cls, sums: dict[LedgerAccount, int]) -> Balances:
        received = sums.get(R, 0)
        contributions = -sums.get(PERSON, 0)
        instalments = received - contributions
        return cls(received_pence=received,
                   committed_pence=sums.get(C, 0), spent_pence=sums.get(S, 0),
                   available_pence=sums.get(A, 0), instalments_pence=instalments,
                   contributions_pence=contributions,
                   allocated_pence=-sums.get(FUNDER, 0) - instalments)


# --- reading ------------------------------------------------------------------

def _sums_query(on: date | None, stream: FundingStream | None):
    query = (select(LedgerTransfer.budget_id, LedgerTransfer.stream, LedgerLeg.account,
                    func.sum(LedgerLeg.amount_pence))
             .join(LedgerLeg, LedgerLeg.transfer_id == LedgerTransfer.id)
             .group_by(LedgerTransfer.budget_id, LedgerTransfer.stream, LedgerLeg.account))
    if on is not None:
        query = query.where(LedgerTransfer.effective_on <= on)
    if stream is not None:
        query = query.where(LedgerTransfer.stream == stream)
    return query


def balances(session: Session, budget: Budget, *, on: date | None = None,
             stream: FundingStream | None = None) -> Balances:
    """The budget's balances from every leg posted (effective on or before ``on``)."""
    sums: dict[LedgerAccount, int] = {}
    for _budget, _stream, account, total in session.execute(
            _sums_query(on, stream).where(LedgerTransfer.budget_id == budget.id)):
        sums[account] = sums.get(account, 0) + int(total)
    return Balances.from_accounts(sums)


def balances_by_stream(session: Session, budget: Budget, *,
                       on: date | None = None) -> dict[FundingStream, Balances]:
    """Balances for each of the budget's funding streams (streams with no movement
    yet are included, with zeros), in the budget's order of streams."""
    sums: dict[FundingStream, dict[LedgerAccount, int]] = {s.stream: {} for s in budget.streams}
    for _budget, stream, account, total in session.execute(
            _sums_query(on, None).where(LedgerTransfer.budget_id == budget.id)):
        sums.setdefault(stream, {})[account] = int(total)
    return {stream: Balances.from_accounts(values) for stream, values in sums.items()}


def balances_for_budgets(session: Session, budget_ids: Iterable[int], *,
                         on: date | None = None) -> dict[int, Balances]:
    """Balances of many budgets in one query (for lists)."""
    ids = list(budget_ids)
    sums: dict[int, dict[LedgerAccount, int]] = {i: {} for i in ids}
    if ids:
        for budget_id, _stream, account, total in session.execute(
                _sums_query(on, None).where(LedgerTransfer.budget_id.in_(ids))):
            bucket = sums[budget_id]
            bucket[account] = bucket.get(account, 0) + int(total)
    return {i: Balances.from_accounts(values) for i, values in sums.items()}


def opening_balances(session: Session, budget: Budget, day: date, *,
                     stream: FundingStream | None = None) -> Balances:
    """The balances at the start of ``day``: everything effective before it."""
    return balances(session, budget, on=day - timedelta(days=1), stream=stream)


def transfers(session: Session, budget: Budget, start: date | None = None,
              end: date | None = None, *, stream: FundingStream | None = None
              ) -> list[LedgerTransfer]:
    """The budget's transfers effective from ``start`` to ``end`` (both included),
    oldest first, with their legs."""
    query = select(LedgerTransfer).where(LedgerTransfer.budget_id == budget.id)
    if start is not None:
        query = query.where(LedgerTransfer.effective_on >= start)
    if end is not None:
        query = query.where(LedgerTransfer.effective_on <= end)
    if stream is not None:
        query = query.where(LedgerTransfer.stream == stream)
    return list(session.scalars(query.order_by(LedgerTransfer.effective_on,
                                               LedgerTransfer.id)))


def committed_for(session: Session, budget: Budget, reference: str,
                  stream: FundingStream | None = None) -> int:
    """Money still set aside under ``reference`` (e.g. "order:12")."""
    query = (select(func.coalesce(func.sum(LedgerLeg.amount_pence), 0))
             .join(LedgerTransfer, LedgerLeg.transfer_id == LedgerTransfer.id)
             .where(LedgerTransfer.budget_id == budget.id,
                    LedgerTransfer.reference == reference, LedgerLeg.account == C))
    if stream is not None:
        query = query.where(LedgerTransfer.stream == stream)
    return int(session.scalar(query))


def find_transfer(session: Session, key: str) -> LedgerTransfer | None:
    return session.scalar(select(LedgerTransfer).where(LedgerTransfer.idempotency_key == key))


# --- posting ------------------------------------------------------------------

def _day(day: date) -> str:
    if has_app_context():
        return format_date(day, "d MMMM yyyy")
    return day.isoformat()


def _today() -> date:
    if has_app_context():
        return current_app.config.get("TODAY_OVERRIDE") or date.today()
    return date.today()


def _check_amount(amount_pence) -> int:
    if isinstance(amount_pence, bool) or not isinstance(amount_pence, int):
        raise LedgerError(_l("The amount must be a whole number of pence"))
    if amount_pence <= 0:
        raise LedgerError(_l("The amount must be more than £0.00"))
    if amount_pence > MAX_BUDGET_PENCE:
        raise LedgerError(_l("The amount must be %(max)s or less",
                             max=format_pence(MAX_BUDGET_PENCE)))
    return amount_pence


def _check_key(key) -> str:
    if not isinstance(key, str) or not key.strip() or len(key) > 200:
        raise LedgerError(_l("Every movement needs a key of 1 to 200 characters"))
    return key


def _check_text(value, limit: int, what) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise LedgerError(_l("The %(what)s must be %(limit)s characters or fewer",
                             what=what, limit=limit))
    return value


def _check_stream(budget: Budget, stream) -> FundingStream:
    try:
        stream = FundingStream(stream)
    except ValueError as exc:
        raise LedgerError(_l("Choose a funding stream")) from exc
    if budget.streams and stream not in budget.stream_shares:
        raise LedgerError(_l("This budget has no %(stream)s funding", stream=stream.label))
    return stream


def _check_date(budget: Budget, day, *, late: bool, what) -> date:
    if not isinstance(day, date):
        raise LedgerError(_l("Enter the date of the %(what)s", what=what))
    last = budget.period_ends_on + timedelta(days=LATE_DAYS if late else 0)
    if not budget.period_starts_on <= day <= last:
        raise LedgerError(_l(
            "The date must be within the budget's period, %(start)s to %(end)s",
            start=_day(budget.period_starts_on), end=_day(last)))
    return day


def lock_statement(budget_id: int):
    """``SELECT ... FOR NO KEY UPDATE`` of the budget row: the lock every posting
    takes (two of them never hold it at once, nor with an UPDATE of the budget), but
    which rows that merely refer to the budget (an order, a transfer: a foreign key
    takes a key-share lock) do not wait for. So a checkout may write its order
    before it takes the lock, and holds it only while it checks and posts."""
    return select(Budget.id).where(Budget.id == budget_id).with_for_update(key_share=True)


def _lock(session: Session, budget: Budget) -> None:
    """Lock the budget row until the transaction ends (a no-op on SQLite, whose
    writers are serialised by the database file lock instead)."""
    session.execute(lock_statement(budget.id))


def _same_movement(found: LedgerTransfer | None, budget: Budget, kind: TransferKind,
                   amount: int) -> LedgerTransfer | None:
    if found is not None and (found.budget_id, found.kind, found.amount_pence) != (
            budget.id, kind, amount):
        raise LedgerError(_l("This movement's key was already used for a different "
                             "movement; nothing was posted"))
    return found


def _existing(session: Session, key: str, budget: Budget, kind: TransferKind,
              amount: int) -> LedgerTransfer | None:
    return _same_movement(find_transfer(session, key), budget, kind, amount)


@dataclass
class _Locked:
    """What ``_post`` reads once it holds the lock."""

    sums: dict[LedgerAccount, int]  # the stream's, by account
    posted_id: int | None           # a transfer already posted under the key
    set_aside: int                  # still set aside under the reference (0 if none)


def _read_locked(session: Session, budget: Budget, stream: FundingStream, key: str,
                 reference: str | None) -> _Locked:
    """One statement, sent after the lock is granted so that it sees every posting
    committed before: the stream's sums, the key's transfer, the reference's money."""
    parts = [
        select(literal("sum").label("part"), LedgerLeg.account.label("account"),
               func.sum(LedgerLeg.amount_pence).label("value"))
        .join(LedgerTransfer, LedgerLeg.transfer_id == LedgerTransfer.id)
        .where(LedgerTransfer.budget_id == budget.id, LedgerTransfer.stream == stream)
        .group_by(LedgerLeg.account),
        select(literal("key"), null(), LedgerTransfer.id)
        .where(LedgerTransfer.idempotency_key == key)]
    if reference:
        parts.append(
            select(literal("reference"), null(),
                   func.coalesce(func.sum(LedgerLeg.amount_pence), 0))
            .join(LedgerTransfer, LedgerLeg.transfer_id == LedgerTransfer.id)
            .where(LedgerTransfer.budget_id == budget.id, LedgerTransfer.stream == stream,
                   LedgerTransfer.reference == reference, LedgerLeg.account == C))
    found = _Locked({}, None, 0)
    for part, account, value in session.execute(union_all(*parts)):
        if part == "sum":
            found.sums[LedgerAccount(account)] = int(value)
        elif part == "key":
            found.posted_id = int(value)
        else:
            found.set_aside = int(value)
    return found


def _refuse_negative(stream: FundingStream, legs: list[tuple[LedgerAccount, int]],
                     reference: str | None, locked: _Locked) -> None:
    after = dict(locked.sums)
    for account, amount in legs:
        after[account] = after.get(account, 0) + amount
    if after.get(A, 0) < 0:
        needed = -sum(amount for account, amount in legs if account == A)
        have = after[A] + needed
        raise InsufficientFunds(_l(
            "There is not enough money available in the %(stream)s part of this budget: "
            "%(needed)s is needed and %(have)s is available",
            stream=stream.label, needed=format_pence(needed), have=format_pence(have)))
    if after.get(C, 0) < 0:
        raise LedgerError(_l("That is more than the money set aside in the %(stream)s "
                             "part of this budget", stream=stream.label))
    if after.get(S, 0) < 0:
        raise LedgerError(_l("That is more than has been spent from the %(stream)s part "
                             "of this budget", stream=stream.label))
    if after.get(R, 0) < 0:
        raise LedgerError(_l("That is more than has been received in the %(stream)s part "
                             "of this budget", stream=stream.label))
    committed_change = sum(amount for account, amount in legs if account == C)
    if reference and committed_change < 0:
        left = locked.set_aside
        if left + committed_change < 0:
            raise LedgerError(_l(
                "Only %(left)s is set aside for %(reference)s in the %(stream)s part of "
                "this budget", left=format_pence(left), reference=reference,
                stream=stream.label))


def _post(session: Session, budget: Budget, kind: TransferKind, amount: int, *,
          stream: FundingStream, effective_on: date, key: str,
          legs: list[tuple[LedgerAccount, int]], reference: str | None = None,
          commitment_reference: str | None = None, provider_id: int | None = None,
          category: str | None = None, description: str = "", actor=None,
          reverses: LedgerTransfer | None = None) -> LedgerTransfer:
    legs = [(account, amount_) for account, amount_ in legs if amount_ != 0]
    if len(legs) < 2 or sum(amount_ for _account, amount_ in legs) != 0:
        raise LedgerError(_l("The entries of a movement must balance; nothing was posted"))
    _lock(session, budget)
    reference_checked = commitment_reference or reference
    takes_set_aside = sum(amount_ for account, amount_ in legs if account == C) < 0
    locked = _read_locked(session, budget, stream, key,
                          reference_checked if takes_set_aside else None)
    if locked.posted_id is not None:  # posted by someone else while we waited for the lock
        return _same_movement(session.get(LedgerTransfer, locked.posted_id), budget, kind,
                              amount)
    _refuse_negative(stream, legs, reference_checked, locked)
    transfer = LedgerTransfer(
        budget_id=budget.id, kind=kind, amount_pence=amount, effective_on=effective_on,
        stream=stream, provider_id=provider_id, category=category,
        description=description[:500], reference=reference, idempotency_key=key,
        reverses_id=reverses.id if reverses is not None else None,
        created_by_id=getattr(actor, "id", None))
    transfer.legs = [LedgerLeg(account=account, amount_pence=amount_)
                     for account, amount_ in legs]
    session.add(transfer)
    session.flush()
    return transfer


def _begin(budget, amount_pence, key) -> tuple[int, str]:
    """The checks every posting starts with: (amount, key)."""
    if budget is None or budget.id is None:
        raise LedgerError(_l("The budget must be saved before money can move"))
    return _check_amount(amount_pence), _check_key(key)


def _repeated(session: Session, refusal: LedgerError, key: str, budget: Budget,
              kind: TransferKind, amount: int) -> LedgerTransfer:
    """A check refused a movement: if its key was already posted, that transfer (a
    repeat is not refused because, say, the budget closed since); else the refusal.

    The key is looked up only here and, under the budget's lock, in ``_post``: a
    first posting costs no look-up before it."""
    again = _existing(session, key, budget, kind, amount)
    if again is None:
        raise refusal
    return again


def _check_category(category: str | None) -> str | None:
    if category is None or category == "":
        return None
    if category not in CATEGORIES:
        raise LedgerError(_l("Choose a category of support from the list"))
    return category


def _require_open(budget: Budget, agreed_only: bool = True) -> None:
    if budget.status is BudgetStatus.CLOSED:
        raise LedgerError(_l("This budget is closed: nothing new can be paid in or set aside"))
    if agreed_only and budget.status is not BudgetStatus.AGREED:
        raise LedgerError(_l("This budget is not agreed yet: agree the amount first"))


def _allocation_day(session: Session, budget: Budget, on) -> date:
    """The first allocation counts from the first day of the period (it is the
    allocation for the whole period); a later change from ``on`` (by default today),
    kept within the period."""
    if on is not None:
        return _check_date(budget, on, late=False, what=_l("allocation"))
    already = session.scalar(select(func.count(LedgerTransfer.id)).where(
        LedgerTransfer.budget_id == budget.id,
        LedgerTransfer.kind == TransferKind.ALLOCATION))
    if not already:
        return budget.period_starts_on
    return min(max(_today(), budget.period_starts_on), budget.period_ends_on)


def allocate(session: Session, budget: Budget, shares: dict[FundingStream, int], *,
             on: date | None = None, actor=None) -> list[LedgerTransfer]:
    """Bring the allocation in the ledger to ``shares`` (pence by funding stream; a
    stream the ledger has seen that is not in ``shares`` goes to zero), posting only
    the difference for each stream: funder -> available for an increase, available ->
    funder for a reduction (kind ALLOCATION). Posts nothing for a stream already at
    its share, so calling it again changes nothing.

    Called by marketplace.budgets.services when the agreed amount or the stream
    shares are agreed or changed (the budget must be agreed). Refused, posting
    nothing, if any stream's new allocation would be below what is already set aside
    and spent from it. Returns the transfers posted."""
    if budget is None or budget.id is None:
        raise LedgerError(_l("The budget must be saved before money can move"))
    _require_open(budget)
    clean: dict[FundingStream, int] = {}
    for stream, pence in shares.items():
        try:
            stream = FundingStream(stream)
        except ValueError as exc:
            raise LedgerError(_l("Choose a funding stream")) from exc
        if isinstance(pence, bool) or not isinstance(pence, int):
            raise LedgerError(_l("The amount must be a whole number of pence"))
        if pence < 0:
            raise LedgerError(_l("The amount cannot be negative"))
        if pence > MAX_BUDGET_PENCE:
            raise LedgerError(_l("The amount must be %(max)s or less",
                                 max=format_pence(MAX_BUDGET_PENCE)))
        clean[stream] = pence
    _lock(session, budget)
    now = balances_by_stream(session, budget)
    streams = list(dict.fromkeys([*now, *clean]))
    for stream in streams:
        used = now.get(stream, Balances())
        floor = used.committed_pence + used.spent_pence
        if clean.get(stream, 0) < floor:
            raise LedgerError(_l(
                "The %(stream)s allocation cannot be less than %(floor)s: that much of it "
                "is already set aside or spent", stream=stream.label,
                floor=format_pence(floor)))
    day = _allocation_day(session, budget, on)
    round_no = session.scalar(select(func.count(LedgerTransfer.id)).where(
        LedgerTransfer.budget_id == budget.id,
        LedgerTransfer.kind == TransferKind.ALLOCATION))
    posted = []
    for stream in streams:
        before = now.get(stream, Balances()).allocated_pence
        after = clean.get(stream, 0)
        difference = after - before
        if difference == 0:
            continue
        if before == 0:
            note = _l("Allocation of %(amount)s agreed", amount=format_pence(after))
        else:
            note = _l("Allocation changed from %(before)s to %(after)s",
                      before=format_pence(before), after=format_pence(after))
        posted.append(_post(
            session, budget, TransferKind.ALLOCATION, abs(difference), stream=stream,
            effective_on=day, key=f"budget:{budget.id}:allocation:{round_no}:{stream.value}",
            legs=[(A, difference), (FUNDER, -difference)], description=str(note),
            actor=actor))
    return posted


def record_instalment(session: Session, budget: Budget, amount_pence: int, *,
                      stream: FundingStream, received_on: date, key: str,
                      description: str = "", actor=None,
                      reference: str | None = None) -> LedgerTransfer:
    """Cash paid into the budget's account by its funder, for one stream (funder ->
    received). It does not change what is available: that comes from the allocation.
    Refused outside the budget's period, before it is agreed, and beyond the stream's
    share (or the budget's allocation): change the allocation first."""
    amount, key = _begin(budget, amount_pence, key)
    try:
        _require_open(budget)
        stream = _check_stream(budget, stream)
        received_on = _check_date(budget, received_on, late=False, what=_l("payment"))
        description = _check_text(description, 500, _l("description"))
        _lock(session, budget)
        _within_allocation(session, budget, stream, amount)
    except LedgerError as refusal:
        return _repeated(session, refusal, key, budget, TransferKind.INSTALMENT, amount)
    return _post(session, budget, TransferKind.INSTALMENT, amount, stream=stream,
                 effective_on=received_on, key=key, legs=[(R, amount), (FUNDER, -amount)],
                 description=description, actor=actor, reference=reference)


def _within_allocation(session: Session, budget: Budget, stream: FundingStream,
                       amount: int) -> None:
    paid = balances(session, budget)
    if paid.instalments_pence + amount > budget.allocation_pence:
        raise LedgerError(_l(
            "This payment would bring the money paid in to %(total)s, more than the "
            "budget of %(budget)s: change the allocation first",
            total=format_pence(paid.instalments_pence + amount),
            budget=format_pence(budget.allocation_pence)))
    share = budget.stream_shares.get(stream)
    if share is not None:
        paid_stream = balances(session, budget, stream=stream).instalments_pence
        if paid_stream + amount > share:
            raise LedgerError(_l(
                "This payment would bring the %(stream)s money paid in to %(total)s, more "
                "than that stream's share of %(share)s: change the shares first",
                stream=stream.label, total=format_pence(paid_stream + amount),
                share=format_pence(share)))


def record_contribution(session: Session, budget: Budget, amount_pence: int, *,
                        received_on: date, key: str, stream: FundingStream | None = None,
                        description: str = "", actor=None) -> LedgerTransfer:
    """The person's own contribution, paid into the budget account (person ->
    received): cash, which does not change what is available (the assessed
    contribution is part of the agreed allocation). It is recorded under ``stream``
    (by default the budget's main stream: the one with the largest share).
    Contributions paid straight to a provider never pass through the ledger."""
    amount, key = _begin(budget, amount_pence, key)
    try:
        _require_open(budget, agreed_only=False)
        stream = _check_stream(budget, stream or budget.main_stream)
        received_on = _check_date(budget, received_on, late=False, what=_l("contribution"))
        description = _check_text(description, 500, _l("description"))
    except LedgerError as refusal:
        return _repeated(session, refusal, key, budget, TransferKind.CONTRIBUTION, amount)
    return _post(session, budget, TransferKind.CONTRIBUTION, amount, stream=stream,
                 effective_on=received_on, key=key, legs=[(R, amount), (PERSON, -amount)],
                 description=description, actor=actor)


def commit(session: Session, budget: Budget, amount_pence: int, *, stream: FundingStream,
           key: str, reference: str, provider_id: int | None = None,
           category: str | None = None, description: str = "", on: date | None = None,
           actor=None) -> LedgerTransfer:
    """Set money aside for an order (available -> committed). Raises
    ``InsufficientFunds`` if the stream has not enough available. Whether the stream
    may buy the category is decided by marketplace.budgets.rules before calling."""
    return _move(session, budget, TransferKind.COMMITMENT, amount_pence, key,
                 legs=lambda n: [(C, n), (A, -n)], what=_l("order"), late=False, opening=True,
                 stream=stream, on=on, reference=reference, category=category,
                 description=description, provider_id=provider_id, actor=actor)


def _checked(budget: Budget, stream, on, *, late: bool, what, reference, category,
             description, limit: int = 500) -> tuple:
    """The checks of a movement for an order or invoice: (stream, date, reference,
    category, description)."""
    return (_check_stream(budget, stream),
            _check_date(budget, on or _today(), late=late, what=what),
            _check_reference(reference), _check_category(category),
            _check_text(description, limit, _l("description")))


def _move(session: Session, budget: Budget, kind: TransferKind, amount_pence, key, *,
          legs: Callable[[int], list[tuple[LedgerAccount, int]]], what, late: bool,
          opening: bool = False, stream, on, reference, category, description,
          provider_id, actor) -> LedgerTransfer:
    """Post a movement for an order or invoice (``legs`` of the amount), once per key;
    ``opening`` ones need an open, agreed budget."""
    amount, key = _begin(budget, amount_pence, key)
    try:
        if opening:
            _require_open(budget)
        stream, on, reference, category, description = _checked(
            budget, stream, on, late=late, what=what, reference=reference,
            category=category, description=description)
    except LedgerError as refusal:
        return _repeated(session, refusal, key, budget, kind, amount)
    return _post(session, budget, kind, amount, stream=stream, effective_on=on, key=key,
                 legs=legs(amount), reference=reference, provider_id=provider_id,
                 category=category, description=description, actor=actor)


def _check_reference(reference) -> str:
    if not isinstance(reference, str) or not reference.strip() or len(reference) > 120:
        raise LedgerError(_l("Say what the money is for (a reference of 1 to 120 "
                             "characters, like order:12)"))
    return reference.strip()


def release(session: Session, budget: Budget, amount_pence: int, *, stream: FundingStream,
            key: str, reference: str, description: str = "", on: date | None = None,
            provider_id: int | None = None, category: str | None = None,
            actor=None) -> LedgerTransfer:
    """Give back money set aside under ``reference`` (committed -> available), e.g. a
    cancelled order. Never more than is still set aside under that reference."""
    return _move(session, budget, TransferKind.RELEASE, amount_pence, key,
                 legs=lambda n: [(A, n), (C, -n)], what=_l("release"), late=True,
                 stream=stream, on=on, reference=reference, category=category,
                 description=description, provider_id=provider_id, actor=actor)


def settle(session: Session, budget: Budget, amount_pence: int, *, stream: FundingStream,
           key: str, reference: str, committed_pence: int | None = None,
           commitment_reference: str | None = None, provider_id: int | None = None,
           category: str | None = None, description: str = "", on: date | None = None,
           actor=None) -> LedgerTransfer:
    """Pay an invoice of ``amount_pence`` from money set aside (committed -> spent).

    ``committed_pence`` is what was set aside for what is invoiced (by default the
    invoiced amount), taken from what is set aside under ``commitment_reference``
    (by default ``reference``). A difference is never silently absorbed: it is
    posted, visibly, as a leg of the same transfer and named in its description:

    - invoiced LESS than set aside: the difference goes back to available (released);
    - invoiced MORE than set aside: the difference is taken from available, and if
      there is not enough the whole payment is refused with ``InsufficientFunds``.

    ``transfer.leg(LedgerAccount.AVAILABLE)`` tells the caller (positive: released,
    negative: drawn) so it can flag the order.
    """
    amount, key = _begin(budget, amount_pence, key)
    try:
        set_aside = amount if committed_pence is None else committed_pence
        if set_aside != 0:
            set_aside = _check_amount(set_aside)
        stream, on, reference, category, description = _checked(
            budget, stream, on, late=True, what=_l("payment"), reference=reference,
            category=category, description=description, limit=400)
        commitment_reference = _check_reference(commitment_reference or reference)
    except LedgerError as refusal:
        return _repeated(session, refusal, key, budget, TransferKind.SETTLEMENT, amount)
    difference = set_aside - amount
    if difference > 0:
        note = str(_l("%(diff)s set aside but not invoiced was released",
                      diff=format_pence(difference)))
    elif difference < 0:
        note = str(_l("%(diff)s more than was set aside was taken from the money available",
                      diff=format_pence(-difference)))
    else:
        note = ""
    full = "; ".join(part for part in (description, note) if part)
    return _post(session, budget, TransferKind.SETTLEMENT, amount, stream=stream,
                 effective_on=on, key=key,
                 legs=[(S, amount), (C, -set_aside), (A, difference)],
                 reference=reference, commitment_reference=commitment_reference,
                 provider_id=provider_id, category=category, description=full, actor=actor)


def refund(session: Session, budget: Budget, amount_pence: int, *, stream: FundingStream,
           key: str, reference: str, provider_id: int | None = None,
           category: str | None = None, description: str = "", on: date | None = None,
           actor=None) -> LedgerTransfer:
    """Money paid back by a provider (spent -> available): never more than was spent
    from the stream."""
    return _move(session, budget, TransferKind.REFUND, amount_pence, key,
                 legs=lambda n: [(A, n), (S, -n)], what=_l("refund"), late=True,
                 stream=stream, on=on, reference=reference, category=category,
                 description=description, provider_id=provider_id, actor=actor)


def correct(session: Session, transfer: LedgerTransfer, *, reason: str, actor, key: str,
            on: date | None = None) -> LedgerTransfer:
    """Reverse a posted transfer with a new one (its legs negated), giving the reason.

    Refused for a correction (post the movement again instead), for a transfer
    already reversed, and when the reversal would leave an account negative (e.g.
    reversing a payment whose money has been spent: release or refund first)."""
    budget = transfer.budget
    amount, key = _begin(budget, transfer.amount_pence, key)
    existing = _existing(session, key, budget, TransferKind.CORRECTION, amount)
    if existing is not None:
        if existing.reverses_id != transfer.id:
            raise LedgerError(_l("This movement's key was already used for a different "
                                 "movement; nothing was posted"))
        return existing
    reason = _check_text(reason, 500, _l("reason"))
    if not reason:
        raise LedgerError(_l("Give the reason for the correction"))
    if transfer.kind is TransferKind.CORRECTION:
        raise LedgerError(_l("A correction cannot be reversed: record the movement again "
                             "instead"))
    if transfer.kind is TransferKind.ALLOCATION:
        raise LedgerError(_l("An allocation is not corrected here: change the budget's "
                             "agreed amount or its funding streams instead"))
    already = session.scalar(select(LedgerTransfer).where(
        LedgerTransfer.reverses_id == transfer.id))
    if already is not None:
        raise LedgerError(_l("This entry was already corrected on %(date)s",
                             date=_day(already.effective_on)))
    on = on or _today()
    if not isinstance(on, date) or on < transfer.effective_on:
        raise LedgerError(_l("A correction cannot be dated before the entry it corrects"))
    if on > budget.period_ends_on + timedelta(days=LATE_DAYS):
        raise LedgerError(_l("The correction is dated too long after the budget's period"))
    legs = [(leg.account, -leg.amount_pence) for leg in transfer.legs]
    return _post(session, budget, TransferKind.CORRECTION, amount, stream=transfer.stream,
                 effective_on=on, key=key, legs=legs, reference=transfer.reference,
                 provider_id=transfer.provider_id, category=transfer.category,
                 description=reason, actor=actor, reverses=transfer)


def check_invariants(session: Session, budget: Budget) -> list[str]:
    """Problems found by recomputing everything from the legs (empty when sound):
    every transfer balances, no budget or cash account is negative for any stream,
    available + committed + spent is the allocation, the allocation in the ledger is
    the budget's agreed shares (nothing before it is agreed), instalments stay within
    each share, and the balances the services report equal a fresh sum of the legs."""
    problems = []
    for transfer in transfers(session, budget):
        if len(transfer.legs) < 2 or sum(leg.amount_pence for leg in transfer.legs) != 0:
            problems.append(f"transfer {transfer.id} does not balance")
    per_stream = balances_by_stream(session, budget)
    shares = budget.stream_shares if budget.agreed_pence is not None and \
        budget.status is not BudgetStatus.INDICATIVE else {}
    for stream, figures in per_stream.items():
        for account in NON_NEGATIVE_ACCOUNTS:
            if getattr(figures, f"{account.value}_pence") < 0:
                problems.append(f"{stream.value} {account.value} is negative")
        if (figures.available_pence + figures.committed_pence + figures.spent_pence
                != figures.allocated_pence):
            problems.append(f"{stream.value} does not add up to its allocation")
        if figures.allocated_pence != shares.get(stream, 0):
            problems.append(f"{stream.value} allocation {figures.allocated_pence} is not "
                            f"the agreed share {shares.get(stream, 0)}")
        if figures.instalments_pence > max(figures.allocated_pence, 0):
            problems.append(f"{stream.value} instalments exceed the allocation")
    legs = session.execute(
        select(LedgerLeg.account, func.sum(LedgerLeg.amount_pence))
        .join(LedgerTransfer).where(LedgerTransfer.budget_id == budget.id)
        .group_by(LedgerLeg.account)).all()
    direct = Balances.from_accounts({account: int(total) for account, total in legs})
    if direct != balances(session, budget):
        problems.append("balances differ from the legs")
    for account in NON_NEGATIVE_ACCOUNTS:
        total = sum(getattr(b, f"{account.value}_pence") for b in per_stream.values())
        if total != getattr(direct, f"{account.value}_pence"):
            problems.append(f"{account.value} by stream differs from the total")
    return problems
