"""The demo history's support plans and reviews, through the plan services
(``create_plan``, ``add_outcome``, ``submit``, ``decide``, ``record_review``), dated
back to when they happened.

Every agreed budget gets a plan: one outcome per need, each with its planned spend
on a category, agreed a week or three into the budget year (the newest may still
be waiting). Reviews follow 7 weeks after a first plan, then yearly (a quarter of
people half way through the year too). What a review
finds depends on the support: an outcome whose support was being delivered mostly
got better; one nothing was bought for mostly stayed the same or got worse, which
is how the two gaps show in the outcomes report.
"""

from __future__ import annotations

from datetime import date, timedelta

from marketplace.accounts.models import User
from marketplace.budgets.plans import services as plans
from marketplace.budgets.plans.models import Decision, ReviewResult, SupportPlan
from marketplace.reports.demo_attempts import Attempt
from marketplace.reports.demo_budgets import Period, at

RISKS = [
    ("My support is late or does not come", "My neighbour has a key and checks on me"),
    ("My carer is ill and cannot look after me", "A back-up sitter is agreed"),
    ("The money runs out before the end of the year", "I check the Budget Minder each month"),
    ("I get lost when I go out on my own", "I carry a card with my support worker's number"),
]
FAMILY = "My family, friends and free local groups help with this"
OWN_MONEY = "I pay for this myself: my health budget cannot pay for it"
# Reviews: 7 weeks after a first plan is agreed, then once a year (just before the
# budget is renewed); a few people are reviewed half way through the year too.
FIRST_REVIEW_WEEKS, HALF_YEAR_WEEKS, YEARLY_REVIEW_WEEKS = 7, 26, 49
R = ReviewResult
SERVED = ((R.BETTER, 75), (R.SAME, 22), (R.WORSE, 3))
UNSERVED = ((R.BETTER, 5), (R.SAME, 45), (R.WORSE, 50))


def _weighted(rng, options):
    roll = rng.uniform(0, sum(w for _o, w in options))
    for option, weight in options:
        roll -= weight
        if roll <= 0:
            return option
    return options[-1][0]


def create_plans(session, rng, periods: list[Period], officer, today: date) -> int:
    """A plan for every agreed budget; returns how many were agreed."""
    agreed = 0
    for period in periods:
        if not period.agreed:
            continue
        person = period.person
        holder = session.get(User, person.user_id)
        budget = period.budget
        plan = plans.create_plan(session, holder, title=f"My support plan {period.starts_on:%B %Y}",
                                 created_by=holder, budget_id=budget.id,
                                 council_id=budget.council_id)
        period.bought = person.bought
        weights = [person.costs[need] for need in period.bought]
        usable = budget.allocation_pence * 95 // 100
        for need in person.needs:
            amount = 0
            if need in period.bought:
                weight = weights[period.bought.index(need)]
                amount = usable * weight // sum(weights) // 1000 * 1000
                period.planned[need] = amount
            plans.add_outcome(session, plan, domain=need.domain, what_i_want=need.want,
                              what_i_will_do=need.do if amount else
                              OWN_MONEY if need in person.own else FAMILY,
                              spend=[(need.planned, amount)] if amount else [])
        for risk, managed in rng.sample(RISKS, rng.randint(1, 2)):
            plans.add_risk(session, plan, risk=risk, how_managed=managed)
        version = plans.submit(session, plan, holder)
        drafted = period.starts_on - timedelta(days=rng.randint(3, 10))
        plan.created_at = version.created_at = at(drafted, 11)
        decided = period.starts_on + timedelta(days=rng.randint(3, 18))
        version.submitted_at = at(drafted + timedelta(days=2), 15)
        period.plan_id = plan.id
        if decided >= today:
            continue  # still waiting to be agreed
        decision = plans.decide(session, plan, officer, decision=Decision.AGREED, reason="",
                                today=decided, first_review_on=decided + timedelta(weeks=7))
        decision.created_at = at(decided, 14)
        period.agreed_on = decided
        agreed += 1
    session.flush()
    return agreed


def _served_since(attempts: list[Attempt], today: date) -> dict[tuple[int, str], date]:
    """(plan id, planned category) -> the first visit of support bought for it."""
    first: dict[tuple[int, str], date] = {}
    for attempt in attempts:
        visits = attempt.visits(today) if attempt.order_id else []
        if visits and attempt.stop_on is None:
            key = (attempt.period.plan_id, attempt.need.planned)
            first[key] = min(first.get(key, visits[0]), visits[0])
    return first


def record_reviews(session, rng, periods: list[Period], attempts: list[Attempt], officer,
                   today: date) -> int:
    served = _served_since(attempts, today)
    made = 0
    for period in periods:
        if period.agreed_on is None:
            continue
        plan = session.get(SupportPlan, period.plan_id)
        first = period is period.person.periods[0]
        offsets = [FIRST_REVIEW_WEEKS] if first else []
        offsets += [HALF_YEAR_WEEKS] if rng.random() < .25 else []
        for weeks in [*offsets, YEARLY_REVIEW_WEEKS]:
            day = period.agreed_on + timedelta(weeks=weeks, days=rng.randint(-3, 3))
            if day >= today or day > period.ends_on:
                break
            results = {}
            for need in period.person.needs:
                since = served.get((period.plan_id, need.planned))
                helped = since is not None and since <= day - timedelta(weeks=3)
                results[need.domain] = _weighted(rng, SERVED if helped else UNSERVED)
            review = plans.record_review(session, plan, officer, reviewed_on=day,
                                         results=results, notes="", today=today)
            review.created_at = at(day, 15)
            made += 1
    session.flush()
    return made
