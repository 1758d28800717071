"""The basket and checkout, through the web pages: one order per provider, money set
aside on the budget, approvals, and a checkout that is sent twice placing once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from catalogue.models import Unit
from marketplace.accounts import services as accounts
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.ledger import services as ledger
from marketplace.ordering.lifecycle import OrderStatus
from marketplace.ordering.models import BasketLine, Order, OrderEvent
from tests.conftest import csrf_token
from tests.functional.ordering_helpers import (
    agree_plan,
    form_post,
    hidden,
    make_budget,
    make_shop,
)
from tests.functional.storefront_helpers import errors

NEXT_WEEK = date.today() + timedelta(days=7)


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def line_form(**overrides) -> dict:
    data = {"kind": "recurring", "starts_on": _date(NEXT_WEEK), "ends_on": ["", "", ""],
            "weekdays": ["1", "3"], "start_time": "09:00", "end_time": "12:00",
            "quantity": "3"}
    data.update(overrides)
    return data


@pytest.fixture()
def setting(db_session, make_user, council):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER, name="Margaret Okafor")
    owner_a, owner_b = make_user(Role.PROVIDER_STAFF), make_user(Role.PROVIDER_STAFF)
    shop_a, weekly_service = make_shop(db_session, owner_a, name="Willow Care",
                                       service_name="Morning help", price_pence=2000)
    shop_b, trip = make_shop(db_session, owner_b, name="Oak Trips", service_name="Day trip",
                             price_pence=4500, category="pa-going-out",
                             unit=Unit.DAY)
    budget = make_budget(db_session, holder, council, paid_in_pence=2_000_000)
    agree_plan(db_session, holder, officer, categories=("personal-care", "personal-assistant"))
    return {"holder": holder, "officer": officer, "budget": budget, "weekly": weekly_service,
            "trip": trip, "owners": (owner_a, owner_b), "shops": (shop_a, shop_b)}


def add_to_basket(client, service, **overrides):
    url = f"/orders/basket/add/{service.id}"
    return form_post(client, url, line_form(**overrides))


def checkout(client, budget, providers, split=None):
    page = client.get("/orders/checkout")
    assert page.status_code == 200, page.status_code
    data = {}
    for provider in providers:
        stream = budget.streams[0].stream.value
        data[f"pay_{provider.id}"] = (f"split-{budget.id}-{stream}" if split
                                      else f"budget-{budget.id}-{stream}")
        data[f"contribution_{provider.id}"] = split or ""
    response = form_post(client, "/orders/checkout", data)
    assert response.status_code == 302, errors(response)
    check = client.get("/orders/checkout/check")
    assert check.status_code == 200
    return hidden(check.get_data(as_text=True), "checkout_key")


def test_a_holder_orders_from_two_providers_in_one_checkout(
        client, db_session, setting, signed_in, outbox):
    signed_in(setting["holder"])
    assert add_to_basket(client, setting["weekly"]).status_code == 302
    assert add_to_basket(client, setting["trip"], kind="one_off",
                         quantity="1").status_code == 302
    basket = client.get("/orders/basket").get_data(as_text=True)
    assert "Morning help" in basket and "Day trip" in basket
    assert "£120.00" in basket  # 3 hours x £20 x 2 days a week
    key = checkout(client, setting["budget"], setting["shops"])
    response = form_post(client, "/orders/checkout/check", {"checkout_key": key},
                         token_from="/orders/checkout/check")
    assert response.status_code == 302, errors(response)
    placed = client.get(response.headers["Location"]).get_data(as_text=True)
    orders = db_session.scalars(select(Order).order_by(Order.id)).all()
    assert len(orders) == 2
    assert all(o.reference in placed for o in orders)
    assert {o.status for o in orders} == {OrderStatus.AWAITING_PROVIDER}
    committed = ledger.balances(db_session, setting["budget"]).committed_pence
    assert committed == sum(o.committed_pence for o in orders) > 0
    assert db_session.scalar(select(func.count(BasketLine.id))) == 0
    assert any("sent to the provider" in m["Subject"] for m in outbox)


def test_the_same_checkout_sent_twice_places_its_orders_once(
        client, db_session, setting, signed_in):
    signed_in(setting["holder"])
    add_to_basket(client, setting["weekly"])
    key = checkout(client, setting["budget"], setting["shops"][:1])
    token = csrf_token(client, "/orders/checkout/check")
    first = client.post("/orders/checkout/check", data={"checkout_key": key, "csrf_token": token})
    again = client.post("/orders/checkout/check", data={"checkout_key": key, "csrf_token": token})
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert db_session.scalar(select(func.count(Order.id))) == 1


def test_an_order_beyond_the_money_available_is_refused_and_changes_nothing(
        client, db_session, make_user, council, setting, signed_in):
    holder = setting["holder"]
    poor = make_budget(db_session, holder, council, paid_in_pence=1000, name="Small budget")
    signed_in(holder)
    add_to_basket(client, setting["weekly"])
    key = checkout(client, poor, setting["shops"][:1])
    before = ledger.balances(db_session, poor)
    response = form_post(client, "/orders/checkout/check", {"checkout_key": key},
                         token_from="/orders/checkout/check")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is not enough money left in Small budget" in page
    assert db_session.scalar(select(func.count(Order.id))) == 0
    assert ledger.balances(db_session, poor) == before
    assert db_session.scalar(select(func.count(BasketLine.id))) == 1


def test_an_order_outside_the_support_plan_waits_for_the_councils_approval(
        app, client, db_session, make_user, council, setting, signed_in, outbox):
    _owner, cleaning = make_shop(db_session, make_user(Role.PROVIDER_STAFF), name="Sparkle",
                                 service_name="Cleaning", category="cleaning-and-laundry")
    signed_in(setting["holder"])
    add_to_basket(client, cleaning, start_time="09:00", end_time="11:00", quantity="2")
    key = checkout(client, setting["budget"], [cleaning.provider])
    form_post(client, "/orders/checkout/check", {"checkout_key": key},
              token_from="/orders/checkout/check")
    order = db_session.scalar(select(Order))
    assert order.status is OrderStatus.AWAITING_APPROVAL
    assert order.approval_reasons == ["outside_plan"]
    # The officer of the budget's council sees it and refuses, with a reason.
    officer_client = app.test_client()
    from tests.conftest import sign_in

    sign_in(officer_client, setting["officer"])
    assert order.reference in officer_client.get("/council/orders/approvals").get_data(
        as_text=True)
    response = form_post(officer_client, f"/council/orders/{order.id}",
                         {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Enter the reason" in response.get_data(as_text=True)
    response = form_post(officer_client, f"/council/orders/{order.id}",
                         {"decision": "reject", "reason": "Cleaning is not in your plan."})
    assert response.status_code == 302
    order = db_session.get(Order, order.id)
    assert order.status is OrderStatus.REJECTED
    assert order.committed_pence == 0
    assert ledger.balances(db_session, setting["budget"]).committed_pence == 0
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Cleaning is not in your plan." in page


def test_an_approved_order_goes_on_to_the_provider(app, client, db_session, make_user, setting,
                                                   signed_in):
    _owner, cleaning = make_shop(db_session, make_user(Role.PROVIDER_STAFF), name="Sparkle",
                                 service_name="Cleaning", category="cleaning-and-laundry")
    signed_in(setting["holder"])
    add_to_basket(client, cleaning, start_time="09:00", end_time="11:00", quantity="2")
    key = checkout(client, setting["budget"], [cleaning.provider])
    form_post(client, "/orders/checkout/check", {"checkout_key": key},
              token_from="/orders/checkout/check")
    order = db_session.scalar(select(Order))
    from tests.conftest import sign_in

    officer_client = app.test_client()
    sign_in(officer_client, setting["officer"])
    form_post(officer_client, f"/council/orders/{order.id}", {"decision": "approve"})
    order = db_session.get(Order, order.id)
    assert order.status is OrderStatus.AWAITING_PROVIDER
    events = db_session.scalars(select(OrderEvent.to_status).where(
        OrderEvent.order_id == order.id).order_by(OrderEvent.id)).all()
    assert events == [OrderStatus.SUBMITTED, OrderStatus.AWAITING_APPROVAL,
                      OrderStatus.APPROVED, OrderStatus.AWAITING_PROVIDER]


def test_a_representative_orders_for_the_person_they_act_for(
        app, db_session, make_user, council, setting):
    rep = make_user(name="Rep Resentative")
    authority = accounts.create_authority(
        db_session, created_by=setting["officer"], representative=rep,
        holder=setting["holder"], council=council, authority_type=AuthorityType.FAMILY_CARER,
        scope=Scope.ORDER, starts_on=date.today() - timedelta(days=1), ends_on=None,
        evidence_reference="E1")
    db_session.commit()
    from tests.conftest import sign_in

    client = app.test_client()
    sign_in(client, rep)
    form_post(client, f"/acting/start/{authority.id}", {}, token_from="/acting/")
    add_to_basket(client, setting["weekly"])
    key = checkout(client, setting["budget"], setting["shops"][:1])
    form_post(client, "/orders/checkout/check", {"checkout_key": key},
              token_from="/orders/checkout/check")
    order = db_session.scalar(select(Order))
    assert order.buyer_id == setting["holder"].id
    assert order.placed_by_id == rep.id
    event = order.events[0]
    assert (event.user_id, event.acting_for_id) == (rep.id, setting["holder"].id)


def test_a_split_order_sets_aside_only_the_budgets_share(client, db_session, setting,
                                                         signed_in):
    signed_in(setting["holder"])
    add_to_basket(client, setting["weekly"], ends_on=_date(NEXT_WEEK + timedelta(days=6)))
    key = checkout(client, setting["budget"], setting["shops"][:1], split="50.00")
    form_post(client, "/orders/checkout/check", {"checkout_key": key},
              token_from="/orders/checkout/check")
    order = db_session.scalar(select(Order))
    assert order.total_pence == 12000
    assert order.contribution_pence == 5000
    assert order.committed_pence == 7000


def test_the_service_page_offers_add_to_basket_only_to_people_who_can_order(
        app, client, db_session, make_user, setting):
    url = f"/services/{setting['weekly'].id}"
    assert "Add to basket" not in client.get(url).get_data(as_text=True)
    from tests.conftest import sign_in

    staff = app.test_client()
    sign_in(staff, make_user(Role.PROVIDER_STAFF))
    assert "Add to basket" not in staff.get(url).get_data(as_text=True)
    holder = app.test_client()
    sign_in(holder, setting["holder"])
    page = holder.get(url).get_data(as_text=True)
    assert f'action="/orders/basket/add/{setting["weekly"].id}"' in page


def test_the_orders_page_lists_the_persons_orders(client, db_session, setting, signed_in):
    signed_in(setting["holder"])
    add_to_basket(client, setting["weekly"])
    key = checkout(client, setting["budget"], setting["shops"][:1])
    form_post(client, "/orders/checkout/check", {"checkout_key": key},
              token_from="/orders/checkout/check")
    order = db_session.scalar(select(Order))
    page = client.get("/orders/").get_data(as_text=True)
    assert order.reference in page
    detail = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Morning help" in detail and "Waiting for the provider" in detail


def test_orders_above_the_councils_threshold_or_in_a_restricted_category_need_approval(
        app, client, db_session, setting, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "ORDER_APPROVAL_THRESHOLD_PENCE", 1000)
    monkeypatch.setitem(app.config, "ORDER_RESTRICTED_CATEGORIES", ("getting-up-and-dressed",))
    signed_in(setting["holder"])
    add_to_basket(client, setting["weekly"])
    key = checkout(client, setting["budget"], setting["shops"][:1])
    form_post(client, "/orders/checkout/check", {"checkout_key": key},
              token_from="/orders/checkout/check")
    order = db_session.scalar(select(Order))
    assert order.status is OrderStatus.AWAITING_APPROVAL
    assert order.approval_reasons == ["over_threshold", "restricted_category"]
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "The council checks every purchase of this kind" in page


def test_a_self_funder_pays_by_card_and_nothing_is_set_aside(app, client, db_session,
                                                             make_user, setting, signed_in):
    funder = make_user(Role.SELF_FUNDER)
    signed_in(funder)
    add_to_basket(client, setting["weekly"], ends_on=_date(NEXT_WEEK + timedelta(days=13)))
    provider = setting["shops"][0]
    response = form_post(client, "/orders/checkout", {f"pay_{provider.id}": "card"})
    assert response.status_code == 302
    key = hidden(client.get("/orders/checkout/check").get_data(as_text=True), "checkout_key")
    form_post(client, "/orders/checkout/check", {"checkout_key": key},
              token_from="/orders/checkout/check")
    order = db_session.scalar(select(Order))
    assert order.payment_method.value == "card"
    assert order.card_payment.value == "awaiting_card_payment"
    assert order.committed_pence == 0 and order.budget_id is None
    assert order.status is OrderStatus.AWAITING_PROVIDER
    assert order.total_pence == 4 * 6000
