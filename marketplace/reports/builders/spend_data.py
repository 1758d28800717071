"""The spend report's raw rows for one council, period, area and category, read
straight from the ledger, the orders and the invoices (grouped in SQL as far as the
report needs, then handed to ``spend`` to add up).

The words mean what they mean everywhere else:

- spent: the ledger's ``spent`` account (invoices paid or drawn from a budget, less
  refunds), as the Budget Minder and the statements show it, in the period by the
  date each movement is effective;
- set aside (committed): the ledger's ``committed`` account, money set aside for
  orders not yet invoiced, as a balance at a date;
- a budget's way of holding the money for a purchase: the holding that pays for
  that provider's support (``marketplace.invoicing.payers.holding_for``: an ISF held
  by the provider, else the first other holding; council-managed when none);
- the council of an order or invoice with no budget (self-funded): that of the
  buyer's budget (a direct-payment holder paying by card), or, for a self-funder
  (who belongs to no council), the council whose area they live in: a postcode
  district where its budget holders live or its searches come from, the same list
  of areas the report's filter offers (``filters.council_districts``).

The area is the postcode district of the person the money is for; the category
that of the ledger movement, order line or invoice line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from catalogue.models import ProviderOrganisation
from catalogue.taxonomy import FundingStream
from marketplace.accounts.models import RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.budgets.enums import BudgetStatus, ClientGroup, HoldingMethod
from marketplace.budgets.models import Budget, BudgetHolding
from marketplace.invoicing.enums import InvoiceKind, PayerShare
from marketplace.invoicing.models import Invoice, InvoiceLine
from marketplace.invoicing.payers import holding_for
from marketplace.ledger.models import LedgerAccount, LedgerLeg, LedgerTransfer, TransferKind
from marketplace.ordering.models import Order, OrderLine, PaymentMethod
from marketplace.reports.filters import ReportFilters, council_districts

SPENT, COMMITTED = LedgerAccount.SPENT, LedgerAccount.COMMITTED
HOLDER_ROLES = (Role.BUDGET_HOLDER, Role.SELF_FUNDER)


def in_district(postcode, district: str):
    """The postcode (as stored, 'HA1 2AB') is in the postcode district 'HA1'."""
    clean = func.upper(func.trim(postcode))
    return or_(clean == district, clean.like(district + " %"))


def lives_in(user_id, district: str):
    return exists().where(User.id == user_id, in_district(User.postcode, district))


@dataclass(frozen=True)
class Council:
    """A council and its area (postcode districts), to place self-funded money."""

    id: int
    districts: tuple[str, ...]

    @classmethod
    def of(cls, session: Session, council_id: int) -> Council:
        return cls(council_id, tuple(council_districts(session, council_id)))

    def has_person(self, user_id):
        """The person holds a budget of the council, or is a self-funder (linked to
        no council) living in its area."""
        holder = exists().where(RoleGrant.user_id == user_id,
                                RoleGrant.council_id == self.id,
                                RoleGrant.role.in_(HOLDER_ROLES))
        linked = exists().where(RoleGrant.user_id == user_id,
                                RoleGrant.council_id.is_not(None),
                                RoleGrant.role.in_(HOLDER_ROLES))
        if not self.districts:
            return holder
        near = exists().where(User.id == user_id,
                              or_(*(in_district(User.postcode, d) for d in self.districts)))
        return or_(holder, and_(~linked, near))

    def orders(self):
        """Orders paid (partly) from the council's budgets, and self-funded orders of
        its people."""
        return or_(Order.council_id == self.id,
                   and_(Order.budget_id.is_(None), self.has_person(Order.buyer_id)))

    def invoices(self):
        """Invoices (and credit notes) for the council's budgets and people: those
        with no council are self-funded."""
        return or_(Invoice.council_id == self.id,
                   and_(Invoice.council_id.is_(None), self.has_person(Invoice.person_id)))


# --- the ledger ---------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerRow:
    budget_id: int
    holder_id: int
    category: str | None
    provider_id: int | None
    stream: FundingStream
    account: LedgerAccount
    pence: int
    on: date | None  # None: before the period (set aside brought forward)


def order_category():
    """A movement's category, or else that of the commitment of the same order (a
    release, for one, names none): so what is set aside for an order and given
    back counts under one category."""
    first = aliased(LedgerTransfer)
    return func.coalesce(LedgerTransfer.category, select(first.category).where(
        first.budget_id == LedgerTransfer.budget_id, first.reference == LedgerTransfer.reference,
        first.kind == TransferKind.COMMITMENT, first.category.is_not(None))
        .order_by(first.id).limit(1).scalar_subquery())


def ledger_rows(session: Session, filters: ReportFilters) -> list[LedgerRow]:
    """Spent legs effective in the period, and set-aside legs up to its end (those
    before it summed per budget, group and account)."""
    category = order_category()
    group = (LedgerTransfer.budget_id, Budget.holder_id, category,
             LedgerTransfer.provider_id, LedgerTransfer.stream, LedgerLeg.account)
    conditions = [Budget.council_id == filters.council_id]
    if filters.district:
        conditions.append(lives_in(Budget.holder_id, filters.district))
    if filters.category_slugs is not None:
        conditions.append(category.in_(sorted(filters.category_slugs)))

    def query(*extra):
        return (select(*extra, func.sum(LedgerLeg.amount_pence))
                .join(LedgerLeg, LedgerLeg.transfer_id == LedgerTransfer.id)
                .join(Budget, Budget.id == LedgerTransfer.budget_id)
                .where(*conditions))

    before = (query(*group).where(LedgerTransfer.effective_on < filters.starts_on,
                                  LedgerLeg.account == COMMITTED).group_by(*group))
    during = (query(*group, LedgerTransfer.effective_on)
              .where(LedgerTransfer.effective_on >= filters.starts_on,
                     LedgerTransfer.effective_on <= filters.ends_on,
                     LedgerLeg.account.in_([SPENT, COMMITTED]))
              .group_by(*group, LedgerTransfer.effective_on))
    rows = [LedgerRow(*values[:6], int(values[6]), None)
            for values in session.execute(before) if values[6]]
    rows += [LedgerRow(*values[:6], int(values[7]), values[6])
             for values in session.execute(during) if values[7]]
    return rows


# --- budgets ------------------------------------------------------------------------

@dataclass(frozen=True)
class Holding:
    method: HoldingMethod
    provider_id: int | None


@dataclass(frozen=True)
class BudgetFacts:
    id: int
    holder_id: int
    client_group: ClientGroup | None
    holdings: tuple[Holding, ...]
    period_starts_on: date
    period_ends_on: date
    allocation_pence: int
    agreed: bool

    def method_for(self, provider_id: int | None) -> HoldingMethod:
        """The way of holding the money that pays this provider (as invoicing decides
        who is invoiced)."""
        holding = holding_for(self, provider_id)
        return holding.method if holding is not None else HoldingMethod.COUNCIL_MANAGED

    @property
    def method(self) -> HoldingMethod | None:
        """The budget's one way of holding its money; None for a mixed budget."""
        methods = {h.method for h in self.holdings}
        if not methods:
            return HoldingMethod.COUNCIL_MANAGED
        return methods.pop() if len(methods) == 1 else None


def budget_facts(session: Session, filters: ReportFilters, *,
                 ids: set[int] | None = None) -> dict[int, BudgetFacts]:
    """The council's budgets: those named by ``ids``, or else every agreed budget
    whose period overlaps the report's (in the area, if one is chosen)."""
    query = select(Budget.id, Budget.holder_id, Budget.client_group,
                   Budget.period_starts_on, Budget.period_ends_on, Budget.indicative_pence,
                   Budget.agreed_pence, Budget.status).where(
        Budget.council_id == filters.council_id)
    if ids is not None:
        if not ids:
            return {}
        query = query.where(Budget.id.in_(sorted(ids)))
    else:
        query = query.where(Budget.agreed_pence.is_not(None),
                            Budget.status != BudgetStatus.INDICATIVE,
                            Budget.period_starts_on <= filters.ends_on,
                            Budget.period_ends_on >= filters.starts_on)
        if filters.district:
            query = query.where(lives_in(Budget.holder_id, filters.district))
    rows = session.execute(query).all()
    holdings: dict[int, list[Holding]] = {}
    found = [r[0] for r in rows]
    for start in range(0, len(found), 5000):
        for budget_id, method, provider_id in session.execute(
                select(BudgetHolding.budget_id, BudgetHolding.method, BudgetHolding.provider_id)
                .where(BudgetHolding.budget_id.in_(found[start:start + 5000]))
                .order_by(BudgetHolding.id)):
            holdings.setdefault(budget_id, []).append(Holding(method, provider_id))
    return {r[0]: BudgetFacts(
        id=r[0], holder_id=r[1], client_group=r[2], holdings=tuple(holdings.get(r[0], ())),
        period_starts_on=r[3], period_ends_on=r[4],
        allocation_pence=r[6] if r[6] is not None else r[5],
        agreed=r[6] is not None and r[7] is not BudgetStatus.INDICATIVE) for r in rows}


def provider_names(session: Session, ids) -> dict[int, str]:
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    return dict(session.execute(select(ProviderOrganisation.id, ProviderOrganisation.name)
                                .where(ProviderOrganisation.id.in_(ids))).all())


# --- orders and invoices --------------------------------------------------------------

@dataclass(frozen=True)
class OrderLineRow:
    buyer_id: int
    method: PaymentMethod
    order_total_pence: int
    contribution_pence: int
    line_total_pence: int


def order_lines(session: Session, filters: ReportFilters, council: Council
                ) -> list[OrderLineRow]:
    """Every line of the orders placed in the period (any outcome since)."""
    query = (select(Order.buyer_id, Order.payment_method, Order.total_pence,
                    Order.contribution_pence, OrderLine.total_pence)
             .join(OrderLine, OrderLine.order_id == Order.id)
             .where(Order.created_at >= filters.start_at, Order.created_at < filters.end_at,
                    council.orders()))
    if filters.district:
        query = query.where(lives_in(Order.buyer_id, filters.district))
    if filters.category_slugs is not None:
        query = query.where(OrderLine.category.in_(sorted(filters.category_slugs)))
    return [OrderLineRow(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class InvoicedRow:
    person_id: int
    share: PayerShare
    pence: int  # invoices and ISF statements less credit notes


def invoiced(session: Session, filters: ReportFilters, council: Council) -> list[InvoicedRow]:
    """What was billed in the period (by the day it was issued), per person and
    share of the bill: invoices and ISF statements, less credit notes."""
    query = (select(Invoice.person_id, InvoiceLine.share, Invoice.kind,
                    func.sum(InvoiceLine.gross_pence))
             .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
             .where(Invoice.issued_on >= filters.starts_on,
                    Invoice.issued_on <= filters.ends_on,
                    council.invoices())
             .group_by(Invoice.person_id, InvoiceLine.share, Invoice.kind))
    if filters.district:
        query = query.where(lives_in(Invoice.person_id, filters.district))
    if filters.category_slugs is not None:
        query = query.where(InvoiceLine.category.in_(sorted(filters.category_slugs)))
    rows = []
    for person_id, share, kind, pence in session.execute(query):
        sign = -1 if kind is InvoiceKind.CREDIT_NOTE else 1
        if pence:
            rows.append(InvoicedRow(person_id, share, sign * int(pence)))
    return rows
