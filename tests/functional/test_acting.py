"""Acting for someone: only with a current authority of enough scope, audited."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.accounts import services
from marketplace.accounts.models import Authority, User
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.audit import AuditEvent
from tests.conftest import csrf_token, sign_in


@pytest.fixture()
def people(db_session, make_user, council):
    officer = make_user(Role.COUNCIL_OFFICER, name="Olive Officer")
    holder = make_user(Role.BUDGET_HOLDER, name="Margaret Holder")
    rep = make_user(name="Sarah Rep")

    def authorise(scope=Scope.ORDER, starts=None, ends=None, who=rep, whom=holder):
        authority = services.create_authority(
            db_session, created_by=officer, representative=who, holder=whom, council=council,
            authority_type=AuthorityType.FAMILY_CARER, scope=scope,
            starts_on=starts or date.today() - timedelta(days=10), ends_on=ends,
            evidence_reference="CASE-1")
        db_session.commit()
        return authority

    return {"officer": officer, "holder": holder, "rep": rep, "authorise": authorise}


def _act_for(client, authority):
    token = csrf_token(client, "/acting/")
    return client.post(f"/acting/start/{authority.id}", data={"csrf_token": token})


def test_a_representative_acts_for_someone_and_every_page_says_so(client, people):
    authority = people["authorise"]()
    sign_in(client, people["rep"])
    response = _act_for(client, authority)
    assert response.status_code == 302
    for path in ("/my/", "/my/details", "/accessibility"):
        page = client.get(path).get_data(as_text=True)
        assert "You are acting for Margaret Holder" in page, path


def test_writes_while_acting_are_audited_with_actor_and_person(client, people, db_session):
    authority = people["authorise"]()
    sign_in(client, people["rep"])
    _act_for(client, authority)
    token = csrf_token(client, "/my/details/change")
    response = client.post("/my/details/change", data={
        "phone": "01632 960 123", "preferred_contact": "phone",
        "communication_needs": "Large print please", "postcode": "ha1 2ab",
        "csrf_token": token})
    assert response.status_code == 302
    holder = db_session.get(User, people["holder"].id)
    assert holder.phone == "01632 960 123" and holder.postcode == "HA1 2AB"
    events = db_session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "users", AuditEvent.action == "update")).all()
    assert len(events) == 1
    assert events[0].actor_id == people["rep"].id
    assert events[0].acting_for_id == people["holder"].id
    assert events[0].object_id == str(people["holder"].id)
    assert set(events[0].detail["fields"]) == {"phone", "preferred_contact",
                                               "communication_needs", "postcode"}


def test_view_only_authority_cannot_change_anything(client, people, db_session):
    authority = people["authorise"](scope=Scope.VIEW)
    sign_in(client, people["rep"])
    _act_for(client, authority)
    assert client.get("/my/details").status_code == 200
    response = client.get("/my/details/change")
    assert response.status_code == 403
    assert "does not cover this. It allows: View only" in response.get_data(as_text=True)
    response = client.post("/my/details/change", data={
        "phone": "01632 960 999", "preferred_contact": "phone",
        "csrf_token": csrf_token(client, "/my/details")})
    assert response.status_code == 403
    assert db_session.get(User, people["holder"].id).phone is None


def test_acting_needs_an_authority_of_ones_own(client, people, make_user):
    other_rep = make_user(name="Not Authorised")
    authority = people["authorise"]()
    services.grant_role(other_rep, Role.REPRESENTATIVE)
    sign_in(client, other_rep)
    assert _act_for(client, authority).status_code == 403
    assert "You are acting for" not in client.get("/").get_data(as_text=True)


def test_an_authority_that_has_not_started_cannot_be_used(client, people):
    authority = people["authorise"](starts=date.today() + timedelta(days=3))
    sign_in(client, people["rep"])
    assert _act_for(client, authority).status_code == 403


def test_an_expired_authority_stops_acting_at_once(client, people, freeze_today):
    authority = people["authorise"](ends=date.today() + timedelta(days=1))
    sign_in(client, people["rep"])
    _act_for(client, authority)
    assert client.get("/my/").status_code == 200
    freeze_today(date.today() + timedelta(days=2))
    response = client.get("/my/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/acting/")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You can no longer act for Margaret Holder" in page
    assert "You are acting for" not in page


def test_a_withdrawn_authority_stops_acting_at_once(app, client, people, db_session):
    authority = people["authorise"]()
    sign_in(client, people["rep"])
    _act_for(client, authority)
    officer_client = app.test_client()
    sign_in(officer_client, people["officer"])
    token = csrf_token(officer_client, f"/council/authorities/{authority.id}/withdraw")
    response = officer_client.post(f"/council/authorities/{authority.id}/withdraw",
                                   data={"reason": "Asked to stop", "csrf_token": token})
    assert response.status_code == 302
    assert client.get("/my/").status_code == 302
    assert client.post("/my/details/change", data={
        "phone": "01632 960 777", "preferred_contact": "phone",
        "csrf_token": csrf_token(client, "/accessibility")}).status_code == 302
    assert db_session.get(User, people["holder"].id).phone is None
    withdrawn = db_session.get(Authority, authority.id)
    assert withdrawn.revoked_reason == "Asked to stop"


def test_a_representative_not_yet_acting_is_asked_to_choose(client, people):
    people["authorise"]()
    sign_in(client, people["rep"])
    response = client.get("/my/details")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/acting/?next=")


def test_stopping_returns_the_representative_to_their_own_pages(client, people):
    authority = people["authorise"]()
    sign_in(client, people["rep"])
    _act_for(client, authority)
    client.post("/acting/stop", data={"csrf_token": csrf_token(client, "/my/")})
    page = client.get("/acting/").get_data(as_text=True)
    assert "You are acting for" not in page
    assert re.search(r"Margaret Holder", page)


def test_a_budget_holder_sees_who_can_act_for_them(client, people):
    people["authorise"]()
    sign_in(client, people["holder"])
    page = client.get("/my/").get_data(as_text=True)
    assert "Sarah Rep" in page and "Family carer" in page


def test_confirmation_banners_show_the_message_not_markup(client, people):
    authority = people["authorise"]()
    sign_in(client, people["rep"])
    _act_for(client, authority)
    page = client.get("/my/").get_data(as_text=True)
    assert ('<p class="govuk-notification-banner__heading">You are now acting for '
            "Margaret Holder.</p>") in page
    assert "&lt;p" not in page
