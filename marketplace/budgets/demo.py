"""Demo budgets and ledger history for the Ashdown demo council (called by
`flask demo seed`). Deterministic (a fixed random seed) and idempotent (nothing is
added if the council already has budgets).

Every demo budget holder gets a budget of £4,000 to £40,000 a year: most are direct
payments, some council-managed, one a managed account held by Pinner Budget Support,
one an Individual Service Fund held by Harrow Home Care Ltd, some mixed and some from
several funding streams; Margaret Okafor also has a personal health budget. Two are
still indicative (one challenged and waiting, one whose challenge was decided). The
Okafor family (Joy, and her children Tobi and Ada, with children's services budgets)
are all represented by Sarah Okafor (rep@ashdown.example). Agreed budgets have their
allocation in the ledger (posted when agreed: what may be committed), and "historic
purchases" from demo providers (commitments, most of them settled, the latest still
set aside). Budgets paid to someone (a direct payment, managed account or Individual
Service Fund) also have their scheduled payments up to today and contributions paid
in, as cash history; a budget wholly managed by the council is paid to nobody.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from catalogue.models import ProviderOrganisation
from catalogue.taxonomy import FundingStream
from marketplace.accounts import services as accounts
from marketplace.accounts.models import Council, User
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.budgets import services
from marketplace.budgets.enums import (
    BudgetKind,
    ChallengeDecision,
    ClientGroup,
    ContributionBasis,
    ContributionMethod,
    HoldingMethod,
    PaymentFrequency,
)
from marketplace.budgets.models import Budget
from marketplace.budgets.rules import may_buy
from marketplace.ledger import services as ledger

FS = FundingStream
HM = HoldingMethod
ISF_PROVIDER = "Harrow Home Care Ltd"
MANAGED_ACCOUNT_HOLDER = "Pinner Budget Support"
# (provider name, category, typical purchase in pence) for historic purchases.
PURCHASES = [
    ("Harrow Home Care Ltd", "getting-up-and-dressed", 49_000),
    ("Bluebell Care Services", "getting-up-and-dressed", 45_900),
    ("Amira Hassan PA", "pa-everyday-support", 34_800),
    ("Kasia Nowicka PA", "pa-everyday-support", 32_400),
    ("Joseph Mensah PA", "pa-everyday-support", 33_600),
    ("Sunrise Day Opportunities", "creative-and-skills", 22_000),
    ("Ride Together Community Transport", "door-to-door", 5_400),
    ("Harrow Carers", "sitting-for-carers", 18_000),
    ("Little Acorns Short Breaks", "sitting-for-carers", 24_000),
    ("Wealdstone Community Kitchen CIC", "meals-delivered", 9_100),
    ("Bridges Housing Support", "tenancy-support", 8_800),
    ("Stanmore Floating Support", "tenancy-support", 7_600),
    ("Edgware Tech Helpers", "assistive-technology", 8_000),
    ("Roxeth Learning Together", "job-coaching", 10_000),
    ("Belmont Swim and Gym Buddies", "clubs-and-groups", 7_200),
    ("Kenton Domiciliary Care", "cleaning-and-laundry", 15_600),
]
FAMILY = [
    ("joy.okafor@ashdown.example", "Joy Okafor", BudgetKind.PERSONAL_BUDGET,
     FS.ADULT_SOCIAL_CARE, 2_160_000, "Personal budget"),
    ("tobi.okafor@ashdown.example", "Tobi Okafor", BudgetKind.CHILDRENS_BUDGET,
     FS.CHILDRENS_SERVICES, 780_000, "Children's short breaks budget"),
    ("ada.okafor@ashdown.example", "Ada Okafor", BudgetKind.CHILDRENS_BUDGET,
     FS.CHILDRENS_SERVICES, 546_000, "Children's short breaks budget"),
]


def demo_period(today: date) -> tuple[date, date]:
    """The financial year containing ``today``; early in a year (fewer than 120 days
    in), a year from the first of the month five months ago instead, so the demo
    always has a few months of history."""
    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    if (today - start).days < 120:
        month = today.month - 5
        start = date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    end = date(start.year + 1, start.month, 1) - timedelta(days=1)
    return start, end


def seed_budgets(session, today: date) -> int:
    """Add the demo budgets and their history; returns how many budgets were made."""
    council = session.scalar(select(Council).where(Council.slug == "ashdown"))
    if council is None or session.scalar(select(Budget.id).where(
            Budget.council_id == council.id).limit(1)) is not None:
        return 0
    rng = random.Random(20260505)  # noqa: S311 - deterministic demo data
    officer = accounts.find_user_by_email(session, "officer@ashdown.example")
    providers = {p.name: p for p in session.scalars(select(ProviderOrganisation).where(
        ProviderOrganisation.name.in_([name for name, _c, _p in PURCHASES])))}
    isf = providers.get(ISF_PROVIDER)
    start, end = demo_period(today)
    holders = sorted(session.scalars(
        select(User).where(User.email_normalised.like("holder%@ashdown.example"))),
        key=lambda u: (u.email_normalised != "holder@ashdown.example", u.email_normalised))
    made = []
    for index, holder in enumerate(holders):
        made += _budgets_for(session, rng, index, holder, council, officer, isf, start, end)
    made += _family(session, council, officer, start, end, today)
    _about_the_people(made)
    for budget, agreed in made:
        if agreed:
            _history(session, rng, budget, providers, today, officer)
    session.flush()
    return len(made)


# Primary support reasons of adults, with rough weights (physical support is the
# most common reason in councils' returns), and the years of birth of adults.
ADULT_GROUPS = [(ClientGroup.PHYSICAL_SUPPORT, 40), (ClientGroup.MEMORY_AND_COGNITION, 14),
                (ClientGroup.LEARNING_DISABILITY, 15), (ClientGroup.MENTAL_HEALTH, 12),
                (ClientGroup.SENSORY_SUPPORT, 5), (ClientGroup.SOCIAL_SUPPORT, 6),
                (ClientGroup.CARER, 8)]
NOT_RECORDED_EVERY = 11  # one person in so many has neither recorded, as in real data


def _about_the_people(made) -> None:
    """Fill each demo budget's primary support reason and year of birth (the same
    for all of one person's budgets), from a random sequence of its own so the rest
    of the demo stays exactly as it was. Children's budgets are for disabled
    children; Margaret Okafor is in her eighties."""
    rng = random.Random(20261123)  # noqa: S311 - deterministic demo data
    known: dict[int, tuple] = {}
    for index, (budget, _agreed) in enumerate(made):
        if budget.holder_id not in known:
            if budget.kind is BudgetKind.CHILDRENS_BUDGET:
                known[budget.holder_id] = (ClientGroup.DISABLED_CHILD, rng.randint(2010, 2020))
            elif index and index % NOT_RECORDED_EVERY == 0:
                known[budget.holder_id] = (None, None)
            else:
                group = rng.choices([g for g, _w in ADULT_GROUPS],
                                    weights=[w for _g, w in ADULT_GROUPS])[0]
                older = rng.random() < 0.55  # just over half of budgets are older people's
                born = rng.randint(1930, 1960) if older else rng.randint(1961, 2006)
                known[budget.holder_id] = (group, 1941 if index == 0 else born)
        budget.client_group, budget.birth_year = known[budget.holder_id]


def _create(session, holder, council, officer, start, end, *, amount, name,
            kind=BudgetKind.PERSONAL_BUDGET, streams=None, holdings=None, nhs_body=None,
            frequency=PaymentFrequency.FOUR_WEEKLY, contribution=None, agreed=True):
    basis, weekly, points, method = contribution or (ContributionBasis.NONE, None, None, None)
    budget = services.create_budget(
        session, holder=holder, council=council, kind=kind, name=name,
        period_starts_on=start, period_ends_on=end, indicative_pence=amount, streams=streams,
        holdings=holdings, nhs_body=nhs_body, payment_frequency=frequency,
        first_payment_on=start + timedelta(days=(7 - start.weekday()) % 7),
        contribution_basis=basis, contribution_weekly_pence=weekly,
        contribution_basis_points=points, contribution_method=method, actor=officer)
    if agreed:
        services.agree_allocation(session, budget, amount, actor=officer)
    return budget, agreed


def _budgets_for(session, rng, index, holder, council, officer, isf, start, end):
    title = f"Personal budget {start.year} to {end.year}"
    amount = rng.randrange(4_000, 40_000, 20) * 100
    weekly = (ContributionBasis.WEEKLY_AMOUNT, rng.randrange(500, 6_000, 10), None,
              ContributionMethod.PAID_INTO_BUDGET)
    if index == 0:  # Margaret Okafor: a personal budget and a personal health budget
        return [
            _create(session, holder, council, officer, start, end, amount=1_482_000,
                    name=title, contribution=(ContributionBasis.WEEKLY_AMOUNT, 1_840, None,
                                              ContributionMethod.PAID_INTO_BUDGET)),
            _create(session, holder, council, officer, start, end, amount=624_000,
                    name=f"Personal health budget {start.year} to {end.year}",
                    kind=BudgetKind.PERSONAL_HEALTH_BUDGET,
                    nhs_body="NHS North West London Integrated Care Board",
                    frequency=PaymentFrequency.QUARTERLY)]
    special = {
        1: {"amount": 1_860_000, "kind": BudgetKind.INDIVIDUAL_BUDGET,
            "streams": {FS.ADULT_SOCIAL_CARE: 1_500_000, FS.SUPPORTING_PEOPLE: 360_000},
            "holdings": [services.HoldingSpec(HM.DIRECT_PAYMENT, 930_000),
                         services.HoldingSpec(HM.MANAGED_ACCOUNT, 930_000,
                                              organisation_name=MANAGED_ACCOUNT_HOLDER)]},
        2: {"amount": 2_340_000, "holdings": [services.HoldingSpec(HM.COUNCIL_MANAGED,
                                                                    2_340_000)],
            "contribution": (ContributionBasis.PERCENTAGE, None, 2_500,
                             ContributionMethod.PAID_TO_PROVIDER)},
        3: {"amount": 3_120_000, "holdings": [services.HoldingSpec(
            HM.INDIVIDUAL_SERVICE_FUND, 3_120_000, provider_id=isf.id if isf else None)]
            if isf else None},
        4: {"amount": 3_640_000, "kind": BudgetKind.INDIVIDUAL_BUDGET,
            "streams": {FS.ADULT_SOCIAL_CARE: 2_400_000, FS.INDEPENDENT_LIVING_FUND: 1_000_000,
                        FS.DISABLED_FACILITIES_GRANT: 240_000},
            "holdings": [services.HoldingSpec(HM.DIRECT_PAYMENT, 2_640_000),
                         services.HoldingSpec(HM.COUNCIL_MANAGED, 1_000_000)]},
        5: {"amount": 1_150_000, "kind": BudgetKind.INDIVIDUAL_BUDGET,
            "streams": {FS.ADULT_SOCIAL_CARE: 850_000, FS.ACCESS_TO_WORK: 300_000},
            "frequency": PaymentFrequency.MONTHLY},
        7: {"amount": 424_400, "agreed": False},
        8: {"amount": 612_000, "agreed": False},
    }.get(index)
    if special is None:
        roll = rng.random()
        method = HM.DIRECT_PAYMENT if roll < 0.65 else HM.COUNCIL_MANAGED if roll < 0.9 \
            else HM.MANAGED_ACCOUNT
        special = {"amount": amount, "holdings": [services.HoldingSpec(
            method, amount, organisation_name=MANAGED_ACCOUNT_HOLDER
            if method is HM.MANAGED_ACCOUNT else None)],
            "contribution": weekly if rng.random() < 0.4 else None}
    budget, agreed = _create(session, holder, council, officer, start, end, name=title,
                             **special)
    if index == 7:  # a challenge waiting for a decision
        services.record_challenge(session, budget, raised_on=start + timedelta(days=10),
                                  raised_by=f"{holder.first_name}'s daughter",
                                  grounds="The assessment did not count help needed at night.",
                                  requested_pence=600_000, actor=officer)
    if index == 8:  # a challenge decided in part
        challenge = services.record_challenge(
            session, budget, raised_on=start + timedelta(days=5), raised_by=holder.full_name,
            grounds="Travel to the day centre was left out.", requested_pence=700_000,
            actor=officer)
        services.decide_challenge(session, challenge, decision=ChallengeDecision.PARTLY_UPHELD,
                                  reason="Travel added at two return trips a week.",
                                  decided_on=start + timedelta(days=19),
                                  new_indicative_pence=655_200, actor=officer)
    return [(budget, agreed)]


def _family(session, council, officer, start, end, today):
    """Joy Okafor and her two children, all represented by Sarah Okafor."""
    from marketplace.demo import DEMO_PASSWORD

    sarah = accounts.find_user_by_email(session, "rep@ashdown.example")
    password_hash = accounts.hash_password(DEMO_PASSWORD)
    made = []
    for email, name, kind, stream, amount, label in FAMILY:
        person = accounts.find_user_by_email(session, email) or accounts.create_user(
            session, email=email, full_name=name, password="", password_hash=password_hash,
            roles=[(Role.BUDGET_HOLDER, council.id)])
        person.postcode = "HA3 5QX"
        if sarah is not None:
            accounts.create_authority(
                session, created_by=officer, representative=sarah, holder=person,
                council=council, authority_type=AuthorityType.FAMILY_CARER,
                scope=Scope.MONEY, starts_on=today - timedelta(days=300), ends_on=None,
                evidence_reference=f"FAMILY-OKAFOR-{len(made) + 1}")
        made.append(_create(session, person, council, officer, start, end, amount=amount,
                            kind=kind, streams={stream: amount},
                            name=f"{label} {start.year} to {end.year}"))
    return made


def _paid_to_someone(budget) -> bool:
    return any(m is not HM.COUNCIL_MANAGED for m in budget.holding_methods)


def _headroom(session, budget, stream, share: int, day: date, cash: bool) -> int:
    """What the demo may still spend from a stream by ``day``: the cash received so
    far for budgets paid to someone (so their statements never go overdrawn), else
    the allocation pro rata to the date; less what is spent and set aside; and never
    more than is available."""
    figures = ledger.balances(session, budget, stream=stream)
    if cash:
        paced = figures.received_pence
    else:
        period = (budget.period_ends_on - budget.period_starts_on).days + 1
        paced = share * ((day - budget.period_starts_on).days + 1) // period
    return min(paced - figures.spent_pence - figures.committed_pence,
               figures.available_pence)


def _history(session, rng, budget, providers, today, officer):
    cash = _paid_to_someone(budget)
    if cash:
        services.record_scheduled_instalments(session, budget, up_to=today, actor=officer)
    if (cash and budget.contribution_method is ContributionMethod.PAID_INTO_BUDGET
            and budget.contribution_weekly_pence):
        day = budget.period_starts_on + timedelta(days=3)
        while day <= today:
            ledger.record_contribution(session, budget, budget.contribution_weekly_pence * 4,
                                       received_on=day, key=f"demo:{budget.id}:own:{day}",
                                       description="Own contribution, 4 weeks", actor=officer)
            day += timedelta(weeks=4)
    for share in budget.streams:
        stream = share.stream
        choices = [p for p in PURCHASES if p[0] in providers and may_buy(stream, p[1])]
        if not choices:
            continue
        day, n = budget.period_starts_on + timedelta(days=rng.randrange(5, 12)), 0
        while day <= today:
            name, category, typical = rng.choice(choices)
            available = _headroom(session, budget, stream, share.share_pence, day, cash)
            amount = min(int(typical * rng.uniform(0.6, 1.6)), int(available * 0.45))
            if amount >= 1_000:
                n += 1
                reference = f"historic:{budget.id}:{stream.value}:{n}"
                common = {"stream": stream, "reference": reference,
                          "provider_id": providers[name].id, "category": category}
                ledger.commit(session, budget, amount, key=f"demo:{reference}:commit",
                              description=f"{name}: support booked", on=day, actor=officer,
                              **common)
                settled_on = day + timedelta(days=rng.randrange(14, 28))
                if settled_on <= today:
                    invoiced = amount if rng.random() < 0.85 else amount - amount // 10
                    ledger.settle(session, budget, invoiced, key=f"demo:{reference}:settle",
                                  committed_pence=amount, on=settled_on, actor=officer,
                                  description=f"{name}: invoice paid", **common)
            day += timedelta(days=rng.randrange(9, 20))
