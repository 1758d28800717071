"""Board operations: who may post, starting a conversation, replying, "this helped
me", reporting (posts, questions and answers alike) and what each viewer sees.

They take the session, flush and never commit (the view commits once). Moderation
and the safeguarding route are ``marketplace.ratings.moderation``'s, shared with
reviews.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.accounts.models import Authority, User
from marketplace.accounts.roles import Role
from marketplace.db import utcnow
from marketplace.ratings.board.models import BoardHelped, BoardPost, BoardTopic, ContributionReport
from marketplace.ratings.models import ConcernSource, ReportReason, ReviewStatus
from marketplace.ratings.moderation import council_scope, raise_concern_about

POSTING_ROLES = (Role.BUDGET_HOLDER, Role.SELF_FUNDER, Role.REPRESENTATIVE)
HOLDER_ROLES = (Role.BUDGET_HOLDER, Role.SELF_FUNDER)


class NotOpen(Exception):
    """The conversation is not published (or is a reply): it cannot be replied to."""


class OwnPost(Exception):
    """People cannot say their own post helped them."""


@dataclass(frozen=True)
class Writer:
    """Who is writing: the signed-in person, and whom they act for (if anyone)."""

    user: User
    authority: Authority | None = None

    @property
    def acting_for(self) -> User | None:
        return self.authority.holder if self.authority is not None else None

    @property
    def by_representative(self) -> bool:
        return self.authority is not None or not self.user.has_role(*HOLDER_ROLES)


def may_post(user) -> bool:
    return bool(user.is_authenticated) and user.has_role(*POSTING_ROLES)


def council_of(session: Session, writer: Writer) -> int | None:
    """The council whose officers moderate what ``writer`` writes: that of the person
    they act for, else their own as a budget holder (or any council role), else that
    of the authorities they hold as a representative; None if there is none."""
    person = writer.acting_for or writer.user
    ids = person.council_ids_for(*HOLDER_ROLES) or person.council_ids_for(*Role)
    if not ids and writer.authority is not None and writer.authority.council_id:
        ids = {writer.authority.council_id}
    if not ids:
        ids = set(session.scalars(select(Authority.council_id).where(
            Authority.representative_id == writer.user.id, Authority.council_id.is_not(None),
            Authority.revoked_at.is_(None))))
    return min(ids) if ids else None


def by_form_key(session: Session, model, form_key: str | None, author_column, author_id: int):
    """What this person already sent with this form (a second click, a resent form)."""
    if not form_key:
        return None
    return session.scalar(select(model).where(model.form_key == form_key,
                                              author_column == author_id))


def _post(session: Session, writer: Writer, *, topic: BoardTopic, text: str, worried: bool,
          form_key: str | None, title: str | None = None,
          thread: BoardPost | None = None) -> tuple[BoardPost, bool]:
    existing = by_form_key(session, BoardPost, form_key, BoardPost.author_id, writer.user.id)
    if existing is not None:
        return existing, False
    now = utcnow()
    post = BoardPost(
        topic=topic, title=title.strip() if title else None, text=text.strip(),
        thread_id=thread.id if thread else None, author_id=writer.user.id,
        on_behalf_of_id=writer.acting_for.id if writer.acting_for else None,
        by_representative=writer.by_representative, worried=worried,
        council_id=council_of(session, writer), form_key=form_key or None,
        review_status=ReviewStatus.PENDING, created_at=now, updated_at=now)
    session.add(post)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # the same form, sent twice at the same moment (the
        # savepoint's rollback has already taken the new post out of the session)
        return by_form_key(session, BoardPost, form_key, BoardPost.author_id,
                           writer.user.id), False
    if worried:
        raise_concern_about(session, post, ConcernSource.AUTHOR, raised_by=writer.user)
    return post, True


def start_thread(session: Session, writer: Writer, *, topic: BoardTopic, title: str,
                 text: str, worried: bool = False,
                 form_key: str | None = None) -> tuple[BoardPost, bool]:
    """A new conversation, waiting for a moderator (or, from someone worried about
    safety, passed to safeguarding and never published). (post, newly made)."""
    return _post(session, writer, topic=topic, title=title, text=text, worried=worried,
                 form_key=form_key)


def reply(session: Session, writer: Writer, thread: BoardPost, *, text: str,
          worried: bool = False, form_key: str | None = None) -> tuple[BoardPost, bool]:
    if not thread.is_thread or not thread.published:
        raise NotOpen(thread.id)
    return _post(session, writer, topic=thread.topic, text=text, worried=worried,
                 form_key=form_key, thread=thread)


# --- this helped me ---------------------------------------------------------------


def set_helped(session: Session, post: BoardPost, user: User, helped: bool) -> bool:
    """Say (or take back) that ``post`` helped ``user``: once per person per post.
    Asking for what is already so changes nothing (a second click is harmless).
    Returns whether anything changed."""
    if not post.published:
        raise NotOpen(post.id)
    if post.author_id == user.id:
        raise OwnPost(post.id)
    found = session.scalar(select(BoardHelped).where(BoardHelped.post_id == post.id,
                                                     BoardHelped.user_id == user.id))
    if helped == (found is not None):
        return False
    if not helped:
        session.delete(found)
        session.flush()
        return True
    try:
        with session.begin_nested():
            session.add(BoardHelped(post_id=post.id, user_id=user.id))
            session.flush()
    except IntegrityError:  # said at the same moment in another tab
        return False
    return True


def helped_counts(session: Session, post_ids) -> dict[int, int]:
    ids = list(post_ids)
    if not ids:
        return {}
    return dict(session.execute(select(BoardHelped.post_id, func.count())
                                .where(BoardHelped.post_id.in_(ids))
                                .group_by(BoardHelped.post_id)).all())


def helped_by(session: Session, user_id: int | None, post_ids) -> set[int]:
    ids = list(post_ids)
    if user_id is None or not ids:
        return set()
    return set(session.scalars(select(BoardHelped.post_id).where(
        BoardHelped.user_id == user_id, BoardHelped.post_id.in_(ids))))


# --- reports ---------------------------------------------------------------------


def report(session: Session, item, *, reason: ReportReason, details: str | None,
           reporter: User, from_provider: bool = False) -> ContributionReport:
    """Anyone signed in may report a published post, question or answer; it stays up
    until a moderator decides, except that a safety worry takes it down at once and
    raises a concern."""
    if not item.published:
        raise NotOpen(item.id)
    found = ContributionReport(reason=reason, details=(details or "").strip() or None,
                               reporter_id=reporter.id, from_provider=from_provider,
                               **{item.CONCERN_KEY: item.id})
    session.add(found)
    session.flush()
    if reason is ReportReason.SAFETY:
        raise_concern_about(session, item, ConcernSource.REPORT, raised_by=reporter,
                            note=found.details)
    return found


# --- what people see ---------------------------------------------------------------


def visible(post: BoardPost, user_id: int | None) -> bool:
    """Published posts are public; the author also sees their own, in any state."""
    return post.published or (user_id is not None and post.author_id == user_id)


def _shown(user_id: int | None):
    published = BoardPost.review_status == ReviewStatus.PUBLISHED
    return published if user_id is None else or_(published, BoardPost.author_id == user_id)


def topic_counts(session: Session) -> dict[BoardTopic, int]:
    rows = session.execute(select(BoardPost.topic, func.count()).where(
        BoardPost.thread_id.is_(None), BoardPost.review_status == ReviewStatus.PUBLISHED)
        .group_by(BoardPost.topic))
    return dict(rows.all())


def threads(topic: BoardTopic, user_id: int | None):
    """The topic's conversations this viewer sees, newest first (a query, to page)."""
    return (select(BoardPost).where(BoardPost.topic == topic, BoardPost.thread_id.is_(None),
                                    _shown(user_id))
            .order_by(BoardPost.created_at.desc(), BoardPost.id.desc()))


def reply_counts(session: Session, thread_ids) -> dict[int, int]:
    ids = list(thread_ids)
    if not ids:
        return {}
    return dict(session.execute(select(BoardPost.thread_id, func.count()).where(
        BoardPost.thread_id.in_(ids), BoardPost.review_status == ReviewStatus.PUBLISHED)
        .group_by(BoardPost.thread_id)).all())


def replies(thread: BoardPost, user_id: int | None) -> list[BoardPost]:
    return [post for post in thread.replies if visible(post, user_id)]


def posts_of(session: Session, user_id: int) -> list[BoardPost]:
    return list(session.scalars(select(BoardPost).where(BoardPost.author_id == user_id)
                                .order_by(BoardPost.created_at.desc(), BoardPost.id.desc())))


def to_moderate(session: Session, user: User) -> tuple[list[BoardPost], list]:
    """Posts waiting for a decision, and open reports of published posts, in the
    councils ``user`` moderates."""
    scope = council_scope(BoardPost.council_id, user)
    pending = select(BoardPost).where(BoardPost.review_status == ReviewStatus.PENDING)
    reports = (select(ContributionReport).join(BoardPost, BoardPost.id ==
                                               ContributionReport.board_post_id)
               .where(ContributionReport.closed_at.is_(None)))
    if scope is not None:
        pending, reports = pending.where(scope), reports.where(scope)
    return (list(session.scalars(pending.order_by(BoardPost.created_at, BoardPost.id))),
            list(session.scalars(reports.order_by(ContributionReport.created_at,
                                                  ContributionReport.id))))
