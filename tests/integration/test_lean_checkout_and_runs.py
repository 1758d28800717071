"""What keeps the checkout and invoice runs fast without weakening them.

- A checkout writes its order, events and e-mails first and takes the budget's lock
  only to read the ledger and post the money (the lock is held to the commit, so
  what runs under it decides how many checkouts one budget can take at a time).
- A ledger posting looks its key up only under the lock, yet a repeat of a movement
  is still answered with the first transfer, even once its checks would now refuse.
- An invoice run commits several providers at a time; a period the ledger refuses
  is left over alone (reported, tried again next time), the rest of its batch is
  invoiced, and numbers stay gap-free. Batches of one and of many give the same
  documents, and the run button still audits every document (they are written as
  rows, not through the ORM).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select

from catalogue.taxonomy import FundingStream
from marketplace.accounts.roles import Role
from marketplace.audit import AuditEvent
from marketplace.budgets import services as budgets
from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing import runs
from marketplace.invoicing.models import Invoice
from marketplace.ledger import services as ledger
from marketplace.ledger.errors import LedgerError
from tests.budget_helpers import make_budget as make_ledger_budget
from tests.conftest import csrf_token, sign_in
from tests.functional.ordering_helpers import make_budget, make_shop, once, place
from tests.invoicing_helpers import MAY, TODAY, days, held_budget, make_order
from tests.invoicing_helpers import make_shop as make_invoicing_shop
from tests.invoicing_helpers import make_user as make_invoicing_user

APRIL = (date(2026, 4, 20), date(2026, 5, 17))  # the 4-week period before MAY


def _statements(db_session, work) -> list[str]:
    """The SQL statements ``work()`` sends, in order, lower-cased on one line."""
    sent: list[str] = []
    engine = db_session.get_bind().engine

    def capture(_conn, _cursor, statement, *_args):
        sent.append(" ".join(statement.split()).lower())

    event.listen(engine, "before_cursor_execute", capture)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return sent


def test_a_checkout_holds_the_budget_lock_only_to_read_the_ledger_and_post(
        app, db_session, make_user, council):
    holder = make_user(Role.BUDGET_HOLDER, name="Lena Lock")
    owner = make_user(Role.PROVIDER_STAFF)
    _shop, service = make_shop(db_session, owner, name="Lock Care")
    budget = make_budget(db_session, holder, council, paid_in_pence=100_000)
    placed = []
    with app.test_request_context("/"):
        sent = _statements(db_session, lambda: placed.extend(
            place(db_session, holder, service, budget, schedule=once(), key="lean-lock")))
    assert len(placed) == 1 and placed[0].committed_pence > 0
    locks = [n for n, s in enumerate(sent)
             if s.startswith("select budgets.id from budgets where budgets.id =")]
    assert len(locks) == 1, sent
    before, under_lock = sent[:locks[0]], sent[locks[0] + 1:]
    assert any(s.startswith("insert into orders ") for s in before)
    assert any(s.startswith("insert into order_events ") for s in before)
    assert any(s.startswith("insert into outbox_messages ") for s in before)
    if db_session.get_bind().dialect.name == "postgresql":
        assert sent[locks[0]].endswith("for no key update")
    # Under the lock: one read of the ledger (balances and the key), the transfer and
    # its legs, the basket emptied; then the commit.
    kinds: list[str] = []  # each kind once (SQLite inserts the two legs one by one)
    for statement in under_lock:
        kind = statement.split(" (")[0].split(" where")[0]
        if not kind.startswith(("savepoint", "release savepoint")) and kind not in kinds:
            kinds.append(kind)
    assert kinds[0].startswith("select ") and "ledger_legs" in under_lock[0]
    assert kinds[1:] == ["insert into ledger_transfers", "insert into ledger_legs",
                         "delete from basket_lines"], kinds


def test_a_repeated_movement_returns_the_first_transfer_after_its_budget_closed(
        db_session, make_user, council):
    holder = make_user(Role.BUDGET_HOLDER, name="Rita Repeat")
    budget = make_ledger_budget(db_session, holder, council, amount=100_000)
    asc, day = FundingStream.ADULT_SOCIAL_CARE, date(2026, 5, 1)
    first = ledger.commit(db_session, budget, 5_000, stream=asc, key="lean:again",
                          reference="order:9", on=day)
    budgets.close_budget(db_session, budget)
    again = ledger.commit(db_session, budget, 5_000, stream=asc, key="lean:again",
                          reference="order:9", on=day)
    assert again.id == first.id
    with pytest.raises(LedgerError, match="closed"):
        ledger.commit(db_session, budget, 5_000, stream=asc, key="lean:new",
                      reference="order:9", on=day)
    with pytest.raises(LedgerError, match="already used for a different"):
        ledger.commit(db_session, budget, 6_000, stream=asc, key="lean:again",
                      reference="order:9", on=day)


def _numbers(session, provider) -> list[int]:
    return list(session.scalars(select(Invoice.number).where(
        Invoice.provider_id == provider.id, Invoice.series == "invoice")
        .order_by(Invoice.number)))


def test_a_refused_period_is_left_over_alone_and_the_rest_of_its_batch_invoiced(
        db_session, council):
    person = make_invoicing_user(db_session, Role.BUDGET_HOLDER, council=council,
                                 name="Bea Batch")
    one, one_service = make_invoicing_shop(db_session, name="Batch One")
    two, two_service = make_invoicing_shop(db_session, name="Batch Two")
    managed = held_budget(db_session, person, council, HoldingMethod.COUNCIL_MANAGED)
    # An Individual Service Fund with nothing set aside for its order and £10 left:
    # drawing May's visits from it is refused by the ledger.
    isf = held_budget(db_session, person, council, HoldingMethod.INDIVIDUAL_SERVICE_FUND,
                      provider=one, amount=1_000)
    make_order(db_session, person, one, one_service, managed,
               visits=days(*APRIL)[:2] + days(*MAY)[:2])
    make_order(db_session, person, one, one_service, isf, visits=days(*MAY)[:2],
               committed_pence=0)
    make_order(db_session, person, two, two_service, managed, visits=days(*MAY)[:3])

    result = runs.run_due(db_session, until=TODAY, today=TODAY)

    assert [(p, start) for p, start, _message in result.failures] == [(one.id, MAY[0])]
    assert "not enough money" in result.failures[0][2]
    made = db_session.scalars(select(Invoice).where(Invoice.id.in_(result.created))).all()
    assert {(i.provider_id, i.period_start) for i in made} == {(one.id, APRIL[0]),
                                                                (two.id, MAY[0])}
    assert result.periods == 2
    assert _numbers(db_session, one) == [1] and _numbers(db_session, two) == [1]
    again = runs.run_due(db_session, until=TODAY, today=TODAY)
    assert again.count == 0
    assert [(p, start) for p, start, _message in again.failures] == [(one.id, MAY[0])]


def _documents(session, providers) -> list[tuple]:
    names = {p.id: n for n, p in enumerate(providers)}
    return sorted(
        (names[i.provider_id], i.series, i.number, i.kind.value, i.payer_kind.value,
         i.share.value, i.status.value, i.period_start, i.gross_pence, i.vat_pence,
         i.payer_name, tuple(sorted((line.occurred_on, line.share.value, line.gross_pence,
                                     line.vat_rate.value) for line in i.lines)))
        for i in session.scalars(select(Invoice).where(Invoice.provider_id.in_(names))))


def _world(session, council, tag: str) -> list:
    """Three providers, each with a council-managed and a direct-payment order split
    with the person's contribution (April and May) and a card order (May); the third
    sells standard-rated equipment."""
    person = make_invoicing_user(session, Role.BUDGET_HOLDER, council=council,
                                 name="Cara Count")
    providers = []
    for n in range(3):
        provider, service = make_invoicing_shop(
            session, name=f"{tag} {n}",
            category="equipment-and-technology" if n == 2 else "getting-up-and-dressed")
        providers.append(provider)
        for method in (HoldingMethod.COUNCIL_MANAGED, HoldingMethod.DIRECT_PAYMENT):
            budget = held_budget(session, person, council, method)
            make_order(session, person, provider, service, budget,
                       visits=days(*APRIL)[n:] + days(*MAY)[:2], contribution_pence=1_000)
        make_order(session, person, provider, service, None, visits=days(*MAY)[:1])
    return providers


def test_batches_of_one_or_many_providers_make_the_same_documents(db_session, council):
    made = []
    for batch in (1, 2, 20):
        providers = _world(db_session, council, f"Batch of {batch}")
        result = runs.run_due(db_session, until=TODAY, today=TODAY, batch=batch)
        assert not result.failures and result.periods == 6
        documents = _documents(db_session, providers)
        # A provider's April bills the council and the person (the contribution) for
        # one budget, and the person twice for the direct payment's; May the card too.
        assert len(documents) == 3 * (4 + 5) == result.count
        for n in range(3):
            assert [d[2] for d in documents if d[0] == n] == list(range(1, 10))
        assert all(d[9] > 0 for d in documents if d[0] == 2)  # standard-rated VAT
        assert all(d[9] == 0 for d in documents if d[0] != 2)  # care is exempt
        made.append(documents)
        assert runs.run_due(db_session, until=TODAY, today=TODAY, batch=batch).count == 0
    assert made[0] == made[1] == made[2]


def test_the_run_button_audits_every_document_it_writes(
        client, db_session, make_user, council, freeze_today):
    freeze_today(TODAY)
    finance = make_user(Role.FINANCE_OFFICER, name="Fay Finance")
    person = make_invoicing_user(db_session, Role.BUDGET_HOLDER, council=council,
                                 name="Ada Audit")
    provider, service = make_invoicing_shop(db_session, name="Audit Care")
    budget = held_budget(db_session, person, council, HoldingMethod.COUNCIL_MANAGED)
    make_order(db_session, person, provider, service, budget, visits=days(*MAY)[:3],
               contribution_pence=1_000)
    sign_in(client, finance)
    url = "/invoices/council/"
    response = client.post("/invoices/council/run",
                           data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    made = db_session.scalars(select(Invoice.id).where(
        Invoice.provider_id == provider.id)).all()
    assert len(made) == 2  # the council's share and the person's contribution
    audited = db_session.scalars(select(AuditEvent.object_id).where(
        AuditEvent.object_type == "invoices", AuditEvent.action == "insert",
        AuditEvent.actor_id == finance.id)).all()
    assert sorted(audited) == sorted(str(i) for i in made)
