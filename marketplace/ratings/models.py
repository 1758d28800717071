"""Ratings and reviews, their history, provider replies, reports and safeguarding
concerns.

One ``Rating`` per buyer per service (unique), updated in place; every version,
including the first, is also kept in ``rating_versions`` and never changed. Stars
count at once; the text is shown only once a moderator has published it
(``review_status``). A review that describes possible harm is never published: it
becomes a ``SafeguardingConcern`` for the council's officers.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, UTCDateTime, str_enum, utcnow


class ReviewStatus(StrEnum):
    NONE = "none"                  # stars only, no text
    PENDING = "pending"            # waiting for a moderator
    PUBLISHED = "published"
    REJECTED = "rejected"          # broke a published rule: the stars still count
    SAFEGUARDING = "safeguarding"  # possible harm: never published

    @property
    def label(self):
        return REVIEW_STATUS_LABELS[self]


REVIEW_STATUS_LABELS = {
    ReviewStatus.NONE: _l("No written review"),
    ReviewStatus.PENDING: _l("Waiting to be checked"),
    ReviewStatus.PUBLISHED: _l("Published"),
    ReviewStatus.REJECTED: _l("Not published"),
    ReviewStatus.SAFEGUARDING: _l("Passed to the council's safeguarding team"),
}


class Helped(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"

    @property
    def label(self):
        return {"yes": _l("Yes"), "partly": _l("Partly"), "no": _l("No")}[self.value]


ASPECTS = (
    ("on_time", _l("Turns up on time and does what was agreed")),
    ("kindness", _l("Kindness and respect")),
    ("communication", _l("Communication")),
    ("value", _l("Value for money")),
)


def _stars_check(column: str, nullable: bool = True) -> CheckConstraint:
    rule = f"{column} BETWEEN 1 AND 5"
    return CheckConstraint(f"{column} IS NULL OR {rule}" if nullable else rule,
                           name=f"{column}_1_to_5")


class RatingContent:
    """What a buyer says: the same columns on a rating and on each of its versions."""

    stars: Mapped[int]
    on_time: Mapped[int | None]
    kindness: Mapped[int | None]
    communication: Mapped[int | None]
    value: Mapped[int | None]
    helped: Mapped[Helped | None] = mapped_column(str_enum(Helped, "rating_helped"))
    # The outcome domains of the person's support plan it helped with.
    outcomes: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str | None] = mapped_column(Text)
    worried: Mapped[bool] = mapped_column(default=False)
    by_representative: Mapped[bool] = mapped_column(default=False)


class Rating(RatingContent, Base):
    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("buyer_id", "service_id", name="uq_ratings_buyer_service"),
        _stars_check("stars", nullable=False), _stars_check("on_time"),
        _stars_check("kindness"), _stars_check("communication"), _stars_check("value"),
        Index("ix_ratings_review_status", "review_status"),
        Index("ix_ratings_category", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"),
                                             index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))  # what made them eligible
    rated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # For the council's queues and the commissioners' figures: the buyer's council,
    # the service's category and the buyer's postcode district (never the postcode).
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    category: Mapped[str] = mapped_column(String(80))
    area: Mapped[str | None] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(default=1)
    review_status: Mapped[ReviewStatus] = mapped_column(
        str_enum(ReviewStatus, "review_status"), default=ReviewStatus.NONE)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderation_reason: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    service = relationship("Service")
    provider = relationship("ProviderOrganisation")
    buyer = relationship("User", foreign_keys=[buyer_id])
    rated_by = relationship("User", foreign_keys=[rated_by_id])
    versions: Mapped[list[RatingVersion]] = relationship(
        back_populates="rating", order_by="RatingVersion.number", cascade="all, delete-orphan")
    reply: Mapped[ReviewReply | None] = relationship(back_populates="rating",
                                                     cascade="all, delete-orphan")
    reports: Mapped[list[ReviewReport]] = relationship(
        back_populates="rating", order_by="ReviewReport.id", cascade="all, delete-orphan")

    @property
    def published(self) -> bool:
        return self.review_status is ReviewStatus.PUBLISHED

    def aspect(self, name: str) -> int | None:
        return getattr(self, name)


class RatingVersion(RatingContent, Base):
    """One version of a rating, as given (append-only)."""

    __tablename__ = "rating_versions"
    __table_args__ = (
        UniqueConstraint("rating_id", "number", name="uq_rating_versions_number"),
        _stars_check("stars", nullable=False),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"),
                                           index=True)
    number: Mapped[int]
    rated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rating: Mapped[Rating] = relationship(back_populates="versions")


class ReviewReply(Base):
    """The provider's one public reply to a review (editable)."""

    __tablename__ = "review_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"),
                                           unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rating: Mapped[Rating] = relationship(back_populates="reply")


class ReportReason(StrEnum):
    PERSONAL_DETAILS = "personal_details"
    ABUSE = "abuse"
    ADVERTISING = "advertising"
    UNTRUE = "untrue"
    SAFETY = "safety"

    @property
    def label(self):
        return REPORT_REASON_LABELS[self]


REPORT_REASON_LABELS = {
    ReportReason.PERSONAL_DETAILS: _l("It names a worker or gives someone's personal details"),
    ReportReason.ABUSE: _l("It is abusive or offensive"),
    ReportReason.ADVERTISING: _l("It is advertising"),
    ReportReason.UNTRUE: _l("It is not about this service, or is untrue"),
    ReportReason.SAFETY: _l("I am worried about someone's safety"),
}


class ReviewReport(Base):
    """Someone thinks a published review breaks the rules (anyone may report; a
    provider reports, but never removes)."""

    __tablename__ = "review_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"),
                                           index=True)
    reason: Mapped[ReportReason] = mapped_column(str_enum(ReportReason, "review_report_reason"))
    details: Mapped[str | None] = mapped_column(Text)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_provider: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    rating: Mapped[Rating] = relationship(back_populates="reports")


class ConcernSource(StrEnum):
    REVIEWER = "reviewer"    # the reviewer ticked "I am worried about someone's safety"
    MODERATOR = "moderator"  # a moderator decided the review describes possible harm
    REPORT = "report"        # someone reporting a published review was worried
    AUTHOR = "author"        # the author of a board post ticked the same box

    @property
    def label(self):
        return {"reviewer": _l("The reviewer said they are worried about someone's safety"),
                "moderator": _l("A moderator decided it describes possible harm"),
                "report": _l("Someone who reported the review is worried about "
                             "someone's safety"),
                "author": _l("The person who wrote it said they are worried about "
                             "someone's safety")}[self.value]


# What a concern is about: exactly one of these is set (a review, a "what works for
# me" post, a question about a service or a provider's answer; see ratings.board).
CONCERN_SUBJECTS = ("rating_id", "board_post_id", "question_id", "answer_id")


def exactly_one_of(columns, name: str) -> CheckConstraint:
    cases = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns)
    return CheckConstraint(f"{cases} = 1", name=name)


class SafeguardingConcern(Base):
    """A review (or a board post, question or answer) that describes possible harm,
    for the council's officers of the person who wrote it."""

    __tablename__ = "safeguarding_concerns"
    __table_args__ = (exactly_one_of(CONCERN_SUBJECTS, "one_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"),
                                                  index=True)
    board_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_posts.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_questions.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_answers.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    source: Mapped[ConcernSource] = mapped_column(str_enum(ConcernSource, "concern_source"))
    text: Mapped[str] = mapped_column(Text)  # what was written, as it was
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action_taken: Mapped[str | None] = mapped_column(Text)

    rating: Mapped[Rating | None] = relationship()
    closed_by = relationship("User", foreign_keys=[closed_by_id])


class CouncilQualityScore(Base):
    """A council's own quality check of a provider (e.g. contract monitoring), shown
    beside buyers' ratings and the CQC rating, labelled as a different thing. A council
    officer sets their own council's score on the screens of ``ratings.quality``."""

    __tablename__ = "council_quality_scores"
    __table_args__ = (
        UniqueConstraint("council_id", "provider_id", name="uq_council_quality_scores_pair"),
        CheckConstraint("score BETWEEN 0 AND 100", name="score_0_to_100"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"))
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider_organisations.id", ondelete="CASCADE"), index=True)
    score: Mapped[int]
    assessed_on: Mapped[date] = mapped_column(Date)

    council = relationship("Council")

    @property
    def score_text(self) -> str:
        return _l("%(score)d out of 100", score=self.score)
