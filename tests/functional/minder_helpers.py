"""Set-up for Budget Minder, plan and pool tests: budgets with ledger history, plans
and pools, all committed."""

from __future__ import annotations

from datetime import date, timedelta

from catalogue.taxonomy import FundingStream, Outcome
from marketplace.accounts import services as accounts
from marketplace.accounts.roles import AuthorityType, Scope
from marketplace.budgets import services as budgets
from marketplace.budgets.enums import HoldingMethod
from marketplace.budgets.plans import services as plans
from marketplace.budgets.plans.models import Decision
from marketplace.budgets.pools import create_pool
from marketplace.ledger import services as ledger
from tests.budget_helpers import make_budget
from tests.conftest import csrf_token

ASC = FundingStream.ADULT_SOCIAL_CARE
TODAY = date(2026, 7, 15)


def with_history(session, budget, *, provider_id=None, tag="h"):
    """£3,000 paid in (April, May, June), £300 spent in May on personal care, £150
    spent in June on leisure, £200 set aside in July, a £20 refund in June."""
    stream = budget.main_stream
    for n, day in enumerate((date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1))):
        ledger.record_instalment(session, budget, 100_000, stream=stream, received_on=day,
                                 key=f"{tag}:{budget.id}:in{n}")
    ledger.commit(session, budget, 30_000, stream=stream, key=f"{tag}:{budget.id}:c1",
                  reference="order:1", provider_id=provider_id, category="personal-care",
                  on=date(2026, 5, 2))
    ledger.settle(session, budget, 30_000, stream=stream, key=f"{tag}:{budget.id}:s1",
                  reference="order:1", provider_id=provider_id, category="personal-care",
                  on=date(2026, 5, 30))
    ledger.commit(session, budget, 15_000, stream=stream, key=f"{tag}:{budget.id}:c2",
                  reference="order:2", provider_id=provider_id, category="arts-and-culture",
                  on=date(2026, 6, 3))
    ledger.settle(session, budget, 15_000, stream=stream, key=f"{tag}:{budget.id}:s2",
                  reference="order:2", provider_id=provider_id, category="arts-and-culture",
                  on=date(2026, 6, 20))
    ledger.refund(session, budget, 2_000, stream=stream, key=f"{tag}:{budget.id}:f1",
                  reference="order:2", provider_id=provider_id, on=date(2026, 6, 25))
    ledger.commit(session, budget, 20_000, stream=stream, key=f"{tag}:{budget.id}:c3",
                  reference="order:3", provider_id=provider_id, category="personal-care",
                  on=date(2026, 7, 1))
    session.commit()
    return budget


def authority(session, officer, rep, holder, council, scope=Scope.VIEW):
    found = accounts.create_authority(
        session, created_by=officer, representative=rep, holder=holder, council=council,
        authority_type=AuthorityType.FAMILY_CARER, scope=scope,
        starts_on=TODAY - timedelta(days=365), ends_on=None, evidence_reference="E1")
    session.commit()
    return found


def act_for(client, found) -> None:
    token = csrf_token(client, "/acting/")
    response = client.post(f"/acting/start/{found.id}", data={"csrf_token": token})
    assert response.status_code == 302


def agreed_plan(session, holder, budget, officer, today=TODAY):
    plan = plans.create_plan(session, holder, title="My plan 2026", created_by=holder,
                             budget_id=budget.id, council_id=budget.council_id)
    plans.add_outcome(session, plan, domain=Outcome.DAILY_LIVING,
                      what_i_want="Get up and dressed", what_i_will_do="Morning calls",
                      spend=[("personal-care", 600_000)])
    plans.add_outcome(session, plan, domain=Outcome.PART_OF_COMMUNITY,
                      what_i_want="Go to the art group", what_i_will_do="Weekly class",
                      spend=[("leisure-and-social", 100_000)])
    plans.add_risk(session, plan, risk="Carer ill", how_managed="Back-up agency")
    plans.submit(session, plan, holder)
    plans.decide(session, plan, officer, decision=Decision.AGREED, reason="",
                 today=today - timedelta(days=60), first_review_on=today - timedelta(days=18))
    session.commit()
    return plan


def another_councils_objects(session, stranger, other_council, officer) -> dict:
    """For the access matrix: a budget, plan and pool of a person in another council."""
    budget = make_budget(session, stranger, other_council, amount=600_000, paid_in=100_000,
                         holdings=[budgets.HoldingSpec(HoldingMethod.COUNCIL_MANAGED, 600_000)])
    second = make_budget(session, stranger, other_council, amount=300_000,
                         name="Second budget")
    plan = plans.create_plan(session, stranger, title="Stranger plan", created_by=stranger,
                             budget_id=budget.id, council_id=other_council.id)
    outcome = plans.add_outcome(session, plan, domain=Outcome.STAYING_SAFE,
                                what_i_want="Safe", what_i_will_do="Alarm",
                                spend=[("equipment-and-technology", 10_000)])
    risk = plans.add_risk(session, plan, risk="Falls", how_managed="Alarm")
    pool = create_pool(session, council_id=other_council.id, name="Stranger family",
                       budgets=[budget, second])
    session.commit()
    return {"budget_id": budget.id, "plan_id": plan.id, "outcome_id": outcome.id,
            "risk_id": risk.id, "number": 1, "pool_id": pool.id}


def plan_forms(session, holder, officer, council) -> list[tuple]:
    """For test_bad_input: (who, form URL) for the support plan forms. (The risk form is
    free text only, so it is tested in test_support_plans.py instead.)"""
    budget = make_budget(session, holder, council, name="Junk test budget")
    draft = plans.create_plan(session, holder, title="Junk draft", created_by=holder,
                              budget_id=budget.id)
    waiting = plans.create_plan(session, holder, title="Junk waiting", created_by=holder,
                                budget_id=budget.id)
    plans.add_outcome(session, waiting, domain=Outcome.DAILY_LIVING, what_i_want="Up",
                      what_i_will_do="Calls", spend=[("personal-care", 10_000)])
    plans.add_risk(session, waiting, risk="Ill", how_managed="Back-up")
    plans.submit(session, waiting, holder)
    agreed = agreed_plan(session, holder, budget, officer, today=date.today())
    session.commit()
    return [
        (holder, "/my/plans/new"),
        (holder, f"/my/plans/{draft.id}/outcomes/new"),
        (officer, f"/council/plans/{waiting.id}"),
        (officer, f"/council/plans/{agreed.id}/review"),
    ]
