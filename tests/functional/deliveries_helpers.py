"""Accepted orders, delivery records and conversations for the deliveries and
messages tests, the access matrix and the bad-input test (committed: each request
closes the session)."""

from __future__ import annotations

import secrets
from datetime import time, timedelta

from catalogue.pricing import PriceBasis
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.messages.models import Conversation, Message, Side
from marketplace.ordering.models import Order, OrderLine, PaymentMethod
from marketplace.ordering.services import set_status
from tests.functional.ordering_helpers import make_budget, make_shop, place, weekly


def accepted_order(app, session, holder, owner, service, budget, *, key="deliveries",
                   schedule=None) -> Order:
    """Check out one weekly service through the ordering helper's checkout, and have
    the provider accept it."""
    with app.test_request_context("/"):
        order = place(session, holder, service, budget, schedule=schedule or weekly(hours=300),
                      key=key)[0]
        assert order.status is OrderStatus.AWAITING_PROVIDER, order.approval_reasons
        set_status(session, order, OrderStatus.ACCEPTED, actor=Actor.PROVIDER, user=owner)
        session.commit()
    return order


def first_visit(order: Order):
    line = order.lines[0]
    return line.schedule.visits_between(line.starts_on, line.starts_on + timedelta(days=14))[0]


def bare_order(session, person, provider, service, council, budget, *, reference,
               status="accepted") -> Order:
    """An order made directly (no checkout, no money held): for pages that only need
    one to exist."""
    schedule = weekly()
    order = Order(reference=reference, idempotency_key=f"bare:{reference}",
                  checkout_key=f"bare{reference}", buyer_id=person.id, placed_by_id=person.id,
                  provider_id=provider.id, payment_method=PaymentMethod.BUDGET,
                  budget_id=budget.id, council_id=council.id,
                  funding_stream="adult_social_care", total_pence=0, status=status)
    order.lines.append(OrderLine(
        service_id=service.id, service_name=service.name, category=service.category,
        unit=service.unit, unit_price_pence=service.price_pence, price_basis=PriceBasis.PUBLIC,
        public_price_pence=service.price_pence, total_pence=0, kind=schedule.kind,
        starts_on=schedule.starts_on - timedelta(days=28), weekdays=sorted(schedule.weekdays),
        start_time=schedule.start_time, end_time=schedule.end_time,
        quantity_hundredths=300))
    session.add(order)
    session.flush()
    return order


def bare_record(session, order, *, status=DeliveryStatus.RECORDED, days_ago=7, reason=None):
    line = order.lines[0]
    record = DeliveryRecord(order_id=order.id, order_line_id=line.id,
                            provider_id=order.provider_id,
                            occurred_on=line.starts_on + timedelta(days=28 - days_ago),
                            starts_at=time(9), ends_at=time(12), units_hundredths=300,
                            unit_price_pence=line.unit_price_pence, worker_first_name="Ade",
                            status=status, dispute_reason=reason)
    session.add(record)
    session.flush()
    return record


def conversation_with(session, order=None, *, person=None, provider_id=None, service=None,
                      body="Can the carer come at 10 instead?"):
    conversation = Conversation(
        person_id=order.buyer_id if order else person.id,
        provider_id=order.provider_id if order else provider_id,
        order_id=order.id if order else None, service_id=service.id if service else None,
        subject=f"Order {order.reference}" if order else service.name)
    conversation.messages.append(Message(side=Side.BUYER, author_id=conversation.person_id,
                                         body=body, idempotency_key=secrets.token_urlsafe(24)))
    session.add(conversation)
    session.flush()
    return conversation


def matrix_args(session, stranger, council, provider, service) -> dict:
    """A delivery record and a conversation of ``stranger`` with ``provider`` (someone
    no test role may see), for the access matrix's URL arguments."""
    budget = make_budget(session, stranger, council, paid_in_pence=0, name="Stranger visits")
    order = bare_order(session, stranger, provider, service, council, budget,
                       reference="ORD-MTRX-VIS1")
    record = bare_record(session, order, status=DeliveryStatus.DISPUTED,
                         reason="Nobody came")
    conversation = conversation_with(session, order)
    session.commit()
    return {"delivery_id": record.id, "conversation_id": conversation.id}


def bad_input_forms(session, holder, officer, council) -> list:
    """(who signs in, form URL) for every delivery and message form, for test_bad_input."""
    from marketplace.accounts.roles import Role
    from marketplace.accounts.services import create_user

    owner = create_user(session, email="junk-visits@example.org", full_name="Junk Visits",
                        password="correct horse battery", roles=[(Role.PROVIDER_STAFF, None)])
    session.commit()
    provider, service = make_shop(session, owner, name="Junk Visits Care")
    budget = make_budget(session, holder, council, paid_in_pence=0, name="Junk visits budget")
    order = bare_order(session, holder, provider, service, council, budget,
                       reference="ORD-JUNK-VIS1")
    quiet = bare_order(session, holder, provider, service, council, budget,
                       reference="ORD-JUNK-VIS2")
    recorded = bare_record(session, order, days_ago=7)
    disputed = bare_record(session, order, days_ago=14, status=DeliveryStatus.DISPUTED,
                           reason="Late")
    conversation = conversation_with(session, order)
    session.commit()
    return [
        (owner, f"/provider/orders/{order.id}/visits/new"),
        (owner, f"/provider/orders/{order.id}/visits/missed"),
        (owner, f"/provider/orders/visits/{disputed.id}/resolve"),
        (officer, f"/council/orders/visits/{disputed.id}"),
        (holder, f"/orders/visits/{recorded.id}"),
        (holder, f"/messages/{conversation.id}/reply"),
        (holder, f"/messages/orders/{quiet.id}/new"),
        (holder, f"/messages/services/{service.id}/ask"),
        (owner, f"/provider/messages/{conversation.id}"),
        (owner, f"/provider/messages/orders/{quiet.id}"),
    ]
