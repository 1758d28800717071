"""The demo delivery history (marketplace/ordering/deliveries/demo.py) and what the
invoicing, payments and ratings demos then make of it, through `demo.seed`."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.demo import seed
from marketplace.invoicing.enums import InvoiceKind, PayerKind, PayerShare
from marketplace.invoicing.models import Invoice, InvoiceQuery
from marketplace.invoicing.payments.cards import payable_by_card
from marketplace.invoicing.payments.models import PaymentRun, RunStatus
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus, DisputeOutcome
from marketplace.ordering.lifecycle import OrderStatus
from marketplace.ordering.messages.models import Conversation, Message
from marketplace.ordering.models import Order
from marketplace.ratings.models import Rating, ReviewReply, ReviewStatus, SafeguardingConcern

COUNTED = (DeliveryRecord, Conversation, Message, Invoice, PaymentRun, Rating, Order)


def _counts(session):
    return [session.scalar(select(func.count(model.id))) for model in COUNTED]


def test_the_demo_has_a_delivery_history_invoices_payments_and_ratings(app, db_session):
    with app.app_context():
        seed(db_session)
        db_session.commit()
        first = _counts(db_session)
        seed(db_session)
        db_session.commit()
        assert _counts(db_session) == first  # running it twice adds nothing

    records = db_session.scalars(select(DeliveryRecord)).all()
    by_status = {s: [r for r in records if r.status is s] for s in DeliveryStatus}
    assert len(by_status[DeliveryStatus.CONFIRMED]) >= 30
    assert len(by_status[DeliveryStatus.CONFIRMED]) > len(records) // 2
    assert len(by_status[DeliveryStatus.MISSED]) == 2
    assert all(r.missed_reason for r in by_status[DeliveryStatus.MISSED])
    assert len(by_status[DeliveryStatus.DISPUTED]) == 1
    assert [r.outcome for r in by_status[DeliveryStatus.RESOLVED]] == [DisputeOutcome.STANDS]
    assert by_status[DeliveryStatus.RECORDED]  # the last few days wait for an answer
    with_visits = {r.order_id for r in records}
    assert len(with_visits) >= 5
    assert {db_session.get(Order, i).status for i in with_visits} == {OrderStatus.ACTIVE}
    # A question about a service before ordering, and conversations about orders.
    conversations = db_session.scalars(select(Conversation)).all()
    assert any(c.service_id and c.order_id is None for c in conversations)
    assert sum(1 for c in conversations if c.order_id) >= 2
    assert db_session.scalar(select(func.count(Message.id))) >= 5

    invoices = db_session.scalars(select(Invoice)).all()
    kinds = {(i.kind, i.payer_kind, i.share) for i in invoices}
    assert (InvoiceKind.INVOICE, PayerKind.COUNCIL, PayerShare.BUDGET) in kinds
    assert (InvoiceKind.INVOICE, PayerKind.MANAGED_ACCOUNT, PayerShare.BUDGET) in kinds
    assert (InvoiceKind.INVOICE, PayerKind.PERSON, PayerShare.BUDGET) in kinds
    assert (InvoiceKind.INVOICE, PayerKind.PERSON, PayerShare.CONTRIBUTION) in kinds
    assert any(i.kind is InvoiceKind.STATEMENT for i in invoices)  # an ISF statement
    assert sum(1 for i in invoices if i.kind is InvoiceKind.CREDIT_NOTE) == 1
    assert sum(1 for i in invoices if i.approved_on is not None) >= 3
    assert db_session.scalar(select(func.count(InvoiceQuery.id))) == 1
    assert any(payable_by_card(i) for i in invoices)
    runs = db_session.scalars(select(PaymentRun)).all()
    assert [r.status for r in runs] == [RunStatus.PAID]

    ratings = db_session.scalars(select(Rating)).all()
    statuses = [r.review_status for r in ratings]
    assert len(ratings) >= 5
    assert statuses.count(ReviewStatus.PUBLISHED) >= 3
    assert ReviewStatus.PENDING in statuses
    assert statuses.count(ReviewStatus.SAFEGUARDING) == 1
    assert db_session.scalar(select(func.count(SafeguardingConcern.id)).where(
        SafeguardingConcern.rating_id.is_not(None))) == 1  # the board demo adds its own
    assert db_session.scalar(select(func.count(ReviewReply.id))) >= 1
