"""Enumerations of the Community Catalogue, stored as strings."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class CommunityKind(StrEnum):
    CLUB_OR_GROUP = "club_or_group"
    DROP_IN = "drop_in"
    EVENT = "event"
    CLASS = "class"
    PLACE_OF_WORSHIP = "place_of_worship"
    TIME_BANK = "time_bank"
    VOLUNTEERING = "volunteering"
    ADVICE_SERVICE = "advice_service"
    PUBLIC_SERVICE = "public_service"

    @property
    def label(self):
        return COMMUNITY_KIND_LABELS[self]


COMMUNITY_KIND_LABELS = {
    CommunityKind.CLUB_OR_GROUP: _l("Club or group"),
    CommunityKind.DROP_IN: _l("Drop-in"),
    CommunityKind.EVENT: _l("Event"),
    CommunityKind.CLASS: _l("Class"),
    CommunityKind.PLACE_OF_WORSHIP: _l("Place of worship activity"),
    CommunityKind.TIME_BANK: _l("Time bank"),
    CommunityKind.VOLUNTEERING: _l("Volunteering"),
    CommunityKind.ADVICE_SERVICE: _l("Advice service"),
    CommunityKind.PUBLIC_SERVICE: _l("Public service"),
}


class CommunityListingStatus(StrEnum):
    """Moderation state. Only PUBLISHED listings of APPROVED organisations are public
    (and then only while not hidden for staleness)."""

    PENDING = "pending"  # new, waiting for a moderator
    PUBLISHED = "published"
    REJECTED = "rejected"  # not approved, or taken down by a moderator (see moderation_note)
    WITHDRAWN = "withdrawn"  # taken down by its organiser

    @property
    def label(self):
        return {"pending": _l("Waiting for approval"), "published": _l("Published"),
                "rejected": _l("Not approved"), "withdrawn": _l("Withdrawn")}[self.value]


class ScheduleFreq(StrEnum):
    """ONCE is a one-off event (Open Referral UK: no freq, dtstart = the date);
    WEEKLY and MONTHLY are the ORUK/iCal frequencies."""

    ONCE = "once"
    WEEKLY = "weekly"
    MONTHLY = "monthly"

    @property
    def label(self):
        return {"once": _l("One-off"), "weekly": _l("Weekly"),
                "monthly": _l("Monthly")}[self.value]

    @property
    def oruk(self) -> str | None:
        return None if self is ScheduleFreq.ONCE else self.value.upper()


class LocationType(StrEnum):
    PHYSICAL = "physical"
    VIRTUAL = "virtual"

    @property
    def label(self):
        return {"physical": _l("A place"), "virtual": _l("Online or by phone")}[self.value]


class ReviewKind(StrEnum):
    NEW_ORGANISATION = "new_organisation"
    NEW_LISTING = "new_listing"
    CHANGED_LISTING = "changed_listing"

    @property
    def label(self):
        return {"new_organisation": _l("New organisation"), "new_listing": _l("New listing"),
                "changed_listing": _l("Changed listing")}[self.value]


class ReviewOutcome(StrEnum):
    APPROVED = "approved"  # a new organisation or listing may be public
    REJECTED = "rejected"  # it may not (or no longer)
    ACCEPTED = "accepted"  # a change to a published listing is fine
    SUPERSEDED = "superseded"  # closed because a later change or decision replaced it

    @property
    def label(self):
        return {"approved": _l("Approved"), "rejected": _l("Not approved"),
                "accepted": _l("Change accepted"),
                "superseded": _l("Replaced by a later change")}[self.value]


class CommunityReportReason(StrEnum):
    WRONG_DETAILS = "wrong_details"
    WRONG_TIMES = "wrong_times"
    NO_LONGER_RUNNING = "no_longer_running"
    COST_WRONG = "cost_wrong"
    CONCERN = "concern"
    OTHER = "other"

    @property
    def label(self):
        return {
            "wrong_details": _l("Some details are wrong"),
            "wrong_times": _l("The days or times are wrong"),
            "no_longer_running": _l("It no longer runs"),
            "cost_wrong": _l("The cost is wrong"),
            "concern": _l("I am worried about this group"),
            "other": _l("Something else"),
        }[self.value]
