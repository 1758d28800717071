"""Delivery records: the provider records visits and missed ones, the buyer confirms
or disputes them, disputes are closed by the provider or the council; what invoicing
bills; the time to the first visit; and the provider's weekly schedule."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.ordering.deliveries import services
from marketplace.ordering.deliveries.models import (
    DeliveryRecord,
    DeliveryStatus,
    DisputeOutcome,
)
from marketplace.ordering.deliveries.rules import Problem
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.messages.models import NoticeKind, Notification
from marketplace.ordering.models import Order, OrderEvent
from tests.conftest import csrf_token, sign_in
from tests.functional.deliveries_helpers import accepted_order, first_visit
from tests.functional.ordering_helpers import agree_plan, form_post, make_budget, make_shop


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture()
def world(app, db_session, make_user, council, freeze_today):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER, name="Margaret Okafor")
    owner = make_user(Role.PROVIDER_STAFF, name="Priya Owner")
    shop, service = make_shop(db_session, owner)
    budget = make_budget(db_session, holder, council, paid_in_pence=2_000_000)
    agree_plan(db_session, holder, officer)
    order = accepted_order(app, db_session, holder, owner, service, budget)
    day = first_visit(order)
    freeze_today(day + timedelta(days=1))
    return {"officer": officer, "holder": holder, "owner": owner, "shop": shop,
            "service": service, "budget": budget, "order": order, "day": day,
            "line": order.lines[0]}


def _record(client, world, day=None, **values):
    data = {"line": str(world["line"].id), "occurred_on": _date(day or world["day"]),
            "starts_at": "09:00", "ends_at": "12:00", "worker_first_name": "Ade",
            "notes": "Helped with breakfast.", **values}
    return form_post(client, f"/provider/orders/{world['order'].id}/visits/new", data)


def _records(db_session):
    return db_session.scalar(select(func.count(DeliveryRecord.id)))


def _as(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def test_the_provider_records_a_visit_and_the_accepted_order_becomes_active(
        app, db_session, world, outbox):
    client = _as(app, world["owner"])
    page = client.get(f"/provider/orders/{world['order'].id}/visits").get_data(as_text=True)
    assert "Visits to record" in page and "Record a visit" in page
    form = client.get(f"/provider/orders/{world['order'].id}/visits/new?line="
                      f"{world['line'].id}&on={world['day'].isoformat()}").get_data(as_text=True)
    day = world["day"].day  # the date input may write the day as "1" or "01"
    assert 'value="09:00"' in form
    assert f'value="{day}"' in form or f'value="{day:02d}"' in form
    response = _record(client, world)
    assert response.status_code == 302
    record = db_session.scalar(select(DeliveryRecord))
    assert record.status is DeliveryStatus.RECORDED
    assert (record.occurred_on, record.starts_at, record.ends_at) == (world["day"], time(9),
                                                                      time(12))
    assert record.units_hundredths == 300 and record.unit_price_pence == 2000
    assert record.amount_pence == 6000 and record.worker_first_name == "Ade"
    order = db_session.get(Order, world["order"].id)
    assert order.status is OrderStatus.ACTIVE
    event = order.events[-1]
    assert (event.to_status, event.actor, event.user_id) == (
        OrderStatus.ACTIVE, Actor.PROVIDER, world["owner"].id)
    kinds = set(db_session.scalars(select(Notification.kind).where(
        Notification.person_id == world["holder"].id)))
    assert {NoticeKind.DELIVERY_RECORDED, NoticeKind.ORDER_STATUS} <= kinds
    assert any("support has started" in m["Subject"] for m in outbox)


@pytest.mark.parametrize(("values", "day_offset", "message"), [
    ({}, 7, "must be today or in the past"),
    ({}, -7, "on or after the day the order starts"),
    ({"starts_at": "12:00", "ends_at": "09:00"}, 0, "end time must be after the start"),
    ({"starts_at": "09:00", "ends_at": "13:00"}, 0, "longer than the hours ordered"),
    ({"starts_at": "nine"}, 0, "Enter a time like 09:00"),
    ({"worker_first_name": "Ade 2"}, 0, "Enter a first name only"),
    ({"worker_first_name": ""}, 0, "first name"),
    ({"line": "999999"}, 0, "Select the service"),
])
def test_a_visit_that_breaks_a_rule_is_refused_with_a_clear_message(
        app, db_session, world, values, day_offset, message):
    client = _as(app, world["owner"])
    response = _record(client, world, day=world["day"] + timedelta(days=day_offset), **values)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page and message in page
    assert _records(db_session) == 0
    assert db_session.get(Order, world["order"].id).status is OrderStatus.ACCEPTED


def test_the_same_visit_cannot_be_recorded_twice(app, db_session, world):
    client = _as(app, world["owner"])
    assert _record(client, world).status_code == 302
    again = _record(client, world, starts_at="10:00", ends_at="11:00")
    assert again.status_code == 400
    assert "already recorded" in again.get_data(as_text=True)
    assert _records(db_session) == 1


def test_the_database_refuses_a_duplicate_that_slips_past_the_check(
        app, db_session, world, monkeypatch):
    with app.test_request_context("/"):
        order = db_session.get(Order, world["order"].id)
        kwargs = dict(on=world["day"], starts_at=time(9), ends_at=time(12),
                      worker_first_name="Ade", notes=None, user=world["owner"],
                      today=world["day"])
        services.record_visit(db_session, order, world["line"].id, **kwargs)
        db_session.commit()
        monkeypatch.setattr(services, "recorded_dates", lambda *_: set())
        with pytest.raises(services.DeliveryProblem) as caught:
            services.record_visit(db_session, order, world["line"].id, **kwargs)
        assert caught.value.problems == [Problem.ALREADY_RECORDED]
    assert _records(db_session) == 1


def test_visits_cannot_be_recorded_on_an_order_that_is_not_accepted_or_active(
        app, db_session, world):
    order = db_session.get(Order, world["order"].id)
    order.status = OrderStatus.CANCELLED
    db_session.commit()
    client = _as(app, world["owner"])
    assert client.get(f"/provider/orders/{order.id}/visits/new").status_code == 302
    response = form_post(client, f"/provider/orders/{order.id}/visits/new",
                         {"line": str(world["line"].id), "occurred_on": _date(world["day"]),
                          "starts_at": "09:00", "ends_at": "12:00",
                          "worker_first_name": "Ade"}, token_from="/provider")
    assert response.status_code == 302
    assert _records(db_session) == 0
    page = client.get(f"/provider/orders/{order.id}/visits").get_data(as_text=True)
    assert "only be recorded while the order is accepted or active" in page


def test_a_scheduled_visit_can_be_marked_as_missed_with_a_reason(app, db_session, world):
    client = _as(app, world["owner"])
    url = f"/provider/orders/{world['order'].id}/visits/missed"
    unscheduled = form_post(client, url, {"line": str(world["line"].id), "reason": "Ill",
                                          "occurred_on": _date(world["day"] + timedelta(1))})
    assert unscheduled.status_code == 400
    assert "No visit was scheduled on this date" in unscheduled.get_data(as_text=True)
    no_reason = form_post(client, url, {"line": str(world["line"].id), "reason": " ",
                                        "occurred_on": _date(world["day"])})
    assert no_reason.status_code == 400
    assert _records(db_session) == 0
    done = form_post(client, url, {"line": str(world["line"].id), "reason": "Carer was ill",
                                   "occurred_on": _date(world["day"])})
    assert done.status_code == 302
    record = db_session.scalar(select(DeliveryRecord))
    assert (record.status, record.missed_reason, record.units_hundredths) == (
        DeliveryStatus.MISSED, "Carer was ill", 0)
    # A missed visit does not start the order.
    assert db_session.get(Order, world["order"].id).status is OrderStatus.ACCEPTED


class Ref:
    """A delivery record by id, read afresh each time (each request closes the session)."""

    def __init__(self, db_session, record_id):
        self.db_session, self.id = db_session, record_id

    def __getattr__(self, name):
        self.db_session.expire_all()
        return getattr(self.db_session.get(DeliveryRecord, self.id), name)


def _recorded(app, db_session, world):
    _record(_as(app, world["owner"]), world)
    return Ref(db_session, db_session.scalar(select(DeliveryRecord.id)))


def test_the_buyer_confirms_a_visit(app, db_session, world):
    record = _recorded(app, db_session, world)
    client = _as(app, world["holder"])
    listing = client.get("/orders/visits").get_data(as_text=True)
    assert "1 visit to check" in listing and "Ade" in listing
    response = form_post(client, f"/orders/visits/{record.id}", {"response": "confirm"})
    assert response.status_code == 302
    assert record.status is DeliveryStatus.CONFIRMED
    assert record.answered_by_id == world["holder"].id
    again = form_post(client, f"/orders/visits/{record.id}", {"response": "dispute",
                                                              "reason": "x"})
    assert again.status_code == 302
    assert record.status is DeliveryStatus.CONFIRMED


def test_a_dispute_needs_a_reason_and_reaches_the_provider_and_the_council(
        app, db_session, world, outbox):
    record = _recorded(app, db_session, world)
    client = _as(app, world["holder"])
    url = f"/orders/visits/{record.id}"
    refused = form_post(client, url, {"response": "dispute", "reason": ""})
    assert refused.status_code == 400
    assert "Enter what was wrong with the visit" in refused.get_data(as_text=True)
    outbox.clear()
    form_post(client, url, {"response": "dispute", "reason": "The carer left at 10."})
    assert (record.status, record.dispute_reason) == (DeliveryStatus.DISPUTED,
                                                      "The carer left at 10.")
    assert [m["To"] for m in outbox if "disputed" in m["Subject"]] == [world["owner"].email]
    provider = _as(app, world["owner"])
    queue = provider.get("/provider/orders/disputes").get_data(as_text=True)
    assert "The carer left at 10." in queue and "Margaret Okafor" in queue
    dashboard = provider.get("/provider").get_data(as_text=True)
    assert "was disputed" in dashboard
    council = _as(app, world["officer"]).get("/council/orders/disputes").get_data(as_text=True)
    assert "The carer left at 10." in council


def _disputed(app, db_session, world):
    record = _recorded(app, db_session, world)
    form_post(_as(app, world["holder"]), f"/orders/visits/{record.id}",
              {"response": "dispute", "reason": "Nobody came."})
    return record


def test_the_provider_closes_a_dispute_and_the_person_is_told(app, db_session, world, outbox):
    record = _disputed(app, db_session, world)
    client = _as(app, world["owner"])
    url = f"/provider/orders/visits/{record.id}/resolve"
    assert "Nobody came." in client.get(url).get_data(as_text=True)
    refused = form_post(client, url, {"outcome": "stands", "resolution": ""})
    assert refused.status_code == 400
    outbox.clear()
    done = form_post(client, url, {"outcome": "withdrawn",
                                   "resolution": "Our rota was wrong; we will not bill it."})
    assert done.status_code == 302
    assert (record.status, record.outcome) == (DeliveryStatus.RESOLVED,
                                               DisputeOutcome.WITHDRAWN)
    assert [m["To"] for m in outbox if "dispute" in m["Subject"]] == [world["holder"].email]
    closed = client.get("/provider/orders/disputes?state=closed").get_data(as_text=True)
    assert "Nobody came." in closed
    assert "Nobody came." not in client.get("/provider/orders/disputes").get_data(as_text=True)
    home = _as(app, world["holder"]).get("/my/").get_data(as_text=True)
    assert "has been closed" in home


def test_a_council_officer_of_the_budget_s_council_can_close_a_dispute(
        app, db_session, world):
    record = _disputed(app, db_session, world)
    client = _as(app, world["officer"])
    response = form_post(client, f"/council/orders/visits/{record.id}",
                         {"outcome": "stands", "resolution": "The rota shows the visit."})
    assert response.status_code == 302
    assert (record.status, record.resolved_by_id) == (DeliveryStatus.RESOLVED,
                                                      world["officer"].id)


def test_a_representative_with_order_scope_may_dispute_and_one_with_view_scope_may_not(
        app, db_session, world, make_user, council):
    record = _recorded(app, db_session, world)
    reps = {}
    for scope in (Scope.VIEW, Scope.ORDER):
        rep = make_user(name=f"Rep {scope.value}")
        authority = accounts.create_authority(
            db_session, created_by=world["officer"], representative=rep,
            holder=world["holder"], council=council, authority_type=AuthorityType.FAMILY_CARER,
            scope=scope, starts_on=date.today() - timedelta(days=400), ends_on=None,
            evidence_reference="E")
        db_session.commit()
        client = _as(app, rep)
        client.post(f"/acting/start/{authority.id}",
                    data={"csrf_token": csrf_token(client, "/acting/")})
        reps[scope] = client
    assert reps[Scope.VIEW].get(f"/orders/{world['order'].id}/visits").status_code == 200
    assert reps[Scope.VIEW].get(f"/orders/visits/{record.id}").status_code == 403
    response = form_post(reps[Scope.ORDER], f"/orders/visits/{record.id}",
                         {"response": "dispute", "reason": "She says nobody came."})
    assert response.status_code == 302
    assert record.status is DeliveryStatus.DISPUTED
    assert record.answered_by_id != world["holder"].id


def test_nobody_else_may_see_or_touch_the_visits(app, db_session, world, make_user,
                                                 other_council):
    record = _disputed(app, db_session, world)
    order_id = world["order"].id
    other_owner = make_user(Role.PROVIDER_STAFF)
    make_shop(db_session, other_owner, name="Other Care")
    other_provider = _as(app, other_owner)
    for url in (f"/provider/orders/{order_id}/visits", f"/provider/orders/{order_id}/visits/new",
                f"/provider/orders/{order_id}/visits/missed",
                f"/provider/orders/visits/{record.id}/resolve"):
        assert other_provider.get(url).status_code == 403, url
    assert "Nobody came." not in other_provider.get("/provider/orders/disputes").get_data(
        as_text=True)
    # Another person's pages never confirm the visit exists.
    other_person = _as(app, make_user(Role.BUDGET_HOLDER))
    assert other_person.get(f"/orders/visits/{record.id}").status_code == 404
    assert other_person.get(f"/orders/{order_id}/visits").status_code == 404
    assert "Ade" not in other_person.get("/orders/visits").get_data(as_text=True)
    elsewhere = _as(app, make_user(Role.COUNCIL_OFFICER, council_for=other_council))
    assert elsewhere.get(f"/council/orders/visits/{record.id}").status_code == 403
    assert "Nobody came." not in elsewhere.get("/council/orders/disputes").get_data(
        as_text=True)
    commissioner = _as(app, make_user(Role.COMMISSIONER))
    assert commissioner.get("/council/orders/disputes").status_code == 403
    assert commissioner.get(f"/council/orders/visits/{record.id}").status_code == 403
    assert record.status is DeliveryStatus.DISPUTED


def test_billable_records_are_the_delivered_undisputed_ones(app, db_session, world):
    order = db_session.get(Order, world["order"].id)
    line = world["line"]
    days = line.schedule.visits_between(world["day"], world["day"] + timedelta(days=30))[:6]
    statuses = [(DeliveryStatus.RECORDED, None), (DeliveryStatus.CONFIRMED, None),
                (DeliveryStatus.DISPUTED, None), (DeliveryStatus.RESOLVED, DisputeOutcome.STANDS),
                (DeliveryStatus.RESOLVED, DisputeOutcome.WITHDRAWN), (DeliveryStatus.MISSED, None)]
    for day, (status, outcome) in zip(days, statuses, strict=True):
        missed = status is DeliveryStatus.MISSED
        db_session.add(DeliveryRecord(
            order_id=order.id, order_line_id=line.id, provider_id=order.provider_id,
            occurred_on=day, starts_at=None if missed else time(9),
            ends_at=None if missed else time(12), units_hundredths=0 if missed else 300,
            unit_price_pence=line.unit_price_pence, worker_first_name="Ade", status=status,
            outcome=outcome, missed_reason="Ill" if missed else None))
    db_session.commit()
    billed = services.billable_records(db_session, order.provider_id, days[0], days[-1])
    assert [r.occurred_on for r in billed] == [days[0], days[1], days[3]]
    assert all(r.billable for r in billed)
    assert services.billable_records(db_session, order.provider_id, days[1], days[2]) == [
        billed[1]]
    assert services.billable_records(db_session, order.provider_id + 1000, days[0],
                                     days[-1]) == []


def test_the_time_from_submission_to_the_first_visit_is_known(app, db_session, world):
    _recorded(app, db_session, world)
    order = db_session.get(Order, world["order"].id)
    found = services.first_deliveries(db_session, council_id=order.council_id)
    assert [(f.order_id, f.first_visit_on) for f in found] == [(order.id, world["day"])]
    assert found[0].days == (world["day"] - order.created_at.date()).days
    assert services.first_deliveries(db_session, council_id=order.council_id + 1000) == []
    assert services.first_deliveries(db_session, since=date.today() + timedelta(days=1)) == []


def test_the_schedule_shows_the_week_s_visits_with_previous_and_next_weeks(
        app, db_session, world, make_user):
    _recorded(app, db_session, world)
    client = _as(app, world["owner"])
    monday = world["day"] - timedelta(days=world["day"].weekday())
    page = client.get(f"/provider/orders/schedule?week={world['day'].isoformat()}").get_data(
        as_text=True)
    assert "Margaret Okafor" in page and "09:00 to 12:00" in page
    assert "Recorded by the provider" in page
    assert "2 visits this week" in page
    assert f"week={(monday - timedelta(days=7)).isoformat()}" in page
    assert f"week={(monday + timedelta(days=7)).isoformat()}" in page
    assert '<th scope="col"' in page and "<caption" in page
    earlier = (monday - timedelta(days=70)).isoformat()
    nothing = client.get(f"/provider/orders/schedule?week={earlier}")
    assert "No visits are scheduled this week." in nothing.get_data(as_text=True)
    assert client.get("/provider/orders/schedule?week=junk").status_code == 200
    assert client.get("/provider/orders/schedule?week=9999-12-31").status_code == 200
    stranger = _as(app, make_user(Role.PROVIDER_STAFF))
    other = stranger.get(f"/provider/orders/schedule?week={world['day'].isoformat()}")
    assert "Margaret Okafor" not in other.get_data(as_text=True)


def test_recording_a_visit_writes_one_order_event(app, db_session, world):
    before = db_session.scalar(select(func.count(OrderEvent.id)))
    _recorded(app, db_session, world)
    _record(_as(app, world["owner"]), world,
            day=world["line"].schedule.visits_between(world["day"] + timedelta(1),
                                                      world["day"] + timedelta(7))[0])
    assert db_session.scalar(select(func.count(OrderEvent.id))) == before + 1
