"""Moderating reviews against the published rules, and the safeguarding queue.

Administrators and council officers moderate: officers the reviews of their own
councils' people (and of people no council funds), administrators every review.
The safeguarding queue belongs to council officers only: each sees the concerns of
their own councils' people (and concerns with no council). Services flush, never
commit.

The same rules, decisions and queue serve every moderated contribution: reviews,
and "what works for me" posts, questions and answers (``ratings.board``,
``ratings.questions``). ``decide`` and ``raise_concern_about`` take any of them: an
object with ``review_status``, ``council_id``, the ``moderated_*`` columns, ``text``,
``reports`` and (except reviews) a ``CONCERN_KEY``.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from marketplace.accounts.models import RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.db import utcnow
from marketplace.ratings.models import (
    ConcernSource,
    Rating,
    ReviewReport,
    ReviewStatus,
    SafeguardingConcern,
)
from marketplace.ratings.services import raise_concern


class Rule(StrEnum):
    """The published rules (shown on the rules page, and given as the reason when a
    review is not published)."""

    PERSONAL_DETAILS = "personal_details"
    ABUSE = "abuse"
    ADVERTISING = "advertising"
    NOT_ABOUT_SERVICE = "not_about_service"

    @property
    def label(self):
        return RULES[self][0]

    @property
    def explanation(self):
        return RULES[self][1]


RULES = {
    Rule.PERSONAL_DETAILS: (
        _l("No names or personal details"),
        _l("Do not name workers or anyone else, and do not give addresses, phone numbers, "
           "health details or anything else that could identify a person. Say \"the carer\" "
           "or \"the manager\" instead.")),
    Rule.ABUSE: (
        _l("No abuse"),
        _l("No swearing, threats, insults or anything hateful. You can say clearly that "
           "something was wrong without attacking anyone.")),
    Rule.ADVERTISING: (
        _l("No advertising"),
        _l("No adverts, links or offers for other services, and no reviews written by or "
           "for the provider.")),
    Rule.NOT_ABOUT_SERVICE: (
        _l("About this service and your own experience"),
        _l("Say what happened to you or the person you support, and how it felt. Reviews "
           "about something else, or that are plainly untrue, are not published.")),
}


class Decision(StrEnum):
    PUBLISH = "publish"
    REJECT = "reject"
    SAFEGUARDING = "safeguarding"

    @property
    def label(self):
        return {"publish": _l("Publish it: it keeps to the rules"),
                "reject": _l("Do not publish it: it breaks a rule"),
                "safeguarding": _l("It describes possible harm or neglect: pass it to the "
                                   "safeguarding team and never publish it")}[self.value]


class NothingToDecide(Exception):
    """The review is not waiting for a decision (already decided, or with safeguarding)."""


def moderator_councils(user: User) -> set[int] | None:
    """Councils whose people's reviews ``user`` moderates; None: every council."""
    if user.has_role(Role.ADMINISTRATOR):
        return None
    return user.council_ids_for(Role.COUNCIL_OFFICER)


def may_moderate(user: User, item) -> bool:
    """May ``user`` moderate ``item`` (a review, post, question or answer)?"""
    councils = moderator_councils(user)
    return councils is None or item.council_id is None or item.council_id in councils


def council_scope(column, user: User):
    """The condition on a ``council_id`` column for what ``user`` moderates (None:
    everything)."""
    councils = moderator_councils(user)
    return None if councils is None else or_(column.is_(None), column.in_(councils))


def moderation_queue(session: Session, user: User) -> tuple[list[Rating], list[ReviewReport]]:
    """Reviews waiting for a decision, and open reports of published reviews."""
    scope = council_scope(Rating.council_id, user)
    pending = select(Rating).where(Rating.review_status == ReviewStatus.PENDING)
    reports = (select(ReviewReport).join(Rating, Rating.id == ReviewReport.rating_id)
               .where(ReviewReport.closed_at.is_(None)))
    if scope is not None:
        pending, reports = pending.where(scope), reports.where(scope)
    return (list(session.scalars(pending.order_by(Rating.updated_at, Rating.id))),
            list(session.scalars(reports.order_by(ReviewReport.created_at, ReviewReport.id))))


def decide(session: Session, rating, *, decision: Decision, rule: Rule | None,
           moderator: User, note: str | None = None) -> SafeguardingConcern | None:
    """Publish (or keep published), refuse (naming the rule) or pass to safeguarding
    a review, post, question or answer; any open report of it is closed."""
    if rating.review_status in (ReviewStatus.SAFEGUARDING, ReviewStatus.NONE):
        raise NothingToDecide(rating.id)
    now = utcnow()
    concern = None
    if decision is Decision.PUBLISH:
        rating.review_status = ReviewStatus.PUBLISHED
        rating.moderation_reason = None
    elif decision is Decision.REJECT:
        rating.review_status = ReviewStatus.REJECTED
        rating.moderation_reason = rule.value if rule else None
    else:
        concern = raise_concern_about(session, rating, ConcernSource.MODERATOR,
                                      raised_by=moderator, note=note)
    rating.moderated_by_id = moderator.id
    rating.moderated_at = now
    for found in rating.reports:
        if found.closed_at is None:
            found.closed_at, found.closed_by_id = now, moderator.id
    session.flush()
    return concern


def raise_concern_about(session: Session, item, source: ConcernSource, *,
                        raised_by: User | None, note: str | None = None
                        ) -> SafeguardingConcern:
    """Take ``item`` off the site (if it was shown: it is never published again) and
    put it in the safeguarding queue of its writer's council."""
    if isinstance(item, Rating):
        return raise_concern(session, item, source, raised_by=raised_by, note=note)
    item.review_status = ReviewStatus.SAFEGUARDING
    words = f"{item.text}\n\n{note}".strip() if note else item.text
    concern = SafeguardingConcern(
        council_id=item.council_id, source=source, text=words or "(no text)",
        raised_by_id=raised_by.id if raised_by else None, **{item.CONCERN_KEY: item.id})
    session.add(concern)
    session.flush()
    return concern


def safeguarding_officers(session: Session, council_id: int | None) -> list[User]:
    """The active council officers told that a concern is waiting (none without a
    council: those concerns show in every officer's queue)."""
    if council_id is None:
        return []
    return list(session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.COUNCIL_OFFICER, RoleGrant.council_id == council_id,
               User.is_active_account.is_(True)).order_by(User.id)))


# --- safeguarding ------------------------------------------------------------------


def safeguarding_councils(user: User) -> set[int]:
    return user.council_ids_for(Role.COUNCIL_OFFICER)


def may_see_concern(user: User, concern: SafeguardingConcern) -> bool:
    return concern.council_id is None or concern.council_id in safeguarding_councils(user)


def safeguarding_queue(session: Session, user: User, *, closed: bool = False
                       ) -> list[SafeguardingConcern]:
    councils = safeguarding_councils(user)
    query = select(SafeguardingConcern).where(
        or_(SafeguardingConcern.council_id.is_(None),
            SafeguardingConcern.council_id.in_(councils)),
        SafeguardingConcern.closed_at.is_not(None) if closed
        else SafeguardingConcern.closed_at.is_(None))
    return list(session.scalars(query.order_by(SafeguardingConcern.raised_at,
                                               SafeguardingConcern.id)))


def close_concern(session: Session, concern: SafeguardingConcern, *, officer: User,
                  action_taken: str) -> None:
    if concern.closed_at is not None:
        raise NothingToDecide(concern.id)
    concern.closed_at = utcnow()
    concern.closed_by_id = officer.id
    concern.action_taken = action_taken.strip()
    session.flush()
