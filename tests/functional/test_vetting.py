"""Council vetting of providers: the queue, the evidence checklist, approving,
suspending and reinstating, and who is told."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from catalogue.models import ProviderOrganisation, VettingStatus
from marketplace.accounts.roles import Role
from marketplace.audit import AuditEvent
from tests.conftest import sign_in
from tests.functional.storefront_helpers import (
    ALL_CHECKS,
    action,
    errors,
    make_provider,
    make_service,
    post,
)


@pytest.fixture()
def owner(make_user):
    return make_user(Role.PROVIDER_STAFF, name="Olive Owner", email="olive@willow.example")


@pytest.fixture()
def officer(make_user):
    return make_user(Role.COUNCIL_OFFICER, name="Oscar Officer")


def _get(db_session, provider) -> ProviderOrganisation:
    return db_session.get(ProviderOrganisation, provider.id)


def test_the_queue_lists_providers_waiting_for_checks_first(client, db_session, officer):
    make_provider(db_session, name="Approved Alpha", status=VettingStatus.APPROVED)
    make_provider(db_session, name="Pending Zulu")
    make_provider(db_session, name="Suspended Mike", status=VettingStatus.SUSPENDED)
    sign_in(client, officer)
    page = client.get("/council/providers").get_data(as_text=True)
    assert page.index("Pending Zulu") < page.index("Suspended Mike") < page.index(
        "Approved Alpha")
    page = client.get("/council/providers?status=pending").get_data(as_text=True)
    assert "Pending Zulu" in page and "Approved Alpha" not in page
    page = client.get("/council/providers?status=nonsense&q=alpha&page=-3").get_data(
        as_text=True)
    assert "Approved Alpha" in page and "Pending Zulu" not in page


def test_approval_is_refused_until_every_check_is_done(client, db_session, owner, officer,
                                                       outbox):
    provider = make_provider(db_session, owner)
    sign_in(client, officer)
    review = f"/council/providers/{provider.id}"
    post(client, review, {**ALL_CHECKS, "check_references": "no"})
    response = action(client, f"{review}/approve")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You can approve a provider only when every check is done" in page
    assert "Still to check: References." in page
    assert _get(db_session, provider).status is VettingStatus.PENDING
    assert outbox == []


def test_approval_is_refused_while_evidence_has_expired(client, db_session, owner, officer):
    provider = make_provider(db_session, owner, insurance_declared=True,
                             insurance_expires_on=date.today() - timedelta(days=1),
                             **{k: True for k in ALL_CHECKS})
    sign_in(client, officer)
    review = f"/council/providers/{provider.id}"
    page = client.get(review).get_data(as_text=True)
    assert "evidence has expired. It cannot be approved" in page and "Expired" in page
    response = action(client, f"{review}/approve")
    assert "insurance has expired. Ask them for current evidence" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert _get(db_session, provider).status is VettingStatus.PENDING
    assert "Evidence expired" in client.get("/council/providers").get_data(as_text=True)


def test_approving_records_who_and_when_and_emails_the_owners(
        client, db_session, owner, officer, outbox):
    provider = make_provider(db_session, owner, **{k: True for k in ALL_CHECKS})
    sign_in(client, officer)
    action(client, f"/council/providers/{provider.id}/approve")
    provider = _get(db_session, provider)
    assert provider.status is VettingStatus.APPROVED
    assert provider.vetted_by_id == officer.id and provider.vetted_at is not None
    assert [m["To"] for m in outbox] == ["olive@willow.example"]
    assert "Willow Care" in outbox[0].get_content()
    actions = db_session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "provider_organisations")).all()
    assert "provider_approved" in actions


def test_suspending_needs_a_reason_hides_the_provider_and_tells_the_owners(
        app, client, db_session, owner, officer, outbox):
    provider = make_provider(db_session, owner, status=VettingStatus.APPROVED,
                             **{k: True for k in ALL_CHECKS})
    service = make_service(db_session, provider)
    assert client.get(f"/services/{service.id}").status_code == 200
    sign_in(client, officer)
    url = f"/council/providers/{provider.id}/suspend"
    response = post(client, url, {"reason": "   "})
    assert response.status_code == 400
    assert "Enter the reason for suspending the provider" in errors(response)
    assert _get(db_session, provider).status is VettingStatus.APPROVED

    response = post(client, url, {"reason": "Two complaints about missed visits"})
    assert response.status_code == 302
    suspended = _get(db_session, provider)
    assert suspended.status is VettingStatus.SUSPENDED
    assert suspended.status_reason == "Two complaints about missed visits"
    assert app.test_client().get(f"/services/{service.id}").status_code == 404
    assert app.test_client().get(f"/providers/{provider.id}").status_code == 404
    assert outbox[-1]["To"] == "olive@willow.example"
    assert "Two complaints about missed visits" in outbox[-1].get_content()

    response = action(client, f"/council/providers/{provider.id}/reinstate")
    assert _get(db_session, provider).status is VettingStatus.APPROVED
    assert app.test_client().get(f"/services/{service.id}").status_code == 200
    assert "reinstated" in outbox[-1]["Subject"]


def test_the_checklist_is_saved_and_a_missing_answer_is_refused(
        client, db_session, owner, officer):
    provider = make_provider(db_session, owner)
    sign_in(client, officer)
    url = f"/council/providers/{provider.id}"
    response = post(client, url, {"check_identity": "yes"})
    assert response.status_code == 400
    assert "Select yes or not yet for: Insurance" in errors(response)
    assert post(client, url, ALL_CHECKS).status_code == 302
    provider = _get(db_session, provider)
    assert all(getattr(provider, k) for k in ALL_CHECKS)
    assert post(client, url, {**ALL_CHECKS, "check_dbs": "no"}).status_code == 302
    assert not _get(db_session, provider).check_dbs


def test_officers_review_only_independent_providers_and_their_own_councils(
        app, client, db_session, officer, other_council, make_user):
    theirs = make_provider(db_session, name="Elsewhere In-house", council=other_council)
    independent = make_provider(db_session, name="Independent Care")
    sign_in(client, officer)
    page = client.get("/council/providers").get_data(as_text=True)
    assert "Independent Care" in page and "Elsewhere In-house" not in page
    assert client.get(f"/council/providers/{independent.id}").status_code == 200
    assert client.get(f"/council/providers/{theirs.id}").status_code == 403
    assert action(client, f"/council/providers/{theirs.id}/approve").status_code == 403
    assert client.get("/council/providers/999999").status_code == 404
    admin = app.test_client()
    sign_in(admin, make_user(Role.ADMINISTRATOR))
    assert admin.get(f"/council/providers/{theirs.id}").status_code == 200


def test_provider_staff_cannot_vet_providers(client, db_session, owner):
    provider = make_provider(db_session, owner, **{k: True for k in ALL_CHECKS})
    sign_in(client, owner)
    assert client.get(f"/council/providers/{provider.id}").status_code == 403
    assert action(client, f"/council/providers/{provider.id}/approve").status_code == 403
    assert _get(db_session, provider).status is VettingStatus.PENDING


def test_a_provider_with_no_owner_on_the_site_is_told_at_its_contact_address(
        client, db_session, officer, outbox):
    provider = make_provider(db_session, email="office@meadow.example",
                             **{k: True for k in ALL_CHECKS})
    sign_in(client, officer)
    action(client, f"/council/providers/{provider.id}/approve")
    assert [m["To"] for m in outbox] == ["office@meadow.example"]
    assert outbox[0].get_content().startswith("Hello,")
