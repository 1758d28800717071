"""Market-gap signals (issue 6, point 9): declined, expired, rejected and cancelled
orders with reason codes and months, and the wait from ordering to the first visit,
as aggregates without personal data and with small numbers suppressed."""

from __future__ import annotations

from datetime import date, time, timedelta

from marketplace.accounts.roles import Role
from marketplace.ordering import signals
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.models import Order
from marketplace.ordering.services import set_status
from tests.functional.ordering_helpers import agree_plan, make_budget, make_shop, once, place

SECRET = "Mrs Zebedee at 4 Acacia Avenue"


def _orders(app, db_session, make_user, council, count):
    officer = make_user(Role.COUNCIL_OFFICER)
    holder = make_user(Role.BUDGET_HOLDER)
    owner = make_user(Role.PROVIDER_STAFF)
    _shop, service = make_shop(db_session, owner, price_pence=1500)
    budget = make_budget(db_session, holder, council, paid_in_pence=5_000_000)
    agree_plan(db_session, holder, officer)
    ids = []
    for n in range(count):
        with app.test_request_context("/"):
            ids.append(place(db_session, holder, service, budget, key=f"signal-{n}",
                             schedule=once(on=date.today() + timedelta(days=3 + n)))[0].id)
    return [db_session.get(Order, i) for i in ids], owner, holder


def test_unmet_orders_are_counted_by_reason_without_personal_data(app, db_session,
                                                                  make_user, council):
    orders, owner, holder = _orders(app, db_session, make_user, council, 8)
    with app.test_request_context("/"):
        for order in orders[:6]:
            set_status(db_session, order, OrderStatus.DECLINED, actor=Actor.PROVIDER,
                       user=owner, reason=f"Cannot help {SECRET}")
        set_status(db_session, orders[6], OrderStatus.CANCELLED, actor=Actor.BUYER,
                   user=holder)
        set_status(db_session, orders[7], OrderStatus.EXPIRED, actor=Actor.SYSTEM)
        db_session.commit()
    by_why = dict(signals.unmet_by(db_session, "why", council_id=council.id))
    assert by_why[signals.Why.DECLINED] == 6
    # One cancelled and one expired: both fewer than 5, so both hidden.
    assert by_why[signals.Why.CANCELLED_BY_BUYER] is None
    assert by_why[signals.Why.NO_ANSWER] is None
    month = f"{date.today():%Y-%m}"
    assert dict(signals.unmet_by(db_session, "month", council_id=council.id)) == {month: 8}
    rows = signals.unmet_orders(db_session, council_id=council.id)
    assert len(rows) == 8 and all(SECRET not in repr(row) for row in rows)
    assert {row.category for row in rows} == {"getting-up-and-dressed"}
    assert signals.unmet_orders(db_session, council_id=council.id,
                                since=date.today() + timedelta(days=1)) == []


def test_time_to_first_delivery_comes_from_the_delivery_records(app, db_session, make_user,
                                                                council):
    orders, owner, _holder = _orders(app, db_session, make_user, council, 6)
    for n, order in enumerate(orders):
        line = order.lines[0]
        db_session.add(DeliveryRecord(
            order_id=order.id, order_line_id=line.id, provider_id=order.provider_id,
            occurred_on=order.created_at.date() + timedelta(days=n + 1), starts_at=time(10),
            ends_at=time(11), units_hundredths=100, unit_price_pence=line.unit_price_pence,
            status=DeliveryStatus.CONFIRMED))
    db_session.commit()
    waiting = signals.time_to_first_delivery(db_session, council_id=council.id)
    assert waiting.orders == 6
    assert waiting.median_days == 3.5
    assert waiting.longest_days == 6 and waiting.p90_days == 6
    # Fewer than five orders: nothing is shown but that.
    few = signals.time_to_first_delivery(db_session, council_id=council.id, threshold=7)
    assert few.orders is None and few.median_days is None
    [(category, figures)] = signals.waiting_by_category(db_session, council_id=council.id)
    assert category == "getting-up-and-dressed" and figures.orders == 6
