"""The demo's "what works for me" posts and questions: written by the demo's own
people, in every state the screens show, and added once only."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.ratings.board.demo import QUESTIONS, THREADS, seed_conversations
from marketplace.ratings.board.models import BoardHelped, BoardPost, ContributionReport
from marketplace.ratings.models import ReviewStatus, SafeguardingConcern
from marketplace.ratings.questions_models import ServiceAnswer, ServiceQuestion
from tests.functional.ordering_helpers import make_shop


def test_the_demo_adds_posts_and_questions_in_every_state_once(db_session, make_user,
                                                               council):
    people = {name: make_user(Role.BUDGET_HOLDER, email=f"{name}@ashdown.example")
              for name in ("holder", "holder02", "holder03", "holder04", "holder05")}
    people["selffunder"] = make_user(Role.SELF_FUNDER, email="selffunder@ashdown.example")
    officer = make_user(Role.COUNCIL_OFFICER, email="officer@ashdown.example")
    rep = make_user(email="rep@ashdown.example")
    accounts.create_authority(
        db_session, created_by=officer, representative=rep, holder=people["holder"],
        council=council, authority_type=AuthorityType.FAMILY_CARER, scope=Scope.MONEY,
        starts_on=date.today() - timedelta(days=10), ends_on=None, evidence_reference="D")
    owner = make_user(Role.PROVIDER_STAFF, email="provider@ashdown.example")
    _shop, service = make_shop(db_session, owner)
    replies = sum(len(thread[6]) for thread in THREADS)
    assert seed_conversations(db_session, date.today()) == len(THREADS) + replies + 1 + len(
        QUESTIONS)
    db_session.commit()

    posts = db_session.scalars(select(BoardPost)).all()
    statuses = [p.review_status for p in posts]
    assert statuses.count(ReviewStatus.PENDING) == 2  # a conversation and a reply
    assert statuses.count(ReviewStatus.SAFEGUARDING) == 1
    concern = db_session.scalar(select(SafeguardingConcern))
    assert concern.board_post_id is not None and concern.council_id == council.id
    by_rep = [p for p in posts if p.on_behalf_of_id == people["holder"].id]
    assert len(by_rep) == 1 and by_rep[0].author_id == rep.id and by_rep[0].by_representative
    assert all(p.moderated_by_id == officer.id for p in posts if p.published)
    assert db_session.scalar(select(func.count(BoardHelped.id))) == sum(
        len(thread[7]) for thread in THREADS)
    assert db_session.scalar(select(func.count(ContributionReport.id))) == 1

    asked = db_session.scalars(select(ServiceQuestion).order_by(ServiceQuestion.id)).all()
    assert [q.service_id for q in asked] == [service.id] * len(QUESTIONS)
    assert [q.published for q in asked] == [True, True, True, False]
    answers = db_session.scalars(select(ServiceAnswer)).all()
    assert len(answers) == 2 and all(a.author_id == owner.id and a.published for a in answers)

    assert seed_conversations(db_session, date.today()) == 0
    assert db_session.scalar(select(func.count(BoardPost.id))) == len(posts)
