"""The council back office for budgets: officers of the person's own council create
and change budgets, record amounts, challenges and money received and see the
ledger; finance officers see balances and correct entries by reversing them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from catalogue.taxonomy import FundingStream
from marketplace.accounts.roles import Role
from marketplace.budgets.enums import BudgetStatus, ChallengeDecision, HoldingMethod
from marketplace.budgets.models import Budget, BudgetChallenge
from marketplace.ledger import services as ledger
from marketplace.ledger.models import LedgerTransfer, TransferKind
from tests.budget_helpers import make_budget
from tests.conftest import csrf_token, sign_in

ASC, SP = FundingStream.ADULT_SOCIAL_CARE, FundingStream.SUPPORTING_PEOPLE
TODAY = date(2026, 6, 15)


@pytest.fixture()
def people(make_user, freeze_today):
    freeze_today(TODAY)
    return {
        "officer": make_user(Role.COUNCIL_OFFICER, name="Olu Officer"),
        "finance": make_user(Role.FINANCE_OFFICER, name="Fran Finance"),
        "holder": make_user(Role.BUDGET_HOLDER, name="Hana Holder"),
    }


def _errors(page: str) -> list[str]:
    return re.findall(r'govuk-error-message">.*?</span>\s*(.*?)</p>', page, re.S)


def _date(prefix: str, day: date) -> dict:
    return {prefix: [str(day.day), str(day.month), str(day.year)]}


def _details(**extra) -> dict:
    data = {"name": "Personal budget 2026 to 2027", "kind": "personal_budget",
            "nhs_body": "", "payment_frequency": "four_weekly", "instalment": "",
            "contribution_basis": "weekly_amount", "contribution_weekly": "12.50",
            "contribution_percent": "", "contribution_method": "paid_into_budget",
            **_date("period_starts_on", date(2026, 4, 1)),
            **_date("period_ends_on", date(2027, 3, 31)),
            "first_payment_on": ["6", "4", "2026"]}
    data.update(extra)
    return data


def test_an_officer_creates_a_budget_from_the_persons_page(signed_in, people, db_session):
    client = signed_in(people["officer"])
    holder = people["holder"]
    person_page = client.get(f"/council/people/{holder.id}").get_data(as_text=True)
    assert f"/council/budgets/people/{holder.id}" in person_page
    url = f"/council/budgets/people/{holder.id}/new"
    assert client.get(url).status_code == 200
    response = client.post(url, data={**_details(), "amount": "12,000.00",
                                      "stream": "adult_social_care", "method": "direct_payment",
                                      "held_by": "", "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302, _errors(response.get_data(as_text=True))
    budget = db_session.scalar(select(Budget).where(Budget.holder_id == holder.id))
    assert (budget.indicative_pence, budget.status) == (1_200_000, BudgetStatus.INDICATIVE)
    assert budget.stream_shares == {ASC: 1_200_000}
    assert budget.contribution_weekly_pence == 1250
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "£12,000.00" in page and "£12.50 a week" in page


def test_bad_amounts_and_dates_are_refused_clearly_and_change_nothing(signed_in, people,
                                                                      db_session):
    client = signed_in(people["officer"])
    url = f"/council/budgets/people/{people['holder'].id}/new"
    token = csrf_token(client, url)
    for changes, message in (
        ({"amount": "-5"}, "cannot be negative"),
        ({"amount": "50000000"}, "£1,000,000.00 or less"),
        ({**_date("period_ends_on", date(2026, 3, 1))}, "must end after it starts"),
        ({**_date("period_ends_on", date(2028, 3, 31))}, "a year at most"),
        ({**_date("first_payment_on", date(2027, 6, 1))}, "must be within the budget"),
        ({"contribution_percent": "150", "contribution_basis": "percentage"},
         "between 0.01 and 100"),
        ({"method": "individual_service_fund", "held_by": "Nobody Ltd"},
         "approved provider"),
    ):
        data = {**_details(), "amount": "1000", "stream": "adult_social_care",
                "method": "direct_payment", "held_by": "", "csrf_token": token, **changes}
        response = client.post(url, data=data)
        assert response.status_code == 400, changes
        assert message in response.get_data(as_text=True), changes
    assert db_session.scalar(select(func.count(Budget.id))) == 0


def test_amounts_streams_and_holdings_then_agreement(signed_in, people, db_session, council):
    budget = make_budget(db_session, people["holder"], council, amount=1_000_000,
                         agreed=False)
    client = signed_in(people["officer"])
    url = f"/council/budgets/{budget.id}/amounts"
    token = csrf_token(client, url)
    base = {"amount": "12000", "agreed": "yes", "csrf_token": token,
            "share_adult_social_care": "10000", "share_supporting_people": "2000",
            "held_direct_payment": "8000", "held_managed_account": "4000",
            "managed_by": "Pinner Budget Support"}
    unbalanced = client.post(url, data={**base, "share_supporting_people": "1000"})
    assert unbalanced.status_code == 400
    assert "add up to £11,000.00 but the budget is £12,000.00" in unbalanced.get_data(
        as_text=True)
    response = client.post(url, data=base)
    assert response.status_code == 302, _errors(response.get_data(as_text=True))
    budget = db_session.get(Budget, budget.id)
    assert budget.status is BudgetStatus.AGREED and budget.agreed_pence == 1_200_000
    assert budget.stream_shares == {ASC: 1_000_000, SP: 200_000}
    assert {(h.method, h.amount_pence, h.held_by) for h in budget.holdings} == {
        (HoldingMethod.DIRECT_PAYMENT, 800_000, None),
        (HoldingMethod.MANAGED_ACCOUNT, 400_000, "Pinner Budget Support")}
    # Agreeing posted the allocation, by stream: that is what may be committed.
    by_stream = ledger.balances_by_stream(db_session, budget)
    assert {s: (b.allocated_pence, b.available_pence) for s, b in by_stream.items()} == {
        ASC: (1_000_000, 1_000_000), SP: (200_000, 200_000)}
    page = client.get(f"/council/budgets/{budget.id}").get_data(as_text=True)
    assert re.search(r'data-figure="allocated"><strong>£12,000.00', page)
    assert re.search(r'data-figure="available"><strong>£12,000.00', page)
    assert "Allocation agreed or changed" in page
    # A later change posts only the difference.
    response = client.post(url, data={**base, "amount": "12500", "held_direct_payment": "8500",
                                      "share_adult_social_care": "10500"})
    assert response.status_code == 302, _errors(response.get_data(as_text=True))
    changes = [t.amount_pence for t in ledger.transfers(db_session, budget)
               if t.kind is TransferKind.ALLOCATION]
    assert changes == [1_000_000, 200_000, 50_000]


def test_an_allocation_below_what_is_spent_is_refused(signed_in, people, db_session, council):
    budget = make_budget(db_session, people["holder"], council, amount=1_000_000,
                         paid_in=500_000)
    ledger.commit(db_session, budget, 300_000, stream=ASC, key="c", reference="order:1",
                  on=TODAY)
    db_session.commit()
    client = signed_in(people["officer"])
    url = f"/council/budgets/{budget.id}/amounts"
    response = client.post(url, data={"amount": "4000", "csrf_token": csrf_token(client, url)})
    assert response.status_code == 400
    assert "cannot be less than £5,000.00" in response.get_data(as_text=True)
    budget = db_session.get(Budget, budget.id)
    assert budget.agreed_pence == 1_000_000


def test_a_challenge_is_recorded_and_decided(signed_in, people, db_session, council):
    budget = make_budget(db_session, people["holder"], council, amount=424_400, agreed=False)
    client = signed_in(people["officer"])
    url = f"/council/budgets/{budget.id}/challenges/new"
    response = client.post(url, data={
        **_date("raised_on", TODAY), "raised_by": "Hana's son", "requested": "6000",
        "grounds": "The assessment missed night-time needs",
        "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302, _errors(response.get_data(as_text=True))
    challenge = db_session.scalar(select(BudgetChallenge))
    decide = f"/council/budgets/challenges/{challenge.id}/decide"
    token = csrf_token(client, decide)
    missing = client.post(decide, data={"decision": "upheld", **_date("decided_on", TODAY),
                                        "reason": "Night needs confirmed", "csrf_token": token})
    assert missing.status_code == 400
    assert "Enter the new indicative amount" in missing.get_data(as_text=True)
    response = client.post(decide, data={"decision": "partly_upheld", "new_amount": "5200",
                                         **_date("decided_on", TODAY),
                                         "reason": "Night needs confirmed in part",
                                         "csrf_token": token})
    assert response.status_code == 302
    challenge = db_session.get(BudgetChallenge, challenge.id)
    budget = db_session.get(Budget, budget.id)
    assert challenge.decision is ChallengeDecision.PARTLY_UPHELD
    assert (challenge.amount_before_pence, challenge.amount_after_pence) == (424_400, 520_000)
    assert budget.indicative_pence == 520_000
    page = client.get(f"/council/budgets/{budget.id}").get_data(as_text=True)
    assert "Night needs confirmed in part" in page


def test_money_received_is_recorded_once_even_if_sent_twice(signed_in, people, db_session,
                                                            council):
    budget = make_budget(db_session, people["holder"], council, amount=1_200_000)
    client = signed_in(people["officer"])
    url = f"/council/budgets/{budget.id}/money-received"
    page = client.get(url).get_data(as_text=True)
    submission = re.search(r'name="submission" type="hidden" value="([^"]+)"', page).group(1)
    data = {"source": "instalment", "stream": "adult_social_care", "amount": "923.08",
            **_date("received_on", date(2026, 4, 6)), "note": "", "submission": submission,
            "csrf_token": csrf_token(client, url)}
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    figures = ledger.balances(db_session, budget)
    assert figures.instalments_pence == figures.received_pence == 92_308
    assert figures.available_pence == 1_200_000  # cash: not more to spend
    page = client.get(f"/council/budgets/{budget.id}").get_data(as_text=True)
    assert re.search(r'data-figure="received"><strong>£923.08', page)
    late = client.post(url, data={**data, "submission": "b" * 24,
                                  **_date("received_on", date(2027, 5, 1))})
    assert late.status_code == 400
    assert "within the budget" in late.get_data(as_text=True)


def test_scheduled_payments_are_recorded_up_to_today(signed_in, people, db_session, council):
    budget = make_budget(db_session, people["holder"], council, amount=1_300_000)
    budget.first_payment_on = date(2026, 4, 6)
    db_session.commit()
    client = signed_in(people["officer"])
    url = f"/council/budgets/{budget.id}/scheduled-payments"
    token = csrf_token(client, f"/council/budgets/{budget.id}")
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert client.post(url, data={"csrf_token": token}).status_code == 302  # no double
    # 4-weekly from 6 April: 6 Apr, 4 May, 1 Jun by 15 June; £13,000 over 13 payments.
    assert ledger.balances(db_session, budget).instalments_pence == 300_000


def test_finance_sees_balances_and_reverses_an_entry_with_a_reason(app, signed_in, people,
                                                                    db_session, council):
    budget = make_budget(db_session, people["holder"], council, amount=1_200_000,
                         paid_in=100_000)
    wrong = ledger.commit(db_session, budget, 25_000, stream=ASC, key="c", reference="order:9",
                          on=TODAY)
    db_session.commit()
    client = signed_in(people["finance"])
    balances = client.get("/council/budgets/finance").get_data(as_text=True)
    # £12,000.00 allocated, £1,000.00 received, £250.00 set aside: £11,750.00 available.
    assert "Hana Holder" in balances and "£11,750.00" in balances
    assert "£1,000.00" in balances and "£12,000.00" in balances
    ledger_page = client.get(f"/council/budgets/{budget.id}/ledger").get_data(as_text=True)
    assert f"/council/budgets/entries/{wrong.id}/correct" in ledger_page
    url = f"/council/budgets/entries/{wrong.id}/correct"
    empty = client.post(url, data={"reason": " ", "csrf_token": csrf_token(client, url)})
    assert empty.status_code == 400
    response = client.post(url, data={"reason": "Order cancelled before it started",
                                      "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    fix = db_session.scalar(select(LedgerTransfer).where(
        LedgerTransfer.kind == TransferKind.CORRECTION))
    assert fix.reverses_id == wrong.id and fix.created_by_id == people["finance"].id
    assert ledger.balances(db_session, budget).available_pence == 1_200_000
    allocation = db_session.scalar(select(LedgerTransfer).where(
        LedgerTransfer.budget_id == budget.id, LedgerTransfer.kind == TransferKind.ALLOCATION))
    ledger_page = client.get(f"/council/budgets/{budget.id}/ledger").get_data(as_text=True)
    assert f"/council/budgets/entries/{allocation.id}/correct" not in ledger_page
    refused = client.post(f"/council/budgets/entries/{allocation.id}/correct",
                          data={"reason": "Wrong", "csrf_token": csrf_token(client, url)})
    assert refused.status_code == 400
    assert "change the budget&#39;s agreed amount" in refused.get_data(as_text=True)
    again = client.post(url, data={"reason": "Again", "csrf_token": csrf_token(client, url)})
    assert again.status_code == 400
    assert "already corrected" in again.get_data(as_text=True)
    # An officer sees the ledger but may not correct.
    officer = app.test_client()
    sign_in(officer, people["officer"])
    assert officer.get(f"/council/budgets/{budget.id}/ledger").status_code == 200
    assert officer.get(url).status_code == 403


def test_staff_of_another_council_see_nothing(app, make_user, people, db_session,
                                              council, other_council):
    budget = make_budget(db_session, people["holder"], council, amount=500_000, paid_in=1_000)
    entry = db_session.scalar(select(LedgerTransfer).where(LedgerTransfer.budget_id ==
                                                           budget.id))
    for role in (Role.COUNCIL_OFFICER, Role.FINANCE_OFFICER):
        client = app.test_client()
        sign_in(client, make_user(role, council_for=other_council))
        for url in (f"/council/budgets/{budget.id}", f"/council/budgets/{budget.id}/ledger",
                    f"/council/budgets/people/{people['holder'].id}",
                    f"/council/budgets/entries/{entry.id}/correct"):
            assert client.get(url).status_code == 403, (role, url)
        if role is Role.FINANCE_OFFICER:
            assert "Hana Holder" not in client.get("/council/budgets/finance").get_data(
                as_text=True)
