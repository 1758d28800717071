"""Personal budgets: the allocation, its funding streams, how the money is held, the
payment schedule, the person's contribution and challenges to the indicative amount.

The money itself (what was paid in, committed and spent) is never stored here: it
lives in the append-only ledger (marketplace.ledger) and is derived from its legs.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.taxonomy import FundingStream
from marketplace.budgets.enums import (
    BudgetKind,
    BudgetStatus,
    ChallengeDecision,
    ClientGroup,
    ContributionBasis,
    ContributionMethod,
    HoldingMethod,
    PaymentFrequency,
)
from marketplace.db import Base, UTCDateTime, str_enum, utcnow

# The largest amount any budget, share or movement may have: £1,000,000. Anything
# above is a typing mistake (the largest real packages are a few hundred thousand).
MAX_BUDGET_PENCE = 100_000_000


class Budget(Base):
    __tablename__ = "budgets"
    __table_args__ = (
        CheckConstraint("period_ends_on > period_starts_on", name="period_in_order"),
        CheckConstraint(f"indicative_pence BETWEEN 0 AND {MAX_BUDGET_PENCE}",
                        name="indicative_in_range"),
        CheckConstraint(f"agreed_pence IS NULL OR agreed_pence BETWEEN 0 AND {MAX_BUDGET_PENCE}",
                        name="agreed_in_range"),
        CheckConstraint("instalment_pence IS NULL OR instalment_pence > 0",
                        name="instalment_positive"),
        CheckConstraint("contribution_weekly_pence IS NULL OR contribution_weekly_pence >= 0",
                        name="contribution_not_negative"),
        CheckConstraint("contribution_basis_points IS NULL OR "
                        "contribution_basis_points BETWEEN 0 AND 10000",
                        name="contribution_percent_in_range"),
        CheckConstraint("birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100",
                        name="birth_year_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    nhs_body: Mapped[str | None] = mapped_column(String(200))
    # For commissioners' take-up figures (never shown to them person by person).
    client_group: Mapped[ClientGroup | None] = mapped_column(
        str_enum(ClientGroup, "client_group"))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[BudgetKind] = mapped_column(str_enum(BudgetKind, "budget_kind"))
    name: Mapped[str] = mapped_column(String(120))
    period_starts_on: Mapped[date] = mapped_column(Date)
    period_ends_on: Mapped[date] = mapped_column(Date)
    indicative_pence: Mapped[int] = mapped_column(Integer)
    agreed_pence: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[BudgetStatus] = mapped_column(str_enum(BudgetStatus, "budget_status"),
                                                 default=BudgetStatus.INDICATIVE)
    # The payment schedule: e.g. every 4 weeks, £1,200.00, from 6 April.
    payment_frequency: Mapped[PaymentFrequency] = mapped_column(
        str_enum(PaymentFrequency, "payment_frequency"), default=PaymentFrequency.FOUR_WEEKLY)
    instalment_pence: Mapped[int | None] = mapped_column(Integer)
    first_payment_on: Mapped[date | None] = mapped_column(Date)
    # The assessed contribution: an amount a week OR a percentage (in hundredths of
    # a per cent, 2500 = 25%), and how it is paid.
    contribution_basis: Mapped[ContributionBasis] = mapped_column(
        str_enum(ContributionBasis, "contribution_basis"), default=ContributionBasis.NONE)
    contribution_weekly_pence: Mapped[int | None] = mapped_column(Integer)
    contribution_basis_points: Mapped[int | None] = mapped_column(Integer)
    contribution_method: Mapped[ContributionMethod | None] = mapped_column(
        str_enum(ContributionMethod, "contribution_method"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    holder = relationship("User", foreign_keys=[holder_id])
    council = relationship("Council")
    streams: Mapped[list[BudgetStream]] = relationship(
        back_populates="budget", cascade="all, delete-orphan", lazy="selectin",
        order_by="BudgetStream.id")
    holdings: Mapped[list[BudgetHolding]] = relationship(
        back_populates="budget", cascade="all, delete-orphan", lazy="selectin",
        order_by="BudgetHolding.id")
    challenges: Mapped[list[BudgetChallenge]] = relationship(
        back_populates="budget", cascade="all, delete-orphan",
        order_by="BudgetChallenge.id")

    @property
    def allocation_pence(self) -> int:
        """The figure to work with: the agreed amount once agreed, else the indicative."""
        return self.agreed_pence if self.agreed_pence is not None else self.indicative_pence

    @property
    def contribution_percent(self) -> Decimal | None:
        if self.contribution_basis_points is None:
            return None
        return Decimal(self.contribution_basis_points) / 100

    @property
    def weeks_in_period(self) -> Decimal:
        return Decimal((self.period_ends_on - self.period_starts_on).days + 1) / 7

    @property
    def stream_shares(self) -> dict[FundingStream, int]:
        return {s.stream: s.share_pence for s in self.streams}

    @property
    def main_stream(self) -> FundingStream:
        """The stream with the largest share (adult social care if there are none)."""
        if not self.streams:
            return FundingStream.ADULT_SOCIAL_CARE
        return max(self.streams, key=lambda s: (s.share_pence, -s.id if s.id else 0)).stream

    @property
    def holding_methods(self) -> list[HoldingMethod]:
        return [h.method for h in self.holdings]

    def covers(self, day: date) -> bool:
        return self.period_starts_on <= day <= self.period_ends_on


class BudgetStream(Base):
    """One funding stream's share of a budget (each stream has its own rules)."""

    __tablename__ = "budget_streams"
    __table_args__ = (
        UniqueConstraint("budget_id", "stream", name="uq_budget_streams_pair"),
        CheckConstraint(f"share_pence BETWEEN 0 AND {MAX_BUDGET_PENCE}", name="share_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"),
                                           index=True)
    stream: Mapped[FundingStream] = mapped_column(str_enum(FundingStream, "funding_stream"))
    share_pence: Mapped[int] = mapped_column(Integer)

    budget: Mapped[Budget] = relationship(back_populates="streams")


class BudgetHolding(Base):
    """How part (or all) of a budget is held; several rows make a mixed budget."""

    __tablename__ = "budget_holdings"
    __table_args__ = (
        CheckConstraint(f"amount_pence BETWEEN 0 AND {MAX_BUDGET_PENCE}",
                        name="amount_in_range"),
        CheckConstraint("method <> 'individual_service_fund' OR provider_id IS NOT NULL",
                        name="isf_has_provider"),
        CheckConstraint("method <> 'managed_account' OR organisation_name IS NOT NULL",
                        name="managed_account_has_holder"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"),
                                           index=True)
    method: Mapped[HoldingMethod] = mapped_column(str_enum(HoldingMethod, "holding_method"))
    amount_pence: Mapped[int] = mapped_column(Integer)
    # A third-party managed account: the organisation that holds it.
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    # An Individual Service Fund: the provider that holds it.
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider_organisations.id"),
                                                    index=True)

    budget: Mapped[Budget] = relationship(back_populates="holdings")
    provider = relationship("ProviderOrganisation")

    @property
    def held_by(self) -> str | None:
        if self.method is HoldingMethod.INDIVIDUAL_SERVICE_FUND and self.provider is not None:
            return self.provider.name
        return self.organisation_name


class BudgetChallenge(Base):
    """A challenge to the indicative amount: what, when, by whom, and the decision."""

    __tablename__ = "budget_challenges"
    __table_args__ = (
        CheckConstraint("requested_pence IS NULL OR requested_pence >= 0",
                        name="requested_not_negative"),
        CheckConstraint("decision = 'pending' OR decided_on IS NOT NULL",
                        name="decided_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"),
                                           index=True)
    raised_on: Mapped[date] = mapped_column(Date)
    raised_by: Mapped[str] = mapped_column(String(120))
    grounds: Mapped[str] = mapped_column(Text)
    requested_pence: Mapped[int | None] = mapped_column(Integer)
    amount_before_pence: Mapped[int] = mapped_column(Integer)
    decision: Mapped[ChallengeDecision] = mapped_column(
        str_enum(ChallengeDecision, "challenge_decision"), default=ChallengeDecision.PENDING)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    amount_after_pence: Mapped[int | None] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    budget: Mapped[Budget] = relationship(back_populates="challenges")
