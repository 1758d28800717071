"""The demo orders: every state, made through the services, so each order's money on
its budget's ledger is what the order says it holds; deterministic."""

from __future__ import annotations

from sqlalchemy import select

from catalogue.models import ProviderOrganisation
from catalogue.taxonomy import FundingStream
from marketplace.budgets.models import Budget
from marketplace.demo import seed
from marketplace.ledger import services as ledger
from marketplace.ordering.change_models import ChangeStatus, OrderChange
from marketplace.ordering.lifecycle import OrderStatus
from marketplace.ordering.models import Order


def _orders(session):
    return session.scalars(select(Order).order_by(Order.id)).all()


def test_the_demo_has_orders_in_every_state_and_the_ledger_agrees(app, db_session):
    with app.app_context():
        seed(db_session)
        db_session.commit()
    orders = _orders(db_session)
    states = {order.status for order in orders}
    assert states >= {OrderStatus.AWAITING_APPROVAL, OrderStatus.AWAITING_PROVIDER,
                      OrderStatus.ACCEPTED, OrderStatus.ACTIVE, OrderStatus.PAUSED,
                      OrderStatus.COMPLETED, OrderStatus.DECLINED, OrderStatus.EXPIRED,
                      OrderStatus.CANCELLED, OrderStatus.REJECTED}, states
    for order in orders:
        if order.budget_id is None:
            continue
        budget = db_session.get(Budget, order.budget_id)
        held = ledger.committed_for(db_session, budget, f"order:{order.id}",
                                    FundingStream(order.funding_stream))
        assert held == order.committed_pence, order.reference
        if order.status.is_final:
            assert held == 0, order.reference
    home_care = db_session.scalar(select(ProviderOrganisation).where(
        ProviderOrganisation.name == "Harrow Home Care Ltd"))
    theirs = {o.status for o in orders if o.provider_id == home_care.id}
    assert {OrderStatus.AWAITING_PROVIDER, OrderStatus.ACCEPTED, OrderStatus.ACTIVE} <= theirs
    assert db_session.scalar(select(OrderChange).where(
        OrderChange.status == ChangeStatus.PENDING)) is not None
    assert any(o.replaces_order_id for o in orders)  # a move to another provider
    assert any(o.notice_given_on for o in orders)
    assert any(o.placed_by_id != o.buyer_id for o in orders)  # placed by a representative


def test_the_demo_orders_are_the_same_every_time(app, db_session):
    with app.app_context():
        seed(db_session)
        db_session.commit()
        first = [(o.status, o.total_pence, o.committed_pence) for o in _orders(db_session)]
        seed(db_session)
        db_session.commit()
    assert [(o.status, o.total_pence, o.committed_pence) for o in _orders(db_session)] == first
