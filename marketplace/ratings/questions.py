"""Questions about a service and the provider's answers: operations and what each
viewer sees. Anyone signed in asks; a moderator publishes the question (the rules
and safeguarding route of reviews); a member of the provider organisation answers
publicly once, and may change the answer. They take the session, flush and never
commit.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalogue.models import ProviderMember, Service
from marketplace.db import utcnow
from marketplace.ratings.board.models import ContributionReport
from marketplace.ratings.board.services import Writer, by_form_key, council_of
from marketplace.ratings.models import ReviewStatus
from marketplace.ratings.moderation import council_scope
from marketplace.ratings.questions_models import ServiceAnswer, ServiceQuestion


class AlreadyAnswered(Exception):
    """The provider has answered this question already: change that answer instead."""


class NotPublished(Exception):
    """The question is not public (yet, or any more): it cannot be answered."""


def is_member(session: Session, user_id: int | None, provider_id: int) -> bool:
    return user_id is not None and session.scalar(
        select(ProviderMember.id).where(ProviderMember.provider_id == provider_id,
                                        ProviderMember.user_id == user_id)) is not None


def provider_ids_of(session: Session, user_id: int) -> list[int]:
    return list(session.scalars(select(ProviderMember.provider_id)
                                .where(ProviderMember.user_id == user_id)
                                .order_by(ProviderMember.provider_id)))


def ask(session: Session, writer: Writer, service: Service, *, text: str,
        form_key: str | None = None) -> tuple[ServiceQuestion, bool]:
    """A question waiting for a moderator. (question, newly made)."""
    existing = by_form_key(session, ServiceQuestion, form_key, ServiceQuestion.asker_id,
                           writer.user.id)
    if existing is not None:
        return existing, False
    now = utcnow()
    question = ServiceQuestion(
        service_id=service.id, provider_id=service.provider_id, asker_id=writer.user.id,
        text=text.strip(), council_id=council_of(session, writer), form_key=form_key or None,
        review_status=ReviewStatus.PENDING, created_at=now, updated_at=now)
    session.add(question)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # the same form, sent twice at the same moment
        return by_form_key(session, ServiceQuestion, form_key, ServiceQuestion.asker_id,
                           writer.user.id), False
    return question, True


def answer(session: Session, question: ServiceQuestion, *, text: str, author,
           editing: bool) -> ServiceAnswer:
    """The provider's one public answer, published at once; then only changed. A
    changed answer that a moderator had taken down waits for a moderator again; one
    with the safeguarding team is never published."""
    if not question.published:
        raise NotPublished(question.id)
    existing = question.answer
    if existing is not None and not editing:
        raise AlreadyAnswered(question.id)
    now = utcnow()
    if existing is None:
        existing = ServiceAnswer(question_id=question.id, provider_id=question.provider_id,
                                 author_id=author.id, text=text.strip(),
                                 council_id=question.council_id,
                                 review_status=ReviewStatus.PUBLISHED, created_at=now,
                                 updated_at=now)
        session.add(existing)
        try:
            with session.begin_nested():
                session.flush()
        except IntegrityError as clash:  # two first answers at the same moment
            raise AlreadyAnswered(question.id) from clash
        return existing
    if existing.review_status is ReviewStatus.REJECTED and text.strip() != existing.text:
        existing.review_status = ReviewStatus.PENDING
        existing.moderated_by_id = existing.moderated_at = existing.moderation_reason = None
    existing.text = text.strip()
    existing.author_id = author.id
    existing.updated_at = now
    session.flush()
    return existing


# --- what people see ---------------------------------------------------------------


def for_service(session: Session, service_id: int, user_id: int | None, *,
                limit: int | None = None) -> list[ServiceQuestion]:
    """Published questions about the service, and the viewer's own in any state,
    newest first."""
    shown = ServiceQuestion.review_status == ReviewStatus.PUBLISHED
    if user_id is not None:
        shown = or_(shown, ServiceQuestion.asker_id == user_id)
    query = (select(ServiceQuestion).where(ServiceQuestion.service_id == service_id, shown)
             .order_by(ServiceQuestion.created_at.desc(), ServiceQuestion.id.desc()))
    return list(session.scalars(query.limit(limit) if limit else query))


def answer_shown(question: ServiceQuestion) -> ServiceAnswer | None:
    found = question.answer
    return found if found is not None and found.published else None


def for_providers(session: Session, provider_ids: list[int]) -> list[ServiceQuestion]:
    """Published questions about these providers' services, unanswered first."""
    if not provider_ids:
        return []
    found = session.scalars(
        select(ServiceQuestion).where(ServiceQuestion.provider_id.in_(provider_ids),
                                      ServiceQuestion.review_status == ReviewStatus.PUBLISHED)
        .order_by(ServiceQuestion.created_at.desc(), ServiceQuestion.id.desc()).limit(500))
    return sorted(found, key=lambda q: q.answer is not None)


def to_moderate(session: Session, user) -> tuple[list[ServiceQuestion], list]:
    """Questions waiting for a decision (and answers a moderator took down that were
    changed since), and open reports of questions and answers, in ``user``'s councils."""
    scope = council_scope(ServiceQuestion.council_id, user)
    pending = select(ServiceQuestion).where(ServiceQuestion.review_status == ReviewStatus.PENDING)
    answers = select(ServiceAnswer).where(ServiceAnswer.review_status == ReviewStatus.PENDING)
    of_questions = (select(ContributionReport).join(
        ServiceQuestion, ServiceQuestion.id == ContributionReport.question_id)
        .where(ContributionReport.closed_at.is_(None)))
    of_answers = (select(ContributionReport).join(
        ServiceAnswer, ServiceAnswer.id == ContributionReport.answer_id)
        .where(ContributionReport.closed_at.is_(None)))
    answer_scope = council_scope(ServiceAnswer.council_id, user)
    if scope is not None:
        pending, of_questions = pending.where(scope), of_questions.where(scope)
        answers, of_answers = answers.where(answer_scope), of_answers.where(answer_scope)
    order = (ContributionReport.created_at, ContributionReport.id)
    return ([*session.scalars(pending.order_by(ServiceQuestion.created_at, ServiceQuestion.id)),
             *session.scalars(answers.order_by(ServiceAnswer.updated_at, ServiceAnswer.id))],
            [*session.scalars(of_questions.order_by(*order)),
             *session.scalars(of_answers.order_by(*order))])
