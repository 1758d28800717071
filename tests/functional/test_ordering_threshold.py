"""The approval threshold is each council's own setting (an officer of that council or
an administrator changes it), falling back to ORDER_APPROVAL_THRESHOLD_PENCE."""

from __future__ import annotations

from marketplace.accounts.models import Council
from marketplace.accounts.roles import Role
from marketplace.ordering import funding
from marketplace.ordering.lifecycle import OrderStatus
from marketplace.ordering.rules import ApprovalReason
from tests.conftest import sign_in
from tests.functional.ordering_helpers import (
    agree_plan,
    form_post,
    make_budget,
    make_shop,
    place,
    weekly,
)


def test_an_officer_sets_the_threshold_and_orders_above_it_wait_for_approval(
        app, db_session, make_user, council):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER)
    owner = make_user(Role.PROVIDER_STAFF)
    _shop, service = make_shop(db_session, owner, price_pence=2000)
    budget = make_budget(db_session, holder, council, paid_in_pence=2_000_000)
    agree_plan(db_session, holder, officer)
    client = app.test_client()
    sign_in(client, officer)
    assert council.name in client.get("/council/orders/settings").get_data(as_text=True)
    url = f"/council/orders/settings/{council.id}"
    assert form_post(client, url, {"use": "amount", "threshold": "100.00"}).status_code == 302
    assert db_session.get(Council, council.id).order_approval_threshold_pence == 10_000
    with app.test_request_context("/"):
        assert funding.approval_threshold_pence(db_session, council.id) == 10_000
        order = place(db_session, db_session.merge(holder), db_session.merge(service),
                      db_session.merge(budget), schedule=weekly())[0]
    assert order.status is OrderStatus.AWAITING_APPROVAL
    assert order.approval_reasons == [ApprovalReason.OVER_THRESHOLD.value]
    # Empty: back to the site's setting; 0: no limit.
    form_post(client, url, {"use": "site", "threshold": ""})
    assert db_session.get(Council, council.id).order_approval_threshold_pence is None
    with app.test_request_context("/"):
        assert funding.approval_threshold_pence(db_session, council.id) == \
            app.config["ORDER_APPROVAL_THRESHOLD_PENCE"]
    form_post(client, url, {"use": "none"})
    with app.test_request_context("/"):
        assert funding.approval_threshold_pence(db_session, council.id) is None


def test_only_that_councils_officers_and_administrators_may_change_it(
        app, db_session, make_user, council, other_council):
    outsider = make_user(Role.COUNCIL_OFFICER, council_for=other_council)
    admin = make_user(Role.ADMINISTRATOR)
    holder = make_user(Role.BUDGET_HOLDER)
    url = f"/council/orders/settings/{council.id}"
    for user, status in ((outsider, 403), (holder, 403), (admin, 200)):
        client = app.test_client()
        sign_in(client, user)
        assert client.get(url).status_code == status, user.full_name
    client = app.test_client()
    sign_in(client, outsider)
    assert form_post(client, url, {"use": "amount", "threshold": "1.00"},
                     token_from="/council/orders/settings").status_code == 403
    assert client.get("/council/orders/settings/999999").status_code == 404
    assert db_session.get(Council, council.id).order_approval_threshold_pence is None


def test_a_bad_threshold_is_refused_and_changes_nothing(app, db_session, make_user, council):
    officer = make_user(Role.COUNCIL_OFFICER)
    client = app.test_client()
    sign_in(client, officer)
    url = f"/council/orders/settings/{council.id}"
    for junk, message in (("-5", "cannot be negative"), ("lots", "Enter an amount"),
                          ("99999999", "must be £10,000 or less"), ("0", "more than £0"),
                          ("", "more than £0")):
        response = form_post(client, url, {"use": "amount", "threshold": junk})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert db_session.get(Council, council.id).order_approval_threshold_pence is None
    response = form_post(client, url, {"use": "sometimes"})
    assert "Select which orders need approval" in response.get_data(as_text=True)
