"""Reference data for the catalogue, as code: translatable and the same everywhere.

Two-level categories of support, the outcomes services help with, the funding
streams a service may be bought with, languages and weekdays. Slugs are stored
in the database; names are shown through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Category:
    slug: str
    name: object  # a lazy string
    parent: str | None = None


_TOP = [
    ("personal-care", _l("Personal care at home"), [
        ("getting-up-and-dressed", _l("Getting up, washing and dressing")),
        ("medication-support", _l("Help with medicines")),
        ("live-in-care", _l("Live-in care")),
        ("night-care", _l("Night care")),
        ("reablement", _l("Reablement after hospital")),
    ]),
    ("domestic-help", _l("Domestic help"), [
        ("cleaning-and-laundry", _l("Cleaning and laundry")),
        ("shopping", _l("Shopping")),
        ("meal-preparation", _l("Cooking and meal preparation")),
    ]),
    ("personal-assistant", _l("Personal assistants"), [
        ("pa-everyday-support", _l("Everyday support from a PA")),
        ("pa-going-out", _l("A PA for going out and activities")),
        ("pa-work-and-study", _l("A PA for work or study")),
    ]),
    ("day-opportunities", _l("Day opportunities"), [
        ("day-centres", _l("Day centres")),
        ("creative-and-skills", _l("Creative and skills activities")),
        ("community-based-day-support", _l("Community-based day support")),
    ]),
    ("short-breaks", _l("Short breaks and respite"), [
        ("overnight-breaks", _l("Overnight short breaks")),
        ("day-breaks", _l("Day breaks")),
        ("sitting-for-carers", _l("Sitting so a carer can have a break")),
    ]),
    ("transport", _l("Transport"), [
        ("door-to-door", _l("Door-to-door transport")),
        ("travel-training", _l("Travel training")),
    ]),
    ("equipment-and-technology", _l("Equipment and technology"), [
        ("daily-living-equipment", _l("Daily living equipment")),
        ("telecare", _l("Telecare and alarms")),
        ("assistive-technology", _l("Assistive technology and IT help")),
    ]),
    ("leisure-and-social", _l("Leisure and social activities"), [
        ("clubs-and-groups", _l("Clubs and groups")),
        ("sport-and-fitness", _l("Sport and fitness")),
        ("arts-and-culture", _l("Arts and culture")),
    ]),
    ("learning-and-employment", _l("Learning and employment"), [
        ("courses", _l("Courses and learning")),
        ("job-coaching", _l("Job coaching and supported employment")),
        ("volunteering", _l("Supported volunteering")),
    ]),
    ("housing-support", _l("Housing-related support"), [
        ("tenancy-support", _l("Help to keep a home")),
        ("floating-support", _l("Floating support")),
        ("independent-living-skills", _l("Independent living skills")),
    ]),
    ("meals", _l("Meals"), [
        ("meals-delivered", _l("Meals delivered")),
        ("lunch-clubs", _l("Lunch clubs")),
    ]),
    ("sitting-and-befriending", _l("Sitting and befriending"), [
        ("befriending", _l("Befriending")),
        ("dementia-support", _l("Dementia support")),
    ]),
    ("gardening-and-handyperson", _l("Gardening and handyperson"), [
        ("gardening", _l("Gardening")),
        ("small-repairs", _l("Small repairs and adaptations")),
    ]),
    ("advocacy", _l("Advocacy"), [
        ("independent-advocacy", _l("Independent advocacy")),
        ("peer-advocacy", _l("Peer advocacy and support")),
    ]),
    ("support-planning", _l("Support planning and brokerage"), [
        ("support-planning-help", _l("Help to make a support plan")),
        ("brokerage", _l("Brokerage")),
    ]),
    ("budget-management", _l("Budget management and managed accounts"), [
        ("managed-accounts", _l("Managed accounts")),
        ("payroll-for-pas", _l("Payroll for personal assistants")),
    ]),
]

CATEGORIES: dict[str, Category] = {}
for _slug, _name, _children in _TOP:
    CATEGORIES[_slug] = Category(_slug, _name)
    for _child_slug, _child_name in _children:
        CATEGORIES[_child_slug] = Category(_child_slug, _child_name, _slug)

TOP_LEVEL = [c for c in CATEGORIES.values() if c.parent is None]


def children_of(slug: str) -> list[Category]:
    return [c for c in CATEGORIES.values() if c.parent == slug]


def top_level_of(slug: str) -> str:
    category = CATEGORIES[slug]
    return category.parent or category.slug



class FundingStream(StrEnum):
    ADULT_SOCIAL_CARE = "adult_social_care"
    CHILDRENS_SERVICES = "childrens_services"
    NHS_PERSONAL_HEALTH_BUDGET = "nhs_phb"
    INDEPENDENT_LIVING_FUND = "ilf"
    SUPPORTING_PEOPLE = "supporting_people"
    DISABLED_FACILITIES_GRANT = "dfg"
    ACCESS_TO_WORK = "access_to_work"
    OTHER = "other"

    @property
    def label(self):
        return FUNDING_STREAM_LABELS[self]


FUNDING_STREAM_LABELS = {
    FundingStream.ADULT_SOCIAL_CARE: _l("Adult social care"),
    FundingStream.CHILDRENS_SERVICES: _l("Children's services"),
    FundingStream.NHS_PERSONAL_HEALTH_BUDGET: _l("NHS personal health budget"),
    FundingStream.INDEPENDENT_LIVING_FUND: _l("Independent Living Fund"),
    FundingStream.SUPPORTING_PEOPLE: _l("Supporting People"),
    FundingStream.DISABLED_FACILITIES_GRANT: _l("Disabled Facilities Grant"),
    FundingStream.ACCESS_TO_WORK: _l("Access to Work"),
    FundingStream.OTHER: _l("Other funding"),
}


class Outcome(StrEnum):
    """Outcome domains used in support plans and on services."""

    CHOICE_AND_CONTROL = "choice_and_control"
    HEALTH_AND_WELLBEING = "health_and_wellbeing"
    STAYING_SAFE = "staying_safe"
    PART_OF_COMMUNITY = "part_of_community"
    WORK_AND_LEARNING = "work_and_learning"
    DAILY_LIVING = "daily_living"
    RELATIONSHIPS = "relationships"

    @property
    def label(self):
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.CHOICE_AND_CONTROL: _l("Choice and control"),
    Outcome.HEALTH_AND_WELLBEING: _l("Health and well-being"),
    Outcome.STAYING_SAFE: _l("Staying safe"),
    Outcome.PART_OF_COMMUNITY: _l("Being part of the community"),
    Outcome.WORK_AND_LEARNING: _l("Work and learning"),
    Outcome.DAILY_LIVING: _l("Daily living"),
    Outcome.RELATIONSHIPS: _l("Relationships"),
}

# ISO 639-1 codes of languages commonly offered in English councils' areas.
LANGUAGES = {
    "en": _l("English"), "cy": _l("Welsh"), "bsl": _l("British Sign Language"),
    "ar": _l("Arabic"), "bn": _l("Bengali"), "gu": _l("Gujarati"), "hi": _l("Hindi"),
    "pa": _l("Punjabi"), "ur": _l("Urdu"), "pl": _l("Polish"), "ro": _l("Romanian"),
    "so": _l("Somali"), "ta": _l("Tamil"), "tr": _l("Turkish"), "pt": _l("Portuguese"),
    "es": _l("Spanish"), "fr": _l("French"), "zh": _l("Chinese"), "yo": _l("Yoruba"),
    "tw": _l("Twi"), "ti": _l("Tigrinya"), "fa": _l("Persian"), "ku": _l("Kurdish"),
}

WEEKDAYS = {0: _l("Monday"), 1: _l("Tuesday"), 2: _l("Wednesday"), 3: _l("Thursday"),
            4: _l("Friday"), 5: _l("Saturday"), 6: _l("Sunday")}


class WorkerGender(StrEnum):
    FEMALE = "female"
    MALE = "male"

    @property
    def label(self):
        return {"female": _l("Female workers"), "male": _l("Male workers")}[self.value]
