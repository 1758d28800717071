"""The auditors' exceptions list for a council and period: orders that needed the
council's approval and what was decided; purchases outside the person's plan or
over the council's approval threshold; unusual spending (the Budget Minder's own
alerts); disputed visits; credit notes. Each is one line about one person, for
council and finance officers (never commissioners), from the same rows and rules
the rest of the site uses: nothing here decides anything of its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from marketplace.accounts.models import Authority, User
from marketplace.budgets.minder import alerts as rules
from marketplace.budgets.models import Budget
from marketplace.invoicing.enums import InvoiceKind
from marketplace.invoicing.models import Invoice, InvoiceLine
from marketplace.ledger.models import LedgerTransfer, TransferKind
from marketplace.money import format_pence
from marketplace.ordering import funding
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus
from marketplace.ordering.lifecycle import OrderStatus
from marketplace.ordering.models import Order, OrderEvent, OrderLine, PaymentMethod
from marketplace.ordering.rules import ApprovalReason
from marketplace.reports.builders.spend_data import Council, lives_in
from marketplace.reports.filters import ReportFilters
from marketplace.reports.tables import Column, Kind, Row, Table

SHOWN_PER_SECTION = 200  # on the page; the CSV has every line


class Section(StrEnum):
    APPROVALS = "approvals"
    OUTSIDE_PLAN = "outside_plan"
    ALERTS = "alerts"
    DISPUTES = "disputes"
    CREDIT_NOTES = "credit_notes"

    @property
    def label(self):
        return SECTION_LABELS[self]


SECTION_LABELS = {
    Section.APPROVALS: _l("Orders that needed the council's approval"),
    Section.OUTSIDE_PLAN: _l("Purchases outside the plan or over the threshold"),
    Section.ALERTS: _l("Unusual spending"),
    Section.DISPUTES: _l("Disputed visits"),
    Section.CREDIT_NOTES: _l("Credit notes"),
}


@dataclass(frozen=True)
class Line:
    section: Section
    on: date
    person_id: int
    budget_id: int | None
    reference: str
    provider: str
    amount_pence: int | None
    what: str
    outcome: str


def _day(value) -> str:
    return format_date(value, "d MMMM yyyy")


def _order_filters(session: Session, filters: ReportFilters) -> list:
    found = [Council.of(session, filters.council_id).orders()]
    if filters.district:
        found.append(lives_in(Order.buyer_id, filters.district))
    if filters.category_slugs is not None:
        found.append(exists().where(OrderLine.order_id == Order.id,
                                    OrderLine.category.in_(sorted(filters.category_slugs))))
    return found


def _orders(session: Session, filters: ReportFilters, *conditions) -> list[Order]:
    return list(session.scalars(
        select(Order).where(*_order_filters(session, filters), *conditions)
        .options(selectinload(Order.events).selectinload(OrderEvent.user),
                 selectinload(Order.provider)).order_by(Order.created_at, Order.id)))


def approvals(session: Session, filters: ReportFilters) -> list[Line]:
    """Orders sent for approval in the period, and the decision on each."""
    asked = select(OrderEvent.order_id).where(
        OrderEvent.to_status == OrderStatus.AWAITING_APPROVAL,
        OrderEvent.at >= filters.start_at, OrderEvent.at < filters.end_at)
    found = []
    for order in _orders(session, filters, Order.id.in_(asked)):
        sent = next(e for e in order.events if e.to_status is OrderStatus.AWAITING_APPROVAL)
        decision = next((e for e in order.events
                         if e.from_status is OrderStatus.AWAITING_APPROVAL), None)
        if decision is None:
            outcome = _("Still waiting for a decision")
        else:
            who = decision.user.full_name if decision.user is not None else \
                str(decision.actor.label)
            outcome = _("%(decision)s on %(day)s by %(who)s", decision=decision.to_status.label,
                        day=_day(decision.at), who=who)
            if decision.reason:
                outcome += f": {decision.reason[:200]}"
        reasons = "; ".join(str(ApprovalReason(r).label) for r in order.approval_reasons or [])
        found.append(Line(Section.APPROVALS, sent.at.date(), order.buyer_id, order.budget_id,
                          order.reference, order.provider.name, order.budget_pence,
                          reasons, outcome))
    return found


def outside_plan(session: Session, filters: ReportFilters) -> list[Line]:
    """Orders placed in the period that were outside the person's plan or over the
    approval threshold when placed, or that take more from a budget than the
    council's threshold is now."""
    threshold = funding.approval_threshold_pence(session, filters.council_id)
    flagged = [cast(Order.approval_reasons, String).like(f'%"{reason.value}"%')
               for reason in (ApprovalReason.OUTSIDE_PLAN, ApprovalReason.OVER_THRESHOLD)]
    if threshold:
        flagged.append((Order.payment_method != PaymentMethod.CARD)
                       & (Order.total_pence - Order.contribution_pence > threshold))
    found = []
    for order in _orders(session, filters, Order.created_at >= filters.start_at,
                         Order.created_at < filters.end_at, Order.budget_id.is_not(None),
                         or_(*flagged)):
        why = [str(ApprovalReason(r).label) for r in order.approval_reasons or []
               if r in (ApprovalReason.OUTSIDE_PLAN, ApprovalReason.OVER_THRESHOLD)]
        if threshold and order.budget_pence > threshold:
            why.append(_("More than the council's threshold of %(threshold)s",
                         threshold=format_pence(threshold)))
        found.append(Line(Section.OUTSIDE_PLAN, order.created_at.date(), order.buyer_id,
                          order.budget_id, order.reference, order.provider.name,
                          order.budget_pence, "; ".join(why), str(order.status.label)))
    return found


def _commitments(session: Session, filters: ReportFilters, start: date, end: date, *extra):
    query = (select(LedgerTransfer.budget_id, LedgerTransfer.effective_on,
                    LedgerTransfer.amount_pence, LedgerTransfer.created_by_id, Budget)
             .join(Budget, Budget.id == LedgerTransfer.budget_id)
             .where(Budget.council_id == filters.council_id,
                    LedgerTransfer.kind == TransferKind.COMMITMENT,
                    LedgerTransfer.effective_on >= start, LedgerTransfer.effective_on <= end,
                    *extra))
    if filters.district:
        query = query.where(lives_in(Budget.holder_id, filters.district))
    if filters.category_slugs is not None:
        query = query.where(LedgerTransfer.category.in_(sorted(filters.category_slugs)))
    return session.execute(query).all()


def unusual_spending(session: Session, filters: ReportFilters) -> list[Line]:
    """The Budget Minder's unusual-spending alerts, on the days they were true: several
    large purchases on one day, and a new representative who spent at once."""
    by_day: dict[tuple[int, date], list] = defaultdict(list)
    budgets: dict[int, Budget] = {}
    for budget_id, day, pence, _by, budget in _commitments(
            session, filters, filters.starts_on, filters.ends_on,
            LedgerTransfer.amount_pence >= rules.LARGE_PURCHASE_FLOOR_PENCE):
        by_day[(budget_id, day)].append((day, pence))
        budgets[budget_id] = budget
    found = []
    for (budget_id, day), purchases in sorted(by_day.items()):
        budget = budgets[budget_id]
        for alert in rules.unusual_day_alerts(purchases, allocation_pence=budget.allocation_pence,
                                              today=day):
            found.append(Line(
                Section.ALERTS, day, budget.holder_id, budget.id, "", "",
                alert.data["total"],
                _("%(count)d large purchases on one day", count=alert.data["count"]), ""))
    return found + new_representatives(session, filters)


def new_representatives(session: Session, filters: ReportFilters) -> list[Line]:
    authorities = session.scalars(
        select(Authority).where(
            Authority.starts_on >= filters.starts_on, Authority.starts_on <= filters.ends_on,
            exists().where(Budget.holder_id == Authority.holder_id,
                           Budget.council_id == filters.council_id))
        .options(selectinload(Authority.representative))).all()
    if not authorities:
        return []
    spending = defaultdict(list)
    for _id, day, pence, by, budget in _commitments(
            session, filters, filters.starts_on,
            filters.ends_on + timedelta(days=rules.SPENT_AT_ONCE_DAYS),
            LedgerTransfer.created_by_id.in_({a.representative_id for a in authorities})):
        spending[(budget.holder_id, by)].append((day, pence, budget.id))
    found = []
    for authority in authorities:
        theirs = spending.get((authority.holder_id, authority.representative_id), [])
        rep = rules.NewRepresentative(authority.representative.full_name, authority.starts_on,
                                      tuple((day, pence) for day, pence, _b in theirs))
        for alert in rules.new_representative_alerts([rep], today=authority.starts_on):
            found.append(Line(
                Section.ALERTS, authority.starts_on, authority.holder_id,
                theirs[0][2] if theirs else None, "", "", alert.data["total"],
                _("%(name)s, a new representative, placed %(count)d orders within %(days)d "
                  "days of starting", name=alert.data["name"], count=alert.data["count"],
                  days=rules.SPENT_AT_ONCE_DAYS), ""))
    return found


def disputes(session: Session, filters: ReportFilters) -> list[Line]:
    records = session.execute(
        select(DeliveryRecord, Order).join(Order, Order.id == DeliveryRecord.order_id)
        .where(DeliveryRecord.dispute_reason.is_not(None),
               DeliveryRecord.answered_at >= filters.start_at,
               DeliveryRecord.answered_at < filters.end_at,
               *_order_filters(session, filters))
        .options(selectinload(Order.provider))
        .order_by(DeliveryRecord.answered_at, DeliveryRecord.id)).all()
    found = []
    for record, order in records:
        outcome = str(record.status.label)
        if record.status is DeliveryStatus.RESOLVED and record.outcome is not None:
            outcome += f": {record.outcome.label}"
        found.append(Line(
            Section.DISPUTES, record.answered_at.date(), order.buyer_id, order.budget_id,
            order.reference, order.provider.name, record.amount_pence,
            _("Visit on %(day)s: %(reason)s", day=_day(record.occurred_on),
              reason=(record.dispute_reason or "")[:200]), outcome))
    return found


def credit_notes(session: Session, filters: ReportFilters) -> list[Line]:
    query = (select(Invoice).where(Invoice.kind == InvoiceKind.CREDIT_NOTE,
                                   Invoice.issued_on >= filters.starts_on,
                                   Invoice.issued_on <= filters.ends_on,
                                   Council.of(session, filters.council_id).invoices())
             .options(selectinload(Invoice.credits_invoice))
             .order_by(Invoice.issued_on, Invoice.id))
    if filters.district:
        query = query.where(lives_in(Invoice.person_id, filters.district))
    if filters.category_slugs is not None:
        query = query.where(exists().where(
            InvoiceLine.invoice_id == Invoice.id,
            InvoiceLine.category.in_(sorted(filters.category_slugs))))
    return [Line(Section.CREDIT_NOTES, note.issued_on, note.person_id, note.budget_id,
                 note.reference, note.provider_name, note.gross_pence,
                 _("Credits %(invoice)s: %(reason)s", invoice=note.credits_invoice.reference,
                   reason=(note.reason or "")[:200]),
                 str(note.credits_invoice.status.label))
            for note in session.scalars(query)]


GATHERERS = {Section.APPROVALS: approvals, Section.OUTSIDE_PLAN: outside_plan,
             Section.ALERTS: unusual_spending, Section.DISPUTES: disputes,
             Section.CREDIT_NOTES: credit_notes}


def exceptions(session: Session, filters: ReportFilters) -> dict[Section, list[Line]]:
    """Every section's lines, oldest first."""
    return {section: sorted(gather(session, filters), key=lambda line: line.on)
            for section, gather in GATHERERS.items()}


def names(session: Session, found: dict[Section, list[Line]]) -> dict[int, str]:
    ids = sorted({line.person_id for lines in found.values() for line in lines})
    named = {}
    for start in range(0, len(ids), 5000):
        named.update(session.execute(select(User.id, User.full_name).where(
            User.id.in_(ids[start:start + 5000]))).all())
    return named


def as_table(found: dict[Section, list[Line]], named: dict[int, str]) -> Table:
    """Every line as one table (for the CSV): auditors' figures, never suppressed."""
    columns = [Column("section", _("Section"), Kind.TEXT), Column("on", _("Date"), Kind.TEXT),
               Column("person", _("Person"), Kind.TEXT),
               Column("reference", _("Reference"), Kind.TEXT),
               Column("provider", _("Provider"), Kind.TEXT),
               Column("amount", _("Amount"), Kind.PENCE), Column("what", _("What"), Kind.TEXT),
               Column("outcome", _("Outcome"), Kind.TEXT)]
    rows = [Row([str(line.section.label), line.on.isoformat(), named.get(line.person_id, ""),
                 line.reference, line.provider, line.amount_pence, line.what, line.outcome])
            for lines in found.values() for line in lines]
    return Table("exceptions", _("Exceptions"), columns, rows)
