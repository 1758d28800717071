"""Questions and answers on service pages: anyone signed in asks; the question is
public only after moderation (the asker sees it waiting); the provider answers in
public once and may change the answer; no one else can answer; answers and
questions can be reported; the safeguarding route; bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.accounts.roles import Role
from marketplace.ratings.board.models import ContributionReport
from marketplace.ratings.models import ConcernSource, ReviewStatus, SafeguardingConcern
from marketplace.ratings.questions_models import ServiceAnswer, ServiceQuestion
from tests.functional.board_helpers import answered, asked, client_as, text_of
from tests.functional.ordering_helpers import add_staff, form_post, make_shop
from tests.functional.test_board import key_of


@pytest.fixture()
def world(db_session, make_user, council, other_council):
    owner = make_user(Role.PROVIDER_STAFF, name="Priya Owner")
    rival = make_user(Role.PROVIDER_STAFF, name="Rival Owner")
    shop, service = make_shop(db_session, owner)
    make_shop(db_session, rival, name="Rival Care")
    return {"owner": owner, "rival": rival, "shop": shop, "service": service,
            "holder": make_user(Role.BUDGET_HOLDER, name="Margaret Okafor"),
            "officer": make_user(Role.COUNCIL_OFFICER),
            "elsewhere": make_user(Role.COUNCIL_OFFICER, council_for=other_council),
            "council": council}


def _ask(client, service, text="Do you cover Sunday mornings?", **values):
    url = f"/services/{service.id}/questions/ask"
    data = {"text": text, **values}
    data.setdefault("form_key", key_of(text_of(client.get(url))))
    return form_post(client, url, data)


def _answer(client, question, text, edit=False, form_key="k" * 24):
    url = f"/questions/{question.id}/answer" + ("?edit=1" if edit else "")
    return form_post(client, url, {"text": text, "form_key": form_key},
                     token_from=f"/questions/{question.id}/answer")


def _count(session, model):
    return session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize("role", [Role.BUDGET_HOLDER, Role.PROVIDER_STAFF, Role.COUNCIL_OFFICER,
                                  Role.COMMUNITY_ORGANISER])
def test_anyone_signed_in_can_ask_and_it_waits_for_a_moderator(app, db_session, world,
                                                              make_user, role):
    asker = make_user(role)
    client = client_as(app, asker)
    assert "Ask a public question about this service" in text_of(
        client.get(f"/services/{world['service'].id}"))
    assert _ask(client, world["service"]).status_code == 302
    question = db_session.scalar(select(ServiceQuestion))
    assert question.review_status is ReviewStatus.PENDING and question.asker_id == asker.id
    assert question.provider_id == world["shop"].id
    own = text_of(client.get(f"/services/{world['service'].id}"))
    assert "Sunday mornings" in own and "Only you can see your question" in own
    assert "Sunday mornings" not in text_of(app.test_client().get(
        f"/services/{world['service'].id}"))


def test_visitors_must_sign_in_to_ask(client, world, db_session):
    page = text_of(client.get(f"/services/{world['service'].id}"))
    assert "Sign in to ask a public question" in page
    response = client.get(f"/services/{world['service'].id}/questions/ask")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_a_moderator_publishes_the_question_and_the_provider_is_told(app, db_session, world,
                                                                     outbox):
    question = asked(db_session, world["holder"], world["service"], status=None,
                     text="<script>alert(1)</script> Is <b>parking</b> free?")
    officer = client_as(app, world["officer"])
    assert "Question about Help at home" in text_of(officer.get("/council/posts"))
    assert form_post(officer, f"/council/posts/questions/{question.id}",
                     {"decision": "publish"}).status_code == 302
    assert [m["to"] for m in outbox] == [world["owner"].email]
    page = text_of(app.test_client().get(f"/services/{world['service'].id}"))
    assert "&lt;script&gt;alert(1)" in page and "<script>alert(1)" not in page
    assert "Is &lt;b&gt;parking&lt;/b&gt; free?" in page and "Not answered yet" in page
    assert "Margaret" not in page


def test_the_provider_answers_once_in_public_and_can_change_the_answer(app, db_session, world,
                                                                      outbox):
    question = asked(db_session, world["holder"], world["service"])
    owner = client_as(app, world["owner"])
    assert "Not answered yet" in text_of(owner.get("/provider/questions"))
    key = key_of(text_of(owner.get(f"/questions/{question.id}/answer")))
    first = _answer(owner, question, "Yes, from 8am.", form_key=key)
    assert first.status_code == 302
    answer = db_session.scalar(select(ServiceAnswer))
    assert answer.published and answer.author_id == world["owner"].id
    assert [m["to"] for m in outbox] == [world["holder"].email]
    page = text_of(app.test_client().get(f"/services/{world['service'].id}"))
    assert "Answer from Willow Care" in page and "Yes, from 8am." in page
    # A second "new" answer (an old tab, a double click) is refused clearly.
    again = _answer(owner, question, "Another answer")
    assert again.status_code == 400
    assert "You have already answered this question" in text_of(again)
    assert "Yes, from 8am." in text_of(again)
    changed = _answer(owner, question, "Yes, from 7am.", edit=True)
    assert changed.status_code == 302
    assert _count(db_session, ServiceAnswer) == 1
    assert db_session.scalar(select(ServiceAnswer.text)) == "Yes, from 7am."
    # Another member of the provider may change it too (still one answer).
    add_staff(db_session, world["shop"], world["rival"])
    assert _answer(client_as(app, world["rival"]), question, "From 7.30am.",
                   edit=True).status_code == 302
    db_session.expire_all()
    assert db_session.scalars(select(ServiceAnswer.author_id)).all() == [world["rival"].id]


def test_no_one_outside_the_provider_can_answer(app, db_session, world, make_user):
    question = asked(db_session, world["holder"], world["service"])
    rival = client_as(app, world["rival"])
    response = rival.get(f"/questions/{question.id}/answer")
    assert response.status_code == 403
    assert "Only the provider of this service can answer" in text_of(response)
    assert _answer(rival, question, "Ours is better!").status_code == 403
    for role in (Role.BUDGET_HOLDER, Role.COUNCIL_OFFICER, Role.ADMINISTRATOR):
        assert _answer(client_as(app, make_user(role)), question, "Hi").status_code == 403
    assert _count(db_session, ServiceAnswer) == 0


def test_a_question_waiting_for_a_moderator_cannot_be_answered(app, db_session, world):
    question = asked(db_session, world["holder"], world["service"], status=None)
    assert client_as(app, world["owner"]).get(f"/questions/{question.id}/answer").status_code == 404
    assert _answer(client_as(app, world["owner"]), question, "Yes").status_code == 404


def test_an_answer_can_be_reported_and_a_moderator_can_take_it_down(app, db_session, world,
                                                                   make_user):
    question = asked(db_session, world["holder"], world["service"])
    answer = answered(db_session, question, world["owner"], text="Call Bob on 07700 900123.")
    anonymous = app.test_client().get(f"/answers/{answer.id}/report")
    assert anonymous.status_code == 302
    reporter = client_as(app, make_user(Role.BUDGET_HOLDER))
    assert form_post(reporter, f"/answers/{answer.id}/report",
                     {"reason": "personal_details"}).status_code == 302
    report = db_session.scalar(select(ContributionReport))
    assert report.answer_id == answer.id and not report.from_provider
    assert db_session.get(ServiceAnswer, answer.id).published  # until a moderator decides
    officer = client_as(app, world["officer"])
    assert "An answer" in text_of(officer.get("/council/posts"))
    form_post(officer, f"/council/posts/answers/{answer.id}",
              {"decision": "reject", "rule": "personal_details"})
    page = text_of(app.test_client().get(f"/services/{world['service'].id}"))
    assert "07700" not in page and "Not answered yet" in page
    # Changing an answer a moderator took down sends it back to them.
    _answer(client_as(app, world["owner"]), question, "Call the office.", edit=True)
    assert db_session.get(ServiceAnswer, answer.id).review_status is ReviewStatus.PENDING
    assert "Answer about Help at home" in text_of(officer.get("/council/posts"))
    # The provider may report a question about its own service (never remove one).
    form_post(client_as(app, world["owner"]), f"/questions/{question.id}/report",
              {"reason": "untrue"})
    assert db_session.scalars(select(ContributionReport.from_provider)
                              .order_by(ContributionReport.id)).all() == [False, True]


def test_questions_and_answers_with_safety_worries_go_to_safeguarding(app, db_session, world,
                                                                      outbox):
    question = asked(db_session, world["holder"], world["service"], status=None,
                     text="Their carer took my mother's bank card. Is that allowed?")
    officer = client_as(app, world["officer"])
    form_post(officer, f"/council/posts/questions/{question.id}",
              {"decision": "safeguarding"})
    concern = db_session.scalar(select(SafeguardingConcern))
    assert concern.question_id == question.id and concern.council_id == world["council"].id
    assert db_session.get(ServiceQuestion, question.id).review_status is \
        ReviewStatus.SAFEGUARDING
    assert "bank card" not in text_of(app.test_client().get(f"/services/{world['service'].id}"))
    assert "bank card" in text_of(officer.get(f"/council/safeguarding/{concern.id}"))
    assert world["officer"].email in [m["to"] for m in outbox]
    assert "A question about a service" in text_of(officer.get(
        f"/council/safeguarding/{concern.id}"))
    other = asked(db_session, world["holder"], world["service"], text="Weekends?")
    answer = answered(db_session, other, world["owner"], text="We leave people alone.")
    form_post(client_as(app, world["holder"]), f"/answers/{answer.id}/report", {"reason": "safety"})
    concern = db_session.scalars(select(SafeguardingConcern)
                                 .order_by(SafeguardingConcern.id)).all()[-1]
    assert concern.answer_id == answer.id and concern.source is ConcernSource.REPORT
    assert "leave people alone" not in text_of(app.test_client().get(
        f"/services/{world['service'].id}"))


def test_officers_of_another_council_cannot_moderate_our_questions(app, db_session, world):
    question = asked(db_session, world["holder"], world["service"], status=None)
    elsewhere = client_as(app, world["elsewhere"])
    assert elsewhere.get(f"/council/posts/questions/{question.id}").status_code == 403
    assert "Help at home" not in text_of(elsewhere.get("/council/posts"))


@pytest.mark.parametrize(("text", "message"), [
    ("", "Enter your question"),
    ("x" * 50_000, "Your question must be 1,000 characters or fewer"),
])
def test_bad_questions_are_refused_clearly(app, db_session, world, text, message):
    response = _ask(client_as(app, world["holder"]), world["service"], text=text)
    assert response.status_code == 400 and message in text_of(response)
    assert _count(db_session, ServiceQuestion) == 0


@pytest.mark.parametrize(("text", "message"), [
    ("  ", "Enter your answer"),
    ("x" * 50_000, "Your answer must be 2,000 characters or fewer"),
])
def test_bad_answers_are_refused_clearly(app, db_session, world, text, message):
    question = asked(db_session, world["holder"], world["service"])
    response = _answer(client_as(app, world["owner"]), question, text)
    assert response.status_code == 400 and message in text_of(response)
    assert _count(db_session, ServiceAnswer) == 0


def test_a_question_sent_twice_is_saved_once(app, db_session, world):
    client = client_as(app, world["holder"])
    key = key_of(text_of(client.get(f"/services/{world['service'].id}/questions/ask")))
    _ask(client, world["service"], form_key=key)
    _ask(client, world["service"], form_key=key)
    assert _count(db_session, ServiceQuestion) == 1


def test_questions_about_a_service_that_is_not_listed_are_not_shown(app, db_session, world):
    from catalogue.models import ServiceStatus

    world["service"].status = ServiceStatus.PAUSED
    db_session.commit()
    client = client_as(app, world["holder"])
    assert client.get(f"/services/{world['service'].id}/questions").status_code == 404
    assert client.get(f"/services/{world['service'].id}/questions/ask").status_code == 404
