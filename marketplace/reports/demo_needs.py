"""What the demo history's people need: kinds of support (what a plan names, what
would be bought, the outcome it serves), what a year of each costs, and which needs
people in each client group have. Pure data."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.taxonomy import Outcome
from marketplace.budgets.enums import ClientGroup

Out = Outcome
G = ClientGroup


@dataclass(frozen=True)
class Need:
    """Something a person wants support with: what their plan names (``planned``, a
    top-level category), what they would buy (``buys``, sub-categories to choose
    from) and the outcome it serves."""

    planned: str
    buys: tuple[str, ...]
    domain: Outcome
    want: str
    do: str


def _n(planned, buys, domain, want, do):
    return Need(planned, tuple(buys.split()), domain, want, do)


N = {
    "care": _n("personal-care", "getting-up-and-dressed", Out.DAILY_LIVING,
               "Get up, washed and dressed each morning", "Morning visits from a carer"),
    "clean": _n("domestic-help", "cleaning-and-laundry shopping", Out.DAILY_LIVING,
                "Keep my home clean and have food in", "Help with cleaning and shopping"),
    "meals": _n("meals", "meals-delivered lunch-clubs", Out.HEALTH_AND_WELLBEING,
                "Eat a hot meal every day", "Meals delivered, or a lunch club"),
    "alarm": _n("equipment-and-technology", "telecare daily-living-equipment", Out.STAYING_SAFE,
                "Get help quickly if I fall", "A pendant alarm and equipment at home"),
    "tech": _n("equipment-and-technology", "assistive-technology", Out.CHOICE_AND_CONTROL,
               "Use a phone and tablet on my own", "Equipment and training"),
    "ride": _n("transport", "door-to-door", Out.PART_OF_COMMUNITY,
               "Get to the shops and appointments", "Door-to-door transport"),
    "travel": _n("transport", "travel-training", Out.CHOICE_AND_CONTROL,
                 "Travel on the bus on my own", "Travel training"),
    "memory": _n("sitting-and-befriending", "dementia-support befriending",
                 Out.HEALTH_AND_WELLBEING, "Stay well at home with my memory loss",
                 "Dementia support visits"),
    "friend": _n("sitting-and-befriending", "befriending", Out.HEALTH_AND_WELLBEING,
                 "Feel less lonely", "A befriender visits every week"),
    "day": _n("day-opportunities", "day-centres community-based-day-support "
              "creative-and-skills", Out.PART_OF_COMMUNITY, "Get out and see people",
              "A day centre or day activities"),
    "pa": _n("personal-assistant", "pa-going-out pa-everyday-support", Out.PART_OF_COMMUNITY,
             "Do the things I enjoy, with someone I choose", "A personal assistant"),
    "pa_home": _n("personal-assistant", "pa-everyday-support", Out.DAILY_LIVING,
                  "Manage at home with help from someone I know",
                  "A personal assistant every week"),
    "work": _n("learning-and-employment", "job-coaching courses", Out.WORK_AND_LEARNING,
               "Find a job or a course", "Job coaching or a college course"),
    "home": _n("housing-support", "tenancy-support floating-support", Out.STAYING_SAFE,
               "Keep my flat and pay my bills", "Housing support visits"),
    "social": _n("leisure-and-social", "clubs-and-groups sport-and-fitness arts-and-culture",
                 Out.HEALTH_AND_WELLBEING, "Do something I enjoy each week",
                 "A club, class or activity"),
    "voice": _n("advocacy", "independent-advocacy peer-advocacy", Out.CHOICE_AND_CONTROL,
                "Have my say about my support", "An advocate"),
    # The second gap: short breaks, for carers and for the people they care for.
    "break": _n("short-breaks", "sitting-for-carers day-breaks", Out.RELATIONSHIPS,
                "Give my family carer a regular break", "A sitter or a day break each week"),
    "overnight": _n("short-breaks", "overnight-breaks day-breaks", Out.RELATIONSHIPS,
                    "Have a short break away so my family can rest",
                    "Overnight short breaks"),
}


# What a year of each kind of support costs (£, low and high): a budget is the sum
# for the needs its plan puts money on.
YEARLY = {N[key]: pounds for key, pounds in {
    "care": (6_000, 16_000), "clean": (1_500, 4_000), "meals": (1_200, 3_000),
    "alarm": (400, 1_500), "tech": (600, 2_000), "ride": (800, 2_500),
    "travel": (800, 2_000), "memory": (2_500, 7_000), "friend": (800, 2_500),
    "day": (4_000, 12_000), "pa": (5_000, 14_000), "pa_home": (5_000, 14_000),
    "work": (2_000, 6_000), "home": (2_000, 6_000), "social": (800, 2_500),
    "voice": (600, 1_800), "break": (2_500, 6_500), "overnight": (3_000, 9_000)}.items()}


@dataclass(frozen=True)
class Profile:
    weight: int
    ages: tuple[int, int]
    needs: tuple[tuple[str, float], ...]  # need key, chance


PROFILES = {
    G.PHYSICAL_SUPPORT: Profile(28, (58, 97), (
        ("care", .85), ("clean", .35), ("meals", .25), ("alarm", .3), ("ride", .2),
        ("break", .22))),
    G.MEMORY_AND_COGNITION: Profile(11, (66, 98), (
        ("care", .6), ("memory", .55), ("break", .7), ("day", .3))),
    G.LEARNING_DISABILITY: Profile(15, (18, 64), (
        ("pa", .65), ("day", .5), ("overnight", .55), ("work", .3), ("travel", .2))),
    G.MENTAL_HEALTH: Profile(10, (20, 70), (
        ("home", .55), ("pa_home", .4), ("social", .45), ("voice", .2))),
    G.SENSORY_SUPPORT: Profile(6, (30, 92), (
        ("tech", .7), ("pa_home", .35), ("ride", .3))),
    G.SOCIAL_SUPPORT: Profile(7, (60, 95), (
        ("friend", .7), ("meals", .4), ("social", .35), ("clean", .3))),
    G.CARER: Profile(16, (35, 84), (
        ("break", .92), ("social", .35), ("clean", .2))),
    G.DISABLED_CHILD: Profile(10, (5, 17), (
        ("overnight", .85), ("pa", .5), ("social", .3))),
}
