"""The demo history's accounts and budgets, made through the accounts and budgets
services (``create_user``, ``create_budget``, ``agree_allocation``), then dated back
to when they would have been made.

Each budget holder has a budget for every year from their anchor month that has
started by today: one a year, so people whose first year ended during the history
have a renewed budget (some moving from a council-managed budget to a direct
payment, as councils encourage). The newest budgets may still be indicative.
Accounts have no usable password: nobody signs in as these people.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from catalogue.models import ProviderOrganisation
from catalogue.taxonomy import FundingStream
from catalogue.taxonomy import FundingStream as FS
from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.budgets import services as budgets
from marketplace.budgets.enums import BudgetKind, BudgetStatus, ClientGroup, PaymentFrequency
from marketplace.budgets.enums import HoldingMethod as HM
from marketplace.budgets.models import Budget
from marketplace.reports.demo_people import Person, health_budget

# An argon2 hash never starts with "!": no password matches it.
UNUSABLE_PASSWORD = "!history-no-sign-in"  # noqa: S105 - not a password
NHS_BODY = "NHS North West London Integrated Care Board"
# How often the council pays into a budget paid to someone (carers' budgets, being
# small, are paid in one go).
FREQUENCIES = (PaymentFrequency.QUARTERLY, PaymentFrequency.QUARTERLY,
               PaymentFrequency.QUARTERLY, PaymentFrequency.MONTHLY)


@dataclass
class Period:
    """One budget of one person, and what the history does with it."""

    person: Person
    budget: Budget | None  # None: a self-funder, who pays by card
    starts_on: date
    ends_on: date
    agreed: bool
    agreed_on: date | None = None       # the support plan, when agreed
    plan_id: int | None = None
    bought: list = field(default_factory=list)  # needs with money in the plan
    planned: dict = field(default_factory=dict)  # need -> pence planned for the year

    @property
    def stream(self) -> FundingStream:
        return self.budget.main_stream if self.budget else FundingStream.ADULT_SOCIAL_CARE


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@contextmanager
def as_of(day: date) -> Iterator[None]:
    """Let the ledger and invoicing take ``day`` as today (``TODAY_OVERRIDE``), so
    what the services date "today" is dated when it happened in the history."""
    config = current_app.config
    before = config.get("TODAY_OVERRIDE")
    config["TODAY_OVERRIDE"] = day
    try:
        yield
    finally:
        config["TODAY_OVERRIDE"] = before


def month_start(first: date, months: int) -> date:
    month = first.month - 1 + months
    return date(first.year + month // 12, month % 12 + 1, 1)


def history_start(today: date, months: int) -> date:
    """The first day of the month ``months - 1`` months before today's."""
    return month_start(date(today.year, today.month, 1), -(months - 1))


def create_accounts(session, people: list[Person], council, start: date) -> None:
    for person in people:
        roles = ([(Role.SELF_FUNDER, None)] if person.self_funder
                 else [(Role.BUDGET_HOLDER, council.id)])
        user = accounts.create_user(session, email=person.email, full_name=person.name,
                                    password="", password_hash=UNUSABLE_PASSWORD, roles=roles)
        user.postcode = person.postcode
        joined = month_start(start, max(person.anchor, 0)) - timedelta(days=20)
        user.created_at = at(joined, 9)
        person.user_id = user.id
    session.flush()


def _providers(session) -> dict[str, int]:
    rows = session.execute(select(ProviderOrganisation.name, ProviderOrganisation.id))
    return {name: provider_id for name, provider_id in rows}


# Money from another funding stream for what it may pay for (the rest is adult
# social care): housing support, work, equipment; the Independent Living Fund for
# some people with learning disabilities.
SPECIAL_STREAMS = {"housing-support": FS.SUPPORTING_PEOPLE,
                   "learning-and-employment": FS.ACCESS_TO_WORK,
                   "equipment-and-technology": FS.DISABLED_FACILITIES_GRANT}
ILF_NEEDS = {"personal-assistant", "day-opportunities"}
ROUND = 1_200  # budgets and shares in whole pounds a month (12 or 4 instalments)


def _kind(person: Person) -> tuple[BudgetKind, FundingStream | None, str | None]:
    """The kind of budget, its only stream (None: adult social care and perhaps
    others, by need) and the NHS body for a personal health budget."""
    if person.group is ClientGroup.DISABLED_CHILD:
        return BudgetKind.CHILDRENS_BUDGET, FS.CHILDRENS_SERVICES, None
    if health_budget(person):
        return BudgetKind.PERSONAL_HEALTH_BUDGET, FS.NHS_PERSONAL_HEALTH_BUDGET, NHS_BODY
    return BudgetKind.PERSONAL_BUDGET, None, None


def _streams(person: Person, only: FundingStream | None, amount: int) -> dict:
    """Each stream's share of ``amount``: a special stream first (so an order for
    what it pays for is paid from it), then adult social care for the rest."""
    if only is not None:
        return {only: amount}
    shares = {}
    for need, cost in person.costs.items():
        stream = SPECIAL_STREAMS.get(need.planned)
        if stream is None and need.planned in ILF_NEEDS and person.number % 3 == 0 and \
                person.group is ClientGroup.LEARNING_DISABILITY:
            stream = FS.INDEPENDENT_LIVING_FUND
        if stream is not None:  # whole pounds a month, so every instalment splits exactly
            share = cost * amount // person.yearly_pence // ROUND * ROUND
            shares[stream] = shares.get(stream, 0) + share
    rest = amount - sum(shares.values())
    if rest > 0:
        shares[FS.ADULT_SOCIAL_CARE] = rest
    return shares


def _holding(person: Person, method: HM, amount: int, providers) -> budgets.HoldingSpec:
    if method is HM.INDIVIDUAL_SERVICE_FUND:
        return budgets.HoldingSpec(method, amount, provider_id=providers[person.holder_of])
    if method is HM.MANAGED_ACCOUNT:
        return budgets.HoldingSpec(method, amount, organisation_name=person.holder_of)
    return budgets.HoldingSpec(method, amount)


def create_budgets(session, rng, people: list[Person], council, officer, start: date,
                   today: date) -> list[Period]:
    """Every person's budgets, agreed from the first day of their period (the newest
    ones, made in the last fortnight, are sometimes still indicative)."""
    providers = _providers(session)
    periods = []
    for person in people:
        if person.self_funder:
            continue
        kind, only, nhs_body = _kind(person)
        method = person.holding
        frequency = (PaymentFrequency.ONE_PAYMENT if person.group is ClientGroup.CARER
                     else rng.choice(FREQUENCIES))
        year = 0
        while (begins := month_start(start, person.anchor + 12 * year)) <= today:
            ends = month_start(start, person.anchor + 12 * (year + 1)) - timedelta(days=1)
            amount = (person.yearly_pence * (100 + 3 * year + rng.randint(-6, 6)) // 100
                      // ROUND * ROUND)
            if year and method is HM.COUNCIL_MANAGED and rng.random() < .35:
                method = HM.DIRECT_PAYMENT  # renewed as a direct payment
            streams = _streams(person, only, amount)
            if len(streams) > 1:
                kind = BudgetKind.INDIVIDUAL_BUDGET
            label = {BudgetKind.CHILDRENS_BUDGET: "Children's short breaks budget",
                     BudgetKind.PERSONAL_HEALTH_BUDGET: "Personal health budget",
                     BudgetKind.INDIVIDUAL_BUDGET: "Individual budget"}.get(
                kind, "Personal budget")
            budget = budgets.create_budget(
                session, holder=session.get(User, person.user_id), council=council,
                kind=kind, name=f"{label} {begins:%b %Y} to {ends:%b %Y}",
                period_starts_on=begins, period_ends_on=ends, indicative_pence=amount,
                streams=streams, holdings=[_holding(person, method, amount,
                                                              providers)],
                nhs_body=nhs_body, payment_frequency=frequency, first_payment_on=begins,
                actor=officer)
            budget.client_group, budget.birth_year = person.group, person.birth_year
            made_on = begins - timedelta(days=rng.randint(8, 20))
            budget.created_at = budget.updated_at = at(made_on, rng.randint(9, 16))
            agreed = not (begins > today - timedelta(days=14) and rng.random() < .5)
            if agreed:
                budgets.agree_allocation(session, budget, amount, actor=officer)
            periods.append(Period(person, budget, begins, ends, agreed))
            person.periods.append(periods[-1])
            year += 1
    session.flush()
    return periods


def record_cash(session, periods: list[Period], today: date, officer) -> None:
    """The council's scheduled payments into every budget paid to someone (a direct
    payment, managed account or Individual Service Fund), up to today."""
    for period in periods:
        budget = period.budget
        if period.agreed and budget.status is BudgetStatus.AGREED and any(
                m is not HM.COUNCIL_MANAGED for m in budget.holding_methods):
            budgets.record_scheduled_instalments(session, budget,
                                                 up_to=min(today, period.ends_on),
                                                 actor=officer)


def close_finished(session, periods: list[Period], today: date, officer) -> int:
    """Close the budgets whose year ended more than two months ago (their last
    invoices are in by then)."""
    closed = 0
    for period in periods:
        if period.budget.status is BudgetStatus.AGREED and \
                period.ends_on < today - timedelta(days=60):
            budgets.close_budget(session, period.budget, actor=officer)
            closed += 1
    return closed
