"""Where the market-gaps figures come from: the search log's searcher key (never a
user id), category and language columns and "ordered" flag, through the real
pages; and the reason codes a provider declining or a person cancelling may choose."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalogue.models import SearchEvent
from catalogue.search.events import ORDER_WINDOW_DAYS, mark_ordered, person_key
from marketplace.accounts.roles import Role
from marketplace.ordering.lifecycle import OrderStatus
from marketplace.ordering.models import Order
from marketplace.ordering.reasons import EndReason, end_reason
from tests.conftest import sign_in
from tests.functional.ordering_helpers import (
    agree_plan,
    form_post,
    make_budget,
    make_shop,
    place,
    weekly,
)
from tests.functional.test_ordering_checkout import add_to_basket, checkout


def _events(session) -> list[SearchEvent]:
    session.expire_all()
    return session.scalars(select(SearchEvent).order_by(SearchEvent.id)).all()


def test_a_visitors_searches_have_no_key_and_give_them_no_cookie(app, client, db_session):
    response = client.get("/search?q=help&category=pa-everyday-support&language=ur")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    client.get("/search?q=garden")
    first, second = _events(db_session)
    assert first.searcher_key is None and second.searcher_key is None
    assert (first.category, first.language) == ("pa-everyday-support", "ur")
    assert (second.category, second.language) == (None, None)
    assert first.council_id is None and first.district is None


def test_a_signed_in_persons_key_is_a_keyed_hash_of_them_not_their_id(
        app, client, db_session, make_user, council):
    holder = make_user(Role.BUDGET_HOLDER)
    holder.postcode = "HA2 3AB"
    db_session.commit()
    sign_in(client, holder)
    client.get("/search?q=urdu&category=personal-assistant")
    client.get("/search?q=urdu&postcode=HA1+1AA")
    at_home, typed = _events(db_session)
    with app.app_context():
        assert at_home.searcher_key == typed.searcher_key == person_key(holder.id)
    assert str(holder.id) != at_home.searcher_key and holder.email not in repr(
        at_home.filters)
    assert at_home.council_id == council.id
    assert (at_home.district, typed.district) == ("HA2", "HA1")  # home, unless typed


@pytest.fixture()
def shop(db_session, make_user, council):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER, name="Margaret Okafor")
    owner = make_user(Role.PROVIDER_STAFF)
    provider, service = make_shop(db_session, owner, service_name="Morning help")
    budget = make_budget(db_session, holder, council, paid_in_pence=2_000_000)
    agree_plan(db_session, holder, officer)
    return {"holder": holder, "owner": owner, "provider": provider, "service": service,
            "budget": budget, "officer": officer}


def test_an_order_from_a_search_marks_that_search_ordered(app, client, db_session, shop):
    visitor = app.test_client()
    visitor.get("/search?q=morning")
    sign_in(client, shop["holder"])
    client.get("/search?q=morning")            # opened, then ordered
    client.get("/search?q=morning+help")       # opened second, then ordered
    client.get("/search?q=gardening")          # nothing opened from it
    seen_by_visitor, first, second, unrelated = _events(db_session)
    service = shop["service"]
    for who, event in ((visitor, seen_by_visitor), (client, first), (client, second)):
        assert who.get(f"/services/{service.id}?from_search={event.id}").status_code == 200
    assert _events(db_session)[2].opened_service_id == service.id
    assert add_to_basket(client, service).status_code == 302
    key = checkout(client, shop["budget"], [shop["provider"]])
    response = form_post(client, "/orders/checkout/check", {"checkout_key": key},
                         token_from="/orders/checkout/check")
    assert response.status_code == 302
    flags = [event.ordered for event in _events(db_session)]
    assert flags == [False, True, True, False]


def test_only_recent_searches_by_the_same_person_are_marked(app, db_session, shop):
    from datetime import timedelta

    from marketplace.db import utcnow

    with app.app_context():
        key = person_key(shop["holder"].id)
    for days, who in ((1, key), (ORDER_WINDOW_DAYS + 1, key), (1, "someone-else")):
        db_session.add(SearchEvent(at=utcnow() - timedelta(days=days), words="help",
                                   filters={}, searcher_key=who,
                                   opened_service_id=shop["service"].id))
    db_session.commit()
    assert mark_ordered(db_session, [shop["service"].id], key=key) == 1
    assert mark_ordered(db_session, [shop["service"].id], key=key) == 0  # once
    assert [e.ordered for e in _events(db_session)] == [True, False, False]


def test_a_provider_declines_with_a_reason_code(app, db_session, shop):
    with app.test_request_context("/"):
        order = place(db_session, shop["holder"], shop["service"], shop["budget"],
                      schedule=weekly(hours=300))[0]
    provider = app.test_client()
    sign_in(provider, shop["owner"])
    url = f"/provider/orders/{order.id}"
    page = provider.get(url).get_data(as_text=True)
    assert "No one free to provide it" in page and 'name="reason_code"' in page
    junk = form_post(provider, url, {"decision": "decline", "reason": "Full",
                                     "reason_code": "made_up"})
    assert junk.status_code == 400
    assert "Select a reason from the list" in junk.get_data(as_text=True)
    form_post(provider, url, {"decision": "decline", "reason": "No carers for Mrs O",
                              "reason_code": "no_capacity"})
    db_session.expire_all()
    ended = db_session.get(Order, order.id)
    assert ended.status is OrderStatus.DECLINED
    event = ended.events[-1]
    assert (event.reason_code, event.reason) == ("no_capacity", "No carers for Mrs O")
    assert end_reason(ended.status, event.actor, False, event.reason_code) is (
        EndReason.NO_CAPACITY)
    assert end_reason(ended.status, event.actor, False, None) is EndReason.DECLINED


def test_a_person_cancels_with_a_reason_code(app, client, db_session, shop):
    with app.test_request_context("/"):
        order = place(db_session, shop["holder"], shop["service"], shop["budget"],
                      schedule=weekly(hours=300))[0]
    sign_in(client, shop["holder"])
    url = f"/orders/{order.id}/cancel"
    assert "It was taking too long to start" in client.get(url).get_data(as_text=True)
    response = form_post(client, url, {"sure": "yes", "reason": "",
                                       "reason_code": "took_too_long"})
    assert response.status_code == 302
    db_session.expire_all()
    ended = db_session.get(Order, order.id)
    assert ended.status is OrderStatus.CANCELLED
    assert ended.events[-1].reason_code == "took_too_long"
