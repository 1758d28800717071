"""The Community Catalogue through the browser's eyes (Flask test client): public
pages, "what's on", organisers adding and editing listings, moderation, reports,
freshness and reminders."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from catalogue.models import (
    CommunityListing,
    CommunityListingStatus,
    CommunityOrganisation,
    CommunityReport,
    CommunityReview,
    ReportStatus,
    ReviewKind,
    ReviewOutcome,
    ScheduleFreq,
    VettingStatus,
)
from marketplace.accounts.roles import Role
from marketplace.db import utcnow
from tests.conftest import csrf_token, sign_in
from tests.functional.community_helpers import FAR, make_group, make_listing

MONDAY = date(2026, 3, 2)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture()
def organiser(make_user):
    return make_user(Role.COMMUNITY_ORGANISER, name="Olwen Organiser")


@pytest.fixture()
def group(db_session, organiser, council):
    return make_group(db_session, organiser, council=council)


# --- public pages ---------------------------------------------------------------------

def test_browse_category_and_listing_pages_show_public_listings_only(client, db_session, group):
    shown = make_listing(db_session, group, name="Park walkers")
    waiting = make_listing(db_session, group, name="Waiting walkers",
                           status=CommunityListingStatus.PENDING)
    hidden = make_listing(db_session, group, name="Forgotten walkers", confirmed_days_ago=300)
    flagged = make_listing(db_session, group, name="Old walkers", confirmed_days_ago=200)
    index = text(client.get("/community-groups"))
    assert "Walking and the outdoors (2)" in index
    page = text(client.get("/community-groups/categories/walking-and-outdoors"))
    assert "Park walkers" in page and "Old walkers" in page
    assert "Waiting walkers" not in page and "Forgotten walkers" not in page
    listing = client.get(f"/community-groups/{shown.id}")
    assert listing.status_code == 200
    body = text(listing)
    assert "Every Tuesday, 10:00 to 11:30" in body and "Next dates" in body
    assert "Free" in body and "Report a problem with this listing" in body
    assert "has not confirmed this listing" not in body
    assert "has not confirmed this listing" in text(client.get(f"/community-groups/{flagged.id}"))
    for gone in (waiting.id, hidden.id, 999_999):
        assert client.get(f"/community-groups/{gone}").status_code == 404
    assert client.get("/community-groups/categories/no-such-thing").status_code == 404


def test_a_listing_of_an_organisation_the_council_has_not_approved_is_not_public(
        client, db_session, organiser):
    pending = make_group(db_session, organiser, name="New group", status=VettingStatus.PENDING)
    listing = make_listing(db_session, pending)
    assert client.get(f"/community-groups/{listing.id}").status_code == 404


def test_whats_on_shows_each_listing_on_its_days_near_the_postcode(
        client, db_session, group, freeze_today):
    freeze_today(MONDAY)
    make_listing(db_session, group, name="Tuesday walkers", byday="TU")
    make_listing(db_session, group, name="Monthly singers", freq=ScheduleFreq.MONTHLY,
                 byday="1TH")  # 5 March 2026
    make_listing(db_session, group, name="Faraway walkers", byday="TU", postcode=FAR)
    make_listing(db_session, group, name="One-off fair", freq=ScheduleFreq.ONCE,
                 dtstart=date(2026, 3, 7))
    page = text(client.get("/whats-on?postcode=HA1&within=5"))
    tuesday = page.index("Tuesday 3 March")
    thursday = page.index("Thursday 5 March")
    saturday = page.index("Saturday 7 March")
    assert tuesday < page.index("Tuesday walkers") < page.index("Wednesday 4 March")
    assert thursday < page.index("Monthly singers") < page.index("Friday 6 March")
    assert saturday < page.index("One-off fair")
    assert "Faraway walkers" not in page
    assert "Faraway walkers" in text(client.get("/whats-on"))
    next_week = text(client.get("/whats-on?from=2026-03-09"))
    assert "Tuesday walkers" in next_week and "Monthly singers" not in next_week


def test_whats_on_filters_free_and_category(client, db_session, group, freeze_today):
    freeze_today(MONDAY)
    make_listing(db_session, group, name="Free walk")
    make_listing(db_session, group, name="Paid lunch", cost_pence=350, category="lunch-clubs")
    free = text(client.get("/whats-on?free=yes"))
    assert "Free walk" in free and "Paid lunch" not in free
    lunch = text(client.get("/whats-on?category=lunch-clubs"))
    assert "Paid lunch" in lunch and "Small charge: £3.50" in lunch and "Free walk" not in lunch


@pytest.mark.parametrize(("query", "message"), [
    ("postcode=ZZ99+9ZZ", "We do not recognise the postcode"),
    ("within=abc", "Choose a distance from the list"),
    ("within=7", "Choose a distance from the list"),
    ("from=yesterday", "Choose a week from the links on the page"),
    ("from=2020-01-01", "You can look at the next 12 months only"),
    ("from=2099-01-01", "You can look at the next 12 months only"),
    ("category=%3Cscript%3E", "Choose a category from the list"),
])
def test_whats_on_explains_bad_input_clearly(client, query, message):
    response = client.get(f"/whats-on?{query}")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "govuk-error-summary" in body and message in body
    assert "<script>" not in body


# --- report a problem -----------------------------------------------------------------

def test_a_report_reaches_the_organiser_and_the_council(client, db_session, group, organiser,
                                                         outbox):
    listing = make_listing(db_session, group)
    url = f"/community-groups/{listing.id}/report"
    response = client.post(url, data={"reason": "wrong_times", "details": "It starts at 11",
                                      "contact_email": "me@example.org",
                                      "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    report = db_session.scalar(select(CommunityReport))
    assert report.status is ReportStatus.OPEN and report.contact_email == "me@example.org"
    recipients = {message["To"] for message in outbox}
    assert organiser.email in recipients
    council_mail = [m for m in outbox if m["To"] != organiser.email]
    assert council_mail and "me@example.org" in council_mail[0].get_content()
    organiser_mail = next(m for m in outbox if m["To"] == organiser.email)
    assert "me@example.org" not in organiser_mail.get_content()
    assert "Your report has been sent" in text(client.get(response.headers["Location"]))


def test_a_concern_goes_to_the_council_only(client, db_session, group, organiser, outbox):
    listing = make_listing(db_session, group)
    url = f"/community-groups/{listing.id}/report"
    client.post(url, data={"reason": "concern", "details": "Worried",
                           "csrf_token": csrf_token(client, url)})
    assert organiser.email not in {message["To"] for message in outbox}


def test_a_report_needs_a_reason_and_details_for_something_else(client, db_session, group):
    listing = make_listing(db_session, group)
    url = f"/community-groups/{listing.id}/report"
    token = csrf_token(client, url)
    for data, message in (({}, "Select what the problem is"),
                          ({"reason": "other"}, "Tell us what the problem is"),
                          ({"reason": "other", "details": "x", "contact_email": "nope"},
                           "Enter an email address in the correct format")):
        response = client.post(url, data={**data, "csrf_token": token})
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(CommunityReport.id))) == 0


# --- organisers -----------------------------------------------------------------------

LISTING_FORM = {
    "name": "Thursday Chatterbox", "summary": "Tea and a chat.", "kind": "drop_in",
    "category": "befriending", "cost": "free", "languages": ["en", "pl"],
    "accessibility": ["step-free"], "place_name": "St Mary's Hall",
    "place_address_1": "1 Church Lane", "place_city": "Harrow", "place_postcode": "ha1 3aa",
}


def _add_listing(client, group, **changes):
    url = f"/community/organisations/{group.id}/listings/new"
    return client.post(url, data={**LISTING_FORM, **changes, "csrf_token": csrf_token(client,
                                                                                        url)})


def test_the_organisers_home_lists_their_groups_and_listings(client, db_session, organiser,
                                                             group, make_user):
    make_listing(db_session, group, name="Park walkers")
    other = make_group(db_session, make_user(Role.COMMUNITY_ORGANISER), name="Not mine")
    make_listing(db_session, other, name="Someone else's walk")
    sign_in(client, organiser)
    page = text(client.get("/community"))
    assert "Harrow Walking Friends" in page and "Park walkers" in page
    assert "Not mine" not in page and "Someone else's walk" not in page
    assert "Still accurate" in page and "Add a listing" in page


def test_an_organiser_adds_a_listing_which_waits_for_approval(client, db_session, organiser,
                                                              group):
    sign_in(client, organiser)
    response = _add_listing(client, group)
    assert response.status_code == 302
    listing = db_session.scalar(select(CommunityListing))
    assert listing.status is CommunityListingStatus.PENDING and listing.is_free
    assert listing.locations[0].location.postcode == "HA1 3AA"
    assert listing.locations[0].location.latitude is not None
    assert "befriending" in listing.search_text.lower() or "Befriending" in listing.search_text
    review = db_session.scalar(select(CommunityReview).where(
        CommunityReview.kind == ReviewKind.NEW_LISTING))
    assert review.listing_id == listing.id and review.status is ReportStatus.OPEN
    assert client.get(f"/community-groups/{listing.id}").status_code == 404


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": ""}, "Enter the name"),
    ({"cost": "charge", "charge": ""}, "Enter how much it costs"),
    ({"cost": "charge", "charge": "75", "cost_description": "Lunch"}, "£50 or less"),
    ({"cost": "charge", "charge": "2"}, "Say what the charge covers"),
    ({"cost": "charge", "charge": "-2"}, "cannot be negative"),
    ({"min_age": "60", "max_age": "18"}, "The oldest age must be"),
    ({"place_name": "", "place_address_1": "", "place_city": "", "place_postcode": ""},
     "Choose where it happens, or add a place"),
    ({"place_postcode": "XX1 1XX"}, "We do not recognise the postcode"),
    ({"website": "walks.example"}, "starting https://"),
    ({"phone": "call me"}, "Enter a phone number"),
    ({"category": "personal-care"}, "Select the category that fits best"),
    ({"languages": ["xx"]}, "Select only from the options shown"),
])
def test_bad_listing_input_is_explained_and_saves_nothing(client, db_session, organiser, group,
                                                          changes, message):
    sign_in(client, organiser)
    response = _add_listing(client, group, **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(CommunityListing.id))) == 0


def test_organisers_cannot_touch_another_organisations_things(client, db_session, group,
                                                               make_user):
    listing = make_listing(db_session, group)
    sign_in(client, make_user(Role.COMMUNITY_ORGANISER))
    for url in (f"/community/organisations/{group.id}/listings/new",
                f"/community/listings/{listing.id}", f"/community/listings/{listing.id}/edit",
                f"/community/schedules/{listing.schedules[0].id}/edit",
                f"/community/places/{listing.locations[0].location_id}/edit",
                f"/community/organisations/{group.id}"):
        assert client.get(url).status_code == 403, url
    for url in ("/community/listings/999999", "/community/organisations/999999"):
        assert client.get(url).status_code == 404
    token = csrf_token(client, "/accessibility")
    for action in ("confirm", "withdraw", "republish"):
        response = client.post(f"/community/listings/{listing.id}/{action}",
                               data={"csrf_token": token})
        assert response.status_code == 403


def test_a_weekly_schedule_is_added_and_shown(client, db_session, organiser, group,
                                              freeze_today):
    freeze_today(MONDAY)
    listing = make_listing(db_session, group)
    sign_in(client, organiser)
    url = f"/community/listings/{listing.id}/schedules/new"
    response = client.post(url, data={
        "freq": "weekly", "dtstart": ["2", "3", "2026"], "opens_at": "2pm", "closes_at": "15:30",
        "days": ["MO", "TH"], "every_weeks": "2", "until": ["", "", ""],
        "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    added = db_session.get(CommunityListing, listing.id).schedules[-1]
    assert (added.freq, added.byday, added.interval) == (ScheduleFreq.WEEKLY, "MO,TH", 2)
    page = text(client.get(f"/community/listings/{listing.id}"))
    assert "Every 2 weeks on Monday and Thursday, 14:00 to 15:30" in page


def test_a_monthly_schedule_on_the_last_friday(client, db_session, organiser, group):
    listing = make_listing(db_session, group)
    sign_in(client, organiser)
    url = f"/community/listings/{listing.id}/schedules/new"
    client.post(url, data={"freq": "monthly", "dtstart": ["1", "3", "2026"],
                           "opens_at": "19:00", "closes_at": "21:00", "week_of_month": "-1",
                           "month_day": "FR", "csrf_token": csrf_token(client, url)})
    assert db_session.get(CommunityListing, listing.id).schedules[-1].byday == "-1FR"


@pytest.mark.parametrize(("data", "message"), [
    ({"freq": "weekly"}, "Select the days it happens"),
    ({"freq": "monthly"}, "Select which one in the month"),
    ({"freq": "once", "closes_at": "09:00"}, "The end time must be after the start time"),
    ({"freq": "weekly", "days": ["MO"], "until": ["1", "1", "2026"]},
     "The last date must be the same as or after the first"),
    ({"freq": "once", "dtstart": ["31", "2", "2026"]}, "Enter a real date"),
    ({"freq": "weekly", "days": ["XX"]}, "Select only from the options shown"),
    ({"freq": "fortnightly"}, "Select how often it happens"),
])
def test_bad_schedules_are_explained_and_save_nothing(client, db_session, organiser, group,
                                                      data, message):
    listing = make_listing(db_session, group)
    sign_in(client, organiser)
    url = f"/community/listings/{listing.id}/schedules/new"
    base = {"dtstart": ["2", "3", "2026"], "opens_at": "10:00", "closes_at": "12:00",
            "every_weeks": "1"}
    response = client.post(url, data={**base, **data, "csrf_token": csrf_token(client, url)})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert len(db_session.get(CommunityListing, listing.id).schedules) == 1


def test_changing_a_published_listing_shows_at_once_and_queues_the_change(
        client, db_session, organiser, group):
    listing = make_listing(db_session, group, name="Park walkers")
    sign_in(client, organiser)
    url = f"/community/listings/{listing.id}/edit"
    form = {**LISTING_FORM, "name": "Park striders", "places":
            [str(listing.locations[0].location_id)], "place_name": "", "place_address_1": "",
            "place_city": "", "place_postcode": ""}
    response = client.post(url, data={**form, "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    listing = db_session.get(CommunityListing, listing.id)
    assert listing.name == "Park striders" and listing.status is CommunityListingStatus.PUBLISHED
    review = db_session.scalar(select(CommunityReview).where(
        CommunityReview.kind == ReviewKind.CHANGED_LISTING))
    assert {"field": "name", "before": "Park walkers", "after": "Park striders"} in \
        review.changes


def test_still_accurate_withdraw_and_put_back(client, db_session, organiser, group):
    listing = make_listing(db_session, group, confirmed_days_ago=200)
    sign_in(client, organiser)
    assert "Yes, it is still accurate" in text(client.get(
        f"/community/listings/{listing.id}/confirm"))
    token = csrf_token(client, "/accessibility")
    client.post(f"/community/listings/{listing.id}/confirm", data={"csrf_token": token})
    assert (utcnow() - db_session.get(CommunityListing, listing.id).last_confirmed_at).days == 0
    client.post(f"/community/listings/{listing.id}/withdraw", data={"csrf_token": token})
    assert db_session.get(CommunityListing, listing.id).status is \
        CommunityListingStatus.WITHDRAWN
    client.post(f"/community/listings/{listing.id}/republish", data={"csrf_token": token})
    # never approved: back in the queue
    assert db_session.get(CommunityListing, listing.id).status is CommunityListingStatus.PENDING
    assert client.post(f"/community/listings/{listing.id}/confirm",
                       data={"csrf_token": "forged"}).status_code == 400


# --- moderation -----------------------------------------------------------------------

def _decide(client, review, decision, note=""):
    url = f"/council/community/reviews/{review.id}"
    return client.post(url, data={"decision": decision, "note": note,
                                  "csrf_token": csrf_token(client, url)})


def test_an_officer_approves_a_new_listing_and_it_becomes_public(
        client, db_session, organiser, group, make_user, outbox):
    sign_in(client, organiser)
    _add_listing(client, group)
    client.get("/sign-out")
    listing = db_session.scalar(select(CommunityListing))
    review = db_session.scalar(select(CommunityReview).where(
        CommunityReview.listing_id == listing.id))
    client = client.application.test_client()
    sign_in(client, make_user(Role.COUNCIL_OFFICER))
    assert "Thursday Chatterbox" in text(client.get("/council/community"))
    assert _decide(client, review, "approved").status_code == 302
    listing = db_session.get(CommunityListing, listing.id)
    review = db_session.get(CommunityReview, review.id)
    assert listing.status is CommunityListingStatus.PUBLISHED and listing.approved_at
    assert review.status is ReportStatus.CLOSED and review.outcome is ReviewOutcome.APPROVED
    assert client.get(f"/community-groups/{listing.id}").status_code == 200
    assert organiser.email in {message["To"] for message in outbox}
    assert "Thursday Chatterbox" in text(client.get("/council/community?status=closed"))


def test_not_approving_needs_a_note_the_organiser_then_sees(client, db_session, organiser,
                                                             group, make_user):
    listing = make_listing(db_session, group, status=CommunityListingStatus.PENDING)
    review = CommunityReview(kind=ReviewKind.NEW_LISTING, organisation=group, listing=listing)
    db_session.add(review)
    db_session.commit()
    sign_in(client, make_user(Role.COUNCIL_OFFICER))
    response = _decide(client, review, "rejected")
    assert response.status_code == 400 and "Say why" in response.get_data(as_text=True)
    assert _decide(client, review, "accepted").status_code == 400  # not offered here
    _decide(client, review, "rejected", "Give the full address")
    listing = db_session.get(CommunityListing, listing.id)
    assert listing.status is CommunityListingStatus.REJECTED
    assert listing.moderation_note == "Give the full address"


def test_new_organisations_join_the_queue_and_approval_gives_them_the_council(
        client, db_session, make_user, council):
    group = make_group(db_session, make_user(Role.COMMUNITY_ORGANISER), name="Brand new",
                       status=VettingStatus.PENDING)
    review = db_session.scalar(select(CommunityReview).where(
        CommunityReview.organisation_id == group.id))
    assert review.kind is ReviewKind.NEW_ORGANISATION
    sign_in(client, make_user(Role.COUNCIL_OFFICER))
    _decide(client, review, "approved")
    group = db_session.get(CommunityOrganisation, group.id)
    assert group.status is VettingStatus.APPROVED and group.council_id == council.id
    assert _decide(client, review, "approved").status_code == 400  # already decided


def test_officers_cannot_moderate_another_councils_groups(client, db_session, make_user,
                                                          other_council):
    theirs = make_group(db_session, make_user(Role.COMMUNITY_ORGANISER), council=other_council,
                        name="Elsewhere group", status=VettingStatus.PENDING)
    review = db_session.scalar(select(CommunityReview).where(
        CommunityReview.organisation_id == theirs.id))
    sign_in(client, make_user(Role.COUNCIL_OFFICER))
    assert "Elsewhere group" not in text(client.get("/council/community"))
    assert client.get(f"/council/community/reviews/{review.id}").status_code == 403
    assert client.get("/council/community/reviews/999999").status_code == 404


def test_moderators_close_reports_and_can_take_a_listing_down(client, db_session, group,
                                                              make_user):
    listing = make_listing(db_session, group)
    report = CommunityReport(listing=listing, reason="no_longer_running", details="Gone")
    db_session.add(report)
    db_session.commit()
    sign_in(client, make_user(Role.ADMINISTRATOR))
    assert listing.name in text(client.get("/council/community/reports"))
    url = f"/council/community/reports/{report.id}"
    response = client.post(url, data={"resolution": "", "take_down": "no",
                                      "csrf_token": csrf_token(client, url)})
    assert response.status_code == 400
    client.post(url, data={"resolution": "The group has closed", "take_down": "yes",
                           "csrf_token": csrf_token(client, url)})
    assert db_session.get(CommunityReport, report.id).status is ReportStatus.CLOSED
    assert db_session.get(CommunityListing, listing.id).status is CommunityListingStatus.REJECTED
    assert listing.name in text(client.get("/council/community/reports?status=closed"))
    assert client.get(f"/community-groups/{listing.id}").status_code == 404


# --- reminders --------------------------------------------------------------------------

def test_the_reminder_command_is_idempotent(app, db_session, group, organiser, outbox):
    due = make_listing(db_session, group, name="Due", confirmed_days_ago=160)
    make_listing(db_session, group, name="Fresh", confirmed_days_ago=10)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["community", "remind"])
    assert "1 listing(s): 1 e-mail(s)" in first.output
    mail = [m for m in outbox if m["To"] == organiser.email]
    assert len(mail) == 1 and "Due" in mail[0]["Subject"]
    assert f"/community/listings/{due.id}/confirm" in mail[0].get_content()
    second = runner.invoke(args=["community", "remind"])
    assert "0 listing(s): 0 e-mail(s)" in second.output
    assert db_session.get(CommunityListing, due.id).reminder_sent_at is not None


def test_a_flagged_listing_gets_one_more_reminder(app, db_session, group, organiser, outbox):
    listing = make_listing(db_session, group, confirmed_days_ago=190)
    listing.reminder_sent_at = listing.last_confirmed_at + timedelta(days=155)
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["community", "remind"])
    assert "1 e-mail(s)" in result.output
    assert "possibly out of date" in outbox[-1].get_content()


def test_the_organisation_counts_are_right(db_session, group):
    assert db_session.scalar(select(func.count(CommunityOrganisation.id))) == 1


# --- search -----------------------------------------------------------------------------

def test_search_shows_community_listings_labelled_and_a_free_filter(client, db_session,
                                                                    group):
    make_listing(db_session, group, name="Knit and Natter", summary="Knitting with tea.")
    make_listing(db_session, group, name="Knitting lunch", summary="Knitting and lunch.",
                 cost_pence=300)
    page = text(client.get("/search?q=knitting"))
    assert "2 community groups and activities" in page
    assert "Community Free" in page and "Small charge: £3.00" in page
    free = text(client.get("/search?q=knitting&free=yes"))
    assert "1 free community group or activity found" in free
    assert "Knit and Natter" in free and "Knitting lunch" not in free
    assert "services found" not in free  # the paid results are left out
    assert client.get("/search?q=knitting&free=yes&page=abc").status_code == 200


def test_a_group_without_organisers_is_reminded_at_its_own_address(app, db_session, outbox):
    group = make_group(db_session, None, name="No organisers yet")
    make_listing(db_session, group, confirmed_days_ago=200)
    result = app.test_cli_runner().invoke(args=["community", "remind"])
    assert "1 e-mail(s)" in result.output
    assert outbox[-1]["To"] == "group@example.org"
    assert outbox[-1].get_content().startswith("Hello,")
