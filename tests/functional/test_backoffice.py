"""Council officers record authorities; administrators manage roles; commissioners
see only aggregates."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from marketplace.accounts.models import Authority, User
from marketplace.accounts.roles import Role
from marketplace.audit import AuditEvent
from tests.conftest import csrf_token, sign_in


def _authority_form(**overrides):
    data = {"representative_email": "new.rep@example.org", "representative_name": "Nia Rep",
            "authority_type": "lasting_power_of_attorney", "scope": "money",
            "starts_on": ["1", "4", "2026"], "ends_on": ["", "", ""],
            "evidence_reference": "LPA-7000-1234"}
    data.update(overrides)
    return data


def test_an_officer_records_a_representative_who_gets_an_account_by_email(
        client, make_user, db_session, outbox):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER, name="Arthur Holder")
    sign_in(client, officer)
    url = f"/council/people/{holder.id}/authorities/new"
    response = client.post(url, data={**_authority_form(), "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    rep = db_session.scalar(select(User).where(User.email_normalised == "new.rep@example.org"))
    assert rep.has_role(Role.REPRESENTATIVE)
    authority = db_session.scalar(select(Authority).where(Authority.representative_id == rep.id))
    assert authority.scope.value == "money" and authority.created_by_id == officer.id
    assert outbox[-1]["To"] == "new.rep@example.org"
    assert "/password/reset/" in outbox[-1].get_content()
    audit = db_session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "authorities")).all()
    assert [(e.action, e.actor_id) for e in audit] == [("insert", officer.id)]


def test_an_end_date_before_the_start_is_refused_and_nothing_is_saved(
        client, make_user, db_session):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER)
    sign_in(client, officer)
    url = f"/council/people/{holder.id}/authorities/new"
    response = client.post(url, data={**_authority_form(ends_on=["1", "3", "2026"]),
        "csrf_token": csrf_token(client, url)})
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.get_data(
        as_text=True)
    assert db_session.scalar(select(func.count(Authority.id))) == 0
    assert db_session.scalar(select(func.count(User.id)).where(
        User.email_normalised == "new.rep@example.org")) == 0


def test_a_person_cannot_represent_themselves(client, make_user, db_session):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER)
    sign_in(client, officer)
    url = f"/council/people/{holder.id}/authorities/new"
    response = client.post(url, data={**_authority_form(representative_email=holder.email),
                                      "csrf_token": csrf_token(client, url)})
    assert response.status_code == 400
    assert "cannot be their own representative" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(Authority.id))) == 0


def test_officers_cannot_see_people_of_another_council(
        client, make_user, other_council):
    officer = make_user(Role.COUNCIL_OFFICER)
    stranger = make_user(Role.BUDGET_HOLDER, council_for=other_council, name="Far Away")
    sign_in(client, officer)
    for path in (f"/council/people/{stranger.id}",
                 f"/council/people/{stranger.id}/authorities/new"):
        response = client.get(path)
        assert response.status_code == 403
        assert "Far Away" not in response.get_data(as_text=True)
    assert "Far Away" not in client.get("/council/?q=far").get_data(as_text=True)


def test_an_administrator_gives_and_removes_roles(client, make_user, council, db_session):
    admin = make_user(Role.ADMINISTRATOR)
    person = make_user(name="Newly Hired")
    sign_in(client, admin)
    url = f"/admin/users/{person.id}"
    response = client.post(url, data={"role": "finance_officer", "council": str(council.id),
                                      "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    assert db_session.get(User, person.id).has_role(Role.FINANCE_OFFICER)
    # A council role needs a council.
    response = client.post(url, data={"role": "commissioner", "council": "",
                                      "csrf_token": csrf_token(client, url)})
    assert response.status_code == 400
    assert "Choose the council" in response.get_data(as_text=True)
    grant = db_session.get(User, person.id).roles[0]
    response = client.post(f"/admin/users/{person.id}/roles/{grant.id}/remove",
                           data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    assert not db_session.get(User, person.id).has_role(Role.FINANCE_OFFICER)


def test_an_administrator_cannot_remove_their_own_administrator_role(
        client, make_user, db_session):
    admin = make_user(Role.ADMINISTRATOR)
    sign_in(client, admin)
    grant = admin.roles[0]
    url = f"/admin/users/{admin.id}"
    client.post(f"/admin/users/{admin.id}/roles/{grant.id}/remove",
                data={"csrf_token": csrf_token(client, url)})
    assert db_session.get(User, admin.id).has_role(Role.ADMINISTRATOR)


def test_commissioners_see_small_numbers_suppressed(client, make_user, db_session):
    commissioner = make_user(Role.COMMISSIONER)
    for _n in range(3):
        make_user(Role.BUDGET_HOLDER)
    sign_in(client, commissioner)
    page = client.get("/council/commissioning").get_data(as_text=True)
    figure = re.search(r'class="council-figure">([^<]+)<', page).group(1)
    assert figure == "fewer than 5"
    for _n in range(4):
        make_user(Role.BUDGET_HOLDER)
    page = client.get("/council/commissioning").get_data(as_text=True)
    assert re.search(r'class="council-figure">([^<]+)<', page).group(1) == "7"


def test_commissioners_cannot_open_any_person_level_page(client, make_user):
    commissioner = make_user(Role.COMMISSIONER)
    holder = make_user(Role.BUDGET_HOLDER)
    sign_in(client, commissioner)
    for path in ("/council/", f"/council/people/{holder.id}", "/admin/audit", "/my/",
                 "/council/finance"):
        assert client.get(path).status_code == 403, path


def test_names_in_the_people_list_are_real_links(client, make_user):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER, name="Linked Person")
    sign_in(client, officer)
    page = client.get("/council/").get_data(as_text=True)
    assert f'<a class="govuk-link" href="/council/people/{holder.id}">Linked Person</a>' in page
    assert "&lt;a" not in page
