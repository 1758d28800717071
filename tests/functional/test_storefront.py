"""Provider staff keep their storefront: profile, organisation details, services,
freshness, and the council's approval that makes it public."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from catalogue.listing import listing_state
from catalogue.models import (
    CqcRating,
    MemberRole,
    ProviderArea,
    ProviderLanguage,
    ProviderMember,
    ProviderOrganisation,
    Service,
    ServiceAvailability,
    ServiceFundingStream,
    ServiceStatus,
    VettingStatus,
)
from catalogue.taxonomy import FundingStream
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from tests.conftest import TEST_PASSWORD, csrf_token, sign_in
from tests.functional.storefront_helpers import (
    ALL_CHECKS,
    action,
    errors,
    form_values,
    make_provider,
    make_service,
    organisation_form,
    post,
    profile_form,
    service_form,
)


@pytest.fixture()
def owner(make_user):
    return make_user(Role.PROVIDER_STAFF, name="Olive Owner")


@pytest.fixture()
def provider(db_session, owner):
    return make_provider(db_session, owner)


def _public(app, service) -> bool:
    return listing_state(service.status, service.provider.status, service.last_confirmed_at,
                         datetime.now(UTC), app.config["LISTING_FLAG_DAYS"],
                         app.config["LISTING_HIDE_DAYS"]).public


def test_a_provider_goes_from_sign_up_to_an_approved_storefront_with_a_published_service(
        app, client, db_session, make_user, outbox):
    response = post(client, "/register", {
        "account_kind": "provider_staff", "full_name": "Priya Provider",
        "organisation_name": "Sunflower Support", "email": "priya@sunflower.example",
        "password": TEST_PASSWORD, "confirm": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/home").headers["Location"] == "/provider"
    dashboard = client.get("/provider").get_data(as_text=True)
    assert "Sunflower Support" in dashboard and "Waiting for council checks" in dashboard
    provider = db_session.scalar(select(ProviderOrganisation).where(
        ProviderOrganisation.name == "Sunflower Support"))

    url = f"/provider/{provider.id}/profile"
    assert post(client, url, profile_form()).status_code == 302
    url = f"/provider/{provider.id}/organisation"
    assert post(client, url, organisation_form(name="Sunflower Support")).status_code == 302
    url = f"/provider/{provider.id}/services/new"
    response = post(client, url, service_form())
    assert response.status_code == 302
    service = db_session.scalar(select(Service).where(Service.provider_id == provider.id))
    assert service.status is ServiceStatus.DRAFT
    edit = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "nothing is shown to the public until the council approves it" in edit
    response = action(client, f"/provider/services/{service.id}/publish")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "once the council has approved your organisation" in page
    service = db_session.get(type(service), service.id)
    assert service.status is ServiceStatus.PUBLISHED and not _public(app, service)

    officer = make_user(Role.COUNCIL_OFFICER)
    council_side = app.test_client()
    sign_in(council_side, officer)
    queue = council_side.get("/council/providers").get_data(as_text=True)
    assert "Sunflower Support" in queue
    review = f"/council/providers/{provider.id}"
    assert post(council_side, review, ALL_CHECKS).status_code == 302
    response = action(council_side, f"/council/providers/{provider.id}/approve")
    assert response.status_code == 302
    provider = db_session.get(type(provider), provider.id)
    service = db_session.get(type(service), service.id)
    assert provider.status is VettingStatus.APPROVED and provider.vetted_by_id == officer.id
    assert _public(app, service)
    assert outbox[-1]["To"] == "priya@sunflower.example"
    assert "approved" in outbox[-1]["Subject"]
    assert "Approved" in client.get("/provider").get_data(as_text=True)
    assert client.get(f"/services/{service.id}").status_code == 200  # the public page


def test_saving_a_service_keeps_every_field(client, db_session, owner, provider):
    sign_in(client, owner)
    response = post(client, f"/provider/{provider.id}/services/new", service_form(
        regulated="y", funding_streams=["adult_social_care", "supporting_people"],
        outcomes=["daily_living", "staying_safe"], max_age="99", sun_from="10",
        sun_until="14:00", mon_from_2="17:00", mon_until_2="7.30pm"))
    assert response.status_code == 302
    service = db_session.scalar(select(Service).where(Service.provider_id == provider.id))
    assert (service.name, service.price_pence, service.unit.value) == ("Morning help", 2450,
                                                                      "hour")
    assert service.category == "getting-up-and-dressed" and service.regulated
    assert sorted(service.outcomes) == ["daily_living", "staying_safe"]
    assert sorted(s.value for s in service.stream_codes) == ["adult_social_care",
                                                             "supporting_people"]
    assert [(a.weekday, a.starts_at, a.ends_at) for a in service.availability] == [
        (0, time(8), time(12)), (0, time(17), time(19, 30)), (2, time(9, 30), time(17)),
        (6, time(10), time(14))]
    assert (service.lead_time_days, service.capacity_per_week, service.min_age,
            service.max_age) == (2, 20, 18, 99)
    # The edit page shows the saved values; saving again with a day removed drops it.
    page = client.get(f"/provider/services/{service.id}/edit").get_data(as_text=True)
    assert 'value="24.50"' in page and 'value="09:30"' in page and 'value="19:30"' in page
    response = post(client, f"/provider/services/{service.id}/edit",
                    service_form(wed_from="", wed_until="", price="30", mon_from_2="17:00",
                                 mon_until_2="19:30"))
    assert response.status_code == 302
    service = db_session.get(type(service), service.id)
    assert [a.weekday for a in service.availability] == [0, 0]
    assert service.price_pence == 3000


@pytest.mark.parametrize(("changes", "message"), [
    ({"price": "-5"}, "The amount cannot be negative"),
    ({"price": "10000.01"}, "The amount must be £10,000 or less"),
    ({"price": "lots"}, "Enter an amount in pounds and pence, like 24.50"),
    ({"mon_from": "14:00", "mon_until": "09:00"},
     "The end time on Monday must be after the start time"),
    ({"mon_from": "09:00", "mon_until": ""}, "Enter both times for Monday, or leave both empty"),
    ({"tue_from": "25:00", "tue_until": "26:00"}, "Enter the start time on Tuesday like 09:00"),
    ({"mon_from_2": "11:00", "mon_until_2": "13:00"},
     "The two times on Monday overlap: the second must start after the first ends"),
    ({"min_age": "65", "max_age": "18"},
     "The oldest age must be the same as or more than the youngest"),
    ({"min_age": "121"}, "Youngest age you support (optional) must be between 0 and 120"),
    ({"category": "personal-care"}, "Select the category that fits the service best"),
    ({"unit": "fortnight"}, "Select what the price is for"),
    ({"min_booking_units": "0"}, "Minimum booking must be between 1 and 1000"),
    ({"outcomes": ["world_peace"]}, "Select only from the options shown"),
])
def test_a_service_with_wrong_values_is_refused_with_a_clear_message(
        client, db_session, owner, provider, changes, message):
    sign_in(client, owner)
    response = post(client, f"/provider/{provider.id}/services/new", service_form(**changes))
    assert response.status_code == 400
    assert message in errors(response)
    assert db_session.scalar(select(func.count(Service.id))) == 0


def test_an_unknown_postcode_or_district_gets_a_clear_message_and_nothing_is_saved(
        client, db_session, owner, provider):
    sign_in(client, owner)
    url = f"/provider/{provider.id}/profile"
    cases = [
        ({"postcode": "ZZ99 9ZZ"}, "We do not recognise the postcode ZZ99 9ZZ"),
        ({"postcode": "HA1"}, "Enter a full postcode, like HA1 2AB"),
        ({"areas": "HA1, QQ7"}, "We do not recognise the postcode district QQ7"),
        ({"areas": "", "radius_km": ""}, "Enter the postcode districts you cover, or how far "
                                         "from your base you travel"),
        ({"radius_km": "500"}, "The distance must be between 1 and 200 kilometres"),
        ({"website": "javascript:alert(1)"}, "Enter the website address in full, starting "
                                             "with https://"),
    ]
    for changes, message in cases:
        response = post(client, url, profile_form(**changes))
        assert response.status_code == 400, changes
        assert any(message in e for e in errors(response)), (changes, errors(response))
    provider = db_session.get(type(provider), provider.id)
    assert provider.description == "" and provider.districts == []


def test_the_profile_is_saved_with_districts_languages_and_workers(
        client, db_session, owner, provider):
    sign_in(client, owner)
    url = f"/provider/{provider.id}/profile"
    assert post(client, url, profile_form(radius_km="15")).status_code == 302
    provider = db_session.get(type(provider), provider.id)
    assert provider.postcode == "HA1 2AB" and provider.districts == ["HA1", "HA2", "HA3"]
    assert provider.coverage_radius_km == 15 and sorted(provider.language_codes) == ["en", "pl"]
    assert provider.female_workers and not provider.male_workers
    page = client.get(url).get_data(as_text=True)
    assert "HA1, HA2, HA3" in page
    assert post(client, url, profile_form(areas="HA5", languages=["so"])).status_code == 302
    provider = db_session.get(type(provider), provider.id)
    assert provider.districts == ["HA5"] and provider.language_codes == ["so"]


def test_changing_checked_evidence_clears_the_councils_check_of_it(
        client, db_session, owner):
    provider = make_provider(db_session, owner, status=VettingStatus.APPROVED,
                             check_identity=True, check_insurance=True, check_dbs=True,
                             check_references=True, check_cqc=True, insurance_declared=True,
                             insurance_expires_on=date(date.today().year + 1, 1, 1),
                             dbs_declared=True,
                             dbs_expires_on=date(date.today().year + 2, 6, 1))
    sign_in(client, owner)
    url = f"/provider/{provider.id}/organisation"
    assert post(client, url, organisation_form(
        insurance_expires_on=["2", "2", str(date.today().year + 1)])).status_code == 302
    provider = db_session.get(type(provider), provider.id)
    assert not provider.check_insurance
    assert provider.check_identity and provider.check_dbs and provider.check_cqc
    response = post(client, url, organisation_form(insurance_expires_on=["", "", ""]))
    assert "Enter the date your insurance ends" in errors(response)
    response = post(client, url, organisation_form(cqc_location_id="ABC"))
    assert any("CQC location ID" in e for e in errors(response))


def test_the_dashboard_shows_the_suspension_reason_and_expired_evidence(
        client, db_session, owner):
    make_provider(db_session, owner, status=VettingStatus.SUSPENDED,
                  status_reason="Insurance certificate was forged", insurance_declared=True,
                  insurance_expires_on=date.today() - timedelta(days=3))
    sign_in(client, owner)
    page = client.get("/provider").get_data(as_text=True)
    assert "Insurance certificate was forged" in page
    assert "Your insurance expired on" in page
    assert "What your profile is missing" in page


def test_listings_are_flagged_after_90_days_hidden_after_120_and_confirming_brings_them_back(
        app, client, db_session, owner):
    provider = make_provider(db_session, owner, status=VettingStatus.APPROVED)
    fresh = make_service(db_session, provider, name="Fresh listing", confirmed_days_ago=10)
    stale = make_service(db_session, provider, name="Stale listing", confirmed_days_ago=95)
    hidden = make_service(db_session, provider, name="Forgotten listing", confirmed_days_ago=130)
    sign_in(client, owner)
    page = client.get("/provider").get_data(as_text=True)
    rows = {name: page.split(name, 1)[1].split("</tr>", 1)[0]
            for name in ("Fresh listing", "Stale listing", "Forgotten listing")}
    assert "Check it is still accurate" not in rows["Fresh listing"]
    assert "Check it is still accurate" in rows["Stale listing"]
    assert "Hidden from search" in rows["Forgotten listing"]
    assert _public(app, fresh) and _public(app, stale) and not _public(app, hidden)
    assert client.get(f"/services/{hidden.id}").status_code == 404

    response = action(client, f"/provider/services/{hidden.id}/confirm", back="dashboard")
    assert response.headers["Location"] == "/provider"
    hidden = db_session.get(type(hidden), hidden.id)
    assert _public(app, hidden)
    assert "Hidden from search" not in client.get("/provider").get_data(as_text=True)
    assert client.get(f"/services/{hidden.id}").status_code == 200


def test_the_flag_and_hide_days_come_from_configuration(app, client, db_session, owner,
                                                        monkeypatch):
    monkeypatch.setitem(app.config, "LISTING_FLAG_DAYS", 5)
    monkeypatch.setitem(app.config, "LISTING_HIDE_DAYS", 8)
    provider = make_provider(db_session, owner, status=VettingStatus.APPROVED)
    make_service(db_session, provider, name="Week-old listing", confirmed_days_ago=6)
    sign_in(client, owner)
    page = client.get("/provider").get_data(as_text=True)
    assert "Check it is still accurate" in page and "Hidden from search" not in page


def test_pausing_takes_a_service_off_the_public_pages_and_the_preview_says_why(
        app, client, db_session, owner):
    provider = make_provider(db_session, owner, status=VettingStatus.APPROVED)
    service = make_service(db_session, provider, name="Garden tidy")
    sign_in(client, owner)
    assert _public(app, service)
    action(client, f"/provider/services/{service.id}/pause")
    service = db_session.get(type(service), service.id)
    assert service.status is ServiceStatus.PAUSED and not _public(app, service)
    preview = client.get(f"/provider/services/{service.id}/preview")
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Preview: this is how the public will see this service." in text
    assert "It is not public: it is paused." in text and "Garden tidy" in text


def test_members_of_another_provider_get_403_on_its_pages_and_objects(
        client, db_session, make_user, owner, provider):
    service = make_service(db_session, provider)
    stranger = make_user(Role.PROVIDER_STAFF, name="Other Owner")
    make_provider(db_session, stranger, name="Rival Care")
    member = provider.members[0]
    sign_in(client, stranger)
    for url in (f"/provider/{provider.id}/profile", f"/provider/{provider.id}/organisation",
                f"/provider/{provider.id}/logo", f"/provider/{provider.id}/team",
                f"/provider/{provider.id}/services/new", f"/provider/{provider.id}/reports",
                f"/provider/services/{service.id}/edit",
                f"/provider/services/{service.id}/preview",
                f"/provider/services/{service.id}/photos"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Olive Owner" not in response.get_data(as_text=True)
    for url in (f"/provider/services/{service.id}/publish",
                f"/provider/services/{service.id}/pause",
                f"/provider/services/{service.id}/confirm",
                f"/provider/{provider.id}/logo/remove",
                f"/provider/{provider.id}/team/{member.id}/remove"):
        assert action(client, url).status_code == 403, url
    assert "Willow Care" not in client.get("/provider").get_data(as_text=True)
    assert client.get("/provider/999999/profile").status_code == 404
    assert client.get("/provider/services/999999/edit").status_code == 404


def test_staff_edit_the_profile_and_services_but_only_owners_manage_the_team_and_details(
        client, db_session, make_user, owner):
    carer = make_user(Role.PROVIDER_STAFF, name="Sam Staff")
    provider = make_provider(db_session, owner, staff=[carer])
    sign_in(client, carer)
    assert client.get(f"/provider/{provider.id}/profile").status_code == 200
    assert client.get(f"/provider/{provider.id}/services/new").status_code == 200
    for url in (f"/provider/{provider.id}/team", f"/provider/{provider.id}/organisation"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only the owners of Willow Care can do this." in response.get_data(as_text=True)
    page = client.get("/provider").get_data(as_text=True)
    assert f"/provider/{provider.id}/team" not in page


def test_an_owner_invites_a_newcomer_who_is_emailed_a_link_to_set_a_password(
        client, db_session, owner, provider, outbox):
    sign_in(client, owner)
    url = f"/provider/{provider.id}/team"
    response = post(client, url, {"full_name": "Nadia New", "email": "Nadia@Example.org",
                                  "member_role": "staff"})
    assert response.status_code == 302
    user = db_session.scalar(select(User).where(User.email_normalised == "nadia@example.org"))
    assert user.has_role(Role.PROVIDER_STAFF)
    member = db_session.scalar(select(ProviderMember).where(ProviderMember.user_id == user.id))
    assert member.provider_id == provider.id and member.member_role is MemberRole.STAFF
    assert outbox[-1]["To"] == "Nadia@Example.org"
    body = outbox[-1].get_content()
    assert "Willow Care" in body and "/password/reset/" in body
    link = body.split("http://marketplace.test", 1)[1].split()[0]
    assert client.get(link).status_code == 200  # the link works

    response = post(client, url, {"full_name": "Nadia New", "email": "nadia@example.org",
                                  "member_role": "owner"})
    assert response.status_code == 400
    assert "This person is already in your team" in errors(response)


def test_an_existing_account_joins_the_team_and_is_told_by_email(
        client, db_session, make_user, owner, provider, outbox):
    selffunder = make_user(Role.SELF_FUNDER, name="Existing Person")
    sign_in(client, owner)
    response = post(client, f"/provider/{provider.id}/team",
                    {"full_name": "ignored", "email": selffunder.email, "member_role": "owner"})
    assert response.status_code == 302
    selffunder = db_session.get(type(selffunder), selffunder.id)
    assert selffunder.has_role(Role.PROVIDER_STAFF) and selffunder.full_name == "Existing Person"
    assert "/password/reset/" not in outbox[-1].get_content()
    assert "/sign-in" in outbox[-1].get_content()


def test_owners_remove_staff_but_never_the_last_owner(client, db_session, make_user, owner):
    carer = make_user(Role.PROVIDER_STAFF, name="Sam Staff")
    provider = make_provider(db_session, owner, staff=[carer])
    owner_member, staff_member = sorted(provider.members, key=lambda m: m.member_role.value)
    sign_in(client, owner)
    team = f"/provider/{provider.id}/team"
    response = action(client, f"/provider/{provider.id}/team/{owner_member.id}/remove",
                      token_from=team)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You cannot remove the only owner" in page
    action(client, f"/provider/{provider.id}/team/{staff_member.id}/remove", token_from=team)
    assert db_session.get(ProviderMember, staff_member.id) is None
    carer = db_session.get(type(carer), carer.id)
    assert not carer.has_role(Role.PROVIDER_STAFF)  # in no other team
    assert db_session.get(ProviderMember, owner_member.id) is not None


def test_a_provider_in_two_organisations_sees_both_on_the_dashboard(
        client, db_session, owner):
    make_provider(db_session, owner, name="First Care")
    make_provider(db_session, owner, name="Second Care")
    sign_in(client, owner)
    page = client.get("/provider").get_data(as_text=True)
    assert "First Care" in page and "Second Care" in page
    assert csrf_token(client, "/provider")


def test_saving_the_edit_page_unchanged_keeps_every_value_including_two_periods_a_day(
        client, db_session, owner, provider):
    service = make_service(db_session, provider, description=("Long words " * 20).strip(),
                           outcomes=["daily_living"], capacity_per_week=12, min_age=18,
                           max_age=65, lead_time_days=3, regulated=True)
    service.availability = [ServiceAvailability(weekday=d, starts_at=s, ends_at=e)
                            for d in (0, 6) for s, e in ((time(7), time(10, 30)),
                                                         (time(17), time(22)))]
    service.funding_streams = [ServiceFundingStream(stream=FundingStream.SUPPORTING_PEOPLE)]
    db_session.commit()
    before = _snapshot(db_session, service.id)
    sign_in(client, owner)
    url = f"/provider/services/{service.id}/edit"
    values = form_values(client.get(url).get_data(as_text=True))
    response = post(client, url, values)
    assert response.status_code == 302, errors(response)
    assert _snapshot(db_session, service.id) == before


def _snapshot(db_session, service_id):
    s = db_session.get(Service, service_id)
    db_session.refresh(s)
    return (s.name, s.summary, s.description, s.category, sorted(s.outcomes), s.unit,
            s.price_pence, s.min_booking_units, s.lead_time_days, s.capacity_per_week,
            s.min_age, s.max_age, s.regulated, sorted(x.value for x in s.stream_codes),
            [(a.weekday, a.starts_at, a.ends_at) for a in s.availability])


def test_saving_the_profile_and_organisation_pages_unchanged_changes_nothing(
        client, db_session, owner):
    provider = make_provider(
        db_session, owner, description=("A long enough description of what we do. " * 3).strip(),
        email="a@willow.example", phone="020 7946 0000", website="https://willow.example",
        town="Harrow", coverage_radius_km=12, male_workers=True,
        premises_accessibility="Step-free", insurance_declared=True,
        insurance_expires_on=date(date.today().year + 1, 3, 31), dbs_declared=True,
        dbs_expires_on=date(date.today().year + 2, 1, 9), cqc_location_id="1-000210669",
        cqc_status="Registered", cqc_rating=CqcRating.GOOD, cqc_rating_date=date(2025, 1, 2),
        check_insurance=True, check_cqc=True)
    provider.areas = [ProviderArea(district="HA1"), ProviderArea(district="HA7")]
    provider.languages = [ProviderLanguage(language="gu")]
    db_session.commit()

    def snapshot():
        p = db_session.get(ProviderOrganisation, provider.id)
        db_session.refresh(p)
        columns = {c.key: getattr(p, c.key) for c in ProviderOrganisation.__table__.columns
                   if c.key not in ("updated_at",)}
        return columns, p.districts, p.language_codes

    before = snapshot()
    sign_in(client, owner)
    for url in (f"/provider/{provider.id}/profile", f"/provider/{provider.id}/organisation"):
        values = form_values(client.get(url).get_data(as_text=True))
        response = post(client, url, values)
        assert response.status_code == 302, (url, errors(response))
    after = snapshot()
    assert {k: v for k, v in after[0].items() if before[0][k] != v} == {}
    assert after == before
