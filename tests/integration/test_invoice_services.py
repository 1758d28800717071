"""Approving settles on the budget's ledger; credit notes give money back; payments
are recorded once per key; issued invoices never change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.accounts.roles import Role
from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing import runs, services
from marketplace.invoicing.enums import InvoiceKind, InvoiceStatus
from marketplace.invoicing.errors import InvoicingError
from marketplace.invoicing.guards import IssuedInvoiceError
from marketplace.invoicing.models import Invoice
from marketplace.ledger import services as ledger
from marketplace.ledger.models import TransferKind
from tests.invoicing_helpers import MAY, TODAY, days, held_budget, make_order, make_shop, make_user


@pytest.fixture()
def setting(db_session, council):
    person = make_user(db_session, Role.BUDGET_HOLDER, council=council, name="Bea Holder")
    finance = make_user(db_session, Role.FINANCE_OFFICER, council=council, name="Fin Officer")
    provider, service = make_shop(db_session, name="Birch Care", price_pence=2000)
    budget = held_budget(db_session, person, council, HoldingMethod.COUNCIL_MANAGED)
    order = make_order(db_session, person, provider, service, budget, visits=days(*MAY))
    runs.run_due(db_session, until=TODAY, today=TODAY)
    invoice = db_session.scalar(select(Invoice))
    return person, finance, budget, order, invoice


def test_approving_moves_the_committed_money_to_spent(db_session, setting):
    _person, finance, budget, order, invoice = setting
    before = ledger.balances(db_session, budget)
    services.approve(db_session, invoice, finance, on=TODAY)
    services.approve(db_session, invoice, finance, on=TODAY)  # twice: nothing more
    db_session.commit()
    after = ledger.balances(db_session, budget)
    assert invoice.status is InvoiceStatus.APPROVED
    assert after.spent_pence - before.spent_pence == invoice.gross_pence == 32000
    assert before.committed_pence - after.committed_pence == 32000
    assert after.available_pence == before.available_pence
    assert order.committed_pence == 0 and invoice.settlement_difference_pence == 0


def test_invoicing_more_than_was_set_aside_is_drawn_visibly_and_flagged(db_session, council):
    person = make_user(db_session, Role.BUDGET_HOLDER, council=council)
    provider, service = make_shop(db_session, name="Oak Care")
    budget = held_budget(db_session, person, council)
    make_order(db_session, person, provider, service, budget, visits=days(*MAY),
               committed_pence=30000)
    runs.run_due(db_session, until=TODAY, today=TODAY)
    invoice = db_session.scalar(select(Invoice).where(Invoice.provider_id == provider.id))
    before = ledger.balances(db_session, budget)
    services.approve(db_session, invoice, None, on=TODAY)
    assert invoice.settlement_difference_pence == 2000
    after = ledger.balances(db_session, budget)
    assert before.available_pence - after.available_pence == 2000
    settlement = [t for t in ledger.transfers(db_session, budget)
                  if t.kind is TransferKind.SETTLEMENT][0]
    assert "more than was set aside" in settlement.description


def test_a_credit_note_references_the_invoice_and_gives_the_money_back(db_session, setting):
    _person, finance, budget, _order, invoice = setting
    services.approve(db_session, invoice, finance, on=TODAY)
    spent = ledger.balances(db_session, budget).spent_pence
    note = services.issue_credit_note(db_session, invoice, 4000, "One visit did not happen",
                                      finance, on=TODAY)
    db_session.commit()
    assert note.kind is InvoiceKind.CREDIT_NOTE and note.credits_invoice_id == invoice.id
    assert note.number == invoice.number + 1 and note.reference.startswith("CN-")
    assert ledger.balances(db_session, budget).spent_pence == spent - 4000
    assert invoice.balance_pence == 28000
    with pytest.raises(InvoicingError):
        services.issue_credit_note(db_session, invoice, 28001, "Too much", finance)
    with pytest.raises(InvoicingError):
        services.issue_credit_note(db_session, invoice, 100, "  ", finance)
    services.issue_credit_note(db_session, invoice, 28000, "The rest", finance, on=TODAY)
    assert invoice.status is InvoiceStatus.CREDITED


def test_a_credit_before_approval_settles_only_what_is_left(db_session, setting):
    _person, finance, budget, _order, invoice = setting
    before = ledger.balances(db_session, budget)
    services.issue_credit_note(db_session, invoice, [invoice.lines[0]], "Not delivered",
                               finance, on=TODAY)
    services.approve(db_session, invoice, finance, on=TODAY)
    after = ledger.balances(db_session, budget)
    assert after.spent_pence - before.spent_pence == 28000 == invoice.settled_pence


def test_payments_are_recorded_once_per_key_and_mark_the_invoice_paid(db_session, setting):
    _person, finance, _budget, _order, invoice = setting
    services.approve(db_session, invoice, finance, on=TODAY)
    first = services.record_payment(db_session, invoice, 10000, method="bacs",
                                    reference="RUN-1", key="run:1:inv", paid_on=TODAY)
    again = services.record_payment(db_session, invoice, 10000, method="bacs",
                                    reference="RUN-1", key="run:1:inv", paid_on=TODAY)
    assert first.id == again.id and invoice.status is InvoiceStatus.PART_PAID
    assert invoice.paid_pence == 10000
    with pytest.raises(InvoicingError):
        services.record_payment(db_session, invoice, 999, method="bacs", reference="x",
                                key="run:1:inv", paid_on=TODAY)
    services.record_payment(db_session, invoice, 22000, method="bacs", reference="RUN-2",
                            key="run:2:inv", paid_on=TODAY)
    assert invoice.status is InvoiceStatus.PAID and invoice.balance_pence == 0
    services.record_refund(db_session, invoice, 2000, method="bacs", reference="R",
                           key="refund:1", refunded_on=TODAY)
    assert invoice.status is InvoiceStatus.PART_PAID


def test_paying_an_unapproved_person_invoice_approves_and_settles_it(db_session, council):
    person = make_user(db_session, Role.BUDGET_HOLDER, council=council)
    provider, service = make_shop(db_session, name="Elm Care")
    budget = held_budget(db_session, person, council, HoldingMethod.DIRECT_PAYMENT)
    make_order(db_session, person, provider, service, budget, visits=days(*MAY)[:2])
    runs.run_due(db_session, until=TODAY, today=TODAY)
    invoice = db_session.scalar(select(Invoice).where(Invoice.provider_id == provider.id))
    services.record_payment(db_session, invoice, invoice.gross_pence, method="card",
                            reference="pi_1", key="stripe:pi_1", paid_on=TODAY, actor=person)
    assert invoice.status is InvoiceStatus.PAID and invoice.approved_on == TODAY
    assert ledger.balances(db_session, budget).spent_pence == invoice.gross_pence


def test_issued_invoices_cannot_be_changed_or_deleted(db_session, setting):
    *_rest, invoice = setting
    invoice.gross_pence += 1
    with pytest.raises(IssuedInvoiceError):
        db_session.flush()
    db_session.rollback()
    invoice = db_session.get(Invoice, invoice.id)
    invoice.lines[0].gross_pence = 1
    with pytest.raises(IssuedInvoiceError):
        db_session.flush()
    db_session.rollback()
    invoice = db_session.get(Invoice, invoice.id)
    db_session.delete(invoice)
    with pytest.raises(IssuedInvoiceError):
        db_session.flush()
    db_session.rollback()
