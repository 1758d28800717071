""""What works for me" through the site: who may post, moderation before anything is
public, the author seeing their own waiting post, replies, "this helped me" once per
person, reporting, the safeguarding route, and bad input."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.ratings.board.models import BoardHelped, BoardPost, ContributionReport
from marketplace.ratings.models import ConcernSource, ReviewStatus, SafeguardingConcern
from tests.functional.board_helpers import client_as, reply, text_of, thread
from tests.functional.ordering_helpers import form_post

NEW = "/what-works-for-me/new"


@pytest.fixture()
def world(db_session, make_user, council, other_council):
    holder = make_user(Role.BUDGET_HOLDER, name="Margaret Okafor")
    officer = make_user(Role.COUNCIL_OFFICER)
    rep = make_user(name="Grace Rep")
    authority = accounts.create_authority(
        db_session, created_by=officer, representative=rep, holder=holder, council=council,
        authority_type=AuthorityType.FAMILY_CARER, scope=Scope.VIEW,
        starts_on=date.today() - timedelta(days=1), ends_on=None, evidence_reference="E")
    db_session.commit()
    return {"holder": holder, "officer": officer, "rep": rep, "authority": authority,
            "elsewhere": make_user(Role.COUNCIL_OFFICER, council_for=other_council),
            "council": council}


def _start(client, **values):
    data = {"topic": "finding-a-pa", "title": "Finding a PA who speaks Gujarati",
            "text": "Ask at the temple's community centre.", **values}
    page = text_of(client.get(NEW))
    data.setdefault("form_key", key_of(page))
    return form_post(client, NEW, data)


def key_of(page: str) -> str:
    """The form's hidden one-time key."""
    return re.search(r'name="form_key" type="hidden" value="([^"]+)"', page).group(1)


def _count(session, model):
    return session.scalar(select(func.count(model.id)))


# --- who may post -----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROVIDER_STAFF, Role.COUNCIL_OFFICER,
                                  Role.ADMINISTRATOR, Role.COMMISSIONER, Role.FINANCE_OFFICER,
                                  Role.COMMUNITY_ORGANISER])
def test_only_people_who_buy_support_and_their_representatives_can_post(app, make_user, role):
    client = client_as(app, make_user(role))
    assert client.get(NEW).status_code == 403
    assert form_post(client, NEW, {"topic": "transport", "title": "T", "text": "x",
                                   "form_key": "k" * 24}, token_from="/").status_code == 403
    assert "Share something" not in text_of(client.get("/what-works-for-me"))


def test_anyone_may_read_but_must_sign_in_to_post(client, db_session, world):
    post = thread(db_session, world["holder"], title="Taxi cards", text="Ask for a taxi card.")
    index = text_of(client.get("/what-works-for-me"))
    assert "Finding a personal assistant" in index and "Sign in" in index
    assert "Taxi cards" in text_of(client.get("/what-works-for-me/topics/finding-a-pa"))
    assert "Ask for a taxi card." in text_of(client.get(f"/what-works-for-me/posts/{post.id}"))
    response = client.get(NEW)
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    assert client.get("/what-works-for-me/topics/no-such-topic").status_code == 404


@pytest.mark.parametrize("role", [Role.BUDGET_HOLDER, Role.SELF_FUNDER])
def test_a_person_who_buys_support_posts_and_it_waits_for_a_moderator(app, db_session,
                                                                      make_user, role):
    author = make_user(role)
    client = client_as(app, author)
    response = _start(client)
    assert response.status_code == 302
    post = db_session.scalar(select(BoardPost))
    assert post.review_status is ReviewStatus.PENDING and not post.by_representative
    # The author sees their own waiting post; nobody else does.
    mine = text_of(client.get(f"/what-works-for-me/posts/{post.id}"))
    assert "Ask at the temple" in mine and "Waiting to be checked" in mine
    assert "Finding a PA who speaks Gujarati" in text_of(client.get("/what-works-for-me/mine"))
    public = app.test_client()
    assert public.get(f"/what-works-for-me/posts/{post.id}").status_code == 404
    assert "Gujarati" not in text_of(public.get("/what-works-for-me/topics/finding-a-pa"))


def test_a_representative_posts_as_themself_or_for_the_person(app, db_session, world):
    client = client_as(app, world["rep"])
    _start(client, title="As myself")
    form_post(client, f"/acting/start/{world['authority'].id}", {}, token_from="/acting/")
    _start(client, title="For my mum")
    posts = db_session.scalars(select(BoardPost).order_by(BoardPost.id)).all()
    assert [(p.title, p.by_representative, p.on_behalf_of_id) for p in posts] == [
        ("As myself", True, None), ("For my mum", True, world["holder"].id)]
    # Both are moderated by the council of the person they act for.
    assert {p.council_id for p in posts} == {world["council"].id}
    for post in posts:
        post.review_status = ReviewStatus.PUBLISHED
    db_session.commit()
    page = text_of(app.test_client().get(f"/what-works-for-me/posts/{posts[1].id}"))
    assert "Shared by a family member or representative" in page
    assert "Grace Rep" not in page and "Margaret Okafor" not in page


# --- moderation -------------------------------------------------------------------


def test_an_officer_publishes_a_post_and_the_text_is_shown_as_text(app, db_session, world):
    post = thread(db_session, world["holder"], status=None,
                  text="<script>alert('x')</script> Use <b>the</b> PA finder.")
    officer = client_as(app, world["officer"])
    assert "Finding a PA" in text_of(officer.get("/council/posts"))
    response = form_post(officer, f"/council/posts/board/{post.id}", {"decision": "publish"})
    assert response.status_code == 302
    page = text_of(app.test_client().get(f"/what-works-for-me/posts/{post.id}"))
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert "Use &lt;b&gt;the&lt;/b&gt; PA finder." in page
    assert "Shared by someone who uses support" in page and "Margaret" not in page


def test_a_moderator_refuses_a_post_naming_the_rule(app, db_session, world):
    post = thread(db_session, world["holder"], status=None, text="Call Bob on 07700 900123.")
    officer = client_as(app, world["officer"])
    missing = form_post(officer, f"/council/posts/board/{post.id}", {"decision": "reject"})
    assert missing.status_code == 400 and "Choose the rule" in text_of(missing)
    form_post(officer, f"/council/posts/board/{post.id}",
              {"decision": "reject", "rule": "personal_details"})
    post = db_session.get(BoardPost, post.id)
    assert post.review_status is ReviewStatus.REJECTED
    assert post.moderation_reason == "personal_details"
    assert "07700" not in text_of(app.test_client().get("/what-works-for-me/topics/finding-a-pa"))
    assert "breaks a rule" in text_of(client_as(app, world["holder"]).get(
        f"/what-works-for-me/posts/{post.id}"))


def test_officers_of_another_council_cannot_moderate_our_posts(app, db_session, world):
    post = thread(db_session, world["holder"], status=None, text="Secret words.")
    elsewhere = client_as(app, world["elsewhere"])
    assert "Secret words." not in text_of(elsewhere.get("/council/posts"))
    assert "Finding a PA" not in text_of(elsewhere.get("/council/posts"))
    assert elsewhere.get(f"/council/posts/board/{post.id}").status_code == 403


def test_the_board_moderation_screens_are_for_officers_and_administrators(app, make_user):
    for role, status in ((Role.ADMINISTRATOR, 200), (Role.COUNCIL_OFFICER, 200),
                         (Role.BUDGET_HOLDER, 403), (Role.PROVIDER_STAFF, 403),
                         (Role.COMMISSIONER, 403)):
        assert client_as(app, make_user(role)).get("/council/posts").status_code == status, role


# --- safeguarding -----------------------------------------------------------------


def test_a_worried_post_goes_to_the_safeguarding_queue_and_is_never_public(
        app, db_session, world, outbox):
    client = client_as(app, world["holder"])
    response = _start(client, text="My PA locks me in my room.", worried="y")
    assert response.status_code == 302
    post = db_session.scalar(select(BoardPost))
    assert post.review_status is ReviewStatus.SAFEGUARDING
    concern = db_session.scalar(select(SafeguardingConcern))
    assert concern.board_post_id == post.id and concern.rating_id is None
    assert concern.source is ConcernSource.AUTHOR and concern.council_id == world["council"].id
    assert "locks me in" in concern.text
    assert [m["to"] for m in outbox] == [world["officer"].email]
    assert all("locks me in" not in m.get_content() for m in outbox)
    officer = client_as(app, world["officer"])
    queue = text_of(officer.get("/council/safeguarding"))
    assert "Finding a PA who speaks Gujarati" in queue
    detail = text_of(officer.get(f"/council/safeguarding/{concern.id}"))
    assert "locks me in" in detail and "Margaret Okafor" in detail
    assert "never be published" in text_of(officer.get(f"/council/posts/board/{post.id}"))
    assert "Gujarati" not in text_of(officer.get("/council/posts"))
    assert client_as(app, world["elsewhere"]).get(
        f"/council/safeguarding/{concern.id}").status_code == 403
    public = app.test_client()
    assert public.get(f"/what-works-for-me/posts/{post.id}").status_code == 404
    assert "locks me in" not in text_of(public.get("/what-works-for-me/topics/finding-a-pa"))
    closed = form_post(officer, f"/council/safeguarding/{concern.id}",
                       {"resolution": "Visited and spoke to her."})
    assert closed.status_code == 302
    assert db_session.get(SafeguardingConcern, concern.id).closed_at is not None


def test_a_moderator_can_pass_a_post_to_safeguarding(app, db_session, world):
    post = thread(db_session, world["holder"], status=None, text="Bruises again.")
    form_post(client_as(app, world["officer"]), f"/council/posts/board/{post.id}",
              {"decision": "safeguarding", "note": "Possible neglect."})
    concern = db_session.scalar(select(SafeguardingConcern))
    assert concern.board_post_id == post.id and concern.source is ConcernSource.MODERATOR
    assert "Possible neglect." in concern.text
    assert db_session.get(BoardPost, post.id).review_status is ReviewStatus.SAFEGUARDING


# --- replies ----------------------------------------------------------------------


def test_replies_wait_for_a_moderator_and_only_published_threads_take_replies(
        app, db_session, world, make_user):
    post = thread(db_session, world["holder"])
    other = make_user(Role.BUDGET_HOLDER)
    client = client_as(app, other)
    url = f"/what-works-for-me/posts/{post.id}"
    page = text_of(client.get(url))
    response = form_post(client, f"{url}/reply", {"text": "The carers' centre helped me too.",
                                                  "form_key": key_of(page)},
                         token_from=url)
    assert response.status_code == 302
    answer = db_session.scalar(select(BoardPost).where(BoardPost.thread_id == post.id))
    assert answer.review_status is ReviewStatus.PENDING and answer.title is None
    assert "helped me too" in text_of(client.get(url))
    assert "helped me too" not in text_of(app.test_client().get(url))
    form_post(client_as(app, world["officer"]), f"/council/posts/board/{answer.id}",
              {"decision": "publish"})
    assert "helped me too" in text_of(app.test_client().get(url))
    waiting = thread(db_session, world["holder"], title="Waiting", status=None)
    refused = form_post(client, f"/what-works-for-me/posts/{waiting.id}/reply",
                        {"text": "Hello", "form_key": "k" * 24}, token_from=url)
    assert refused.status_code == 404
    assert _count(db_session, BoardPost) == 3


def test_a_form_sent_twice_makes_one_post(app, db_session, world):
    client = client_as(app, world["holder"])
    key = key_of(text_of(client.get(NEW)))
    first = _start(client, form_key=key)
    again = _start(client, form_key=key)
    assert first.status_code == again.status_code == 302
    assert _count(db_session, BoardPost) == 1
    assert "already sent this" in text_of(client.get(again.headers["Location"]))


# --- this helped me ---------------------------------------------------------------


def _helped(client, post, value):
    url = f"/what-works-for-me/posts/{post.thread_id or post.id}"
    return form_post(client, f"/what-works-for-me/posts/{post.id}/helped", {"helped": value},
                     token_from=url)


def test_this_helped_me_counts_once_per_person_and_can_be_taken_back(
        app, db_session, world, make_user):
    post = thread(db_session, world["holder"])
    answer = reply(db_session, world["holder"], post)
    first, second = make_user(Role.BUDGET_HOLDER), make_user(Role.SELF_FUNDER)
    one, two = client_as(app, first), client_as(app, second)
    for _n in range(3):  # saying it again changes nothing
        assert _helped(one, post, "yes").status_code == 302
    _helped(two, post, "yes")
    _helped(two, answer, "yes")
    assert db_session.scalar(select(func.count(BoardHelped.id))
                             .where(BoardHelped.post_id == post.id)) == 2
    page = text_of(app.test_client().get(f"/what-works-for-me/posts/{post.id}"))
    assert "2 people said this helped them" in page and "1 person said this helped them" in page
    assert "Take back" in text_of(one.get(f"/what-works-for-me/posts/{post.id}"))
    _helped(one, post, "no")
    _helped(one, post, "no")
    assert db_session.scalar(select(func.count(BoardHelped.id))
                             .where(BoardHelped.post_id == post.id)) == 1
    # Not for your own post, not for posts waiting for a moderator, not with junk.
    author = client_as(app, world["holder"])
    own = _helped(author, post, "yes")
    assert "cannot say that your own post helped you" in text_of(
        author.get(own.headers["Location"]))
    waiting = thread(db_session, world["holder"], title="Waiting", status=None)
    assert _helped(one, waiting, "yes").status_code == 404
    _helped(one, post, "maybe")
    assert _count(db_session, BoardHelped) == 2
    assert _helped(client_as(app, make_user(Role.PROVIDER_STAFF)), post, "yes").status_code == 403


# --- reports ----------------------------------------------------------------------


def test_anyone_signed_in_reports_a_post_and_it_reaches_the_moderators(
        app, db_session, world, make_user):
    post = thread(db_session, world["holder"])
    url = f"/what-works-for-me/posts/{post.id}/report"
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/sign-in")
    staff = client_as(app, make_user(Role.PROVIDER_STAFF))
    response = form_post(staff, url, {"reason": "advertising", "details": "An advert."})
    assert response.status_code == 302
    found = db_session.scalar(select(ContributionReport))
    assert found.board_post_id == post.id and found.reporter_id is not None
    assert db_session.get(BoardPost, post.id).published  # up until a moderator decides
    queue = text_of(client_as(app, world["officer"]).get("/council/posts"))
    assert "It is advertising" in queue
    form_post(client_as(app, world["officer"]), f"/council/posts/board/{post.id}",
              {"decision": "reject", "rule": "advertising"})
    assert db_session.get(ContributionReport, found.id).closed_at is not None
    assert db_session.get(BoardPost, post.id).review_status is ReviewStatus.REJECTED


def test_a_report_of_a_safety_worry_takes_the_post_down_at_once(app, db_session, world,
                                                                 make_user, outbox):
    post = thread(db_session, world["holder"], text="My neighbour's carer hits him.")
    form_post(client_as(app, make_user(Role.BUDGET_HOLDER)),
              f"/what-works-for-me/posts/{post.id}/report", {"reason": "safety"})
    assert db_session.get(BoardPost, post.id).review_status is ReviewStatus.SAFEGUARDING
    concern = db_session.scalar(select(SafeguardingConcern))
    assert concern.source is ConcernSource.REPORT and concern.board_post_id == post.id
    assert world["officer"].email in [m["to"] for m in outbox]
    assert app.test_client().get(f"/what-works-for-me/posts/{post.id}").status_code == 404


# --- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(("values", "message"), [
    ({"text": ""}, "Enter your post"),
    ({"text": "   "}, "Enter your post"),
    ({"text": "x" * 50_000}, "Your post must be 4,000 characters or fewer"),
    ({"title": ""}, "Enter a title"),
    ({"title": "t" * 500}, "The title must be 120 characters or fewer"),
    ({"topic": "<script>alert(1)</script>"}, "Choose a topic"),
    ({"form_key": "<script>"}, "The form has expired"),
])
def test_bad_posts_are_refused_clearly(app, db_session, world, values, message):
    response = _start(client_as(app, world["holder"]), **values)
    assert response.status_code == 400
    page = text_of(response)
    assert message in page and "govuk-error-summary" in page
    assert "<script>alert(1)" not in page
    assert _count(db_session, BoardPost) == 0


def test_a_50000_character_reply_is_refused(app, db_session, world, make_user):
    post = thread(db_session, world["holder"])
    client = client_as(app, make_user(Role.BUDGET_HOLDER))
    url = f"/what-works-for-me/posts/{post.id}"
    key = key_of(text_of(client.get(url)))
    response = form_post(client, f"{url}/reply", {"text": "x" * 50_000, "form_key": key},
                         token_from=url)
    assert response.status_code == 400
    assert "Your reply must be 4,000 characters or fewer" in text_of(response)
    assert re.search(r'<textarea[^>]*name="text"', text_of(response))
    assert _count(db_session, BoardPost) == 1
