"""Every form, posted with junk, answers with an error summary or a clear 400 and
changes nothing; no request makes the app answer 500."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from catalogue.models import CouncilRate, ListingReport, ReportReason, ServiceStatus
from marketplace.accounts import services
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.models import metadata
from tests.budget_helpers import bad_input_forms as budget_forms
from tests.conftest import csrf_token, sign_in
from tests.functional.catalogue_factories import add_provider, add_service
from tests.functional.community_helpers import community_forms
from tests.functional.deliveries_helpers import bad_input_forms as deliveries_forms
from tests.functional.minder_helpers import plan_forms
from tests.functional.ordering_helpers import bad_input_forms as ordering_forms
from tests.functional.ratings_helpers import bad_input_forms as ratings_forms
from tests.functional.storefront_helpers import make_provider, make_service
from tests.invoicing_helpers import bad_input_forms as invoicing_forms
from tests.payments_helpers import bad_input_forms as payments_forms

LONG = "x" * 10_000
# Bookkeeping that a refused request may legitimately write (a failed sign-in).
NOT_COUNTED = {"sign_in_attempts"}


def _counts(session) -> dict[str, int]:
    return {name: session.scalar(select(func.count()).select_from(table))
            for name, table in metadata.tables.items() if name not in NOT_COUNTED}


def _field_names(page: str) -> set[str]:
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', page))
    return names - {"csrf_token", "submit"}


@pytest.fixture()
def forms(db_session, make_user, council):
    """(who signs in, form URL) for every form in the app."""
    officer = make_user(Role.COUNCIL_OFFICER)
    admin = make_user(Role.ADMINISTRATOR)
    holder = make_user(Role.BUDGET_HOLDER)
    rep = make_user()
    authority = services.create_authority(
        db_session, created_by=officer, representative=rep, holder=holder, council=council,
        authority_type=AuthorityType.FAMILY_CARER, scope=Scope.ORDER,
        starts_on=date.today() - timedelta(days=1), ends_on=None, evidence_reference="E")
    token = services.start_password_reset(db_session, holder, 3600)
    db_session.commit()
    listed = add_service(db_session, add_provider(db_session))
    owner = make_user(Role.PROVIDER_STAFF)
    shop = make_provider(db_session, owner, name="Junk Test Care")
    shop_service = make_service(db_session, shop, status=ServiceStatus.DRAFT)
    to_resolve, to_close = (ListingReport(service_id=shop_service.id, provider_id=shop.id,
                                          reason=ReportReason.OTHER, details="Wrong")
                            for _ in range(2))
    rate = CouncilRate(service_id=shop_service.id, council_id=council.id, rate_pence=1000,
                       starts_on=date.today())
    db_session.add_all([to_resolve, to_close, rate])
    db_session.commit()
    return [
        (None, "/sign-in"),
        (None, "/register"),
        (None, "/password/forgotten"),
        (None, f"/password/reset/{token}"),
        (holder, "/my/details/change"),
        (officer, f"/council/people/{holder.id}/authorities/new"),
        (officer, f"/council/authorities/{authority.id}/withdraw"),
        (admin, f"/admin/users/{holder.id}"),
        (None, f"/services/{listed.id}/report"),
        (owner, f"/provider/{shop.id}/profile"),
        (owner, f"/provider/{shop.id}/organisation"),
        (owner, f"/provider/{shop.id}/logo"),
        (owner, f"/provider/{shop.id}/team"),
        (owner, f"/provider/{shop.id}/services/new"),
        (owner, f"/provider/services/{shop_service.id}/edit"),
        (owner, f"/provider/services/{shop_service.id}/photos"),
        (owner, f"/provider/reports/{to_resolve.id}/resolve"),
        (officer, f"/council/providers/{shop.id}"),
        (officer, f"/council/providers/services/{shop_service.id}/rates"),
        (officer, f"/council/providers/rates/{rate.id}/end"),
        (officer, f"/council/providers/reports/{to_close.id}"),
        (officer, f"/council/providers/{shop.id}/suspend"),
        *plan_forms(db_session, holder, officer, council),
        *ordering_forms(db_session, holder, officer, council),
        *deliveries_forms(db_session, holder, officer, council),
        *budget_forms(db_session, holder, officer, make_user(Role.FINANCE_OFFICER), council),
        *community_forms(db_session, make_user, council),
        *invoicing_forms(db_session, council),
        *payments_forms(db_session, council, make_user),
        *ratings_forms(db_session, holder, officer, council),
    ]


FREE_TEXT = {"reason", "password", "confirm", "resolution"}


def _junk_payloads(fields: set[str], token: str):
    yield "nothing at all", {"csrf_token": token}
    yield "over-long text", {**{f: LONG for f in fields}, "csrf_token": token}
    if not fields <= FREE_TEXT:
        yield "bad email and dates", {**{f: f"not-an-email-{i}@" for i, f in enumerate(fields)},
                                      "starts_on": ["31", "2", "2026"],
                                      "ends_on": ["99", "99", "99"], "csrf_token": token}
    # Every field a different wrong value, so no pair of fields can agree by chance.
    yield "wrong types", {**{f: [f"<script>alert({i})</script>", "-1", "1e9"]
                             for i, f in enumerate(sorted(fields))}, "csrf_token": token}


def test_every_form_refuses_junk_clearly_and_changes_nothing(app, db_session, forms):
    for user, url in forms:
        client = app.test_client()
        if user is not None:
            sign_in(client, user)
        page = client.get(url).get_data(as_text=True)
        fields = _field_names(page)
        assert fields, url
        token = csrf_token(client, url)
        for label, payload in _junk_payloads(fields, token):
            before = _counts(db_session)
            response = client.post(url, data=payload)
            body = response.get_data(as_text=True)
            if label == "wrong types" and fields <= FREE_TEXT and response.status_code == 302:
                # Free text may hold anything; it must come back as text, never markup.
                shown = client.get(response.headers["Location"]).get_data(as_text=True)
                assert "<script>alert(" not in shown, url
                continue
            assert response.status_code == 400, (url, label, response.status_code)
            assert "govuk-error-summary" in body, (url, label)
            assert "<script>alert(" not in body, (url, label)
            assert _counts(db_session) == before, (url, label)


def test_forms_without_a_valid_token_are_refused_and_change_nothing(app, db_session, forms):
    for user, url in forms:
        client = app.test_client()
        if user is not None:
            sign_in(client, user)
        fields = _field_names(client.get(url).get_data(as_text=True))
        for payload in ({f: "x" for f in fields},
                        {**{f: "x" for f in fields}, "csrf_token": "forged"}):
            before = _counts(db_session)
            response = client.post(url, data=payload)
            assert response.status_code == 400, url
            assert "Your form could not be sent" in response.get_data(as_text=True)
            assert _counts(db_session) == before, url


def test_action_buttons_without_a_valid_token_do_nothing(app, make_user):
    client = app.test_client()
    sign_in(client, make_user(Role.REPRESENTATIVE))
    for path in ("/acting/stop", "/sign-out", "/acting/start/1"):
        response = client.post(path, data={"csrf_token": "forged"})
        assert response.status_code == 400, path
    assert client.get("/acting/").status_code == 200  # still signed in


@pytest.mark.parametrize("path", [
    "/council/?page=abc", "/council/?page=-1", "/council/?page=99999999999999",
    "/council/?q=" + "%27%22%3C" * 3000, "/admin/?page=0&q=%00", "/admin/audit?person=abc",
    "/admin/audit?page=-5", "/admin/users/999999", "/council/people/999999",
    "/council/authorities/999999/withdraw", "/password/reset/" + "a" * 5000,
    "/language/xx?next=https://evil.example", "/language/cy?next=//evil.example",
    "/acting/?next=javascript:alert(1)", "/%ff%fe", "/council/people/abc",
    "/council/?q=%00", "/admin/?q=a%00b",
    "/search?q=" + "x" * 10_000, "/search?q=a:b*%20OR%20(", "/search?postcode=ZZ99",
    "/search?price_min=-5&price_max=abc", "/search?page=999999", "/search?page=-1",
])
def test_odd_urls_get_a_clear_answer_never_a_500(app, db_session, make_user, path):
    client = app.test_client()
    sign_in(client, make_user(Role.ADMINISTRATOR))
    response = client.get(path)
    assert response.status_code in (200, 302, 400, 403, 404), (path, response.status_code)
    if response.status_code == 302:
        assert not response.headers["Location"].startswith(("//", "http", "javascript"))


def test_an_oversized_request_is_refused(client):
    response = client.post("/sign-in", data={"email": "x" * (5 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_a_nul_character_in_a_form_is_refused_before_it_reaches_the_database(
        client, db_session):
    before = _counts(db_session)
    response = client.post("/sign-in", data={"email": "a\x00b@example.org", "password": "x",
                                              "csrf_token": csrf_token(client, "/sign-in")})
    assert response.status_code == 400
    assert "cannot be used" in response.get_data(as_text=True)
    assert _counts(db_session) == before
