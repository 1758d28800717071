"""Enumerations for providers and services, stored as strings."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class ProviderKind(StrEnum):
    AGENCY = "agency"
    CHARITY = "charity"
    USER_LED = "user_led"
    SOCIAL_ENTERPRISE = "social_enterprise"
    MICRO_PROVIDER = "micro_provider"
    PERSONAL_ASSISTANT = "personal_assistant"
    COUNCIL_IN_HOUSE = "council_in_house"

    @property
    def label(self):
        return PROVIDER_KIND_LABELS[self]


PROVIDER_KIND_LABELS = {
    ProviderKind.AGENCY: _l("Care agency"),
    ProviderKind.CHARITY: _l("Charity or voluntary group"),
    ProviderKind.USER_LED: _l("User-led organisation"),
    ProviderKind.SOCIAL_ENTERPRISE: _l("Social enterprise"),
    ProviderKind.MICRO_PROVIDER: _l("Micro-provider"),
    ProviderKind.PERSONAL_ASSISTANT: _l("Personal assistant (sole trader)"),
    ProviderKind.COUNCIL_IN_HOUSE: _l("Council in-house service"),
}


class VettingStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SUSPENDED = "suspended"

    @property
    def label(self):
        return {"pending": _l("Waiting for council checks"), "approved": _l("Approved"),
                "suspended": _l("Suspended")}[self.value]


class MemberRole(StrEnum):
    OWNER = "owner"
    STAFF = "staff"

    @property
    def label(self):
        return {"owner": _l("Owner"), "staff": _l("Staff")}[self.value]


class Unit(StrEnum):
    HOUR = "hour"
    SESSION = "session"
    VISIT = "visit"
    DAY = "day"
    NIGHT = "night"
    WEEK = "week"
    ITEM = "item"

    @property
    def label(self):
        return UNIT_LABELS[self]


UNIT_LABELS = {
    Unit.HOUR: _l("per hour"), Unit.SESSION: _l("per session"), Unit.VISIT: _l("per visit"),
    Unit.DAY: _l("per day"), Unit.NIGHT: _l("per night"), Unit.WEEK: _l("per week"),
    Unit.ITEM: _l("per item"),
}


class ServiceStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    PAUSED = "paused"

    @property
    def label(self):
        return {"draft": _l("Draft"), "published": _l("Published"),
                "paused": _l("Paused")}[self.value]


class CqcRating(StrEnum):
    OUTSTANDING = "Outstanding"
    GOOD = "Good"
    REQUIRES_IMPROVEMENT = "Requires improvement"
    INADEQUATE = "Inadequate"
    NOT_RATED = "Not rated"

    @property
    def label(self):
        return {"Outstanding": _l("Outstanding"), "Good": _l("Good"),
                "Requires improvement": _l("Requires improvement"),
                "Inadequate": _l("Inadequate"), "Not rated": _l("Not yet rated")}[self.value]
