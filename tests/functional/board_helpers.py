"""Board posts, questions and answers for the board and questions tests, the access
matrix and the bad-input test (committed: each request closes the session)."""

from __future__ import annotations

from marketplace.ratings import questions
from marketplace.ratings.board import services as board
from marketplace.ratings.board.models import BoardTopic
from marketplace.ratings.models import ReviewStatus
from tests.conftest import sign_in


def client_as(app, user):
    """A test client signed in as ``user``."""
    client = app.test_client()
    sign_in(client, user)
    return client


def text_of(response) -> str:
    return response.get_data(as_text=True)


def thread(session, author, *, topic=BoardTopic.FINDING_A_PA, title="Finding a PA",
           text="Ask at the carers' centre.", status=ReviewStatus.PUBLISHED, worried=False,
           authority=None):
    post, _made = board.start_thread(session, board.Writer(author, authority), topic=topic,
                                     title=title, text=text, worried=worried)
    if status is not None and post.review_status is not ReviewStatus.SAFEGUARDING:
        post.review_status = status
    session.commit()
    return post


def reply(session, author, to, *, text="Same here.", status=ReviewStatus.PUBLISHED):
    post, _made = board.reply(session, board.Writer(author), to, text=text)
    if status is not None:
        post.review_status = status
    session.commit()
    return post


def asked(session, asker, service, *, text="Do you work at weekends?",
          status=ReviewStatus.PUBLISHED):
    question, _made = questions.ask(session, board.Writer(asker), service, text=text)
    if status is not None:
        question.review_status = status
    session.commit()
    return question


def answered(session, question, author, *, text="Yes, on Saturdays."):
    found = questions.answer(session, question, text=text, author=author, editing=False)
    session.commit()
    return found


def matrix_args(session, stranger, council, provider, service) -> dict:
    """The stranger's published conversation, and a published question (with an
    answer) about their provider's service, for the access matrix."""
    post = thread(session, stranger, title="Stranger's thread")
    question = asked(session, stranger, service)
    owner_id = provider.members[0].user_id
    from marketplace.accounts.models import User

    answer = answered(session, question, session.get(User, owner_id))
    return {"post_id": post.id, "question_id": question.id, "answer_id": answer.id,
            "topic": BoardTopic.TRANSPORT.value}


def bad_input_forms(session, holder, officer, council, owner, service) -> list:
    """(who signs in, form URL) for every board, question and quality-score form."""
    post = thread(session, holder, title="Bad input thread")
    pending = thread(session, holder, title="Waiting", status=ReviewStatus.PENDING)
    question = asked(session, holder, service)
    answer = answered(session, asked(session, holder, service, text="Parking?"), owner)
    return [
        (holder, "/what-works-for-me/new"),
        (holder, f"/what-works-for-me/posts/{post.id}/report"),
        (holder, f"/services/{service.id}/questions/ask"),
        (owner, f"/questions/{question.id}/answer"),
        (holder, f"/questions/{question.id}/report"),
        (holder, f"/answers/{answer.id}/report"),
        (officer, f"/council/posts/board/{pending.id}"),
        (officer, f"/council/quality-scores/{service.provider_id}"),
    ]
