""""What works for me": posts by budget holders and representatives, by topic, with
replies, "this helped me" and reports; and what every moderated contribution has
in common (also used by questions and answers about services, see
``marketplace.ratings.questions_models``).

A post's text is public only once a moderator has published it (``review_status``,
the same states as a review). A post from someone worried about safety is never
published: it becomes a ``SafeguardingConcern`` (``board_post_id``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, str_enum, utcnow
from marketplace.ratings.models import ReportReason, ReviewStatus, exactly_one_of


class BoardTopic(StrEnum):
    FINDING_A_PA = "finding-a-pa"
    DIRECT_PAYMENTS = "direct-payments"
    BEING_AN_EMPLOYER = "being-an-employer"
    SHORT_BREAKS = "short-breaks"
    TRANSPORT = "transport"
    EQUIPMENT = "equipment"
    THINGS_TO_DO = "things-to-do"
    PLANNING = "planning"
    OTHER = "other"

    @property
    def label(self):
        return TOPICS[self][0]

    @property
    def description(self):
        return TOPICS[self][1]


TOPICS = {
    BoardTopic.FINDING_A_PA: (
        _l("Finding a personal assistant"),
        _l("Where to look, what to ask, and what to do when someone leaves.")),
    BoardTopic.DIRECT_PAYMENTS: (
        _l("Using a direct payment"),
        _l("Managing the money, the paperwork and the council's checks.")),
    BoardTopic.BEING_AN_EMPLOYER: (
        _l("Being an employer"),
        _l("Payroll, insurance, contracts, holidays and training.")),
    BoardTopic.SHORT_BREAKS: (
        _l("Short breaks and respite"),
        _l("Breaks for you and for the people who care for you.")),
    BoardTopic.TRANSPORT: (
        _l("Transport and getting about"),
        _l("Taxis, community transport, mobility schemes and travel training.")),
    BoardTopic.EQUIPMENT: (
        _l("Equipment and adaptations"),
        _l("Aids, adaptations, technology and how to get them.")),
    BoardTopic.THINGS_TO_DO: (
        _l("Things to do and groups"),
        _l("Day activities, clubs, volunteering and meeting people.")),
    BoardTopic.PLANNING: (
        _l("Planning your support"),
        _l("Support plans, reviews and getting the right budget.")),
    BoardTopic.OTHER: (
        _l("Anything else"),
        _l("Tips that do not fit another topic.")),
}


class Moderated:
    """A contribution whose text a moderator checks against the published rules.
    ``CONCERN_KEY`` names its column in ``safeguarding_concerns``; ``council_id`` is
    the council of the person who wrote it (its officers moderate it)."""

    CONCERN_KEY: str

    text: Mapped[str] = mapped_column(Text)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    review_status: Mapped[ReviewStatus] = mapped_column(
        str_enum(ReviewStatus, "review_status"), default=ReviewStatus.PENDING)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderation_reason: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def published(self) -> bool:
        return self.review_status is ReviewStatus.PUBLISHED


class BoardPost(Moderated, Base):
    """The opening post of a conversation (``thread_id`` empty, with a title) or a
    reply to one (``thread_id`` set, no title)."""

    __tablename__ = "board_posts"
    __table_args__ = (
        CheckConstraint("(thread_id IS NULL AND title IS NOT NULL) OR "
                        "(thread_id IS NOT NULL AND title IS NULL)", name="title_on_threads"),
        Index("ix_board_posts_topic_status", "topic", "review_status"),
        Index("ix_board_posts_review_status", "review_status"),
    )
    CONCERN_KEY = "board_post_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[BoardTopic] = mapped_column(str_enum(BoardTopic, "board_topic"))
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_posts.id", ondelete="CASCADE"), index=True)
    title: Mapped[str | None] = mapped_column(String(120))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The person a representative was acting for when they wrote it (never shown).
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_representative: Mapped[bool] = mapped_column(default=False)
    worried: Mapped[bool] = mapped_column(default=False)
    # The hidden one-time key of the form that sent it: sent twice, stored once.
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    author = relationship("User", foreign_keys=[author_id])
    thread: Mapped[BoardPost | None] = relationship(remote_side=[id], back_populates="replies")
    replies: Mapped[list[BoardPost]] = relationship(
        back_populates="thread", order_by="[BoardPost.created_at, BoardPost.id]",
        cascade="all, delete-orphan")
    helped: Mapped[list[BoardHelped]] = relationship(cascade="all, delete-orphan")
    reports: Mapped[list[ContributionReport]] = relationship(
        order_by="ContributionReport.id", cascade="all, delete-orphan")

    @property
    def is_thread(self) -> bool:
        return self.thread_id is None

    @property
    def root(self) -> BoardPost:
        return self if self.thread_id is None else self.thread


class BoardHelped(Base):
    """Someone said a post helped them: one per person per post."""

    __tablename__ = "board_helped"
    __table_args__ = (UniqueConstraint("post_id", "user_id", name="uq_board_helped_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("board_posts.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContributionReport(Base):
    """Someone thinks a published post, question or answer breaks the rules (the
    counterpart of ``ReviewReport``): it stays up until a moderator decides, unless
    the reporter is worried about someone's safety."""

    __tablename__ = "contribution_reports"
    __table_args__ = (exactly_one_of(("board_post_id", "question_id", "answer_id"),
                                     "one_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_posts.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_questions.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_answers.id", ondelete="CASCADE"), index=True)
    reason: Mapped[ReportReason] = mapped_column(
        str_enum(ReportReason, "contribution_report_reason"))
    details: Mapped[str | None] = mapped_column(Text)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_provider: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
