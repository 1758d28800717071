"""The provider's inbox, accepting and declining, capacity warnings, the buyer
cancelling, and the timed transitions of `flask orders tick`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.accounts.roles import Role
from marketplace.db import utcnow
from marketplace.ledger import services as ledger
from marketplace.ordering.lifecycle import OrderStatus, Timer
from marketplace.ordering.models import Order, OrderEvent
from marketplace.ordering.services import run_timers
from tests.conftest import sign_in
from tests.functional.ordering_helpers import (
    add_staff,
    agree_plan,
    form_post,
    make_budget,
    make_shop,
    once,
    place,
    weekly,
)


@pytest.fixture()
def placed(app, db_session, make_user, council):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER, name="Margaret Okafor")
    owner = make_user(Role.PROVIDER_STAFF)
    shop, service = make_shop(db_session, owner, capacity_per_week=8)
    budget = make_budget(db_session, holder, council, paid_in_pence=2_000_000)
    agree_plan(db_session, holder, officer)
    with app.test_request_context("/"):
        order = place(db_session, holder, service, budget,
                      schedule=weekly(hours=300))[0]  # 6 hours a week
    return {"holder": holder, "owner": owner, "shop": shop, "service": service,
            "budget": budget, "order": order, "officer": officer}


def test_the_provider_sees_the_order_in_its_inbox_and_accepts_it(app, db_session, placed,
                                                                  outbox):
    client = app.test_client()
    sign_in(client, placed["owner"])
    inbox = client.get("/provider/orders/").get_data(as_text=True)
    assert placed["order"].reference in inbox
    assert "Margaret Okafor" in inbox
    response = form_post(client, f"/provider/orders/{placed['order'].id}",
                         {"decision": "accept", "reason": ""})
    assert response.status_code == 302
    order = db_session.get(Order, placed["order"].id)
    assert order.status is OrderStatus.ACCEPTED
    assert order.committed_pence > 0
    assert any("accepted" in m["Subject"] for m in outbox)


def test_declining_needs_a_reason_and_releases_the_money(app, db_session, placed):
    client = app.test_client()
    sign_in(client, placed["owner"])
    url = f"/provider/orders/{placed['order'].id}"
    refused = form_post(client, url, {"decision": "decline", "reason": "  "})
    assert refused.status_code == 400
    assert "Enter the reason" in refused.get_data(as_text=True)
    assert db_session.get(Order, placed["order"].id).status is OrderStatus.AWAITING_PROVIDER
    form_post(client, url, {"decision": "decline", "reason": "No carers on Tuesdays."})
    order = db_session.get(Order, placed["order"].id)
    assert order.status is OrderStatus.DECLINED
    assert ledger.balances(db_session, placed["budget"]).committed_pence == 0
    assert order.events[-1].reason == "No carers on Tuesdays."


def test_accepting_beyond_the_stated_capacity_warns(app, db_session, make_user, council,
                                                    placed):
    other = make_user(Role.BUDGET_HOLDER)
    budget = make_budget(db_session, other, council, paid_in_pence=2_000_000)
    agree_plan(db_session, other, placed["officer"])
    with app.test_request_context("/"):
        second = place(db_session, other, placed["service"], budget,
                       schedule=weekly(hours=300), key="second")[0]
    client = app.test_client()
    sign_in(client, placed["owner"])
    form_post(client, f"/provider/orders/{placed['order'].id}", {"decision": "accept"})
    page = client.get(f"/provider/orders/{second.id}").get_data(as_text=True)
    assert "beyond the capacity you state" in page


def test_staff_of_another_provider_cannot_see_or_answer_the_order(app, db_session, make_user,
                                                                   placed):
    stranger = make_user(Role.PROVIDER_STAFF)
    make_shop(db_session, stranger, name="Other Care")
    client = app.test_client()
    sign_in(client, stranger)
    assert placed["order"].reference not in client.get("/provider/orders/?status=all").get_data(
        as_text=True)
    url = f"/provider/orders/{placed['order'].id}"
    assert client.get(url).status_code == 403
    assert form_post(client, url, {"decision": "accept"}, token_from="/accessibility"
                     ).status_code == 403
    assert db_session.get(Order, placed["order"].id).status is OrderStatus.AWAITING_PROVIDER


def test_staff_members_see_their_organisations_orders(app, db_session, make_user, placed):
    carer = make_user(Role.PROVIDER_STAFF)
    add_staff(db_session, placed["shop"], carer)
    client = app.test_client()
    sign_in(client, carer)
    assert client.get(f"/provider/orders/{placed['order'].id}").status_code == 200


def test_the_buyer_cancels_an_order_nobody_has_answered(app, db_session, placed):
    client = app.test_client()
    sign_in(client, placed["holder"])
    url = f"/orders/{placed['order'].id}/cancel"
    assert client.get(url).status_code == 200
    assert form_post(client, url, {"sure": "yes", "reason": ""}).status_code == 302
    order = db_session.get(Order, placed["order"].id)
    assert order.status is OrderStatus.CANCELLED
    assert ledger.balances(db_session, placed["budget"]).committed_pence == 0


def test_another_person_cannot_see_or_cancel_the_order(app, db_session, make_user, placed):
    client = app.test_client()
    sign_in(client, make_user(Role.BUDGET_HOLDER))
    assert client.get(f"/orders/{placed['order'].id}").status_code == 404
    assert form_post(client, f"/orders/{placed['order'].id}/cancel", {"sure": "yes", "reason": "x"},
                     token_from="/accessibility").status_code == 404
    assert db_session.get(Order, placed["order"].id).status is OrderStatus.AWAITING_PROVIDER


def test_an_officer_of_another_council_cannot_decide(app, db_session, make_user, other_council,
                                                    placed):
    client = app.test_client()
    sign_in(client, make_user(Role.COUNCIL_OFFICER, council_for=other_council))
    assert client.get(f"/council/orders/{placed['order'].id}").status_code == 403


def test_an_unanswered_order_expires_once_and_its_money_is_released(app, db_session, placed,
                                                                    outbox):
    later = utcnow() + timedelta(days=6)
    with app.test_request_context("/"):
        assert run_timers(db_session, now=utcnow(), today=date.today())[
            Timer.PROVIDER_REPLY_DUE] == 0
        first = run_timers(db_session, now=later, today=date.today())
        second = run_timers(db_session, now=later, today=date.today())
    assert first[Timer.PROVIDER_REPLY_DUE] == 1
    assert second[Timer.PROVIDER_REPLY_DUE] == 0
    order = db_session.get(Order, placed["order"].id)
    assert order.status is OrderStatus.EXPIRED
    assert ledger.balances(db_session, placed["budget"]).committed_pence == 0
    expired = db_session.scalars(select(OrderEvent).where(
        OrderEvent.to_status == OrderStatus.EXPIRED)).all()
    assert len(expired) == 1


def test_accepted_orders_start_and_finished_ones_complete_on_their_dates(
        app, db_session, placed):
    start = date.today() + timedelta(days=10)
    with app.test_request_context("/"):
        order = place(db_session, placed["holder"], placed["service"], placed["budget"],
                      schedule=once(on=start), key="one-off")[0]
    client = app.test_client()
    sign_in(client, placed["owner"])
    form_post(client, f"/provider/orders/{order.id}", {"decision": "accept"})
    with app.test_request_context("/"):
        run_timers(db_session, now=utcnow(), today=start)
        assert db_session.get(Order, order.id).status is OrderStatus.ACTIVE
        run_timers(db_session, now=utcnow(), today=start + timedelta(days=1))
    order = db_session.get(Order, order.id)
    assert order.status is OrderStatus.COMPLETED


def test_the_tick_command_runs(app, db_session, placed):
    result = app.test_cli_runner().invoke(args=["orders", "tick"])
    assert result.exit_code == 0, result.output
    assert "provider_reply_due: 0" in result.output
