"""Council rate cards (the private catalogue) and the queue of listing reports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from catalogue.models import (
    CouncilRate,
    ListingReport,
    ReportReason,
    ReportStatus,
    VettingStatus,
)
from catalogue.pricing import PriceBasis, RateTerm, price_for
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from tests.conftest import sign_in
from tests.functional.storefront_helpers import action, errors, make_provider, make_service, post

TODAY = date.today()


def _d(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _rate(rate="18.00", starts=TODAY, ends=None, **extra):
    return {"rate": rate, "starts_on": _d(starts),
            "ends_on": _d(ends) if ends else ["", "", ""], **extra}


@pytest.fixture()
def officer(make_user):
    return make_user(Role.COUNCIL_OFFICER, name="Oscar Officer")


@pytest.fixture()
def service(db_session, make_user):
    provider = make_provider(db_session, make_user(Role.PROVIDER_STAFF),
                             status=VettingStatus.APPROVED)
    return make_service(db_session, provider, price_pence=2400)


def _quote(db_session, service, councils, on=TODAY):
    rates = db_session.scalars(select(CouncilRate).where(
        CouncilRate.service_id == service.id)).all()
    return price_for(service.price_pence, [RateTerm(r.council_id, r.rate_pence, r.starts_on,
                                                    r.ends_on) for r in rates], councils, on)


def test_an_officer_adds_a_rate_that_the_councils_people_then_pay(
        client, db_session, officer, council, other_council, service):
    sign_in(client, officer)
    url = f"/council/providers/services/{service.id}/rates"
    page = client.get(url).get_data(as_text=True)
    assert "the public price, because no rate of this council is in force" in page
    response = post(client, url, _rate("£19.75", TODAY - timedelta(days=10)))
    assert response.status_code == 302
    rate = db_session.scalar(select(CouncilRate))
    assert (rate.council_id, rate.rate_pence, rate.agreed_by_id) == (council.id, 1975,
                                                                     officer.id)
    page = client.get(url).get_data(as_text=True)
    assert "£19.75 per hour: the council rate" in page
    quote = _quote(db_session, service, {council.id})
    assert (quote.pence, quote.basis) == (1975, PriceBasis.COUNCIL_RATE)
    assert _quote(db_session, service, {other_council.id}).basis is PriceBasis.PUBLIC
    assert _quote(db_session, service, set()).pence == 2400


def test_overlapping_rates_for_the_same_council_are_refused(client, db_session, officer,
                                                            service):
    sign_in(client, officer)
    url = f"/council/providers/services/{service.id}/rates"
    post(client, url, _rate("18", TODAY, TODAY + timedelta(days=30)))
    for starts, ends in ((TODAY + timedelta(days=30), None),
                         (TODAY - timedelta(days=5), TODAY),
                         (TODAY - timedelta(days=50), None)):
        response = post(client, url, _rate("17", starts, ends))
        assert response.status_code == 400, (starts, ends)
        assert any("These dates overlap the rate already agreed" in e
                   for e in errors(response))
    response = post(client, url, _rate("17", TODAY + timedelta(days=31)))
    assert response.status_code == 302
    assert len(db_session.scalars(select(CouncilRate)).all()) == 2


@pytest.mark.parametrize(("data", "message"), [
    (_rate(starts=TODAY, ends=TODAY - timedelta(days=1)),
     "The end date must be the same as or after the start date"),
    (_rate(rate="-3"), "The amount cannot be negative"),
    (_rate(rate="99999"), "The amount must be £10,000 or less"),
    ({**_rate(), "starts_on": ["31", "2", "2026"]},
     "Enter a real date, with the day, month and year as numbers, like 27 3 2026"),
])
def test_a_rate_with_wrong_values_is_refused(client, db_session, officer, service, data,
                                             message):
    sign_in(client, officer)
    response = post(client, f"/council/providers/services/{service.id}/rates", data)
    assert response.status_code == 400
    assert message in errors(response)
    assert db_session.scalar(select(CouncilRate)) is None


def test_an_expired_rate_gives_way_to_the_public_price_and_a_rate_can_end_early(
        client, db_session, officer, council, service):
    expired = CouncilRate(service_id=service.id, council_id=council.id, rate_pence=1500,
                          starts_on=TODAY - timedelta(days=400),
                          ends_on=TODAY - timedelta(days=1))
    current = CouncilRate(service_id=service.id, council_id=council.id, rate_pence=1800,
                          starts_on=TODAY, ends_on=None)
    db_session.add_all([expired, current])
    db_session.commit()
    assert _quote(db_session, service, {council.id}, TODAY - timedelta(days=2)).pence == 1500
    assert _quote(db_session, service, {council.id}).pence == 1800
    sign_in(client, officer)
    page = client.get(f"/council/providers/services/{service.id}/rates").get_data(as_text=True)
    assert "Ended" in page and "In force" in page
    url = f"/council/providers/rates/{current.id}/end"
    response = post(client, url, {"ends_on": _d(TODAY - timedelta(days=1))})
    assert response.status_code == 400
    assert any("cannot be in the past" in e for e in errors(response))
    assert post(client, url, {"ends_on": _d(TODAY)}).status_code == 302
    assert db_session.get(CouncilRate, current.id).ends_on == TODAY
    assert _quote(db_session, service, {council.id}, TODAY + timedelta(days=1)).pence == 2400


def test_officers_cannot_see_or_end_another_councils_rates(
        client, db_session, officer, other_council, service):
    theirs = CouncilRate(service_id=service.id, council_id=other_council.id, rate_pence=1111,
                         starts_on=TODAY)
    db_session.add(theirs)
    db_session.commit()
    sign_in(client, officer)
    page = client.get(f"/council/providers/services/{service.id}/rates").get_data(as_text=True)
    assert "£11.11" not in page and "Elsewhere" not in page
    assert client.get(f"/council/providers/rates/{theirs.id}/end").status_code == 403
    assert client.get("/council/providers/rates/999999/end").status_code == 404
    assert client.get("/council/providers/services/999999/rates").status_code == 404


def test_an_administrator_chooses_the_council_for_a_rate(
        client, db_session, make_user, council, other_council, service):
    sign_in(client, make_user(Role.ADMINISTRATOR))
    url = f"/council/providers/services/{service.id}/rates"
    response = post(client, url, _rate(council=""))
    assert response.status_code == 400
    assert "Select the council that agreed the rate" in errors(response)
    assert post(client, url, _rate(council=str(other_council.id))).status_code == 302
    assert db_session.scalar(select(CouncilRate)).council_id == other_council.id


# --- listing reports ----------------------------------------------------------------

@pytest.fixture()
def reports(db_session, service):
    wrong = ListingReport(service_id=service.id, provider_id=service.provider_id,
                          reason=ReportReason.PRICE_WRONG, details="Price is £30 now",
                          contact_email="reporter@example.org")
    concern = ListingReport(service_id=service.id, provider_id=service.provider_id,
                            reason=ReportReason.CONCERN, details="Carer shouted at my mum",
                            contact_email="worried@example.org")
    db_session.add_all([wrong, concern])
    db_session.commit()
    return wrong, concern


def test_the_provider_sees_reports_about_its_listings_but_not_concerns_or_reporters(
        client, db_session, service, reports):
    wrong, concern = reports
    owner_id = service.provider.members[0].user_id
    sign_in(client, db_session.get(User, owner_id))
    provider_id = service.provider_id
    assert "1 open report" in client.get("/provider").get_data(as_text=True)
    page = client.get(f"/provider/{provider_id}/reports").get_data(as_text=True)
    assert "Price is £30 now" in page
    assert "Carer shouted" not in page and "reporter@example.org" not in page
    assert client.get(f"/provider/reports/{concern.id}/resolve").status_code == 403
    url = f"/provider/reports/{wrong.id}/resolve"
    response = post(client, url, {"resolution": ""})
    assert response.status_code == 400
    assert post(client, url, {"resolution": "Updated the price to £30"}).status_code == 302
    closed = db_session.get(ListingReport, wrong.id)
    assert closed.status is ReportStatus.CLOSED and closed.closed_by_id == owner_id
    assert "Updated the price to £30" in client.get(
        f"/provider/{provider_id}/reports?status=closed").get_data(as_text=True)


def test_the_council_sees_every_report_including_concerns_and_closes_them(
        client, db_session, officer, reports):
    wrong, concern = reports
    sign_in(client, officer)
    page = client.get("/council/providers/reports").get_data(as_text=True)
    assert "Some details are wrong" not in page
    assert "The price is wrong" in page and "I am worried about this provider" in page
    detail = client.get(f"/council/providers/reports/{concern.id}").get_data(as_text=True)
    assert "worried@example.org" in detail and "Carer shouted at my mum" in detail
    url = f"/council/providers/reports/{concern.id}"
    assert post(client, url, {"resolution": "Referred to safeguarding"}).status_code == 302
    closed = db_session.get(ListingReport, concern.id)
    assert closed.status is ReportStatus.CLOSED and closed.closed_by_id == officer.id
    page = client.get("/council/providers/reports?status=closed").get_data(as_text=True)
    assert "I am worried about this provider" in page
    response = post(client, url, {"resolution": "Again"})
    assert response.status_code == 400
    assert "This report has already been closed." in errors(response)


def test_reports_about_another_councils_in_house_services_are_not_shown(
        client, db_session, officer, other_council, make_user):
    provider = make_provider(db_session, make_user(Role.PROVIDER_STAFF), council=other_council,
                             name="Elsewhere Day Centre")
    service = make_service(db_session, provider)
    report = ListingReport(service_id=service.id, provider_id=provider.id,
                           reason=ReportReason.OTHER, details="Closed on Mondays")
    db_session.add(report)
    db_session.commit()
    sign_in(client, officer)
    assert "Elsewhere Day Centre" not in client.get("/council/providers/reports").get_data(
        as_text=True)
    assert client.get(f"/council/providers/reports/{report.id}").status_code == 403
    assert action(client, f"/council/providers/reports/{report.id}").status_code == 403
