"""Ratings and reviews through the site: who may rate, updating with history, what the
public sees before and after moderation, provider replies, reports, the safeguarding
queue, the figures on service and provider pages, and bad input."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.ratings.models import (
    Rating,
    RatingVersion,
    ReviewReply,
    ReviewReport,
    ReviewStatus,
    SafeguardingConcern,
)
from tests.conftest import csrf_token, sign_in
from tests.functional.ordering_helpers import agree_plan, form_post, make_shop
from tests.functional.ratings_helpers import bought, rated


@pytest.fixture()
def world(db_session, make_user, council, other_council):
    officer = make_user(Role.COUNCIL_OFFICER)
    elsewhere = make_user(Role.COUNCIL_OFFICER, council_for=other_council)
    holder = make_user(Role.BUDGET_HOLDER, name="Margaret Okafor")
    owner = make_user(Role.PROVIDER_STAFF, name="Priya Owner")
    rival = make_user(Role.PROVIDER_STAFF, name="Rival Owner")
    shop, service = make_shop(db_session, owner)
    make_shop(db_session, rival, name="Rival Care")
    return {"officer": officer, "elsewhere": elsewhere, "holder": holder, "owner": owner,
            "rival": rival, "shop": shop, "service": service, "council": council}


def _as(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def _rate(client, service, **values):
    data = {"stars": "4", **values}
    return form_post(client, f"/services/{service.id}/rate", data)


def _text(response):
    return response.get_data(as_text=True)


def _count(session, model):
    return session.scalar(select(func.count(model.id)))


# --- who may rate --------------------------------------------------------------


def test_a_buyer_with_three_delivered_visits_rates_and_the_stars_count_at_once(
        app, db_session, world):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    client = _as(app, world["holder"])
    page = client.get(f"/services/{world['service'].id}")
    assert "Rate this service" in _text(page)
    form = client.get(f"/services/{world['service'].id}/rate")
    assert form.status_code == 200
    # The stars are radios: one fieldset, a legend, five labelled choices.
    assert _text(form).count('name="stars"') == 5 and "5 stars: excellent" in _text(form)
    response = _rate(client, world["service"], stars="5", kindness="4",
                     text="Always kind and on time.")
    assert response.status_code == 302
    rating = db_session.scalar(select(Rating))
    assert (rating.stars, rating.kindness, rating.review_status) == (5, 4, ReviewStatus.PENDING)
    assert not rating.by_representative
    public = _text(app.test_client().get(f"/services/{world['service'].id}"))
    assert "Fewer than 3 ratings" in public
    assert "Always kind and on time." not in public  # not until a moderator publishes it


@pytest.mark.parametrize(("status", "visits"), [("active", 2), ("accepted", 0),
                                                ("awaiting_provider", 0), ("declined", 0)])
def test_a_buyer_without_enough_delivered_cannot_rate(app, db_session, world, status, visits):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"],
           status=status, visits=visits)
    client = _as(app, world["holder"])
    assert "Rate this service" not in _text(client.get(f"/services/{world['service'].id}"))
    response = client.get(f"/services/{world['service'].id}/rate")
    assert response.status_code == 403
    assert "at least 3 visits or sessions" in _text(response)
    assert _rate(client, world["service"]).status_code == 403
    assert _count(db_session, Rating) == 0


def test_no_one_can_rate_through_someone_elses_order(app, db_session, world, make_user):
    someone = make_user(Role.BUDGET_HOLDER, name="Someone Else")
    bought(db_session, someone, world["shop"], world["service"], world["council"],
           status="completed")
    for user in (world["holder"], world["owner"], world["officer"]):
        client = _as(app, user)
        response = _rate(client, world["service"])
        assert response.status_code == 403
    assert "no order for this service in your name" in _text(
        _as(app, world["holder"]).get(f"/services/{world['service'].id}/rate"))
    assert _count(db_session, Rating) == 0


def test_a_representative_rates_for_the_person_and_it_says_so(app, db_session, world,
                                                              make_user):
    rep = make_user(name="Grace Rep")
    authority = accounts.create_authority(
        db_session, created_by=world["officer"], representative=rep, holder=world["holder"],
        council=world["council"], authority_type=AuthorityType.FAMILY_CARER, scope=Scope.ORDER,
        starts_on=date.today() - timedelta(days=1), ends_on=None, evidence_reference="E")
    db_session.commit()
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"],
           status="completed", visits=0)
    client = _as(app, rep)
    form_post(client, f"/acting/start/{authority.id}", {}, token_from="/acting/")
    assert _rate(client, world["service"], text="Mum is happy.").status_code == 302
    rating = db_session.scalar(select(Rating))
    assert rating.buyer_id == world["holder"].id and rating.rated_by_id == rep.id
    assert rating.by_representative
    rating.review_status = ReviewStatus.PUBLISHED
    db_session.commit()
    page = _text(app.test_client().get(f"/services/{world['service'].id}"))
    assert "Rated by a family member or representative" in page
    assert "Grace Rep" not in page and "Margaret Okafor" not in page


def test_one_rating_per_buyer_per_service_and_updates_keep_every_version(
        app, db_session, world):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    client = _as(app, world["holder"])
    _rate(client, world["service"], stars="2", text="Late twice.")
    _rate(client, world["service"], stars="4", text="Much better now.")
    assert _count(db_session, Rating) == 1
    rating = db_session.scalar(select(Rating))
    assert (rating.stars, rating.version, rating.text) == (4, 2, "Much better now.")
    versions = db_session.scalars(select(RatingVersion).order_by(RatingVersion.number)).all()
    assert [(v.number, v.stars, v.text) for v in versions] == [
        (1, 2, "Late twice."), (2, 4, "Much better now.")]
    history = _text(client.get(f"/my/ratings/{rating.id}"))
    assert "Late twice." in history and "Much better now." in history
    # The form shows the current rating to change.
    form = _text(client.get(f"/services/{world['service'].id}/rate"))
    checked = re.findall(r'<input[^>]*name="stars"[^>]*>', form)
    assert [tag for tag in checked if "checked" in tag] == [
        tag for tag in checked if 'value="4"' in tag]


def test_changing_published_text_sends_it_back_to_moderation(app, db_session, world):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    rating = rated(db_session, world["holder"], world["service"], text="Good.",
                   status=ReviewStatus.PUBLISHED)
    client = _as(app, world["holder"])
    _rate(client, world["service"], stars="4", text="Good.")  # same text: stays published
    assert db_session.get(Rating, rating.id).review_status is ReviewStatus.PUBLISHED
    _rate(client, world["service"], stars="4", text="Now rather poor.")
    assert db_session.get(Rating, rating.id).review_status is ReviewStatus.PENDING


def test_the_outcomes_of_the_persons_plan_are_offered(app, db_session, world):
    agree_plan(db_session, world["holder"], world["officer"])
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    client = _as(app, world["holder"])
    assert "Daily living: Get up well" in _text(
        client.get(f"/services/{world['service'].id}/rate"))
    _rate(client, world["service"], helped="yes", outcomes="daily_living")
    rating = db_session.scalar(select(Rating))
    assert rating.helped.value == "yes" and rating.outcomes == ["daily_living"]


# --- moderation ------------------------------------------------------------------


def test_text_is_published_after_moderation_and_shown_as_text(app, db_session, world):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    rating = rated(db_session, world["holder"], world["service"],
                   text="<script>alert('x')</script> Lovely <b>team</b>.")
    officer = _as(app, world["officer"])
    assert world["service"].name in _text(officer.get("/council/reviews"))
    response = form_post(officer, f"/council/reviews/{rating.id}", {"decision": "publish"})
    assert response.status_code == 302
    page = _text(app.test_client().get(f"/services/{world['service'].id}"))
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert "Lovely &lt;b&gt;team&lt;/b&gt;." in page


def test_a_moderator_refuses_naming_the_rule_and_the_stars_still_count(app, db_session,
                                                                         world):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    rating = rated(db_session, world["holder"], world["service"], stars=2,
                   text="Call Bob on 07700 900123.")
    officer = _as(app, world["officer"])
    missing = form_post(officer, f"/council/reviews/{rating.id}", {"decision": "reject"})
    assert missing.status_code == 400 and "Choose the rule the review breaks" in _text(missing)
    form_post(officer, f"/council/reviews/{rating.id}",
              {"decision": "reject", "rule": "personal_details"})
    rating = db_session.get(Rating, rating.id)
    assert rating.review_status is ReviewStatus.REJECTED
    assert "No names or personal details" in _text(
        _as(app, world["holder"]).get(f"/my/ratings/{rating.id}"))
    page = _text(app.test_client().get(f"/services/{world['service'].id}"))
    assert "07700 900123" not in page and "Fewer than 3 ratings" in page


def test_officers_of_another_council_cannot_moderate_or_see_our_reviews(app, db_session,
                                                                          world):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    rating = rated(db_session, world["holder"], world["service"], text="Secret words.")
    elsewhere = _as(app, world["elsewhere"])
    assert "Secret words." not in _text(elsewhere.get("/council/reviews"))
    assert elsewhere.get(f"/council/reviews/{rating.id}").status_code == 403


def test_the_rules_page_is_public(client):
    page = _text(client.get("/reviews/rules"))
    assert "No names or personal details" in page and "No advertising" in page


# --- safeguarding ----------------------------------------------------------------


def test_a_worried_review_goes_to_the_safeguarding_queue_and_is_never_public(
        app, db_session, world, outbox):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    client = _as(app, world["holder"])
    response = _rate(client, world["service"], stars="1", text="She was left without food.",
                     worried="y")
    assert response.status_code == 302
    rating = db_session.scalar(select(Rating))
    assert rating.review_status is ReviewStatus.SAFEGUARDING
    concern = db_session.scalar(select(SafeguardingConcern))
    assert concern.council_id == world["council"].id and "without food" in concern.text
    assert any(m["to"] == world["officer"].email for m in outbox)
    assert all("without food" not in m.get_content() for m in outbox)
    officer = _as(app, world["officer"])
    assert "Concern" in _text(officer.get("/council/safeguarding"))
    assert "without food" in _text(officer.get(f"/council/safeguarding/{concern.id}"))
    assert world["service"].name not in _text(officer.get("/council/reviews"))
    # A moderator cannot publish it; the other council cannot see it; the public never.
    assert "never be published" in _text(officer.get(f"/council/reviews/{rating.id}"))
    assert _as(app, world["elsewhere"]).get(
        f"/council/safeguarding/{concern.id}").status_code == 403
    for url in (f"/services/{world['service'].id}", f"/services/{world['service'].id}/reviews",
                f"/providers/{world['shop'].id}/reviews", "/provider/reviews"):
        viewer = _as(app, world["owner"]) if url.startswith("/provider/") else app.test_client()
        assert "without food" not in _text(viewer.get(url))
    # Changing the review later never publishes it.
    _rate(client, world["service"], stars="1", text="Still worried.")
    assert db_session.get(Rating, rating.id).review_status is ReviewStatus.SAFEGUARDING
    closed = form_post(officer, f"/council/safeguarding/{concern.id}",
                       {"resolution": "Visited; care plan changed."})
    assert closed.status_code == 302
    assert db_session.get(SafeguardingConcern, concern.id).closed_at is not None


def test_a_moderator_can_pass_a_review_to_safeguarding(app, db_session, world):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    rating = rated(db_session, world["holder"], world["service"], text="Bruises again.")
    officer = _as(app, world["officer"])
    form_post(officer, f"/council/reviews/{rating.id}",
              {"decision": "safeguarding", "note": "Looks like possible neglect."})
    concern = db_session.scalar(select(SafeguardingConcern))
    assert concern.source.value == "moderator" and "possible neglect" in concern.text
    assert db_session.get(Rating, rating.id).review_status is ReviewStatus.SAFEGUARDING


def test_safeguarding_is_for_council_officers_only(app, db_session, world, make_user):
    for role in (Role.ADMINISTRATOR, Role.PROVIDER_STAFF, Role.BUDGET_HOLDER,
                 Role.COMMISSIONER):
        assert _as(app, make_user(role)).get("/council/safeguarding").status_code == 403


# --- replies and reports ---------------------------------------------------------


def _published(db_session, world, text="Kind and on time."):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    return rated(db_session, world["holder"], world["service"], text=text,
                 status=ReviewStatus.PUBLISHED)


def test_the_provider_replies_once_and_can_edit_but_not_reply_twice(app, db_session, world):
    rating = _published(db_session, world)
    owner = _as(app, world["owner"])
    assert "Kind and on time." in _text(owner.get("/provider/reviews"))
    url = f"/provider/reviews/{rating.id}/reply"
    page = _text(owner.get(url))
    key = re.search(r'name="form_key" type="hidden" value="([^"]+)"', page).group(1)
    first = owner.post(url, data={"text": "Thank you!", "form_key": key,
                                  "csrf_token": csrf_token(owner, url)})
    assert first.status_code == 302
    again = form_post(owner, url, {"text": "Second reply", "form_key": "k" * 24})
    assert again.status_code == 400
    assert "already replied to this review" in _text(again)
    edited = form_post(owner, f"{url}?edit=1", {"text": "Thank you, Mrs O!",
                                                "form_key": "k" * 24})
    assert edited.status_code == 302
    assert _count(db_session, ReviewReply) == 1
    assert db_session.scalar(select(ReviewReply.text)) == "Thank you, Mrs O!"
    page = _text(app.test_client().get(f"/services/{world['service'].id}"))
    assert "Reply from Willow Care" in page and "Thank you, Mrs O!" in page


def test_another_provider_cannot_reply_and_no_provider_can_remove(app, db_session, world):
    rating = _published(db_session, world)
    rival = _as(app, world["rival"])
    assert rival.get(f"/provider/reviews/{rating.id}/reply").status_code == 403
    owner_paths = [rule.rule for rule in app.url_map.iter_rules()
                   if rule.endpoint.startswith("provider_reviews.")]
    assert all("delete" not in p and "remove" not in p for p in owner_paths)


def test_anyone_can_report_a_published_review_and_it_reaches_the_moderators(
        app, db_session, world, client):
    rating = _published(db_session, world)
    response = form_post(client, f"/reviews/{rating.id}/report",
                         {"reason": "advertising", "details": "An advert."})
    assert response.status_code == 302
    assert db_session.scalar(select(ReviewReport)).reporter_id is None
    assert db_session.get(Rating, rating.id).published  # up until a moderator decides
    assert "It is advertising" in _text(_as(app, world["officer"]).get("/council/reviews"))
    owner = _as(app, world["owner"])
    form_post(owner, f"/reviews/{rating.id}/report", {"reason": "untrue"})
    assert db_session.scalars(select(ReviewReport.from_provider)).all() == [False, True]


def test_a_report_of_a_safety_worry_takes_the_review_down_at_once(app, db_session, world,
                                                                    client):
    rating = _published(db_session, world, text="My dad came home hurt.")
    form_post(client, f"/reviews/{rating.id}/report", {"reason": "safety"})
    assert db_session.get(Rating, rating.id).review_status is ReviewStatus.SAFEGUARDING
    assert _count(db_session, SafeguardingConcern) == 1
    assert "came home hurt" not in _text(client.get(f"/services/{world['service'].id}"))


def test_only_published_reviews_can_be_reported(app, db_session, world, client):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    rating = rated(db_session, world["holder"], world["service"], text="Pending.")
    assert client.get(f"/reviews/{rating.id}/report").status_code == 404


# --- figures ---------------------------------------------------------------------


def test_the_page_shows_the_average_count_and_distribution_of_the_stored_ratings(
        app, db_session, world, make_user):
    for stars in (5, 4, 4, 2):
        buyer = make_user(Role.BUDGET_HOLDER)
        bought(db_session, buyer, world["shop"], world["service"], world["council"])
        rated(db_session, buyer, world["service"], stars=stars)
    page = _text(app.test_client().get(f"/services/{world['service'].id}"))
    # Every rating is in this category, so its mean (3.75) is the prior: fair = plain.
    assert "3.8 out of 5" in page and "from 4 ratings" in page
    assert "The simple average of these ratings is 3.8" in page
    for stars, count, share in ((5, 1, 25), (4, 2, 50), (3, 0, 0), (2, 1, 25), (1, 0, 0)):
        row = page.split(f"{stars} star{'s' if stars > 1 else ''} out of 5</th>")[1][:200]
        assert f">{count}</td>" in row and f">{share}%</td>" in row, stars
    provider_page = _text(app.test_client().get(f"/providers/{world['shop'].id}"))
    assert "3.8 out of 5" in provider_page and "from 4 ratings" in provider_page
    assert "not by people who bought" in provider_page


def test_the_fair_average_pulls_a_few_ratings_towards_the_category_mean(
        app, db_session, world, make_user):
    other_owner = make_user(Role.PROVIDER_STAFF)
    _, big = make_shop(db_session, other_owner, name="Big Care")
    for _n in range(10):
        buyer = make_user(Role.BUDGET_HOLDER)
        bought(db_session, buyer, big.provider, big, world["council"])
        rated(db_session, buyer, big, stars=3)
    for _n in range(3):
        buyer = make_user(Role.BUDGET_HOLDER)
        bought(db_session, buyer, world["shop"], world["service"], world["council"])
        rated(db_session, buyer, world["service"], stars=5)
    page = _text(app.test_client().get(f"/services/{world['service'].id}"))
    # Category mean (10x3 + 3x5) / 13 = 3.46; fair = (5 x 3.46 + 15) / 8 = 4.04.
    assert "4.0 out of 5" in page and "The simple average of these ratings is 5.0" in page


def test_cqc_and_council_scores_are_labelled_as_different_from_ratings(app, db_session,
                                                                         world):
    from catalogue.models import CqcRating
    from marketplace.ratings.models import CouncilQualityScore

    world["shop"].cqc_rating = CqcRating.GOOD
    db_session.add(CouncilQualityScore(council_id=world["council"].id,
                                       provider_id=world["shop"].id, score=82,
                                       assessed_on=date(2026, 5, 1)))
    db_session.commit()
    page = _text(app.test_client().get(f"/services/{world['service'].id}"))
    assert "Care Quality Commission (CQC) inspection rating: Good" in page
    assert "not a rating by people who bought" in page
    assert "quality score: 82 out of 100" in page


# --- bad input -------------------------------------------------------------------


@pytest.mark.parametrize("stars", ["0", "6", "-1", "4.5", "<script>alert(1)</script>", ""])
def test_stars_outside_one_to_five_are_refused_clearly(app, db_session, world, stars):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    response = _rate(_as(app, world["holder"]), world["service"], stars=stars)
    assert response.status_code == 400
    assert "Choose from 1 to 5 stars" in _text(response)
    assert _count(db_session, Rating) == 0


def test_a_50000_character_review_is_refused_clearly(app, db_session, world):
    bought(db_session, world["holder"], world["shop"], world["service"], world["council"])
    response = _rate(_as(app, world["holder"]), world["service"], text="x" * 50_000)
    assert response.status_code == 400
    assert "Your review must be 2,000 characters or fewer" in _text(response)
    assert _count(db_session, Rating) == 0


def test_a_reply_that_is_too_long_or_empty_is_refused(app, db_session, world):
    rating = _published(db_session, world)
    owner = _as(app, world["owner"])
    url = f"/provider/reviews/{rating.id}/reply"
    for text, message in (("x" * 50_000, "2,000 characters or fewer"),
                          ("   ", "Enter your reply")):
        response = form_post(owner, url, {"text": text, "form_key": "k" * 24})
        assert response.status_code == 400 and message in _text(response)
    assert _count(db_session, ReviewReply) == 0
