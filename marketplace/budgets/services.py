"""Creating and changing budgets: the allocation, its streams and holdings, the
payment schedule, the contribution, challenges to the indicative amount, and
recording the instalments the schedule says are due.

Agreeing the allocation, and every later change of the agreed amount or of the
stream shares, posts the difference to the ledger (``ledger.allocate``): that is
the budget's spending power. Instalments are cash paid into the budget's account
over the year; they never add to what may be committed.

Every function takes the session, flushes and never commits. Refusals raise
``BudgetError`` with a message to show (``field`` names the form field it is
about); a refused call changes nothing, because every check runs before the
first change.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.taxonomy import FundingStream
from marketplace.audit import record
from marketplace.budgets.enums import (
    BudgetKind,
    BudgetStatus,
    ChallengeDecision,
    ContributionBasis,
    ContributionMethod,
    HoldingMethod,
    PaymentFrequency,
)
from marketplace.budgets.models import (
    MAX_BUDGET_PENCE,
    Budget,
    BudgetChallenge,
    BudgetHolding,
    BudgetStream,
)
from marketplace.ledger import services as ledger
from marketplace.ledger.models import LedgerTransfer
from marketplace.money import format_pence

# A budget period is at most a little over a year (a financial year, or a year
# from the start of support) and at least a week.
MAX_PERIOD_DAYS = 400


class BudgetError(Exception):
    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


@dataclass(frozen=True)
class HoldingSpec:
    """One part of how a budget is held (several make a mixed budget)."""

    method: HoldingMethod
    amount_pence: int
    organisation_name: str | None = None
    provider_id: int | None = None


def _amount(value, field: str, what, *, allow_zero: bool = True) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BudgetError(_l("Enter the %(what)s in pounds and pence", what=what), field)
    if value < 0 or (value == 0 and not allow_zero):
        raise BudgetError(_l("The %(what)s must be more than £0.00", what=what), field)
    if value > MAX_BUDGET_PENCE:
        raise BudgetError(_l("The %(what)s must be %(max)s or less", what=what,
                             max=format_pence(MAX_BUDGET_PENCE)), field)
    return value


def _period(starts_on, ends_on) -> tuple[date, date]:
    if not isinstance(starts_on, date):
        raise BudgetError(_l("Enter the first day of the budget's period"), "period_starts_on")
    if not isinstance(ends_on, date):
        raise BudgetError(_l("Enter the last day of the budget's period"), "period_ends_on")
    if ends_on <= starts_on:
        raise BudgetError(_l("The period must end after it starts"), "period_ends_on")
    if (ends_on - starts_on).days > MAX_PERIOD_DAYS:
        raise BudgetError(_l("A budget's period can be a year at most: make a new budget "
                             "for the next year"), "period_ends_on")
    if (ends_on - starts_on).days < 6:
        raise BudgetError(_l("A budget's period must be at least a week"), "period_ends_on")
    return starts_on, ends_on


def _text(value, limit: int, field: str, what, *, required: bool = False) -> str | None:
    value = (value or "").strip()
    if required and not value:
        raise BudgetError(_l("Enter the %(what)s", what=what), field)
    if len(value) > limit:
        raise BudgetError(_l("The %(what)s must be %(limit)s characters or fewer",
                             what=what, limit=limit), field)
    return value or None


def _check_shares(shares: dict, allocation: int) -> dict[FundingStream, int]:
    if not shares:
        raise BudgetError(_l("Give at least one funding stream"), "streams")
    clean = {}
    for stream, amount in shares.items():
        stream = FundingStream(stream)
        clean[stream] = _amount(amount, "streams", _l("share of %(stream)s",
                                                      stream=stream.label))
    total = sum(clean.values())
    if total != allocation:
        raise BudgetError(_l(
            "The funding streams add up to %(total)s but the budget is %(budget)s: they "
            "must be equal", total=format_pence(total), budget=format_pence(allocation)),
            "streams")
    return clean


def _check_holdings(holdings: list[HoldingSpec], allocation: int) -> list[HoldingSpec]:
    if not holdings:
        raise BudgetError(_l("Say how the money is held"), "holdings")
    seen = [(h.method, (h.organisation_name or "").strip().lower(), h.provider_id)
            for h in holdings]
    if len(set(seen)) != len(seen):
        raise BudgetError(_l("Each way of holding the money can be given once"), "holdings")
    for spec in holdings:
        _amount(spec.amount_pence, "holdings", _l("amount held as %(method)s",
                                                   method=spec.method.label))
        if spec.method is HoldingMethod.MANAGED_ACCOUNT and not (spec.organisation_name or
                                                                 "").strip():
            raise BudgetError(_l("Name the organisation that holds the managed account"),
                              "organisation_name")
        if spec.method is HoldingMethod.INDIVIDUAL_SERVICE_FUND and spec.provider_id is None:
            raise BudgetError(_l("Choose the provider that holds the Individual Service Fund"),
                              "provider")
        if spec.organisation_name and len(spec.organisation_name) > 200:
            raise BudgetError(_l("The organisation's name must be 200 characters or fewer"),
                              "organisation_name")
    total = sum(h.amount_pence for h in holdings)
    if total != allocation:
        raise BudgetError(_l(
            "The ways the money is held add up to %(total)s but the budget is %(budget)s: "
            "they must be equal", total=format_pence(total), budget=format_pence(allocation)),
            "holdings")
    return holdings


def _check_schedule(frequency, instalment_pence, first_payment_on, starts_on, ends_on):
    frequency = PaymentFrequency(frequency)
    if instalment_pence is not None:
        _amount(instalment_pence, "instalment", _l("instalment"), allow_zero=False)
    if first_payment_on is not None and not starts_on <= first_payment_on <= ends_on:
        raise BudgetError(_l("The first payment must be within the budget's period"),
                          "first_payment_on")
    return frequency


def _check_contribution(basis, weekly_pence, basis_points, method):
    basis = ContributionBasis(basis)
    if basis is ContributionBasis.WEEKLY_AMOUNT:
        if weekly_pence is None:
            raise BudgetError(_l("Enter the weekly contribution"), "contribution_weekly")
        _amount(weekly_pence, "contribution_weekly", _l("weekly contribution"),
                allow_zero=False)
        if weekly_pence > 500_000:
            raise BudgetError(_l("The weekly contribution must be £5,000.00 or less"),
                              "contribution_weekly")
        basis_points = None
    elif basis is ContributionBasis.PERCENTAGE:
        if basis_points is None or not 0 < basis_points <= 10000:
            raise BudgetError(_l("Enter a percentage between 0.01 and 100"),
                              "contribution_percent")
        weekly_pence = None
    else:
        weekly_pence = basis_points = method = None
    if basis is not ContributionBasis.NONE and method is None:
        raise BudgetError(_l("Say how the contribution is paid"), "contribution_method")
    return basis, weekly_pence, basis_points, (ContributionMethod(method) if method else None)


def _status_change(session, budget: Budget, actor, action: str, detail: dict) -> None:
    record(session, action, "budgets", budget.id, detail,
           actor_id=getattr(actor, "id", None))


def create_budget(session: Session, *, holder, council, kind: BudgetKind, name: str,
                  period_starts_on: date, period_ends_on: date, indicative_pence: int,
                  streams: dict[FundingStream, int] | None = None,
                  holdings: list[HoldingSpec] | None = None, nhs_body: str | None = None,
                  payment_frequency: PaymentFrequency = PaymentFrequency.FOUR_WEEKLY,
                  instalment_pence: int | None = None, first_payment_on: date | None = None,
                  contribution_basis: ContributionBasis = ContributionBasis.NONE,
                  contribution_weekly_pence: int | None = None,
                  contribution_basis_points: int | None = None,
                  contribution_method: ContributionMethod | None = None,
                  actor=None) -> Budget:
    """A new budget at its indicative amount. ``streams`` default to the whole amount
    from the stream that goes with the kind; ``holdings`` to a direct payment."""
    name = _text(name, 120, "name", _l("name of the budget"), required=True)
    starts_on, ends_on = _period(period_starts_on, period_ends_on)
    indicative = _amount(indicative_pence, "indicative", _l("indicative amount"))
    kind = BudgetKind(kind)
    shares = _check_shares(streams or {_default_stream(kind): indicative}, indicative)
    held = _check_holdings(holdings or [HoldingSpec(HoldingMethod.DIRECT_PAYMENT, indicative)],
                           indicative)
    frequency = _check_schedule(payment_frequency, instalment_pence, first_payment_on,
                                starts_on, ends_on)
    basis, weekly, points, method = _check_contribution(
        contribution_basis, contribution_weekly_pence, contribution_basis_points,
        contribution_method)
    budget = Budget(
        holder_id=holder.id, council_id=council.id, kind=kind, name=name,
        nhs_body=_text(nhs_body, 200, "nhs_body", _l("NHS body")),
        period_starts_on=starts_on, period_ends_on=ends_on, indicative_pence=indicative,
        status=BudgetStatus.INDICATIVE, payment_frequency=frequency,
        instalment_pence=instalment_pence, first_payment_on=first_payment_on,
        contribution_basis=basis, contribution_weekly_pence=weekly,
        contribution_basis_points=points, contribution_method=method,
        created_by_id=getattr(actor, "id", None))
    budget.streams = [BudgetStream(stream=s, share_pence=p) for s, p in shares.items()]
    budget.holdings = [_holding(h) for h in held]
    session.add(budget)
    session.flush()
    return budget


def _default_stream(kind: BudgetKind) -> FundingStream:
    return {BudgetKind.PERSONAL_HEALTH_BUDGET: FundingStream.NHS_PERSONAL_HEALTH_BUDGET,
            BudgetKind.CHILDRENS_BUDGET: FundingStream.CHILDRENS_SERVICES}.get(
        kind, FundingStream.ADULT_SOCIAL_CARE)


def _holding(spec: HoldingSpec) -> BudgetHolding:
    return BudgetHolding(
        method=spec.method, amount_pence=spec.amount_pence,
        organisation_name=(spec.organisation_name or "").strip() or None
        if spec.method is not HoldingMethod.INDIVIDUAL_SERVICE_FUND else None,
        provider_id=spec.provider_id
        if spec.method is HoldingMethod.INDIVIDUAL_SERVICE_FUND else None)


def change_budget(session: Session, budget: Budget, *, actor=None, name: str | None = None,
                  kind: BudgetKind | None = None, nhs_body: str | None = None,
                  period_starts_on: date | None = None, period_ends_on: date | None = None,
                  payment_frequency: PaymentFrequency | None = None,
                  instalment_pence: int | None = None, first_payment_on: date | None = None,
                  contribution_basis: ContributionBasis | None = None,
                  contribution_weekly_pence: int | None = None,
                  contribution_basis_points: int | None = None,
                  contribution_method: ContributionMethod | None = None) -> Budget:
    """Change the details of a budget (not its amounts: see ``set_indicative`` and
    ``agree_allocation``). The period cannot be moved so that money already moved
    falls outside it."""
    new_name = _text(name if name is not None else budget.name, 120, "name",
                     _l("name of the budget"), required=True)
    starts_on, ends_on = _period(period_starts_on or budget.period_starts_on,
                                 period_ends_on or budget.period_ends_on)
    dated = session.execute(select(LedgerTransfer.effective_on).where(
        LedgerTransfer.budget_id == budget.id).order_by(LedgerTransfer.effective_on)).scalars()
    days = list(dated)
    if days and (days[0] < starts_on or days[-1] > ends_on + timedelta(days=ledger.LATE_DAYS)):
        raise BudgetError(_l("Money has already moved on this budget outside that period: "
                             "keep the period around %(first)s to %(last)s",
                             first=days[0].isoformat(), last=days[-1].isoformat()),
                          "period_starts_on")
    frequency = _check_schedule(payment_frequency or budget.payment_frequency,
                                instalment_pence, first_payment_on, starts_on, ends_on)
    basis, weekly, points, method = _check_contribution(
        contribution_basis or budget.contribution_basis, contribution_weekly_pence,
        contribution_basis_points, contribution_method)
    budget.name = new_name
    budget.kind = BudgetKind(kind) if kind else budget.kind
    budget.nhs_body = _text(nhs_body, 200, "nhs_body", _l("NHS body"))
    budget.period_starts_on, budget.period_ends_on = starts_on, ends_on
    budget.payment_frequency = frequency
    budget.instalment_pence = instalment_pence
    budget.first_payment_on = first_payment_on
    budget.contribution_basis = basis
    budget.contribution_weekly_pence = weekly
    budget.contribution_basis_points = points
    budget.contribution_method = method
    session.flush()
    return budget


def _floor(session: Session, budget: Budget) -> tuple[int, dict[FundingStream, int]]:
    """What is already spent or set aside: the least the allocation (and each stream's
    share) may be; and likewise what the funder has paid in (instalments never
    exceed the allocation)."""
    figures = ledger.balances_by_stream(session, budget)
    per_stream = {s: max(b.committed_pence + b.spent_pence, b.instalments_pence)
                  for s, b in figures.items()}
    total = ledger.balances(session, budget)
    return max(total.committed_pence + total.spent_pence, total.instalments_pence), per_stream


def _check_floor(session, budget, allocation: int, shares: dict[FundingStream, int]) -> None:
    floor, per_stream = _floor(session, budget)
    if allocation < floor:
        raise BudgetError(_l(
            "The budget cannot be less than %(floor)s: that much is already spent, set "
            "aside or paid in", floor=format_pence(floor)), "amount")
    for stream, used in per_stream.items():
        if shares.get(stream, 0) < used:
            raise BudgetError(_l(
                "The %(stream)s share cannot be less than %(used)s: that much of it is "
                "already spent, set aside or paid in", stream=stream.label,
                used=format_pence(used)), "streams")


def set_indicative(session: Session, budget: Budget, indicative_pence: int, *, actor=None,
                   streams: dict[FundingStream, int] | None = None,
                   holdings: list[HoldingSpec] | None = None) -> Budget:
    """Record a new indicative amount (before the budget is agreed)."""
    if budget.status is not BudgetStatus.INDICATIVE:
        raise BudgetError(_l("The budget is already agreed: change the agreed amount "
                             "instead"), "amount")
    amount = _amount(indicative_pence, "amount", _l("indicative amount"))
    _apply_amount(session, budget, amount, streams, holdings)
    budget.indicative_pence = amount
    session.flush()
    return budget


def _scaled(current: dict, old_total: int, new_total: int) -> dict:
    if len(current) == 1:
        return {next(iter(current)): new_total}
    if old_total == 0:
        first = next(iter(current))
        return {k: (new_total if k == first else 0) for k in current}
    keys = list(current)
    parts = split_pence(new_total, [current[k] for k in keys])
    return dict(zip(keys, parts, strict=True))


def _apply_amount(session, budget: Budget, amount: int, streams, holdings) -> None:
    """Check and set the streams and holdings for a new amount (scaled from the
    current ones when not given)."""
    old = budget.allocation_pence
    shares = _check_shares(streams if streams is not None else _scaled(
        budget.stream_shares, old, amount), amount)
    if holdings is None:
        current = {i: h.amount_pence for i, h in enumerate(budget.holdings)}
        scaled = _scaled(current, old, amount) if current else {}
        holdings = [HoldingSpec(h.method, scaled[i], h.organisation_name, h.provider_id)
                    for i, h in enumerate(budget.holdings)]
    held = _check_holdings(holdings, amount)
    _check_floor(session, budget, amount, shares)
    _replace_streams(budget, shares)
    budget.holdings = [_holding(h) for h in held]


def _replace_streams(budget: Budget, shares: dict[FundingStream, int]) -> None:
    by_stream = {s.stream: s for s in budget.streams}
    for stream, row in by_stream.items():
        if stream not in shares:
            budget.streams.remove(row)
    for stream, pence in shares.items():
        if stream in by_stream:
            by_stream[stream].share_pence = pence
        else:
            budget.streams.append(BudgetStream(stream=stream, share_pence=pence))


def _post_allocation(session: Session, budget: Budget, actor, on: date | None) -> None:
    """Post the difference between the budget's shares and what the ledger holds."""
    try:
        ledger.allocate(session, budget, budget.stream_shares, on=on, actor=actor)
    except ledger.LedgerError as exc:
        raise BudgetError(exc.message, "amount") from exc


def agree_allocation(session: Session, budget: Budget, agreed_pence: int, *, actor=None,
                     streams: dict[FundingStream, int] | None = None,
                     holdings: list[HoldingSpec] | None = None,
                     on: date | None = None) -> Budget:
    """Agree (or change) the allocation, and post it (or only the change) to the
    ledger, split by the stream shares: what may be committed from then on. Refused
    below what is already spent, set aside or paid in, overall or for any stream; a
    stream with money received, set aside or spent cannot be removed. ``on`` dates
    a change (by default: the first agreement counts from the start of the period,
    a later change from today)."""
    if budget.status is BudgetStatus.CLOSED:
        raise BudgetError(_l("This budget is closed"), "amount")
    amount = _amount(agreed_pence, "amount", _l("agreed amount"), allow_zero=False)
    for challenge in budget.challenges:
        if challenge.decision is ChallengeDecision.PENDING:
            raise BudgetError(_l("A challenge to the indicative amount is waiting for a "
                                 "decision: decide it first"), "amount")
    if streams is not None:
        # A stream that only has its allocation may be dropped (the allocation goes
        # back); one with money received, set aside or spent is kept.
        moved = {s for s, b in ledger.balances_by_stream(session, budget).items()
                 if b.received_pence or b.committed_pence or b.spent_pence}
        missing = moved - set(streams)
        if missing:
            raise BudgetError(_l("Money has already moved in %(stream)s: keep that stream",
                                 stream=sorted(missing)[0].label), "streams")
    before = budget.agreed_pence
    _apply_amount(session, budget, amount, streams, holdings)
    budget.agreed_pence = amount
    budget.status = BudgetStatus.AGREED
    session.flush()
    _post_allocation(session, budget, actor, on)
    _status_change(session, budget, actor, "budget_agreed",
                   {"before_pence": before, "agreed_pence": amount})
    return budget


def close_budget(session: Session, budget: Budget, *, actor=None) -> Budget:
    """Close the budget: nothing new can be paid in, set aside or allocated. Posts
    nothing: money already set aside stays set aside (late invoices are still paid
    from it, and releases go back to available, where nothing can commit them)."""
    budget.status = BudgetStatus.CLOSED
    session.flush()
    _status_change(session, budget, actor, "budget_closed", {})
    return budget


def record_challenge(session: Session, budget: Budget, *, raised_on: date, raised_by: str,
                     grounds: str, requested_pence: int | None = None,
                     actor=None) -> BudgetChallenge:
    """Record that the person (or someone for them) challenged the indicative amount."""
    if budget.status is not BudgetStatus.INDICATIVE:
        raise BudgetError(_l("Only an indicative amount can be challenged; this budget is "
                             "already agreed"), "grounds")
    if any(c.decision is ChallengeDecision.PENDING for c in budget.challenges):
        raise BudgetError(_l("A challenge is already waiting for a decision"), "grounds")
    if not isinstance(raised_on, date):
        raise BudgetError(_l("Enter the date the challenge was made"), "raised_on")
    if raised_on > ledger._today() + timedelta(days=1):
        raise BudgetError(_l("The date of the challenge cannot be in the future"), "raised_on")
    if requested_pence is not None:
        _amount(requested_pence, "requested", _l("amount asked for"))
    challenge = BudgetChallenge(
        raised_on=raised_on,
        raised_by=_text(raised_by, 120, "raised_by", _l("name of who challenged it"),
                        required=True),
        grounds=_text(grounds, 2000, "grounds", _l("grounds for the challenge"), required=True),
        requested_pence=requested_pence, amount_before_pence=budget.indicative_pence,
        recorded_by_id=getattr(actor, "id", None))
    budget.challenges.append(challenge)
    session.flush()
    return challenge


def decide_challenge(session: Session, challenge: BudgetChallenge, *,
                     decision: ChallengeDecision, reason: str, decided_on: date,
                     new_indicative_pence: int | None = None, actor=None) -> BudgetChallenge:
    """Decide a challenge. Upheld (fully or partly) needs the new indicative amount,
    which replaces the old one (streams and holdings scaled to match)."""
    decision = ChallengeDecision(decision)
    if challenge.decision is not ChallengeDecision.PENDING:
        raise BudgetError(_l("This challenge has already been decided"), "decision")
    if decision is ChallengeDecision.PENDING:
        raise BudgetError(_l("Choose a decision"), "decision")
    reason = _text(reason, 2000, "reason", _l("reason for the decision"), required=True)
    if not isinstance(decided_on, date) or decided_on < challenge.raised_on:
        raise BudgetError(_l("The decision cannot be dated before the challenge"),
                          "decided_on")
    budget = challenge.budget
    if decision.changes_amount:
        if new_indicative_pence is None:
            raise BudgetError(_l("Enter the new indicative amount"), "new_amount")
        amount = _amount(new_indicative_pence, "new_amount", _l("new indicative amount"))
        if amount == budget.indicative_pence:
            raise BudgetError(_l("An upheld challenge changes the amount: enter the new "
                                 "amount, or choose 'not upheld'"), "new_amount")
        _apply_amount(session, budget, amount, None, None)
        budget.indicative_pence = amount
        challenge.amount_after_pence = amount
    else:
        challenge.amount_after_pence = budget.indicative_pence
    challenge.decision = decision
    challenge.decision_reason = reason
    challenge.decided_on = decided_on
    challenge.decided_by_id = getattr(actor, "id", None)
    session.flush()
    return challenge


def set_holdings(session: Session, budget: Budget, holdings: list[HoldingSpec], *,
                 actor=None) -> Budget:
    held = _check_holdings(holdings, budget.allocation_pence)
    budget.holdings = [_holding(h) for h in held]
    session.flush()
    return budget


def set_streams(session: Session, budget: Budget, shares: dict[FundingStream, int], *,
                actor=None) -> Budget:
    """Change how the allocation is split between streams (same total). On an agreed
    budget the difference for each stream is posted to the ledger."""
    if budget.status is BudgetStatus.CLOSED:
        raise BudgetError(_l("This budget is closed"), "streams")
    clean = _check_shares(shares, budget.allocation_pence)
    _check_floor(session, budget, budget.allocation_pence, clean)
    _replace_streams(budget, clean)
    session.flush()
    if budget.status is BudgetStatus.AGREED:
        _post_allocation(session, budget, actor, None)
    return budget


# --- the payment schedule -------------------------------------------------------

def split_pence(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights``, to the penny, with the pennies
    left over going to the largest remainders (so the parts always add up)."""
    weight_sum = sum(weights)
    if weight_sum <= 0:
        return [total] + [0] * (len(weights) - 1)
    raw = [total * w for w in weights]
    parts = [r // weight_sum for r in raw]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] % weight_sum), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def instalment_dates(budget: Budget) -> list[date]:
    """Every date the schedule pays on, within the period."""
    first = budget.first_payment_on or budget.period_starts_on
    frequency = budget.payment_frequency
    if frequency is PaymentFrequency.ONE_PAYMENT:
        return [first]
    days, n = [], 0
    while True:
        if frequency.weeks:
            day = first + timedelta(weeks=frequency.weeks * n)
        else:
            day = _add_months(first, (frequency.months or 1) * n)
        if day > budget.period_ends_on:
            return days
        days.append(day)
        n += 1


def scheduled_amounts(budget: Budget) -> list[tuple[date, int]]:
    """(date, amount) of each instalment the schedule pays. The instalment amount is
    used as set; without one the allocation is spread evenly (the last instalment
    takes the odd pennies). Never more than the allocation in all."""
    days = instalment_dates(budget)
    if not days:
        return []
    allocation = budget.allocation_pence
    if budget.instalment_pence:
        amounts, left = [], allocation
        for _day in days:
            amount = min(budget.instalment_pence, left)
            amounts.append(amount)
            left -= amount
    else:
        amounts = split_pence(allocation, [1] * len(days))
    return [(d, a) for d, a in zip(days, amounts, strict=True) if a > 0]


def record_scheduled_instalments(session: Session, budget: Budget, *, up_to: date,
                                 actor=None) -> list[LedgerTransfer]:
    """Record every instalment the schedule says was paid on or before ``up_to`` and
    not yet recorded, each split across the streams by their shares. Safe to run
    again: each instalment has its own key."""
    if budget.status is not BudgetStatus.AGREED:
        raise BudgetError(_l("Agree the budget before recording its payments"), "up_to")
    shares = budget.stream_shares
    streams = list(shares)
    posted = []
    try:
        with session.begin_nested():  # all or nothing
            for day, amount in scheduled_amounts(budget):
                if day > up_to:
                    break
                parts = split_pence(amount, [shares[s] for s in streams])
                for stream, part in zip(streams, parts, strict=True):
                    key = f"budget:{budget.id}:scheduled:{day.isoformat()}:{stream.value}"
                    if part <= 0 or ledger.find_transfer(session, key) is not None:
                        continue
                    posted.append(ledger.record_instalment(
                        session, budget, part, stream=stream, received_on=day, key=key,
                        description=str(_l("Scheduled payment")), actor=actor))
    except ledger.LedgerError as exc:
        raise BudgetError(exc.message, "up_to") from exc
    return posted
