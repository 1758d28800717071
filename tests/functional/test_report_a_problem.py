"""'Report a problem with this listing': the report is recorded and reaches the
provider's owners and the council; junk is refused and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from catalogue.models import ListingReport, MemberRole, ProviderMember, ReportReason
from marketplace.accounts.roles import Role
from marketplace.mail import OutboxMessage
from tests.conftest import csrf_token
from tests.functional.catalogue_factories import add_provider, add_service


def _listing(db_session, make_user, **provider_fields):
    provider = add_provider(db_session, **provider_fields)
    service = add_service(db_session, provider)
    owner = make_user(Role.PROVIDER_STAFF, name="Olga Owner", email="owner@meadow.example")
    staff = make_user(Role.PROVIDER_STAFF, name="Sam Staff", email="staff@meadow.example")
    db_session.add_all([
        ProviderMember(provider_id=provider.id, user_id=owner.id, member_role=MemberRole.OWNER),
        ProviderMember(provider_id=provider.id, user_id=staff.id, member_role=MemberRole.STAFF),
    ])
    db_session.commit()
    return service


def _count(db_session, model):
    return db_session.scalar(select(func.count()).select_from(model))


def test_the_service_page_links_to_the_report_form(client, db_session, make_user):
    service = _listing(db_session, make_user)
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert f'href="/services/{service.id}/report"' in page
    form = client.get(f"/services/{service.id}/report").get_data(as_text=True)
    for reason in ReportReason:
        assert f'value="{reason.value}"' in form


def test_a_report_is_recorded_and_sent_to_the_owners_and_the_council(
        app, client, db_session, make_user, outbox):
    service = _listing(db_session, make_user)
    token = csrf_token(client, f"/services/{service.id}/report")
    response = client.post(f"/services/{service.id}/report", data={
        "reason": "price_wrong", "details": "The price went up to £26 in April.",
        "contact_email": "visitor@example.org", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/services/{service.id}/report/sent")
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your report has been sent" in confirmation

    report = db_session.scalar(select(ListingReport))
    assert (report.service_id, report.provider_id, report.reason) == (
        service.id, service.provider_id, ReportReason.PRICE_WRONG)
    assert report.details == "The price went up to £26 in April."
    assert report.contact_email == "visitor@example.org"

    sent = {message["To"]: message for message in outbox}
    assert set(sent) == {"owner@meadow.example", app.config["CONTACT_EMAIL"]}
    to_owner = sent["owner@meadow.example"].get_content()
    assert "Morning visits" in to_owner and "The price went up to £26 in April." in to_owner
    assert "visitor@example.org" not in to_owner  # the reporter's address is for the council
    to_council = sent[app.config["CONTACT_EMAIL"]].get_content()
    assert "visitor@example.org" in to_council and "Meadow Home Care" in to_council
    assert f"Listing report {report.id}" in sent[app.config["CONTACT_EMAIL"]]["Subject"]


def test_a_concern_about_the_provider_goes_to_the_council_only(
        app, client, db_session, make_user, outbox):
    service = _listing(db_session, make_user)
    token = csrf_token(client, f"/services/{service.id}/report")
    response = client.post(f"/services/{service.id}/report", data={
        "reason": "concern", "details": "Staff shouted at my father.", "csrf_token": token})
    assert response.status_code == 302
    assert [message["To"] for message in outbox] == [app.config["CONTACT_EMAIL"]]
    assert "has not been sent to them" in outbox[0].get_content()


def test_a_provider_without_owners_is_told_at_its_contact_address(
        app, client, db_session, outbox):
    service = add_service(db_session, add_provider(db_session))
    token = csrf_token(client, f"/services/{service.id}/report")
    client.post(f"/services/{service.id}/report", data={
        "reason": "no_longer_available", "csrf_token": token})
    assert sorted(message["To"] for message in outbox) == sorted(
        ["hello@meadow.example", app.config["CONTACT_EMAIL"]])


def test_something_else_needs_details_and_junk_changes_nothing(
        client, db_session, make_user, outbox):
    service = _listing(db_session, make_user)
    url = f"/services/{service.id}/report"
    token = csrf_token(client, url)
    bad = [
        ({}, "Select what the problem is"),
        ({"reason": "other"}, "Tell us what the problem is"),
        ({"reason": "other", "details": "   "}, "Tell us what the problem is"),
        ({"reason": "price_wrong", "details": "x" * 2001},
         "Details must be 2,000 characters or fewer"),
        ({"reason": "price_wrong", "contact_email": "not an address"},
         "Enter an email address in the correct format"),
        ({"reason": "<script>alert(1)</script>"}, "Not a valid choice"),
    ]
    for data, message in bad:
        before = (_count(db_session, ListingReport), _count(db_session, OutboxMessage))
        response = client.post(url, data={**data, "csrf_token": token})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert "govuk-error-summary" in page and message in page, (data, message)
        assert "<script>alert(1)" not in page
        assert (_count(db_session, ListingReport), _count(db_session, OutboxMessage)) == before
    assert outbox == []


def test_exactly_two_thousand_characters_of_details_are_accepted(
        client, db_session, make_user):
    service = _listing(db_session, make_user)
    url = f"/services/{service.id}/report"
    response = client.post(url, data={"reason": "other", "details": "y" * 2000,
                                      "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    assert len(db_session.scalar(select(ListingReport.details))) == 2000
