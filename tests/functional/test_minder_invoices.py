"""The Budget Minder's "Invoices and payments": every invoice or ISF statement paid
from the budget, and whether it has been paid, for each way the money is held; links
to the invoice only for those who may open it."""

from __future__ import annotations

import re

import pytest

from marketplace.accounts.roles import Role, Scope
from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing import services as invoicing
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.payments import runs
from tests.conftest import sign_in
from tests.functional.minder_helpers import act_for, authority
from tests.invoicing_helpers import TODAY, held_budget
from tests.paid_helpers import ORGANISATION, billed
from tests.payments_helpers import DUE_BY, provider_with_owner

PAID_ON = "20 June 2026"


@pytest.fixture()
def bills(db_session, council, make_user, freeze_today):
    freeze_today(TODAY)
    holder = make_user(Role.BUDGET_HOLDER, name="Hattie Holder")
    finance = make_user(Role.FINANCE_OFFICER, name="Fiona Finance")
    _owner, provider, service = provider_with_owner(db_session)
    made = {key: billed(db_session, holder, council, provider, service, method)
            for key, method in (("council", HoldingMethod.COUNCIL_MANAGED),
                                ("managed", HoldingMethod.MANAGED_ACCOUNT),
                                ("direct", HoldingMethod.DIRECT_PAYMENT),
                                ("isf", HoldingMethod.INDIVIDUAL_SERVICE_FUND))}
    return {"holder": holder, "finance": finance, "testshire": council, **made}


def _row(page: str, invoice: Invoice) -> str:
    match = re.search(rf'<tr class="govuk-table__row" data-invoice="{invoice.id}">(.*?)</tr>',
                      page, re.S)
    assert match, f"{invoice.reference} is not on the Budget Minder"
    return re.sub(r"\s+", " ", match.group(1))


def _minder(client, invoice) -> str:
    answer = client.get(f"/my/money/{invoice.budget_id}")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def _pay_run(session, finance, council, invoices) -> None:
    for invoice in invoices:
        invoicing.approve(session, session.get(Invoice, invoice.id), finance, on=TODAY)
    session.commit()
    run = runs.create_run(session, council.id, finance, [i.id for i in invoices],
                          due_by=DUE_BY, pay_on=TODAY)
    session.commit()
    runs.confirm_run(session, run, finance)
    session.commit()


def test_each_way_of_holding_money_shows_paid_once_it_is_paid(client, db_session, bills):
    sign_in(client, bills["holder"])
    for key in ("council", "managed", "direct"):
        row = _row(_minder(client, bills[key]), bills[key])
        assert "Not paid yet" in row and "£320.00" in row, key
    assert "To be paid by Testshire County Council by" in _row(
        _minder(client, bills["council"]), bills["council"])
    assert f"To be paid by {ORGANISATION} by" in _row(
        _minder(client, bills["managed"]), bills["managed"])
    # An ISF is paid when the provider draws it from the fund, at the invoice run.
    isf = _row(_minder(client, bills["isf"]), bills["isf"])
    assert "Paid" in isf and "Not paid yet" not in isf
    assert f"Drawn from the Individual Service Fund by {bills['isf'].provider_name}" in isf

    _pay_run(db_session, bills["finance"], bills["testshire"],
             [bills["council"], bills["managed"]])
    invoicing.record_payment(db_session, db_session.get(Invoice, bills["direct"].id), 32_000,
                             method="card", reference="pi_test", key="test:card",
                             paid_on=TODAY)
    db_session.commit()

    council_row = _row(_minder(client, bills["council"]), bills["council"])
    assert ">Paid<" in council_row
    assert f"Paid by Testshire County Council by bank transfer on {PAID_ON}" in council_row
    managed_row = _row(_minder(client, bills["managed"]), bills["managed"])
    assert f"Paid by {ORGANISATION} by bank transfer on {PAID_ON}" in managed_row
    direct_row = _row(_minder(client, bills["direct"]), bills["direct"])
    assert ">Paid<" in direct_row and f"Paid by card on {PAID_ON}" in direct_row


def test_part_paid_and_credited_invoices_say_what_is_left(client, db_session, bills):
    direct = db_session.get(Invoice, bills["direct"].id)
    invoicing.record_payment(db_session, direct, 12_000, method="card", reference="pi_part",
                             key="test:part")
    council_invoice = db_session.get(Invoice, bills["council"].id)
    invoicing.issue_credit_note(db_session, council_invoice, council_invoice.gross_pence,
                                "Not delivered", None, on=TODAY)
    db_session.commit()
    sign_in(client, bills["holder"])
    direct_row = _row(_minder(client, bills["direct"]), bills["direct"])
    assert "Part paid" in direct_row and "£120.00 paid, £200.00 still to pay" in direct_row
    credited = _row(_minder(client, bills["council"]), bills["council"])
    assert "Credited in full" in credited and "£0.00" in credited


def test_only_the_persons_own_invoices_link_and_only_with_money_scope(
        app, client, db_session, bills, make_user):
    sign_in(client, bills["holder"])
    own = _row(_minder(client, bills["direct"]), bills["direct"])
    assert f'href="/invoices/mine/{bills["direct"].id}"' in own
    statement = _row(_minder(client, bills["isf"]), bills["isf"])
    assert f'href="/invoices/mine/{bills["isf"].id}"' in statement
    # The council's invoice is addressed to the council: listed, but not the person's
    # to open.
    council_row = _row(_minder(client, bills["council"]), bills["council"])
    assert "href" not in council_row

    officer = make_user(Role.COUNCIL_OFFICER)
    for scope, linked in ((Scope.VIEW, False), (Scope.MONEY, True)):
        rep = make_user(name=f"Rep {scope.value}")
        found = authority(db_session, officer, rep, bills["holder"], bills["testshire"], scope)
        rep_client = app.test_client()
        sign_in(rep_client, rep)
        act_for(rep_client, found)
        row = _row(_minder(rep_client, bills["direct"]), bills["direct"])
        assert "Not paid yet" in row
        assert (f'href="/invoices/mine/{bills["direct"].id}"' in row) is linked, scope


def test_a_budget_with_no_invoices_says_so(client, db_session, council, make_user,
                                            freeze_today):
    freeze_today(TODAY)
    holder = make_user(Role.BUDGET_HOLDER)
    budget = held_budget(db_session, holder, council)
    sign_in(client, holder)
    page = client.get(f"/my/money/{budget.id}").get_data(as_text=True)
    assert "Invoices and payments" in page and "No invoices yet." in page
