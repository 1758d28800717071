"""A known data set for the spend report and the auditors' pages, made with the real
services (budgets, ledger, ordering's status changes, deliveries, invoice runs,
approval and credit notes), for one council in the 2026/27 budget year:

- six holders of council-managed budgets (physical support, HA1) each buy four
  visits from Willow Care (personal care), invoiced and paid; one of them also
  spends NHS money there, and another gets a credit note;
- two direct-payment holders (no client group recorded, HA2) buy from Oak Cleaning
  (domestic help); one disputes a visit;
- one Individual Service Fund held by Ash Days (day opportunities; HA2);
- one holder splits an order with her own contribution (HA1);
- one small budget with money set aside and nothing spent (HA3);
- three self-funders living in the council's area (HA1) and one living elsewhere
  buy by card;
- a holder of another council spends too (never counted);
- and, for the exceptions list: approvals (approved, not approved, waiting), three
  large purchases on one day, a new representative who spent at once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from catalogue.taxonomy import FundingStream
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.accounts.services import create_authority
from marketplace.budgets import services as budgets
from marketplace.budgets.enums import ClientGroup, HoldingMethod
from marketplace.invoicing import services as invoicing
from marketplace.invoicing.enums import InvoiceKind
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.runs import run_invoices
from marketplace.ledger import services as ledger
from marketplace.ordering.deliveries import services as deliveries
from marketplace.ordering.deliveries.models import DeliveryRecord
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.models import Order
from marketplace.ordering.services import set_status
from tests.budget_helpers import make_budget
from tests.invoicing_helpers import MAY, TODAY, days, make_order, make_shop

START, END = date(2026, 4, 1), date(2026, 11, 30)
REPORT_TODAY = END
THRESHOLD_PENCE = 40_000
ASC, NHS = FundingStream.ADULT_SOCIAL_CARE, FundingStream.NHS_PERSONAL_HEALTH_BUDGET


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _approval(session, order, reasons, *, sent: date, decision=None, officer=None,
              reason=None, decided: date | None = None):
    """An order placed (on ``sent``) that needed approval for ``reasons``, and the
    officer's decision (the ordering services' own status changes)."""
    order.status = OrderStatus.SUBMITTED
    order.approval_reasons = reasons
    order.created_at = _at(sent, 9)
    session.flush()
    set_status(session, order, OrderStatus.AWAITING_APPROVAL, actor=Actor.SYSTEM, now=_at(sent))
    if decision is not None:
        set_status(session, order, decision, actor=Actor.OFFICER, user=officer, reason=reason,
                   now=_at(decided))


def build_world(app, session, make_user, council, other_council) -> dict:
    """The data set, committed. Returns the people and things the tests look for."""
    with app.test_request_context("/"):
        council.order_approval_threshold_pence = THRESHOLD_PENCE
        owner = make_user(Role.PROVIDER_STAFF, name="Shop Owner")
        finance = make_user(Role.FINANCE_OFFICER, name="Fran Finance")
        officer = make_user(Role.COUNCIL_OFFICER, name="Olu Officer")
        willow, personal = make_shop(session, owner, name="Willow Care", price_pence=2000,
                                     category="getting-up-and-dressed")
        oak, cleaning = make_shop(session, owner, name="Oak Cleaning", price_pence=1500,
                                  category="cleaning-and-laundry")
        ash, days_out = make_shop(session, owner, name="Ash Days", price_pence=1000,
                                  category="day-centres")
        visits = days(*MAY)[:4]

        def person(name, postcode, role=Role.BUDGET_HOLDER, council_for=None):
            user = make_user(role, name=name, council_for=council_for)
            user.postcode = postcode
            session.commit()
            return user

        def budget(user, method, *, amount=1_200_000, provider=None, group=None,
                   streams=None, where=council):
            found = make_budget(session, user, where, amount=amount, streams=streams,
                                name=f"Budget of {user.full_name}", holdings=[
                                    budgets.HoldingSpec(method, amount, None,
                                                        provider.id if provider else None)])
            found.client_group = group
            session.commit()
            return found

        people, owned = {}, {}
        for n in range(1, 7):
            name = f"Alex Able{n}"
            people[name] = person(name, f"HA1 {n}AA")
            streams = {ASC: 1_000_000, NHS: 200_000} if n == 1 else None
            owned[name] = budget(people[name], HoldingMethod.COUNCIL_MANAGED,
                                 group=ClientGroup.PHYSICAL_SUPPORT, streams=streams)
            make_order(session, people[name], willow, personal, owned[name], visits=visits)
        nhs_budget = owned["Alex Able1"]
        ledger.commit(session, nhs_budget, 5_000, stream=NHS, key="spend-test:nhs:commit",
                      reference="order:nhs-test", provider_id=willow.id,
                      category=personal.category, on=date(2026, 5, 1))
        ledger.settle(session, nhs_budget, 5_000, stream=NHS, key="spend-test:nhs:settle",
                      reference="order:nhs-test", provider_id=willow.id,
                      category=personal.category, on=date(2026, 6, 1))
        for n in (1, 2):
            name = f"Bea Direct{n}"
            people[name] = person(name, f"HA2 {n}BB")
            owned[name] = budget(people[name], HoldingMethod.DIRECT_PAYMENT)
            make_order(session, people[name], oak, cleaning, owned[name], visits=visits)
        disputed = session.scalars(select(DeliveryRecord).join(DeliveryRecord.order).where(
            DeliveryRecord.order.has(buyer_id=people["Bea Direct2"].id))
            .order_by(DeliveryRecord.occurred_on)).first()
        deliveries.dispute(session, disputed, reason="Nobody came",
                           user=people["Bea Direct2"])
        disputed.answered_at = _at(date(2026, 5, 20))
        people["Cal Fund"] = person("Cal Fund", "HA2 3CC")
        owned["Cal Fund"] = budget(people["Cal Fund"], HoldingMethod.INDIVIDUAL_SERVICE_FUND,
                                   provider=ash, group=ClientGroup.LEARNING_DISABILITY)
        make_order(session, people["Cal Fund"], ash, days_out, owned["Cal Fund"], visits=visits)
        people["Dee Split"] = person("Dee Split", "HA1 4DD")
        owned["Dee Split"] = budget(people["Dee Split"], HoldingMethod.COUNCIL_MANAGED,
                                    group=ClientGroup.PHYSICAL_SUPPORT)
        make_order(session, people["Dee Split"], willow, personal, owned["Dee Split"],
                   visits=visits, contribution_pence=4_000)
        people["Eve Small"] = person("Eve Small", "HA3 5EE")
        owned["Eve Small"] = budget(people["Eve Small"], HoldingMethod.COUNCIL_MANAGED,
                                    amount=35_000, group=ClientGroup.MENTAL_HEALTH)
        make_order(session, people["Eve Small"], willow, personal, owned["Eve Small"],
                   committed_pence=30_000)
        for n in (1, 2, 3):
            name = f"Fay Self{n}"
            people[name] = person(name, f"HA1 {n}FF", role=Role.SELF_FUNDER)
            make_order(session, people[name], willow, personal, visits=visits)
        nowhere = person("Gus Nowhere", "SW1A 1AA", role=Role.SELF_FUNDER)  # not our area
        make_order(session, nowhere, willow, personal, visits=visits)
        stranger = person("Hal Elsewhere", "HA1 9HH", council_for=other_council)
        make_order(session, stranger, willow, personal,
                   budget(stranger, HoldingMethod.COUNCIL_MANAGED, where=other_council),
                   visits=visits)
        for order in session.scalars(select(Order)):
            order.created_at = _at(START, 8)  # placed on the first day of the period
        session.commit()

        # The exceptions: approvals, large purchases on one day, a new representative.
        first = make_order(session, people["Alex Able1"], willow, personal,
                           owned["Alex Able1"], committed_pence=20_000)
        _approval(session, first, ["outside_plan"], sent=date(2026, 5, 2),
                  decision=OrderStatus.APPROVED, officer=officer, reason="Fits the plan",
                  decided=date(2026, 5, 3))
        dear = make_order(session, people["Bea Direct1"], oak, cleaning, owned["Bea Direct1"],
                          price_pence=30_000)
        _approval(session, dear, ["over_threshold"], sent=date(2026, 6, 1),
                  decision=OrderStatus.REJECTED, officer=officer, reason="Too dear",
                  decided=date(2026, 6, 2))
        waiting = make_order(session, people["Cal Fund"], ash, days_out, owned["Cal Fund"],
                             committed_pence=5_000)
        _approval(session, waiting, ["restricted_category"], sent=date(2026, 7, 5))
        for _n in range(3):
            make_order(session, people["Alex Able2"], willow, personal, owned["Alex Able2"],
                       committed_pence=30_000)
        rep = make_user(name="Rita Rep")
        create_authority(session, created_by=officer, representative=rep,
                         holder=people["Alex Able3"], council=council,
                         authority_type=AuthorityType.FAMILY_CARER, scope=Scope.MONEY,
                         starts_on=date(2026, 4, 10), ends_on=None, evidence_reference="E1")
        ledger.commit(session, owned["Alex Able3"], 5_000, stream=ASC, key="spend-test:rep",
                      reference="order:rep-test", provider_id=willow.id,
                      category=personal.category, on=date(2026, 4, 12), actor=rep)
        session.commit()

        for provider in (willow, oak, ash):
            run_invoices(session, provider, *MAY, today=TODAY)
        session.commit()
        for invoice in session.scalars(select(Invoice).where(
                Invoice.kind == InvoiceKind.INVOICE).order_by(Invoice.id)):
            invoicing.approve(session, invoice, finance, on=TODAY)
        credited = session.scalar(select(Invoice).where(
            Invoice.kind == InvoiceKind.INVOICE, Invoice.person_id == people["Alex Able2"].id))
        note = invoicing.issue_credit_note(session, credited, 4_000, "Visit missed", finance,
                                           on=date(2026, 7, 1))
        session.commit()
    return {"people": people, "budgets": owned, "finance": finance, "officer": officer,
            "owner": owner, "stranger": stranger, "providers": (willow, oak, ash),
            "first": first, "dear": dear, "waiting": waiting, "note": note,
            "disputed": disputed}
