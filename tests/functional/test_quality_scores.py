"""Council quality scores: an officer sets, changes and removes their own council's
score of a provider; it shows beside the CQC rating and buyers' ratings, labelled as
the council's; every change is audited; other roles and other councils cannot."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.accounts.roles import Role
from marketplace.audit import AuditEvent
from marketplace.ratings.models import CouncilQualityScore
from tests.functional.board_helpers import client_as, text_of
from tests.functional.ordering_helpers import form_post, make_shop


@pytest.fixture()
def world(db_session, make_user, council, other_council):
    owner = make_user(Role.PROVIDER_STAFF)
    shop, service = make_shop(db_session, owner)
    return {"shop": shop, "service": service, "council": council,
            "other_council": other_council, "officer": make_user(Role.COUNCIL_OFFICER)}


def _set(client, provider, council, score="82", day=None):
    day = day or date(2026, 5, 1)
    return form_post(client, f"/council/quality-scores/{provider.id}", {
        "council": str(council.id), "score": score,
        "assessed_on": [str(day.day), str(day.month), str(day.year)]})


def _scores(session):
    return session.execute(select(CouncilQualityScore.council_id, CouncilQualityScore.score,
                                  CouncilQualityScore.assessed_on)).all()


def test_an_officer_sets_and_changes_the_score_and_it_is_audited(app, db_session, world):
    officer = client_as(app, world["officer"])
    found = text_of(officer.get("/council/quality-scores?q=willow"))
    assert f"/council/quality-scores/{world['shop'].id}" in found
    assert _set(officer, world["shop"], world["council"]).status_code == 302
    assert _scores(db_session) == [(world["council"].id, 82, date(2026, 5, 1))]
    page = text_of(app.test_client().get(f"/services/{world['service'].id}"))
    assert "Testshire County Council quality score: 82 out of 100" in page
    assert "not a rating by people who bought" in page
    assert _set(officer, world["shop"], world["council"], score="64").status_code == 302
    assert [row[1] for row in _scores(db_session)] == [64]
    events = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "quality_score.set").order_by(AuditEvent.id)).all()
    assert [e.detail["score"] for e in events] == [82, 64]
    assert events[1].detail["before"]["score"] == 82
    assert all(e.actor_id == world["officer"].id for e in events)
    assert "64 out of 100" in text_of(officer.get("/council/quality-scores"))


def test_an_officer_removes_their_councils_score(app, db_session, world):
    officer = client_as(app, world["officer"])
    _set(officer, world["shop"], world["council"])
    url = f"/council/quality-scores/{world['shop'].id}"
    assert "Remove Testshire County Council" in text_of(officer.get(url))
    response = form_post(officer, f"{url}/remove", {"council": str(world["council"].id)},
                         token_from=url)
    assert response.status_code == 302
    assert _scores(db_session) == []
    assert db_session.scalar(select(AuditEvent.detail).where(
        AuditEvent.action == "quality_score.removed"))["score"] == 82


def test_only_the_councils_own_officers_set_its_score(app, db_session, world, make_user):
    db_session.add(CouncilQualityScore(council_id=world["other_council"].id,
                                       provider_id=world["shop"].id, score=40,
                                       assessed_on=date(2026, 1, 1)))
    db_session.commit()
    officer = client_as(app, world["officer"])
    response = _set(officer, world["shop"], world["other_council"], score="99")
    assert response.status_code == 400 and "Choose your council" in text_of(response)
    url = f"/council/quality-scores/{world['shop'].id}"
    form_post(officer, f"{url}/remove", {"council": str(world["other_council"].id)},
              token_from=url)
    assert _scores(db_session) == [(world["other_council"].id, 40, date(2026, 1, 1))]
    for role in (Role.ADMINISTRATOR, Role.PROVIDER_STAFF, Role.BUDGET_HOLDER,
                 Role.COMMISSIONER, Role.FINANCE_OFFICER):
        client = client_as(app, make_user(role))
        assert client.get(url).status_code == 403, role
        assert client.get("/council/quality-scores").status_code == 403, role


@pytest.mark.parametrize(("score", "day", "message"), [
    ("101", None, "whole number from 0 to 100"),
    ("-1", None, "whole number from 0 to 100"),
    ("eighty", None, "whole number from 0 to 100"),
    ("", None, "Enter the score"),
    ("70", date.today() + timedelta(days=3), "must be today or in the past"),
])
def test_bad_scores_are_refused_clearly(app, db_session, world, score, day, message):
    response = _set(client_as(app, world["officer"]), world["shop"], world["council"], score=score,
                    day=day)
    assert response.status_code == 400 and message in text_of(response)
    assert _scores(db_session) == []


def test_an_unknown_or_unapproved_provider_has_no_score_page(app, db_session, world):
    from catalogue.models import VettingStatus

    world["shop"].status = VettingStatus.SUSPENDED
    db_session.commit()
    officer = client_as(app, world["officer"])
    assert officer.get("/council/quality-scores/999999").status_code == 404
    assert officer.get(f"/council/quality-scores/{world['shop'].id}").status_code == 404
