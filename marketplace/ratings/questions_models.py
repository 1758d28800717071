"""Questions about a service, and the provider's one public answer to each.

A question is public once a moderator has published it (the same rules and states
as reviews and board posts). The provider's answer is published at once; anyone
signed in can report it, and a moderator can then take it down. Either can go to
the safeguarding queue (``question_id`` / ``answer_id`` on the concern).
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, str_enum
from marketplace.ratings.board.models import ContributionReport, Moderated
from marketplace.ratings.models import ReviewStatus


class ServiceQuestion(Moderated, Base):
    __tablename__ = "service_questions"
    __table_args__ = (Index("ix_service_questions_review_status", "review_status"),)
    CONCERN_KEY = "question_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"),
                                             index=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The hidden one-time key of the form that sent it: sent twice, stored once.
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    service = relationship("Service")
    provider = relationship("ProviderOrganisation")
    asker = relationship("User", foreign_keys=[asker_id])
    answer: Mapped[ServiceAnswer | None] = relationship(
        back_populates="question", cascade="all, delete-orphan")
    reports: Mapped[list[ContributionReport]] = relationship(
        order_by="ContributionReport.id", cascade="all, delete-orphan")


class ServiceAnswer(Moderated, Base):
    """The provider's one public answer to a question (editable; published at once)."""

    __tablename__ = "service_answers"
    CONCERN_KEY = "answer_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("service_questions.id", ondelete="CASCADE"), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    review_status: Mapped[ReviewStatus] = mapped_column(
        str_enum(ReviewStatus, "review_status"), default=ReviewStatus.PUBLISHED)

    question: Mapped[ServiceQuestion] = relationship(back_populates="answer")
    provider = relationship("ProviderOrganisation")
    reports: Mapped[list[ContributionReport]] = relationship(
        order_by="ContributionReport.id", cascade="all, delete-orphan")
