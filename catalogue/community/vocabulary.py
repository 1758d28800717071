"""What community listings are tagged with, as code: translatable and the same
everywhere. Slugs are stored in the database; names are shown through gettext.

A listing's category is either one of the catalogue taxonomy's categories that
community groups also run (``SHARED_CATEGORIES``) or one of the community
categories below. ``needs``, ``circumstances`` and ``accessibility`` are lists of
the slugs below; ``languages`` are codes of ``catalogue.taxonomy.LANGUAGES``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from catalogue.taxonomy import CATEGORIES

# Categories of the paid catalogue's taxonomy that community groups run too.
SHARED_CATEGORIES = [
    "clubs-and-groups", "sport-and-fitness", "arts-and-culture", "lunch-clubs",
    "befriending", "dementia-support", "peer-advocacy", "independent-advocacy", "courses",
    "volunteering", "creative-and-skills", "day-centres", "gardening",
]

# Categories only the Community Catalogue has.
COMMUNITY_CATEGORIES = {
    "carers-support": _l("Support for carers"),
    "health-and-wellbeing": _l("Health and well-being"),
    "mental-health-support": _l("Mental health peer support"),
    "faith-and-culture": _l("Faith and cultural groups"),
    "advice-and-information": _l("Advice and information"),
    "food-and-essentials": _l("Food banks and essentials"),
    "time-banks": _l("Time banks and mutual aid"),
    "families-and-young-people": _l("Families and young people"),
    "digital-skills": _l("Digital skills and getting online"),
    "walking-and-outdoors": _l("Walking and the outdoors"),
}


def category_name(slug: str):
    """The (lazy) name of a community listing's category; the slug if unknown."""
    if slug in COMMUNITY_CATEGORIES:
        return COMMUNITY_CATEGORIES[slug]
    if slug in CATEGORIES:
        return CATEGORIES[slug].name
    return slug


def all_categories() -> list[tuple[str, object]]:
    """Every category a community listing may have: (slug, lazy name), community first."""
    return ([(slug, name) for slug, name in COMMUNITY_CATEGORIES.items()]
            + [(slug, CATEGORIES[slug].name) for slug in SHARED_CATEGORIES])


def is_category(slug: str) -> bool:
    return slug in COMMUNITY_CATEGORIES or slug in SHARED_CATEGORIES


NEEDS = {
    "dementia": _l("Dementia or memory loss"),
    "learning-disability": _l("Learning disability"),
    "autism": _l("Autism"),
    "physical-disability": _l("Physical disability"),
    "sight-loss": _l("Sight loss"),
    "hearing-loss": _l("Deafness or hearing loss"),
    "mental-health": _l("Mental health"),
    "long-term-condition": _l("Long-term health condition"),
    "stroke": _l("After a stroke"),
}

CIRCUMSTANCES = {
    "older-people": _l("Older people"),
    "carers": _l("Unpaid carers"),
    "lonely-or-isolated": _l("Feeling lonely or isolated"),
    "families": _l("Parents and families"),
    "young-people": _l("Young people"),
    "low-income": _l("On a low income"),
    "refugees-and-migrants": _l("Refugees and migrants"),
    "bereaved": _l("Bereaved"),
    "veterans": _l("Armed forces veterans"),
    "lgbtq": _l("LGBTQ+ people"),
}

ACCESSIBILITY = {
    "step-free": _l("Step-free access"),
    "accessible-toilet": _l("Accessible toilet"),
    "changing-places": _l("Changing Places toilet"),
    "hearing-loop": _l("Hearing loop"),
    "bsl": _l("British Sign Language on request"),
    "parking": _l("Accessible parking"),
    "public-transport": _l("Near a bus stop or station"),
    "quiet-space": _l("Quiet space"),
    "large-print": _l("Large print or easy read materials"),
    "assistance-dogs": _l("Assistance dogs welcome"),
}
