"""Bad input at the basket and checkout: a clear message, and nothing changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from catalogue.models import Service, ServiceStatus
from marketplace.accounts.roles import Role
from marketplace.ordering.models import BasketLine, Order
from tests.functional.ordering_helpers import (
    agree_plan,
    basket_with,
    form_post,
    make_budget,
    make_shop,
)
from tests.functional.storefront_helpers import errors
from tests.functional.test_ordering_checkout import _date, line_form


@pytest.fixture()
def shop(db_session, make_user, council):
    holder = make_user(Role.BUDGET_HOLDER)
    owner = make_user(Role.PROVIDER_STAFF)
    provider, service = make_shop(db_session, owner, price_pence=2000)
    budget = make_budget(db_session, holder, council, paid_in_pence=2_000_000)
    agree_plan(db_session, holder, make_user(Role.COUNCIL_OFFICER))
    return {"holder": holder, "service": service, "budget": budget, "provider": provider}


def _lines(session) -> int:
    return session.scalar(select(func.count(BasketLine.id)))


@pytest.mark.parametrize(("overrides", "message"), [
    ({"quantity": "0"}, "Enter a number more than 0"),
    ({"quantity": "10000"}, "Enter 24 or fewer for each visit"),
    ({"quantity": "lots"}, "Enter a number, like 2 or 1.5"),
    ({"quantity": "4", "start_time": "09:00", "end_time": "10:00"},
     "cannot be more than the time between the start and end times"),
    ({"starts_on": _date(date.today() - timedelta(days=1))},
     "The start date must be today or in the future"),
    ({"ends_on": _date(date.today() + timedelta(days=2))},
     "The end date must be the same as or after the start date"),
    ({"weekdays": []}, "Select the days of the week you want support"),
    ({"weekdays": ["9"]}, "Select days from the list"),
    ({"end_time": "08:00"}, "The end time must be after the start time"),
    ({"start_time": "25:99"}, "Enter a time like 09:00 or 17:30"),
    ({"kind": "forever"}, "Select how often you want it"),
])
def test_a_line_with_bad_values_is_refused_clearly(client, db_session, shop, signed_in,
                                                    overrides, message):
    signed_in(shop["holder"])
    response = form_post(client, f"/orders/basket/add/{shop['service'].id}",
                         line_form(**overrides))
    assert response.status_code == 400
    assert any(message in e for e in errors(response)), errors(response)
    assert _lines(db_session) == 0


def test_a_service_paused_since_it_was_put_in_the_basket_stops_checkout(
        app, client, db_session, shop, signed_in):
    with app.test_request_context("/"):
        basket_with(db_session, shop["holder"], shop["service"])
    db_session.get(Service, shop["service"].id).status = ServiceStatus.PAUSED
    db_session.commit()
    signed_in(shop["holder"])
    page = client.get("/orders/basket").get_data(as_text=True)
    assert "no longer available to order" in page
    assert "Continue to checkout" not in page
    assert client.get("/orders/checkout").headers["Location"].endswith("/orders/basket")
    assert db_session.scalar(select(func.count(Order.id))) == 0


def test_a_price_changed_since_then_is_shown_and_must_be_confirmed(
        app, client, db_session, shop, signed_in):
    with app.test_request_context("/"):
        basket_with(db_session, shop["holder"], shop["service"])
    db_session.get(Service, shop["service"].id).price_pence = 2500
    db_session.commit()
    signed_in(shop["holder"])
    page = client.get("/orders/basket").get_data(as_text=True)
    assert "The price has changed from £20.00 to £25.00" in page
    assert client.get("/orders/checkout").status_code == 302
    response = form_post(client, "/orders/basket/confirm-prices", {},
                         token_from="/orders/basket")
    assert response.status_code == 302
    assert db_session.scalar(select(BasketLine.price_seen_pence)) == 2500
    assert client.get("/orders/checkout").status_code == 200


def test_a_budget_the_person_may_not_use_is_refused(client, db_session, make_user, council,
                                                    shop, signed_in, app):
    other = make_user(Role.BUDGET_HOLDER)
    theirs = make_budget(db_session, other, council, paid_in_pence=2_000_000)
    with app.test_request_context("/"):
        basket_with(db_session, shop["holder"], shop["service"])
    signed_in(shop["holder"])
    page = client.get("/orders/checkout").get_data(as_text=True)
    assert f"budget-{theirs.id}-" not in page
    response = form_post(client, "/orders/checkout", {
        f"pay_{shop['provider'].id}": f"budget-{theirs.id}-adult_social_care"})
    assert response.status_code == 400
    assert any("Select how you will pay" in e for e in errors(response))
    assert db_session.scalar(select(func.count(Order.id))) == 0


def test_a_stream_that_may_not_buy_the_service_is_not_offered(
        app, client, db_session, make_user, council, signed_in):
    from catalogue.taxonomy import FundingStream

    holder = make_user(Role.BUDGET_HOLDER)
    _provider, service = make_shop(db_session, make_user(Role.PROVIDER_STAFF),
                                   category="cleaning-and-laundry")
    budget = make_budget(db_session, holder, council, paid_in_pence=100_000,
                         stream=FundingStream.SUPPORTING_PEOPLE)
    with app.test_request_context("/"):
        basket_with(db_session, holder, service)
    signed_in(holder)
    page = client.get("/orders/checkout").get_data(as_text=True)
    assert f"budget-{budget.id}-" not in page
    assert "There is no budget you can use for this" in page


def test_a_split_without_an_amount_asks_for_it(app, client, db_session, shop, signed_in):
    with app.test_request_context("/"):
        basket_with(db_session, shop["holder"], shop["service"])
    signed_in(shop["holder"])
    response = form_post(client, "/orders/checkout", {
        f"pay_{shop['provider'].id}": f"split-{shop['budget'].id}-adult_social_care",
        f"contribution_{shop['provider'].id}": ""})
    assert response.status_code == 400
    assert any("Enter how much you will pay yourself" in e for e in errors(response))


def test_someone_elses_basket_line_cannot_be_changed(app, client, db_session, make_user, shop,
                                                     signed_in):
    with app.test_request_context("/"):
        line = basket_with(db_session, shop["holder"], shop["service"])
    signed_in(make_user(Role.BUDGET_HOLDER))
    assert client.get(f"/orders/basket/lines/{line.id}").status_code == 404
    assert form_post(client, f"/orders/basket/lines/{line.id}/remove", {},
                     token_from="/accessibility").status_code == 404
    assert _lines(db_session) == 1
