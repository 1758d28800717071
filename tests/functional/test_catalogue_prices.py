"""The price each viewer sees, on the service page, the provider's storefront and the
category pages: the council rate for people that council funds (and for a
representative acting for one of them) while the rate is in force; the public
price for everyone else."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from marketplace.accounts import services
from marketplace.accounts.roles import AuthorityType, Role, Scope
from tests.conftest import csrf_token, sign_in
from tests.functional.catalogue_factories import add_provider, add_rate, add_service

PUBLIC = "£24.50 per hour — the public price"
COUNCIL = ("£18.00 per hour — the rate Testshire County Council agreed for people it funds; "
           "the public price is £24.50")
OTHER = ("£20.00 per hour — the rate Elsewhere District Council agreed for people it funds; "
         "the public price is £24.50")

# name: (offset of the start from today, offset of the end or None, whose rate)
RATES = {
    "no rate": None,
    "a rate with no end": (-30, None, "ours"),
    "a rate that ends later": (-30, 30, "ours"),
    "a rate that starts today": (0, None, "ours"),
    "a rate that ends today": (-30, 0, "ours"),
    "an expired rate": (-400, -1, "ours"),
    "a future rate": (1, None, "ours"),
    "another council's rate": (-30, None, "theirs"),
}
VIEWERS = ["anonymous visitor", "self-funder", "person funded by the council",
           "person funded by another council", "representative acting for a funded person",
           "representative acting for nobody"]


def _expected(viewer: str, rate: str) -> str:
    spec = RATES[rate]
    in_force = spec is not None and spec[0] <= 0 and (spec[1] is None or spec[1] >= 0)
    if not in_force:
        return PUBLIC
    ours = spec[2] == "ours"
    if viewer in ("person funded by the council", "representative acting for a funded person"):
        return COUNCIL if ours else PUBLIC
    if viewer == "person funded by another council":
        return PUBLIC if ours else OTHER
    return PUBLIC


def _text(page: str) -> str:
    """The visible text of the price paragraphs, with whitespace collapsed."""
    prices = re.findall(r'<p class="govuk-body council-price"[^>]*>(.*?)</p>', page, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", p)).strip() for p in prices]


@pytest.fixture()
def today(freeze_today):
    day = date.today()
    freeze_today(day)
    return day


@pytest.fixture()
def viewer_client(app, db_session, make_user, council, other_council):
    officer = make_user(Role.COUNCIL_OFFICER)

    def _client(viewer: str):
        client = app.test_client()
        if viewer == "anonymous visitor":
            return client
        if viewer == "self-funder":
            sign_in(client, make_user(Role.SELF_FUNDER))
        elif viewer == "person funded by the council":
            sign_in(client, make_user(Role.BUDGET_HOLDER))
        elif viewer == "person funded by another council":
            sign_in(client, make_user(Role.BUDGET_HOLDER, council_for=other_council))
        else:
            holder = make_user(Role.BUDGET_HOLDER, name="Margaret Funded")
            rep = make_user(name="Sarah Rep")
            authority = services.create_authority(
                db_session, created_by=officer, representative=rep, holder=holder,
                council=council, authority_type=AuthorityType.FAMILY_CARER,
                scope=Scope.VIEW, starts_on=date.today() - timedelta(days=10), ends_on=None,
                evidence_reference="CASE-1")
            db_session.commit()
            sign_in(client, rep)
            if viewer == "representative acting for a funded person":
                token = csrf_token(client, "/acting/")
                assert client.post(f"/acting/start/{authority.id}",
                                   data={"csrf_token": token}).status_code == 302
        return client

    return _client


@pytest.mark.parametrize("rate", list(RATES))
@pytest.mark.parametrize("viewer", VIEWERS)
def test_each_viewer_sees_the_price_that_applies_to_them_on_every_page(
        db_session, council, other_council, viewer_client, today, viewer, rate):
    provider = add_provider(db_session)
    service = add_service(db_session, provider)
    spec = RATES[rate]
    if spec is not None:
        starts, ends, whose = spec
        add_rate(db_session, service, council if whose == "ours" else other_council,
                 1800 if whose == "ours" else 2000, today + timedelta(days=starts),
                 None if ends is None else today + timedelta(days=ends))
    client = viewer_client(viewer)
    expected = _expected(viewer, rate)
    for path in (f"/services/{service.id}", f"/providers/{provider.id}",
                 "/categories/getting-up-and-dressed", "/categories/personal-care"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _text(response.get_data(as_text=True)) == [expected], (path, viewer, rate)


def test_a_visitor_is_told_that_funded_people_may_pay_less(client, db_session, council):
    service = add_service(db_session, add_provider(db_session))
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "may pay less than the public price" in page
    assert "Sign in to see your price" in page


def test_a_signed_in_funded_person_gets_no_hint_and_sees_when_the_rate_ends(
        client, db_session, council, make_user, today):
    service = add_service(db_session, add_provider(db_session))
    add_rate(db_session, service, council, 1800, today - timedelta(days=5),
             date(today.year + 1, 3, 31))
    sign_in(client, make_user(Role.BUDGET_HOLDER))
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "may pay less" not in page
    assert f"This rate is agreed until 31 March {today.year + 1}." in page


def test_a_representative_is_told_whose_price_they_see(db_session, council, viewer_client,
                                                       today):
    service = add_service(db_session, add_provider(db_session))
    add_rate(db_session, service, council, 1800, today - timedelta(days=5))
    acting = viewer_client("representative acting for a funded person")
    page = acting.get(f"/services/{service.id}").get_data(as_text=True)
    assert "This is the price for Margaret Funded, who you are acting for." in page
    not_acting = viewer_client("representative acting for nobody")
    page = not_acting.get(f"/services/{service.id}").get_data(as_text=True)
    assert "Choose the person you are acting for to see their price" in page


def test_the_lowest_rate_applies_to_someone_two_councils_fund(
        app, db_session, council, other_council, make_user, today):
    service = add_service(db_session, add_provider(db_session))
    add_rate(db_session, service, council, 1800, today - timedelta(days=5))
    add_rate(db_session, service, other_council, 1700, today - timedelta(days=5))
    person = make_user(Role.BUDGET_HOLDER)
    services.grant_role(person, Role.BUDGET_HOLDER, other_council.id)
    db_session.commit()
    client = app.test_client()
    sign_in(client, person)
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert _text(page) == ["£17.00 per hour — the rate Elsewhere District Council agreed "
                           "for people it funds; the public price is £24.50"]
