"""Payment runs: choose, review, confirm; the payment file and remittance advice; a crash
at every step then a resume pays everyone exactly once; nothing is paid twice."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from marketplace.accounts.roles import Role
from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing import services as invoicing
from marketplace.invoicing.enums import InvoiceStatus, PaymentKind
from marketplace.invoicing.models import Invoice, InvoicePayment
from marketplace.invoicing.payments import runs
from marketplace.invoicing.payments.models import ItemStatus, PaymentRun, RunStatus
from tests.conftest import csrf_token, sign_in
from tests.invoicing_helpers import TODAY
from tests.payments_helpers import DUE_BY, council_invoices, provider_with_owner, run_items


@pytest.fixture()
def setting(db_session, council, make_user, freeze_today):
    freeze_today(TODAY)
    finance = make_user(Role.FINANCE_OFFICER, name="Fiona Finance")
    owner_a, provider_a, service_a = provider_with_owner(db_session)
    _owner_b, provider_b, service_b = provider_with_owner(db_session, price_pence=1500)
    invoices = council_invoices(db_session, council, finance,
                                providers=[(provider_a, service_a), (provider_b, service_b)])
    managed = council_invoices(db_session, council, finance,
                               providers=[(provider_a, service_a)],
                               method=HoldingMethod.MANAGED_ACCOUNT)
    return {"finance": finance, "owner": owner_a, "providers": (provider_a, provider_b),
            "invoices": invoices + managed}


def _payments(session, invoice_ids):
    return list(session.scalars(select(InvoicePayment).where(
        InvoicePayment.invoice_id.in_(invoice_ids), InvoicePayment.kind == PaymentKind.PAYMENT)
        .order_by(InvoicePayment.invoice_id)))


def test_a_finance_officer_makes_reviews_and_confirms_a_run(
        app, db_session, setting, outbox):
    client = app.test_client()
    sign_in(client, setting["finance"])
    path = f"/finance/payment-runs/new?due_by={DUE_BY.isoformat()}"
    page = client.get(path).get_data(as_text=True)
    ids = [i.id for i in setting["invoices"]]
    assert all(f'value="{i}"' for i in ids) and "Totals by provider" in page
    answer = client.post(path, data={"csrf_token": csrf_token(client, path),
                                     "invoice_ids": [str(i) for i in ids],
                                     "pay_on": ["1", "7", "2026"]})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    run = db_session.scalar(select(PaymentRun))
    assert run.status is RunStatus.DRAFT and len(run_items(db_session, run)) == 3
    assert _payments(db_session, ids) == []  # nothing is paid before confirming
    review = client.get(f"/finance/payment-runs/{run.id}").get_data(as_text=True)
    assert "12-34-56" in review and "£320.00" in review
    token = csrf_token(client, f"/finance/payment-runs/{run.id}")
    assert client.post(f"/finance/payment-runs/{run.id}/confirm",
                       data={"csrf_token": token}).status_code == 302
    run = db_session.get(PaymentRun, run.id)
    assert run.status is RunStatus.PAID
    paid = _payments(db_session, ids)
    assert [p.method for p in paid] == ["bacs"] * 3
    assert all(db_session.get(Invoice, i).status is InvoiceStatus.PAID for i in ids)
    rows = list(csv.reader(io.StringIO(client.get(
        f"/finance/payment-runs/{run.id}/payment-file.csv").get_data(as_text=True))))
    assert rows[0] == ["Payee name", "Sort code", "Account number", "Amount", "Reference"]
    assert sorted(r[3] for r in rows[1:]) == ["240.00", "640.00"]  # one line per payee
    assert {r[4] for r in rows[1:]} == {run.reference} and rows[1][1] == "123456"
    provider_a = setting["providers"][0]
    remittance = f"/finance/payment-runs/{run.id}/remittance/{provider_a.id}"
    assert "£640.00" in client.get(remittance).get_data(as_text=True)
    owner = app.test_client()
    sign_in(owner, setting["owner"])
    assert owner.get(remittance).status_code == 200  # the provider sees its own advice
    lines = owner.get(remittance + ".csv").get_data(as_text=True).splitlines()
    assert len(lines) == 3 and lines[1].startswith(run.reference)
    assert any("Remittance advice" in m["Subject"] for m in outbox)
    # Confirming again pays nobody twice.
    client.post(f"/finance/payment-runs/{run.id}/confirm", data={"csrf_token": token})
    assert len(_payments(db_session, ids)) == 3


STEPS = ["started", "item", "before-payment", "after-payment", "item-paid", "finishing"]


class Crash(Exception):
    pass


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("nth", [1, 2])
def test_a_run_interrupted_at_any_step_resumes_and_pays_everyone_once(
        db_session, setting, monkeypatch, step, nth):
    finance = setting["finance"]
    ids = [i.id for i in setting["invoices"]]
    run = runs.create_run(db_session, setting["invoices"][0].council_id, finance, ids,
                          due_by=DUE_BY, pay_on=TODAY)
    db_session.commit()
    seen = {"n": 0}

    def crash(name):
        if name == step:
            seen["n"] += 1
            if seen["n"] == nth:
                raise Crash(name)

    monkeypatch.setattr(runs, "checkpoint", crash)
    try:
        runs.confirm_run(db_session, run, finance)
        db_session.commit()
    except Crash:
        db_session.rollback()
    monkeypatch.setattr(runs, "checkpoint", lambda name: None)
    run = db_session.get(PaymentRun, run.id)
    runs.confirm_run(db_session, run, finance)  # resume
    db_session.commit()
    payments = _payments(db_session, ids)
    assert [p.invoice_id for p in payments] == sorted(ids)
    assert {p.idempotency_key for p in payments} == {
        f"payment-run:{run.id}:invoice:{i}" for i in ids}
    assert run.status is RunStatus.PAID
    assert all(db_session.get(Invoice, i).paid_pence == db_session.get(Invoice, i).gross_pence
               for i in ids)


def test_a_run_over_invoices_someone_else_just_paid_pays_nothing_twice(db_session, setting):
    finance = setting["finance"]
    first, second, third = setting["invoices"]
    run = runs.create_run(db_session, first.council_id, finance,
                          [first.id, second.id, third.id], due_by=DUE_BY, pay_on=TODAY)
    db_session.commit()
    invoicing.record_payment(db_session, first, first.balance_pence, method="cheque",
                             reference="CHQ 1", key="cheque-1")            # paid in full
    invoicing.record_payment(db_session, second, 10000, method="cheque", reference="CHQ 2",
                             key="cheque-2")                               # part paid
    db_session.commit()
    runs.confirm_run(db_session, run, finance)
    db_session.commit()
    items = {i.invoice_id: i for i in run_items(db_session, run)}
    assert items[first.id].status is ItemStatus.SKIPPED
    assert items[second.id].amount_pence == second.gross_pence - 10000
    assert all(db_session.get(Invoice, i).balance_pence == 0 for i in items)
    assert db_session.scalar(select(func.sum(InvoicePayment.amount_pence)).where(
        InvoicePayment.invoice_id == first.id)) == first.gross_pence


def test_an_invoice_goes_in_one_run_only_and_a_cancelled_run_lets_it_go(
        app, db_session, setting):
    finance = setting["finance"]
    invoice = setting["invoices"][0]
    run = runs.create_run(db_session, invoice.council_id, finance, [invoice.id],
                          due_by=DUE_BY, pay_on=TODAY)
    db_session.commit()
    client = app.test_client()
    sign_in(client, finance)
    path = f"/finance/payment-runs/new?due_by={DUE_BY.isoformat()}"
    token = csrf_token(client, path)
    answer = client.post(path, data={"csrf_token": token, "invoice_ids": [str(invoice.id)],
                                     "pay_on": ["1", "7", "2026"]})
    assert answer.status_code == 400
    assert "no longer waiting for payment" in answer.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(PaymentRun)) == 1
    client.post(f"/finance/payment-runs/{run.id}/cancel", data={"csrf_token": token})
    assert db_session.get(PaymentRun, run.id).status is RunStatus.CANCELLED
    assert invoice.id in [i.id for i in runs.candidates(db_session, invoice.council_id,
                                                        DUE_BY)]


def test_invoices_of_providers_without_bank_details_cannot_be_chosen(
        db_session, council, make_user, freeze_today):
    freeze_today(TODAY)
    finance = make_user(Role.FINANCE_OFFICER)
    _owner, provider, service = provider_with_owner(db_session, bank_details=False)
    [invoice] = council_invoices(db_session, council, finance, providers=[(provider, service)])
    with pytest.raises(runs.PaymentRunError, match="bank details"):
        runs.create_run(db_session, council.id, finance, [invoice.id], due_by=DUE_BY,
                        pay_on=TODAY)


def test_finance_officers_of_another_council_cannot_see_or_confirm_a_run(
        app, db_session, setting, make_user, other_council):
    invoice = setting["invoices"][0]
    run = runs.create_run(db_session, invoice.council_id, setting["finance"], [invoice.id],
                          due_by=DUE_BY, pay_on=TODAY)
    db_session.commit()
    stranger = make_user(Role.FINANCE_OFFICER, council_for=other_council)
    client = app.test_client()
    sign_in(client, stranger)
    assert client.get(f"/finance/payment-runs/{run.id}").status_code == 403
    token = csrf_token(client, "/finance/payment-runs")
    assert client.post(f"/finance/payment-runs/{run.id}/confirm",
                       data={"csrf_token": token}).status_code == 403
    assert db_session.get(PaymentRun, run.id).status is RunStatus.DRAFT
