"""What a safeguarding concern about a board post, a question or an answer is about,
for the council's safeguarding pages (concerns about reviews show the review)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import User
from marketplace.ratings.board.models import BoardPost
from marketplace.ratings.models import SafeguardingConcern
from marketplace.ratings.questions_models import ServiceAnswer, ServiceQuestion


@dataclass(frozen=True)
class Subject:
    kind: str                  # what it is, in words
    title: str                 # the conversation's title, or the service
    person: User | None        # who wrote it (the person it was written for, if acting)
    written_by: str            # the person themself, or a representative
    provider: str | None = None


def subject_of(session, concern: SafeguardingConcern) -> Subject:
    if concern.board_post_id is not None:
        post = session.get(BoardPost, concern.board_post_id)
        person = session.get(User, post.on_behalf_of_id or post.author_id)
        return Subject(_l("A “what works for me” post") if post.is_thread
                       else _l("A reply on “what works for me”"), post.root.title, person,
                       _l("A family member or representative") if post.by_representative
                       else _l("The person themself"))
    if concern.question_id is not None:
        question = session.get(ServiceQuestion, concern.question_id)
        return Subject(_l("A question about a service"), question.service.name,
                       session.get(User, question.asker_id), _l("The person themself"),
                       question.provider.name)
    answer = session.get(ServiceAnswer, concern.answer_id)
    question = answer.question
    return Subject(_l("A provider's answer to a question"), question.service.name,
                   session.get(User, question.asker_id), _l("The provider"),
                   question.provider.name)


def init_app(app) -> None:
    from marketplace.db import db

    app.add_template_global(lambda concern: subject_of(db.session, concern), "concern_subject")
