"""Pooled budgets: a household or family seen together, without merging any ledgers.

A pool only groups budgets (the Wigan mother and two children, adult and children's
services money, managed by one representative). Each budget keeps its own ledger,
figures and rules; the pool page shows them side by side with totals.

Who sees what: each member budget is shown only to someone who may see that
budget on its own: its holder, a representative with a current authority for its
holder (any scope: viewing needs only ``Scope.VIEW``), or an officer of the
budget's council (administrators: all). Someone who may see only some members
sees only those, and totals of those, with a note that the pool has others; who
the others are is never shown. Someone who may see none gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from marketplace.accounts.models import Authority, User
from marketplace.accounts.roles import Role
from marketplace.budgets.models import Budget
from marketplace.db import Base, UTCDateTime, utcnow
from marketplace.ledger.services import Balances, balances_for_budgets


class BudgetPool(Base):
    __tablename__ = "budget_pools"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[BudgetPoolMember]] = relationship(
        back_populates="pool", cascade="all, delete-orphan", order_by="BudgetPoolMember.id")


class BudgetPoolMember(Base):
    __tablename__ = "budget_pool_members"
    __table_args__ = (UniqueConstraint("pool_id", "budget_id", name="uq_budget_pool_members_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("budget_pools.id", ondelete="CASCADE"),
                                         index=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), index=True)

    pool: Mapped[BudgetPool] = relationship(back_populates="members")
    budget: Mapped[Budget] = relationship()


class PoolError(ValueError):
    pass


def create_pool(session: Session, *, council_id: int, name: str, budgets: list[Budget],
                created_by: User | None = None) -> BudgetPool:
    """A pool of at least two budgets, all funded by the pool's council."""
    if len({b.id for b in budgets}) < 2:
        raise PoolError("a pool needs at least two budgets")
    if any(b.council_id != council_id for b in budgets):
        raise PoolError("every budget in a pool must belong to the pool's council")
    pool = BudgetPool(council_id=council_id, name=name.strip(),
                      created_by_id=created_by.id if created_by else None,
                      members=[BudgetPoolMember(budget_id=b.id) for b in budgets])
    session.add(pool)
    session.flush()
    return pool


def viewable_holder_ids(session: Session, viewer: User, holder_ids: set[int],
                        today: date) -> set[int]:
    """The holders among ``holder_ids`` whose budgets ``viewer`` may see as themself
    or as their representative (a current authority)."""
    allowed = {viewer.id} & holder_ids
    if holder_ids:
        rows = session.scalars(select(Authority).where(
            Authority.representative_id == viewer.id,
            Authority.holder_id.in_(holder_ids)))
        allowed |= {a.holder_id for a in rows if a.is_current(today)}
    return allowed


def may_see_budget(session: Session, viewer: User, budget: Budget, today: date) -> bool:
    if viewer.has_role(Role.ADMINISTRATOR):
        return True
    if budget.council_id in viewer.council_ids_for(Role.COUNCIL_OFFICER):
        return True
    return bool(viewable_holder_ids(session, viewer, {budget.holder_id}, today))


@dataclass(frozen=True)
class PoolView:
    pool: BudgetPool
    rows: list[tuple[Budget, Balances]]
    hidden_count: int

    def total(self, attr: str) -> int:
        return sum(getattr(b, attr) for _budget, b in self.rows)

    @property
    def allocation_pence(self) -> int:
        return sum(budget.allocation_pence for budget, _b in self.rows)


def pool_view(session: Session, pool: BudgetPool, viewer: User, today: date) -> PoolView:
    budgets = [m.budget for m in pool.members]
    if viewer.has_role(Role.ADMINISTRATOR):
        visible = budgets
    else:
        council_ids = viewer.council_ids_for(Role.COUNCIL_OFFICER)
        holders = viewable_holder_ids(session, viewer, {b.holder_id for b in budgets}, today)
        visible = [b for b in budgets if b.holder_id in holders or b.council_id in council_ids]
    figures = balances_for_budgets(session, [b.id for b in visible])
    return PoolView(pool, [(b, figures[b.id]) for b in visible],
                    len(budgets) - len(visible))


def pools_for(session: Session, viewer: User, today: date) -> list[BudgetPool]:
    """Pools with at least one member budget the viewer may see as holder or
    representative."""
    holder_ids = {viewer.id}
    holder_ids |= {a.holder_id for a in session.scalars(
        select(Authority).where(Authority.representative_id == viewer.id))
        if a.is_current(today)}
    return list(session.scalars(
        select(BudgetPool).join(BudgetPoolMember).join(Budget)
        .where(Budget.holder_id.in_(holder_ids)).distinct().order_by(BudgetPool.name)))
