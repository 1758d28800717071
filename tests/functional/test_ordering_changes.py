"""Changes to an order once placed (issue 6, point 5): new days or hours from a date
(the provider confirms), pause and restart, cancelling with notice, and moving to
another provider. After each, the budget's commitment for the order equals exactly
the cost of the visits left to deliver, worked out independently with the schedule
cost function."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from catalogue.models import Service
from catalogue.taxonomy import FundingStream
from marketplace.accounts.roles import Role
from marketplace.budgets.models import Budget
from marketplace.db import utcnow
from marketplace.ledger import services as ledger
from marketplace.ordering.change_models import ChangeStatus, OrderChange, OrderPause
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.models import EventKind, Order
from marketplace.ordering.schedule import Schedule, ScheduleKind, cost_between, cost_of_lines
from marketplace.ordering.services import run_timers, set_status
from tests.conftest import sign_in
from tests.functional.ordering_helpers import (
    agree_plan,
    form_post,
    make_budget,
    make_shop,
    place,
    weekly,
)

MON, TUE, WED, THU, FRI = 0, 1, 2, 3, 4
PRICE = 2000  # £20 an hour
START = date.today() + timedelta(days=7)
END = START + timedelta(days=83)  # twelve weeks


def _date_fields(name: str, day: date) -> dict:
    return {name: [str(day.day), str(day.month), str(day.year)]}


def _committed(db_session, order) -> int:
    db_session.expire_all()
    order = db_session.get(Order, order.id)
    budget = db_session.get(Budget, order.budget_id)
    held = ledger.committed_for(db_session, budget, f"order:{order.id}",
                                FundingStream.ADULT_SOCIAL_CARE)
    assert held == order.committed_pence  # the order's own figure agrees with the ledger
    return held


@pytest.fixture()
def accepted(app, db_session, make_user, council):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER, name="Margaret Okafor")
    owner = make_user(Role.PROVIDER_STAFF)
    shop, service = make_shop(db_session, owner, price_pence=PRICE)
    budget = make_budget(db_session, holder, council, paid_in_pence=2_000_000)
    agree_plan(db_session, holder, officer)
    with app.test_request_context("/"):
        order = place(db_session, holder, service, budget,
                      schedule=weekly(starts_on=START, ends_on=END, hours=200))[0]
        set_status(db_session, order, OrderStatus.ACCEPTED, actor=Actor.PROVIDER, user=owner)
        db_session.commit()
    return {"holder": holder, "owner": owner, "shop": shop, "service": service,
            "budget": budget, "order": order, "officer": officer}


def old_pattern() -> Schedule:
    return Schedule(ScheduleKind.RECURRING, START, 200, ends_on=END,
                    weekdays=frozenset({TUE, THU}), start_time=time(9), end_time=time(12))


def test_the_commitment_at_checkout_is_the_cost_of_every_visit(db_session, accepted):
    assert _committed(db_session, accepted["order"]) == cost_between(
        old_pattern(), PRICE, START, END)


def test_changing_hours_mid_way_adjusts_the_commitment_once_the_provider_confirms(
        app, db_session, accepted, outbox):
    order, client = accepted["order"], app.test_client()
    before = _committed(db_session, order)
    change_from = START + timedelta(days=28)
    sign_in(client, accepted["holder"])
    response = form_post(client, f"/orders/{order.id}/change", {
        "line": str(order.lines[0].id), **_date_fields("starts_on", change_from),
        "weekdays": [str(MON), str(WED), str(FRI)], "start_time": "09:00",
        "end_time": "12:00", "quantity": "3", "note": "More help after my operation"})
    assert response.status_code == 302, response.get_data(as_text=True)
    # Nothing changes until the provider confirms.
    assert _committed(db_session, order) == before
    change = db_session.scalar(select(OrderChange))
    assert change.status is ChangeStatus.PENDING
    assert any("waiting for your answer" in m["Subject"] for m in outbox)

    provider = app.test_client()
    sign_in(provider, accepted["owner"])
    page = provider.get(f"/provider/orders/{order.id}").get_data(as_text=True)
    assert "Confirm or decline the change" in page
    assert form_post(provider, f"/provider/orders/changes/{change.id}",
                     {"decision": "accept", "reason": ""}).status_code == 302

    new = Schedule(ScheduleKind.RECURRING, change_from, 300, ends_on=END,
                   weekdays=frozenset({MON, WED, FRI}), start_time=time(9), end_time=time(12))
    expected = (cost_between(old_pattern(), PRICE, START, change_from - timedelta(days=1))
                + cost_between(new, PRICE, change_from, END))
    assert _committed(db_session, order) == expected > before
    order = db_session.get(Order, order.id)
    assert order.total_pence == expected
    assert [line.ends_on for line in order.lines] == [change_from - timedelta(days=1), END]
    assert db_session.get(OrderChange, change.id).money_pence == expected - before
    kinds = [event.kind for event in order.events]
    assert EventKind.CHANGE_REQUESTED in kinds and EventKind.CHANGE_ACCEPTED in kinds


def test_fewer_hours_release_the_difference(app, db_session, accepted):
    order, client = accepted["order"], app.test_client()
    sign_in(client, accepted["holder"])
    form_post(client, f"/orders/{order.id}/change", {
        **_date_fields("starts_on", START), "weekdays": [str(TUE)], "start_time": "09:00",
        "end_time": "10:00", "quantity": "1"})
    change = db_session.scalar(select(OrderChange))
    provider = app.test_client()
    sign_in(provider, accepted["owner"])
    form_post(provider, f"/provider/orders/changes/{change.id}", {"decision": "accept"})
    new = Schedule(ScheduleKind.RECURRING, START, 100, ends_on=END, weekdays=frozenset({TUE}),
                   start_time=time(9), end_time=time(10))
    assert _committed(db_session, order) == cost_between(new, PRICE, START, END)
    # The change started on the first day, so the line itself changed (no split).
    assert len(db_session.get(Order, order.id).lines) == 1


def test_a_declined_change_needs_a_reason_and_changes_nothing(app, db_session, accepted):
    order, client = accepted["order"], app.test_client()
    before = _committed(db_session, order)
    sign_in(client, accepted["holder"])
    form_post(client, f"/orders/{order.id}/change", {
        **_date_fields("starts_on", START + timedelta(days=14)), "weekdays": [str(MON)],
        "start_time": "09:00", "end_time": "12:00", "quantity": "2"})
    change = db_session.scalar(select(OrderChange))
    provider = app.test_client()
    sign_in(provider, accepted["owner"])
    url = f"/provider/orders/changes/{change.id}"
    assert form_post(provider, url, {"decision": "decline", "reason": " "}).status_code == 400
    form_post(provider, url, {"decision": "decline", "reason": "No carers on Mondays"})
    assert db_session.get(OrderChange, change.id).status is ChangeStatus.DECLINED
    assert _committed(db_session, order) == before


def test_an_increase_the_budget_cannot_cover_is_refused_with_a_clear_message(
        app, db_session, make_user, council, accepted):
    holder = make_user(Role.BUDGET_HOLDER)
    agree_plan(db_session, holder, accepted["officer"])
    cost = cost_between(old_pattern(), PRICE, START, END)
    budget = make_budget(db_session, holder, council, paid_in_pence=cost + 500)
    with app.test_request_context("/"):
        order = place(db_session, holder, accepted["service"], budget, key="tight",
                      schedule=weekly(starts_on=START, ends_on=END, hours=200))[0]
        set_status(db_session, order, OrderStatus.ACCEPTED, actor=Actor.PROVIDER,
                   user=accepted["owner"])
        db_session.commit()
    client = app.test_client()
    sign_in(client, holder)
    response = form_post(client, f"/orders/{order.id}/change", {
        **_date_fields("starts_on", START), "weekdays": [str(MON), str(TUE), str(THU)],
        "start_time": "09:00", "end_time": "12:00", "quantity": "3"})
    assert response.status_code == 400
    assert "There is not enough money left" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(OrderChange.id))) == 0
    assert _committed(db_session, order) == cost


def test_pausing_releases_the_paused_days_and_restarting_sets_them_aside_again(
        app, db_session, accepted, freeze_today):
    order = accepted["order"]
    today = START + timedelta(days=14)
    freeze_today(today)
    with app.test_request_context("/"):
        set_status(db_session, order, OrderStatus.ACTIVE, actor=Actor.SYSTEM)
        db_session.commit()
    client = app.test_client()
    sign_in(client, accepted["holder"])
    resumes = today + timedelta(days=21)
    response = form_post(client, f"/orders/{order.id}/pause",
                         {**_date_fields("resumes_on", resumes), "reason": "In hospital"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db_session.get(Order, order.id).status is OrderStatus.PAUSED
    paused = [(today, resumes - timedelta(days=1))]
    expected = cost_of_lines([(old_pattern(), PRICE)], START, END, excluded=paused)
    assert _committed(db_session, order) == expected < cost_between(
        old_pattern(), PRICE, START, END)

    # Home a week early: restart today; the days from today on are set aside again.
    back = today + timedelta(days=7)
    freeze_today(back)
    assert form_post(client, f"/orders/{order.id}/resume", {},
                     token_from=f"/orders/{order.id}").status_code == 302
    assert db_session.get(Order, order.id).status is OrderStatus.ACTIVE
    expected = cost_of_lines([(old_pattern(), PRICE)], START, END,
                             excluded=[(today, back - timedelta(days=1))])
    assert _committed(db_session, order) == expected


def test_a_pause_with_a_date_ends_by_itself_on_the_tick(app, db_session, accepted,
                                                        freeze_today):
    order = accepted["order"]
    today = START + timedelta(days=1)
    freeze_today(today)
    with app.test_request_context("/"):
        set_status(db_session, order, OrderStatus.ACTIVE, actor=Actor.SYSTEM)
        from marketplace.ordering import changes

        changes.pause(db_session, order, resumes_on=today + timedelta(days=10),
                      reason="Away", actor=Actor.PROVIDER, user=accepted["owner"],
                      acting_for=None, today=today)
        db_session.commit()
        held = _committed(db_session, order)
        done = run_timers(db_session, now=utcnow(), today=today + timedelta(days=10))
    assert db_session.get(Order, order.id).status is OrderStatus.ACTIVE
    assert sum(done.values()) == 1
    assert _committed(db_session, order) == held  # the days after the pause were kept


def test_cancelling_accepted_support_gives_the_providers_notice(
        app, db_session, accepted, freeze_today):
    order = accepted["order"]
    db_session.get(Service, accepted["service"].id).notice_days = 14
    db_session.commit()
    today = START + timedelta(days=20)
    freeze_today(today)
    with app.test_request_context("/"):
        set_status(db_session, order, OrderStatus.ACTIVE, actor=Actor.SYSTEM)
        db_session.commit()
    client = app.test_client()
    sign_in(client, accepted["holder"])
    url = f"/orders/{order.id}/cancel"
    page = client.get(url).get_data(as_text=True)
    assert "14 days" in page and "notice" in page, page[page.find("<main"):]
    refused = form_post(client, url, {"sure": "yes", "reason": ""})
    assert refused.status_code == 400
    assert form_post(client, url, {"sure": "yes", "reason": "Moving in with my daughter"}
                     ).status_code == 302
    last = today + timedelta(days=13)
    found = db_session.get(Order, order.id)
    assert found.status is OrderStatus.ACTIVE and found.ends_on == last
    assert _committed(db_session, order) == cost_between(old_pattern(), PRICE, START, last)
    # The notice runs out: the tick cancels the order and releases what is left.
    with app.test_request_context("/"):
        run_timers(db_session, now=utcnow(), today=last + timedelta(days=1))
    assert db_session.get(Order, order.id).status is OrderStatus.CANCELLED
    assert _committed(db_session, order) == 0


def test_moving_to_another_provider_continues_without_a_gap(
        app, db_session, make_user, accepted, freeze_today):
    order = accepted["order"]
    other_owner = make_user(Role.PROVIDER_STAFF)
    _other, their_service = make_shop(db_session, other_owner, name="Bluebell Care",
                                      price_pence=2300)
    today = START + timedelta(days=10)
    freeze_today(today)
    with app.test_request_context("/"):
        set_status(db_session, order, OrderStatus.ACTIVE, actor=Actor.SYSTEM)
        db_session.commit()
    client = app.test_client()
    sign_in(client, accepted["holder"])
    url = f"/orders/{order.id}/move"
    assert "Bluebell Care" in client.get(url).get_data(as_text=True)
    last = today + timedelta(days=6)
    response = form_post(client, url, {"service": str(their_service.id),
                                       **_date_fields("last_day", last)})
    assert response.status_code == 302, response.get_data(as_text=True)
    new = db_session.scalar(select(Order).where(Order.replaces_order_id == order.id))
    assert new.provider_id == their_service.provider_id
    assert new.status is OrderStatus.AWAITING_PROVIDER
    assert new.lines[0].starts_on == last + timedelta(days=1)
    assert _committed(db_session, order) == cost_between(old_pattern(), PRICE, START, last)
    following = Schedule(ScheduleKind.RECURRING, last + timedelta(days=1), 200, ends_on=END,
                         weekdays=frozenset({TUE, THU}))
    assert _committed(db_session, new) == cost_between(following, 2300, following.starts_on,
                                                       END)
    assert db_session.get(Order, order.id).ends_on == last
    assert any(e.kind is EventKind.MOVED for e in db_session.get(Order, order.id).events)
    # The old order ends after its last day; the history stays linked both ways.
    page = client.get(f"/orders/{new.id}").get_data(as_text=True)
    assert order.reference in page
    with app.test_request_context("/"):
        run_timers(db_session, now=utcnow(), today=last + timedelta(days=1))
    assert db_session.get(Order, order.id).status is OrderStatus.COMPLETED


def test_only_the_buyer_changes_and_only_the_provider_answers(app, db_session, make_user,
                                                              accepted):
    order = accepted["order"]
    stranger = make_user(Role.BUDGET_HOLDER)
    officer = accepted["officer"]
    for user, expected in ((stranger, 404), (accepted["owner"], 403), (officer, 403)):
        client = app.test_client()
        sign_in(client, user)
        for path in ("change", "pause", "move", "cancel"):
            assert client.get(f"/orders/{order.id}/{path}").status_code == expected, (user,
                                                                                      path)
    holder = app.test_client()
    sign_in(holder, accepted["holder"])
    form_post(holder, f"/orders/{order.id}/change", {
        **_date_fields("starts_on", START), "weekdays": [str(MON)], "start_time": "09:00",
        "end_time": "11:00", "quantity": "2"})
    change_id = db_session.scalar(select(OrderChange.id))
    assert holder.get(f"/provider/orders/changes/{change_id}").status_code == 403
    other_owner = make_user(Role.PROVIDER_STAFF)
    make_shop(db_session, other_owner, name="Somebody Else Care")
    other = app.test_client()
    sign_in(other, other_owner)
    assert other.get(f"/provider/orders/changes/{change_id}").status_code == 403
    assert other.get("/provider/orders/changes/999999").status_code == 404


def test_an_order_not_yet_started_cannot_be_paused(app, db_session, accepted):
    client = app.test_client()
    sign_in(client, accepted["holder"])
    response = client.get(f"/orders/{accepted['order'].id}/pause")
    assert response.status_code == 302
    assert db_session.scalar(select(func.count(OrderPause.id))) == 0


@pytest.mark.parametrize(("fields", "message"), [
    ({"quantity": "0"}, "Enter a number more than 0"),
    ({"quantity": "10000"}, "Enter 24 or fewer"),
    ({"weekdays": []}, "Select the days of the week"),
    ({"start": -10}, "The start date must be today or in the future"),
    ({"weekdays": [str(TUE), str(THU)], "quantity": "2"}, "the same as the support you have"),
    ({"end_time": "08:00"}, "The end time must be after the start time"),
])
def test_bad_changes_are_refused_with_a_clear_message(app, db_session, accepted, fields,
                                                      message):
    order = accepted["order"]
    client = app.test_client()
    sign_in(client, accepted["holder"])
    data = {**_date_fields("starts_on", START + timedelta(days=fields.pop("start", 7))),
            "weekdays": [str(MON)], "start_time": "09:00", "end_time": "12:00",
            "quantity": "2", **fields}
    response = form_post(client, f"/orders/{order.id}/change", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(OrderChange.id))) == 0


def test_bad_pauses_and_moves_are_refused(app, db_session, accepted, freeze_today):
    order = accepted["order"]
    today = START + timedelta(days=3)
    freeze_today(today)
    with app.test_request_context("/"):
        set_status(db_session, order, OrderStatus.ACTIVE, actor=Actor.SYSTEM)
        db_session.commit()
    client = app.test_client()
    sign_in(client, accepted["holder"])
    response = form_post(client, f"/orders/{order.id}/pause",
                         {**_date_fields("resumes_on", today), "reason": "Away"})
    assert "must be after today" in response.get_data(as_text=True)
    response = form_post(client, f"/orders/{order.id}/pause", {"reason": ""})
    assert "Enter why you are pausing it" in response.get_data(as_text=True)
    response = form_post(client, f"/orders/{order.id}/move",
                         {**_date_fields("last_day", today)})
    assert "Select a service" in response.get_data(as_text=True)
    response = form_post(client, f"/orders/{order.id}/move",
                         {"service": "999999", **_date_fields("last_day", today)})
    assert response.status_code == 400
    assert db_session.get(Order, order.id).status is OrderStatus.ACTIVE
    assert _committed(db_session, order) == cost_between(old_pattern(), PRICE, START, END)
