"""Support plans: drafting, sending, the council's decision with reasons, every
version kept, reviews, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts.roles import Role, Scope
from marketplace.budgets.plans.models import (
    PlanReviewResult,
    PlanStatus,
    SupportPlan,
    SupportPlanVersion,
)
from tests.budget_helpers import make_budget
from tests.conftest import csrf_token, sign_in
from tests.functional.minder_helpers import TODAY, act_for, agreed_plan, authority


@pytest.fixture()
def setting(db_session, make_user, council, other_council, freeze_today):
    freeze_today(TODAY)
    officer = make_user(Role.COUNCIL_OFFICER, name="Olive Officer")
    holder = make_user(Role.BUDGET_HOLDER, name="Hattie Holder")
    budget = make_budget(db_session, holder, council)
    return {"officer": officer, "holder": holder, "budget": budget,
            "far_officer": make_user(Role.COUNCIL_OFFICER, council_for=other_council)}


def _post(client, path, data=None, form_path=None):
    token = csrf_token(client, form_path or path)
    return client.post(path, data={**(data or {}), "csrf_token": token})


def _draft(client, budget_id) -> int:
    response = _post(client, "/my/plans/new", {"title": "My plan", "budget": str(budget_id)})
    assert response.status_code == 302
    plan_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = _post(client, f"/my/plans/{plan_id}/outcomes/new", {
        "domain": "daily_living", "what_i_want": "Get up", "what_i_will_do": "Morning calls",
        "category_1": "personal-care", "amount_1": "5,000", "category_2": "",
        "amount_2": "", "category_3": "", "amount_3": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    response = _post(client, f"/my/plans/{plan_id}/risks/new",
                     {"risk": "Carer ill", "how_managed": "Back-up agency"})
    assert response.status_code == 302
    return plan_id


def test_the_holder_drafts_and_sends_a_plan_and_the_officer_agrees_it(
        app, client, db_session, setting):
    sign_in(client, setting["holder"])
    plan_id = _draft(client, setting["budget"].id)
    page = client.get(f"/my/plans/{plan_id}").get_data(as_text=True)
    for step in ("My money", "Making my plan", "Getting my plan agreed",
                 "Organising my money", "Organising my support"):
        assert step in page
    assert "£5,000.00" in page and "govuk-task-list" in page
    response = _post(client, f"/my/plans/{plan_id}/submit", form_path=f"/my/plans/{plan_id}")
    assert response.status_code == 302
    assert db_session.get(SupportPlan, plan_id).status is PlanStatus.SUBMITTED

    officer = app.test_client()
    sign_in(officer, setting["officer"])
    assert "My plan" in officer.get("/council/plans/").get_data(as_text=True)
    refused = _post(officer, f"/council/plans/{plan_id}", {"decision": "changes_requested",
                                                          "reason": ""})
    assert refused.status_code == 400
    assert "Give the reasons" in refused.get_data(as_text=True)
    response = _post(officer, f"/council/plans/{plan_id}", {
        "decision": "agreed", "reason": "", "first_review_on": ["1", "9", "2026"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    plan = db_session.get(SupportPlan, plan_id)
    assert plan.status is PlanStatus.AGREED
    assert plan.next_review_on == TODAY + timedelta(days=48)


def test_a_first_review_outside_six_to_eight_weeks_is_refused(app, client, db_session,
                                                              setting):
    sign_in(client, setting["holder"])
    plan_id = _draft(client, setting["budget"].id)
    _post(client, f"/my/plans/{plan_id}/submit", form_path=f"/my/plans/{plan_id}")
    officer = app.test_client()
    sign_in(officer, setting["officer"])
    response = _post(officer, f"/council/plans/{plan_id}", {
        "decision": "agreed", "first_review_on": ["1", "12", "2026"]})
    assert response.status_code == 400
    assert "6 to 8 weeks" in response.get_data(as_text=True)
    assert db_session.get(SupportPlan, plan_id).status is PlanStatus.SUBMITTED


def test_changes_asked_for_keep_every_version(app, client, db_session, setting):
    sign_in(client, setting["holder"])
    plan_id = _draft(client, setting["budget"].id)
    _post(client, f"/my/plans/{plan_id}/submit", form_path=f"/my/plans/{plan_id}")
    officer = app.test_client()
    sign_in(officer, setting["officer"])
    _post(officer, f"/council/plans/{plan_id}", {"decision": "changes_requested",
                                                 "reason": "Add a back-up for transport"})
    page = client.get(f"/my/plans/{plan_id}").get_data(as_text=True)
    assert "Add a back-up for transport" in page
    assert _post(client, f"/my/plans/{plan_id}/revise",
                 form_path=f"/my/plans/{plan_id}").status_code == 302
    versions = db_session.scalars(select(SupportPlanVersion).where(
        SupportPlanVersion.plan_id == plan_id).order_by(SupportPlanVersion.number)).all()
    assert [v.status for v in versions] == [PlanStatus.CHANGES_REQUESTED, PlanStatus.DRAFT]
    assert len(versions[1].outcomes) == 1 and versions[0].outcomes[0].what_i_want == "Get up"
    assert client.get(f"/my/plans/{plan_id}/versions/1").status_code == 200
    # the old version can no longer be changed
    outcome_id = versions[0].outcomes[0].id
    _post(client, f"/my/plans/{plan_id}/outcomes/{outcome_id}/remove",
          form_path=f"/my/plans/{plan_id}")
    assert len(db_session.get(SupportPlanVersion, versions[0].id).outcomes) == 1


def test_an_officer_records_a_review_for_each_outcome(app, db_session, setting):
    plan = agreed_plan(db_session, setting["holder"], setting["budget"], setting["officer"])
    officer = app.test_client()
    sign_in(officer, setting["officer"])
    path = f"/council/plans/{plan.id}/review"
    missing = _post(officer, path, {"reviewed_on": ["10", "7", "2026"],
                                    "result_daily_living": "better"})
    assert missing.status_code == 400
    response = _post(officer, path, {"reviewed_on": ["10", "7", "2026"],
                                     "result_daily_living": "better",
                                     "result_part_of_community": "same", "notes": "Going well"})
    assert response.status_code == 302
    results = db_session.scalars(select(PlanReviewResult)).all()
    assert {(r.domain.value, r.result.value) for r in results} == {
        ("daily_living", "better"), ("part_of_community", "same")}
    assert db_session.get(SupportPlan, plan.id).next_review_on.year == 2027


def test_view_only_representatives_read_but_cannot_write(client, db_session, setting,
                                                         make_user, council):
    plan = agreed_plan(db_session, setting["holder"], setting["budget"], setting["officer"])
    viewer = make_user(name="Vera Viewer")
    found = authority(db_session, setting["officer"], viewer, setting["holder"], council,
                      Scope.VIEW)
    sign_in(client, viewer)
    act_for(client, found)
    assert client.get(f"/my/plans/{plan.id}").status_code == 200
    assert client.get("/my/plans/new").status_code == 403
    before = db_session.scalar(select(func.count(SupportPlanVersion.id)))
    response = _post(client, f"/my/plans/{plan.id}/revise", form_path=f"/my/plans/{plan.id}")
    assert response.status_code == 403
    assert db_session.scalar(select(func.count(SupportPlanVersion.id))) == before


def test_plans_are_private_to_the_person_and_their_council(app, db_session, setting,
                                                           make_user):
    plan = agreed_plan(db_session, setting["holder"], setting["budget"], setting["officer"])
    other = app.test_client()
    sign_in(other, make_user(Role.BUDGET_HOLDER))
    assert other.get(f"/my/plans/{plan.id}").status_code == 403
    far = app.test_client()
    sign_in(far, setting["far_officer"])
    assert far.get(f"/council/plans/{plan.id}").status_code == 403
    assert far.get(f"/council/plans/{plan.id}/review").status_code == 403
    assert "My plan 2026" not in far.get("/council/plans/").get_data(as_text=True)


def test_an_empty_or_over_long_risk_is_refused_and_changes_nothing(client, db_session,
                                                                   setting):
    sign_in(client, setting["holder"])
    plan_id = _draft(client, setting["budget"].id)
    path = f"/my/plans/{plan_id}/risks/new"
    before = len(db_session.get(SupportPlan, plan_id).latest.risks)
    for data, message in (({}, "Enter the risk"),
                          ({"risk": "x" * 3000, "how_managed": "ok"}, "2000 characters")):
        response = _post(client, path, data)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    db_session.expire_all()
    assert len(db_session.get(SupportPlan, plan_id).latest.risks) == before
