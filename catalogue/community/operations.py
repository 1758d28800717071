"""Community Catalogue operations. They take the session (or loaded objects), apply
the rules and flush at most; the view commits once. E-mails are queued in the
outbox in the same transaction (sent after the commit).

Moderation: a new listing is PENDING until a moderator approves it; a change to
a published listing is shown at once and queued for a moderator, who accepts it
or takes the listing down (REJECTED, with a note the organiser sees). Editing a
listing that was not approved sends it back for approval. A new organisation is
queued as it is created (whatever creates it: registration, demo data, import)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from catalogue.geo import UnknownPostcode, district_of, districts
from catalogue.models import (
    CommunityListing,
    CommunityListingLocation,
    CommunityListingStatus,
    CommunityLocation,
    CommunityOrganisation,
    CommunityOrganiser,
    CommunityReport,
    CommunityReportReason,
    CommunityReview,
    CommunitySchedule,
    ReportStatus,
    ReviewKind,
    ReviewOutcome,
    VettingStatus,
)
from catalogue.search import community_text  # noqa: F401 - keeps search_text true
from marketplace.mail import email_user, queue_email

LISTING_FIELDS = (
    "name", "summary", "description", "kind", "category", "cost_pence", "cost_description",
    "min_age", "max_age", "needs", "circumstances", "accessibility", "accessibility_notes",
    "languages", "email", "phone", "website",
)
SCHEDULE_FIELDS = ("freq", "interval", "byday", "bymonthday", "dtstart", "until", "valid_from",
                   "valid_to", "opens_at", "closes_at", "description", "notes")


class Refused(Exception):
    """A rule was broken; ``message`` (a lazy string) says what to do."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- new organisations join the queue -----------------------------------------------

@event.listens_for(Session, "before_flush")
def _queue_new_organisations(session, _context, _instances) -> None:
    for obj in list(session.new):
        if isinstance(obj, CommunityOrganisation) and obj.status in (None, VettingStatus.PENDING):
            session.add(CommunityReview(kind=ReviewKind.NEW_ORGANISATION, organisation=obj,
                                        council_id=obj.council_id))


# --- places ------------------------------------------------------------------------

def place_coordinates(postcode: str | None) -> tuple[float | None, float | None]:
    """Latitude and longitude of the postcode's district (catalogue.geo), if known."""
    try:
        place = districts()[district_of(postcode or "")]
    except UnknownPostcode:
        return None, None
    return place.latitude, place.longitude


def save_place(location: CommunityLocation, *, name: str, address_1: str, address_2: str,
               city: str, postcode: str | None, description: str = "") -> CommunityLocation:
    location.name = name.strip()
    location.address_1 = (address_1 or "").strip()
    location.address_2 = (address_2 or "").strip()
    location.city = (city or "").strip()
    location.postcode = postcode or None
    location.description = (description or "").strip()
    location.latitude, location.longitude = place_coordinates(postcode)
    return location


def set_places(listing: CommunityListing, locations: list[CommunityLocation]) -> None:
    wanted = {id(loc) for loc in locations}
    for link in list(listing.locations):
        if id(link.location) not in wanted:
            listing.locations.remove(link)
    have = {id(link.location) for link in listing.locations}
    for location in locations:
        if id(location) not in have:
            listing.locations.append(CommunityListingLocation(location=location))


# --- listings ----------------------------------------------------------------------

def _plain(value):
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, list):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _apply(listing: CommunityListing, values: dict) -> list[dict]:
    changes = []
    for field in LISTING_FIELDS:
        if field not in values:
            continue
        new = values[field]
        if isinstance(new, str) and field not in ("kind", "category"):
            new = new.strip()
            if field in ("email", "phone", "website"):
                new = new or None
        before = getattr(listing, field)
        if _plain(before) != _plain(new):
            changes.append({"field": field, "before": _plain(before), "after": _plain(new)})
            setattr(listing, field, new)
    return changes


def create_listing(session: Session, organisation: CommunityOrganisation, actor, now: datetime,
                   places: list[CommunityLocation], **values) -> CommunityListing:
    listing = CommunityListing(organisation=organisation, status=CommunityListingStatus.PENDING,
                               last_confirmed_at=now, needs=[], circumstances=[],
                               accessibility=[], languages=[])
    _apply(listing, values)
    set_places(listing, places)
    session.add(listing)
    session.add(CommunityReview(kind=ReviewKind.NEW_LISTING, organisation=organisation,
                                listing=listing, council_id=organisation.council_id,
                                created_by_id=getattr(actor, "id", None)))
    session.flush()
    return listing


def _open_review(session: Session, listing: CommunityListing, kind: ReviewKind):
    return session.scalar(select(CommunityReview).where(
        CommunityReview.listing_id == listing.id, CommunityReview.kind == kind,
        CommunityReview.status == ReportStatus.OPEN))


def record_change(session: Session, listing: CommunityListing, actor, changes: list[dict],
                  now: datetime) -> None:
    """Queue what an organiser changed, by the listing's state (see the module)."""
    if not changes:
        return
    listing.last_confirmed_at = now  # they have just looked at it and saved it
    if listing.status is CommunityListingStatus.PUBLISHED:
        review = _open_review(session, listing, ReviewKind.CHANGED_LISTING)
        if review is None:
            review = CommunityReview(kind=ReviewKind.CHANGED_LISTING,
                                     organisation_id=listing.organisation_id, listing=listing,
                                     council_id=listing.organisation.council_id,
                                     created_by_id=getattr(actor, "id", None), changes=[])
            session.add(review)
        review.changes = [*review.changes, *changes]
    elif listing.status is CommunityListingStatus.REJECTED:
        listing.status = CommunityListingStatus.PENDING
        if _open_review(session, listing, ReviewKind.NEW_LISTING) is None:
            session.add(CommunityReview(kind=ReviewKind.NEW_LISTING,
                                        organisation_id=listing.organisation_id,
                                        listing=listing,
                                        council_id=listing.organisation.council_id,
                                        created_by_id=getattr(actor, "id", None),
                                        changes=changes))


def update_listing(session: Session, listing: CommunityListing, actor, now: datetime,
                   places: list[CommunityLocation] | None = None, **values) -> list[dict]:
    changes = _apply(listing, values)
    if places is not None:
        before = sorted(link.location.name for link in listing.locations)
        set_places(listing, places)
        after = sorted(loc.name for loc in places)
        if before != after:
            changes.append({"field": "places", "before": before, "after": after})
    record_change(session, listing, actor, changes, now)
    session.flush()
    return changes


def save_schedule(session: Session, listing: CommunityListing, schedule: CommunitySchedule,
                  actor, now: datetime, **values) -> list[dict]:
    changes = []
    for field in SCHEDULE_FIELDS:
        if field in values and _plain(getattr(schedule, field)) != _plain(values[field]):
            changes.append({"field": f"schedule.{field}",
                            "before": _plain(getattr(schedule, field)),
                            "after": _plain(values[field])})
            setattr(schedule, field, values[field])
    if schedule.id is None:
        listing.schedules.append(schedule)
    record_change(session, listing, actor, changes, now)
    session.flush()
    return changes


def delete_schedule(session: Session, schedule: CommunitySchedule, actor, now: datetime) -> None:
    listing = schedule.listing
    listing.schedules.remove(schedule)
    record_change(session, listing, actor, [{"field": "schedule", "before": schedule.uuid,
                                              "after": None}], now)
    session.flush()


def confirm_accurate(listing: CommunityListing, now: datetime) -> None:
    listing.last_confirmed_at = now


def withdraw(listing: CommunityListing) -> None:
    if listing.status is CommunityListingStatus.WITHDRAWN:
        raise Refused(_l("This listing is already withdrawn."))
    listing.status = CommunityListingStatus.WITHDRAWN


def republish(session: Session, listing: CommunityListing, actor, now: datetime) -> None:
    """Put a withdrawn listing back: at once if a moderator approved it before,
    otherwise back in the queue."""
    if listing.status is not CommunityListingStatus.WITHDRAWN:
        raise Refused(_l("Only a withdrawn listing can be put back."))
    listing.last_confirmed_at = now
    if listing.approved_at is not None:
        listing.status = CommunityListingStatus.PUBLISHED
        return
    listing.status = CommunityListingStatus.PENDING
    if _open_review(session, listing, ReviewKind.NEW_LISTING) is None:
        session.add(CommunityReview(kind=ReviewKind.NEW_LISTING,
                                    organisation_id=listing.organisation_id, listing=listing,
                                    council_id=listing.organisation.council_id,
                                    created_by_id=getattr(actor, "id", None)))


# --- moderation --------------------------------------------------------------------

OUTCOMES = {
    ReviewKind.NEW_ORGANISATION: (ReviewOutcome.APPROVED, ReviewOutcome.REJECTED),
    ReviewKind.NEW_LISTING: (ReviewOutcome.APPROVED, ReviewOutcome.REJECTED),
    ReviewKind.CHANGED_LISTING: (ReviewOutcome.ACCEPTED, ReviewOutcome.REJECTED),
}


def decide(session: Session, review: CommunityReview, actor, outcome: ReviewOutcome,
           note: str, now: datetime, council_id: int | None = None) -> None:
    """Close a queue item with a decision and apply it; e-mail the organisers.
    ``council_id``: the deciding officer's council, given to an organisation that has
    none yet when it is approved."""
    if review.status is ReportStatus.CLOSED:
        raise Refused(_l("This has already been decided."))
    if outcome not in OUTCOMES[review.kind]:
        raise Refused(_l("Choose one of the decisions shown."))
    note = (note or "").strip()
    if outcome is ReviewOutcome.REJECTED and not note:
        raise Refused(_l("Say why, so the organiser knows what to change"))
    organisation, listing = review.organisation, review.listing
    if review.kind is ReviewKind.NEW_ORGANISATION:
        if outcome is ReviewOutcome.APPROVED:
            organisation.status = VettingStatus.APPROVED
            organisation.status_reason = None
            if organisation.council_id is None and council_id is not None:
                organisation.council_id = council_id
                review.council_id = council_id
        else:
            organisation.status = VettingStatus.SUSPENDED
            organisation.status_reason = note
    elif outcome is ReviewOutcome.APPROVED:
        listing.status = CommunityListingStatus.PUBLISHED
        listing.approved_at, listing.approved_by_id = now, actor.id
        listing.moderation_note = None
    elif outcome is ReviewOutcome.REJECTED:
        listing.status = CommunityListingStatus.REJECTED
        listing.moderation_note = note
        for other in session.scalars(select(CommunityReview).where(
                CommunityReview.listing_id == listing.id, CommunityReview.id != review.id,
                CommunityReview.status == ReportStatus.OPEN)):
            _close(other, actor, ReviewOutcome.SUPERSEDED, None, now)
    _close(review, actor, outcome, note or None, now)
    session.flush()
    _tell_organisers(session, review)


def _close(review, actor, outcome, note, now) -> None:
    review.status, review.outcome, review.note = ReportStatus.CLOSED, outcome, note
    review.closed_at, review.closed_by_id = now, actor.id


def organisers_of(session: Session, organisation: CommunityOrganisation) -> list:
    from marketplace.accounts.models import User

    return list(session.scalars(
        select(User).join(CommunityOrganiser, CommunityOrganiser.user_id == User.id)
        .where(CommunityOrganiser.organisation_id == organisation.id)
        .order_by(User.id)))


def email_organisers(session: Session, organisation: CommunityOrganisation, subject,
                     template: str, **context) -> int:
    """E-mail the organisation's organisers, each in their language; when it has no
    active organiser, its own address (in the site's language). Returns how many."""
    users = [user for user in organisers_of(session, organisation) if user.is_active]
    for user in users:
        email_user(session, user, subject, template, **context)
    if users or not organisation.email:
        return len(users)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        queue_email(session, organisation.email, str(subject),
                    render_template(template, user=None, **context))
    return 1


def _tell_organisers(session: Session, review: CommunityReview) -> None:
    subject = (_l("Your listing “%(name)s” has been reviewed", name=review.listing.name)
               if review.listing else
               _l("Your organisation “%(name)s” has been reviewed",
                  name=review.organisation.name))
    email_organisers(session, review.organisation, subject, "community/email/decision.txt",
                     review=review)


# --- reports -----------------------------------------------------------------------

def report_problem(session: Session, listing: CommunityListing, reason: CommunityReportReason,
                   details: str, contact_email: str | None) -> CommunityReport:
    """Record a report and queue e-mails to the organisers (except for a concern
    about the group, which may be a safeguarding matter) and to the council. The
    reporter's e-mail address goes to the council only."""
    report = CommunityReport(listing=listing, reason=reason, details=(details or "").strip(),
                             contact_email=(contact_email or "").strip() or None)
    session.add(report)
    session.flush()
    if reason is not CommunityReportReason.CONCERN:
        subject = _l("Someone reported a problem with your listing: %(name)s", name=listing.name)
        email_organisers(session, listing.organisation, subject,
                         "community/email/report_organiser.txt", report=report, listing=listing)
    council_address = current_app.config.get("CONTACT_EMAIL")
    if council_address:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject = str(_l("Community listing report %(id)d: %(reason)s – %(name)s",
                             id=report.id, reason=reason.label, name=listing.name))
            queue_email(session, council_address, subject, render_template(
                "community/email/report_council.txt", report=report, listing=listing))
    return report


def close_report(session: Session, report: CommunityReport, actor, resolution: str,
                 now: datetime, take_down: bool = False) -> None:
    if report.status is ReportStatus.CLOSED:
        raise Refused(_l("This report is already closed."))
    resolution = (resolution or "").strip()
    if not resolution:
        raise Refused(_l("Say what was done about the report"))
    report.status, report.resolution = ReportStatus.CLOSED, resolution
    report.closed_at, report.closed_by_id = now, actor.id
    listing = report.listing
    if take_down and listing.status is not CommunityListingStatus.REJECTED:
        listing.status = CommunityListingStatus.REJECTED
        listing.moderation_note = resolution
    session.flush()


# --- reminders ---------------------------------------------------------------------

@dataclass
class ReminderRun:
    sent: int = 0
    listings: int = 0


def send_reminders(session: Session, now: datetime) -> ReminderRun:
    """E-mail the organisers of every published listing whose reminder is due
    (``freshness.reminder_due``), and note it on the listing. Running it again the
    same day sends nothing more."""
    from catalogue.community.freshness import listing_state, reminder_due

    config = current_app.config
    run = ReminderRun()
    listings = session.scalars(
        select(CommunityListing).join(CommunityListing.organisation)
        .where(CommunityListing.status == CommunityListingStatus.PUBLISHED,
               CommunityOrganisation.status == VettingStatus.APPROVED)
        .order_by(CommunityListing.id)).all()
    for listing in listings:
        if not reminder_due(listing.last_confirmed_at, listing.reminder_sent_at, now,
                            config["COMMUNITY_REMIND_DAYS"], config["COMMUNITY_FLAG_DAYS"]):
            continue
        state = listing_state(listing.status, listing.organisation.status,
                              listing.last_confirmed_at, now, config["COMMUNITY_FLAG_DAYS"],
                              config["COMMUNITY_HIDE_DAYS"])
        subject = _l("Is “%(name)s” still accurate?", name=listing.name)
        run.sent += email_organisers(session, listing.organisation, subject,
                                     "community/email/reminder.txt", listing=listing,
                                     state=state, hide_days=config["COMMUNITY_HIDE_DAYS"])
        listing.reminder_sent_at = now
        run.listings += 1
    session.flush()
    return run
