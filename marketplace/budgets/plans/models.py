"""Support plans: every version kept, decisions and reviews appended, never rewritten.

A plan belongs to one person (and, optionally, one budget). Its content lives in
numbered versions. Only a draft version is ever edited; once submitted a version's
content is frozen, and each council decision (agree, ask for changes, refuse) is a
new ``support_plan_decisions`` row. Changing an agreed plan means starting a new
draft version: the agreed one stays in force until the new one is agreed.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.taxonomy import Outcome
from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class PlanStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    AGREED = "agreed"
    CHANGES_REQUESTED = "changes_requested"
    REFUSED = "refused"

    @property
    def label(self):
        return PLAN_STATUS_LABELS[self]


PLAN_STATUS_LABELS = {
    PlanStatus.DRAFT: _l("Draft"),
    PlanStatus.SUBMITTED: _l("Waiting to be agreed"),
    PlanStatus.AGREED: _l("Agreed"),
    PlanStatus.CHANGES_REQUESTED: _l("Changes asked for"),
    PlanStatus.REFUSED: _l("Refused"),
}


class Decision(StrEnum):
    AGREED = "agreed"
    CHANGES_REQUESTED = "changes_requested"
    REFUSED = "refused"

    @property
    def label(self):
        return PlanStatus(self.value).label


class ReviewResult(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"

    @property
    def label(self):
        return REVIEW_RESULT_LABELS[self]


REVIEW_RESULT_LABELS = {
    ReviewResult.BETTER: _l("Got better"),
    ReviewResult.SAME: _l("Stayed the same"),
    ReviewResult.WORSE: _l("Got worse"),
}


class SupportPlan(Base):
    __tablename__ = "support_plans"
    __table_args__ = (Index("ix_support_plans_council_status", "council_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"))
    budget_id: Mapped[int | None] = mapped_column(ForeignKey("budgets.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # The state of the newest version (kept here for queues and reports).
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus, "plan_status"),
                                               default=PlanStatus.DRAFT)
    agreed_on: Mapped[date | None] = mapped_column(Date)
    next_review_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    holder: Mapped[User] = relationship(foreign_keys=[holder_id])  # noqa: F821
    versions: Mapped[list[SupportPlanVersion]] = relationship(
        back_populates="plan", order_by="SupportPlanVersion.number",
        cascade="all, delete-orphan")
    reviews: Mapped[list[PlanReview]] = relationship(
        back_populates="plan", order_by="PlanReview.reviewed_on",
        cascade="all, delete-orphan")

    @property
    def latest(self) -> SupportPlanVersion:
        return self.versions[-1]

    @property
    def agreed_version(self) -> SupportPlanVersion | None:
        """The version in force: the newest one the council agreed."""
        agreed = [v for v in self.versions if v.status is PlanStatus.AGREED]
        return agreed[-1] if agreed else None


class SupportPlanVersion(Base):
    __tablename__ = "support_plan_versions"
    __table_args__ = (
        UniqueConstraint("plan_id", "number", name="uq_support_plan_versions_number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id", ondelete="CASCADE"),
                                         index=True)
    number: Mapped[int]
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus, "plan_version_status"),
                                               default=PlanStatus.DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    plan: Mapped[SupportPlan] = relationship(back_populates="versions")
    outcomes: Mapped[list[PlanOutcome]] = relationship(
        back_populates="version", order_by="PlanOutcome.id", cascade="all, delete-orphan")
    risks: Mapped[list[PlanRisk]] = relationship(order_by="PlanRisk.id",
                                                 cascade="all, delete-orphan")
    decisions: Mapped[list[PlanDecision]] = relationship(
        back_populates="version", order_by="PlanDecision.id", cascade="all, delete-orphan")
    submitted_by: Mapped[User | None] = relationship(  # noqa: F821
        foreign_keys=[submitted_by_id])

    @property
    def planned_pence(self) -> int:
        return sum(line.amount_pence for o in self.outcomes for line in o.spend_lines)

    @property
    def decision(self) -> PlanDecision | None:
        return self.decisions[-1] if self.decisions else None


class PlanOutcome(Base):
    __tablename__ = "support_plan_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("support_plan_versions.id", ondelete="CASCADE"), index=True)
    domain: Mapped[Outcome] = mapped_column(str_enum(Outcome, "outcome_domain"))
    what_i_want: Mapped[str] = mapped_column(Text)
    what_i_will_do: Mapped[str] = mapped_column(Text)

    version: Mapped[SupportPlanVersion] = relationship(back_populates="outcomes")
    spend_lines: Mapped[list[PlanSpendLine]] = relationship(
        order_by="PlanSpendLine.id", cascade="all, delete-orphan")

    @property
    def planned_pence(self) -> int:
        return sum(line.amount_pence for line in self.spend_lines)


class PlanSpendLine(Base):
    """Money the plan sets aside for one category of support, for one outcome."""

    __tablename__ = "support_plan_spend_lines"
    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("support_plan_outcomes.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(80))  # a catalogue taxonomy slug
    amount_pence: Mapped[int]


class PlanRisk(Base):
    __tablename__ = "support_plan_risks"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("support_plan_versions.id", ondelete="CASCADE"), index=True)
    risk: Mapped[str] = mapped_column(Text)
    how_managed: Mapped[str] = mapped_column(Text)


class PlanDecision(Base):
    __tablename__ = "support_plan_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("support_plan_versions.id", ondelete="CASCADE"), index=True)
    decision: Mapped[Decision] = mapped_column(str_enum(Decision, "plan_decision"))
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date] = mapped_column(Date)
    first_review_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[SupportPlanVersion] = relationship(back_populates="decisions")
    decided_by: Mapped[User] = relationship()  # noqa: F821


class PlanReview(Base):
    """A review of an agreed plan ("Seeing how it went"), one result per outcome domain."""

    __tablename__ = "support_plan_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id", ondelete="CASCADE"),
                                         index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("support_plan_versions.id"))
    reviewed_on: Mapped[date] = mapped_column(Date)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    next_review_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[SupportPlan] = relationship(back_populates="reviews")
    results: Mapped[list[PlanReviewResult]] = relationship(
        order_by="PlanReviewResult.id", cascade="all, delete-orphan")
    reviewed_by: Mapped[User] = relationship()  # noqa: F821


class PlanReviewResult(Base):
    __tablename__ = "support_plan_review_results"
    __table_args__ = (
        UniqueConstraint("review_id", "domain", name="uq_support_plan_review_results_domain"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("support_plan_reviews.id", ondelete="CASCADE"), index=True)
    domain: Mapped[Outcome] = mapped_column(str_enum(Outcome, "review_outcome_domain"))
    result: Mapped[ReviewResult] = mapped_column(str_enum(ReviewResult, "review_result"))
