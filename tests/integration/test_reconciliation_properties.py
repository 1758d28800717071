"""Property-based: after any sequence of orders, deliveries, disputes, runs,
approvals, credit notes, payments and refunds, the ledger, invoices, credit notes
and payments reconcile to the penny."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from marketplace.accounts.roles import Role
from marketplace.budgets.enums import HoldingMethod
from marketplace.budgets.models import Budget
from marketplace.invoicing import runs, services
from marketplace.invoicing.enums import InvoiceKind
from marketplace.invoicing.errors import InvoicingError
from marketplace.invoicing.models import Invoice, InvoiceLine
from marketplace.invoicing.reconcile import reconcile
from marketplace.ledger import services as ledger
from marketplace.ledger.errors import LedgerError
from marketplace.ledger.models import LedgerAccount, LedgerLeg, LedgerTransfer
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus, DisputeOutcome
from tests.invoicing_helpers import MAY, TODAY, add_visit, days, held_budget, make_order, make_shop

HOLDINGS = ["council", "managed", "direct", "isf", "self"]
STATUSES = ["recorded", "confirmed", "disputed", "stands", "withdrawn"]
VISIT_DAYS = days(*MAY)

operations = st.lists(st.one_of(
    st.tuples(st.just("order"), st.sampled_from(HOLDINGS), st.integers(0, 3),
              st.integers(-3, 3)),
    st.tuples(st.just("visit"), st.integers(0, 9), st.integers(0, len(VISIT_DAYS) - 1),
              st.sampled_from(STATUSES)),
    st.tuples(st.just("run"), st.just(0), st.just(0), st.just(0)),
    st.tuples(st.just("approve"), st.integers(0, 9), st.just(0), st.just(0)),
    st.tuples(st.just("credit"), st.integers(0, 9), st.integers(1, 9000), st.just(0)),
    st.tuples(st.just("pay"), st.integers(0, 9), st.integers(1, 20000), st.just(0)),
    st.tuples(st.just("refund"), st.integers(0, 9), st.integers(1, 9000), st.just(0)),
), min_size=3, max_size=18)


def _invoices(session):
    return session.scalars(select(Invoice).where(Invoice.kind == InvoiceKind.INVOICE)
                           .order_by(Invoice.id)).all()


def _apply(session, world, n, op):
    name, a, b, c = op
    person, council, provider, service, orders = world
    if name == "order":
        budget = None
        if a != "self":
            method = {"council": HoldingMethod.COUNCIL_MANAGED,
                      "managed": HoldingMethod.MANAGED_ACCOUNT,
                      "direct": HoldingMethod.DIRECT_PAYMENT,
                      "isf": HoldingMethod.INDIVIDUAL_SERVICE_FUND}[a]
            budget = held_budget(session, person, council, method, organisation="Minders",
                                 provider=provider)
        order = make_order(session, person, provider, service, budget,
                           contribution_pence=b * 1000 if budget else 0,
                           committed_pence=None if budget is None else 8000 + c * 1000)
        orders.append(order)
    elif name == "visit" and orders:
        order = orders[a % len(orders)]
        day = VISIT_DAYS[b]
        if session.scalar(select(DeliveryRecord.id).where(
                DeliveryRecord.order_line_id == order.lines[0].id,
                DeliveryRecord.occurred_on == day)) is None:
            status = {"stands": DeliveryStatus.RESOLVED, "withdrawn": DeliveryStatus.RESOLVED
                      }.get(c, DeliveryStatus(c) if c in ("recorded", "confirmed", "disputed")
                            else None)
            record = add_visit(session, order, day, hours=100 + 50 * (b % 3), status=status,
                               commit=False)
            if c in ("stands", "withdrawn"):
                record.outcome = DisputeOutcome.STANDS if c == "stands" else \
                    DisputeOutcome.WITHDRAWN
                record.dispute_reason = "Late"
            session.commit()
    elif name == "run":
        runs.run_due(session, until=TODAY, today=TODAY)
    else:
        invoices = _invoices(session)
        if not invoices:
            return
        invoice = invoices[a % len(invoices)]
        try:
            with session.begin_nested():
                if name == "approve":
                    services.approve(session, invoice, None, on=TODAY)
                elif name == "credit":
                    services.issue_credit_note(session, invoice, b, "Property test", None,
                                               on=TODAY)
                elif name == "pay":
                    services.record_payment(session, invoice, b, method="bacs",
                                            reference=f"p{n}", key=f"prop:{n}", paid_on=TODAY)
                elif name == "refund":
                    services.record_refund(session, invoice, b, method="bacs",
                                           reference=f"r{n}", key=f"prop:r{n}",
                                           refunded_on=TODAY)
        except (InvoicingError, LedgerError):
            pass
        session.commit()


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=operations)
def test_any_sequence_reconciles_to_the_penny(db_session, make_user, council, sequence):
    person = make_user(Role.BUDGET_HOLDER)
    provider, service = make_shop(db_session, name="Property Care", price_pence=1999)
    world = (person, council, provider, service, [])
    for n, op in enumerate(sequence):
        _apply(db_session, world, n, op)
    runs.run_due(db_session, until=TODAY, today=TODAY)
    result = reconcile(db_session, provider_id=provider.id)
    assert result.differences == []
    # Every billable delivery is billed exactly once, for its whole amount.
    for record in db_session.scalars(select(DeliveryRecord).where(
            DeliveryRecord.provider_id == provider.id)):
        billed = db_session.scalar(select(func.coalesce(func.sum(InvoiceLine.gross_pence), 0))
                                   .where(InvoiceLine.billed_delivery_id == record.id))
        assert billed == (record.amount_pence if record.billable else 0)
    # The ledger's spending with the provider is exactly what its invoices settled.
    for order in world[4]:
        if order.budget_id is not None:
            budget = db_session.get(Budget, order.budget_id)
            assert ledger.check_invariants(db_session, budget) == []
    spent = db_session.scalar(
        select(func.coalesce(func.sum(LedgerLeg.amount_pence), 0))
        .join(LedgerTransfer, LedgerLeg.transfer_id == LedgerTransfer.id)
        .where(LedgerTransfer.provider_id == provider.id,
               LedgerLeg.account == LedgerAccount.SPENT))
    settled = db_session.scalar(select(func.coalesce(func.sum(Invoice.settled_pence), 0))
                                .where(Invoice.provider_id == provider.id))
    assert spent == settled
