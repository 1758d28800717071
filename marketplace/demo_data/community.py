"""The demo Community Catalogue: about 80 free and low-cost listings with schedules
around Ashdown's postcodes, for `flask demo seed`.

Deterministic (its own seeded random generator); called once by
``marketplace.demo._seed_base`` after the demo's six community groups exist. It
makes, on purpose: weekly, fortnightly and monthly (nth weekday) schedules and
one-off events in the coming weeks; free listings and small charges; listings
for the demo organiser (organiser@ashdown.example: Pinner Knit and Natter, and
Wealdstone Lunch Club, still waiting for council checks); a few listings waiting
for approval, one not approved, one withdrawn, some not confirmed for over six
months (flagged) and two for over nine (hidden); open and closed reports, and a
change waiting for a moderator.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from catalogue.community.operations import place_coordinates
from catalogue.models import (
    CommunityKind,
    CommunityListing,
    CommunityListingLocation,
    CommunityListingStatus,
    CommunityLocation,
    CommunityOrganisation,
    CommunityReport,
    CommunityReportReason,
    CommunityReview,
    CommunitySchedule,
    ReportStatus,
    ReviewKind,
    ReviewOutcome,
    ScheduleFreq,
    VettingStatus,
)

TOWNS = {"HA0": "Wembley", "HA1": "Harrow", "HA2": "South Harrow", "HA3": "Kenton",
         "HA4": "Ruislip", "HA5": "Pinner", "HA6": "Northwood", "HA7": "Stanmore",
         "HA8": "Edgware", "HA9": "Wembley Park", "NW9": "Kingsbury", "UB5": "Northolt"}
VENUES = ["St John's Church Hall", "{town} Library", "{town} Community Centre",
          "Methodist Church Hall", "{town} Leisure Centre", "The Scout Hut",
          "{town} Baptist Church", "Park Pavilion Café", "{town} Youth and Community Hub"]
STREETS = ["High Street", "Station Road", "Church Lane", "Park Road", "Bridge Street",
           "Marlborough Road", "Elm Grove", "Kenton Road", "Northolt Road", "Love Lane"]
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
W, M, ONE = ScheduleFreq.WEEKLY, ScheduleFreq.MONTHLY, ScheduleFreq.ONCE
K = CommunityKind

# (name, organisation, kind, category, summary, (freq, byday or days-ahead, interval),
#  (opens, closes), cost pence or None, what the cost covers, needs, circumstances,
#  min age, max age, languages)
LISTINGS = [
    ("{town} Lunch Club", "Ashdown Age Together", K.CLUB_OR_GROUP, "lunch-clubs",
     "A hot two-course lunch and good company.", (W, "WE", 1), ("12:00", "14:00"), 450,
     "Two-course lunch and a hot drink", [], ["older-people", "lonely-or-isolated"], 60, None,
     ["en"]),
    ("Chair-based Exercise", "Ashdown Age Together", K.CLASS, "sport-and-fitness",
     "Gentle seated exercise to music to keep you moving.", (W, "MO,TH", 1),
     ("11:00", "12:00"), 200, "Towards the instructor", ["physical-disability"],
     ["older-people"], 50, None, ["en"]),
    ("Digital Drop-in: help with phones and tablets", "Ashdown Age Together", K.DROP_IN,
     "digital-skills", "Bring your phone, tablet or laptop and a volunteer will help.",
     (W, "TH", 1), ("14:00", "16:00"), None, "", [], ["older-people"], None, None,
     ["en", "gu", "hi"]),
    ("Memory Café", "Memory Matters Ashdown", K.DROP_IN, "dementia-support",
     "A relaxed afternoon for people living with dementia and the people who care for them.",
     (M, "2TH", 1), ("14:00", "16:00"), None, "", ["dementia"], ["carers"], None, None, ["en"]),
    ("Singing for the Brain", "Memory Matters Ashdown", K.CLUB_OR_GROUP, "dementia-support",
     "Familiar songs, warm-up games and tea, for people with memory loss.", (W, "WE", 1),
     ("14:00", "15:30"), None, "", ["dementia"], ["carers", "older-people"], None, None,
     ["en"]),
    ("Carers' Coffee Morning", "Ashdown Carers' Network", K.DROP_IN, "carers-support",
     "Meet other family carers, share tips and find out what help there is.", (M, "1FR", 1),
     ("10:00", "12:00"), None, "", [], ["carers"], 16, None, ["en", "pa", "ur"]),
    ("Health Walk", "Ashdown Green Spaces", K.CLUB_OR_GROUP, "walking-and-outdoors",
     "A friendly, led walk of about an hour at an easy pace.", (W, "SA", 1),
     ("10:00", "11:30"), None, "", [], [], None, None, ["en"]),
    ("Benefits and Debt Advice", "Ashdown Community Advice", K.ADVICE_SERVICE,
     "advice-and-information", "Free, confidential help with benefits, bills and debt.",
     (W, "TU", 1), ("09:30", "12:30"), None, "", [], ["low-income"], 18, None,
     ["en", "so", "pl"]),
    ("Community Food Bank", "Ashdown Food Network", K.PUBLIC_SERVICE, "food-and-essentials",
     "Emergency food and toiletries; no referral needed for your first visit.", (W, "FR", 1),
     ("13:00", "15:00"), None, "", [], ["low-income"], None, None, ["en", "ar", "ro"]),
    ("Men's Shed", "Ashdown Men's Shed", K.CLUB_OR_GROUP, "creative-and-skills",
     "Woodwork, repairs and a brew: make things and make friends.", (W, "TH", 1),
     ("10:00", "15:00"), 100, "Tea and materials", [], ["lonely-or-isolated"], 18, None,
     ["en"]),
    ("Time Bank Meet-up", "Harrow Time Bank", K.TIME_BANK, "time-banks",
     "Swap an hour of help for an hour of someone else's: come and find out how.",
     (M, "-1WE", 1), ("18:00", "19:30"), None, "", [], [], 16, None, ["en"]),
    ("Befriending volunteers' evening", "Ashdown Age Together", K.VOLUNTEERING, "volunteering",
     "Could you visit or phone an older neighbour once a week? Come to our welcome evening.",
     (M, "1TU", 1), ("18:00", "19:00"), None, "", [], [], 18, None, ["en"]),
    ("Langar: free community meal", "Wembley Gurdwara Seva Committee", K.PLACE_OF_WORSHIP,
     "food-and-essentials", "A free vegetarian meal, open to everyone.", (W, "SU", 1),
     ("12:00", "15:00"), None, "", [], [], None, None, ["en", "pa"]),
    ("Tea and chat after Friday prayers", "Kenton Masjid Community Team", K.PLACE_OF_WORSHIP,
     "faith-and-culture", "Tea, sweets and conversation; everyone welcome.", (W, "FR", 1),
     ("14:00", "15:30"), None, "", [], ["lonely-or-isolated"], None, None, ["en", "ur", "ar"]),
    ("Seniors' Yoga at the Mandir", "Stanmore Mandir Seniors", K.PLACE_OF_WORSHIP,
     "health-and-wellbeing", "Gentle yoga and breathing for older people.", (W, "TU", 1),
     ("10:30", "11:30"), 150, "Towards the hall", [], ["older-people"], 55, None,
     ["en", "gu", "hi"]),
    ("Stroke Survivors' Group", "Ashdown Wellbeing Peers", K.CLUB_OR_GROUP,
     "health-and-wellbeing", "Peer support and speakers for people after a stroke.",
     (M, "3MO", 1), ("14:00", "16:00"), None, "", ["stroke"], ["carers"], 18, None, ["en"]),
    ("Sight Loss Social", "Ashdown Sight and Sound", K.CLUB_OR_GROUP, "clubs-and-groups",
     "A social afternoon with talking books, games and guest speakers.", (M, "2WE", 1),
     ("13:30", "15:30"), None, "", ["sight-loss"], [], 18, None, ["en"]),
    ("Deaf Community Café", "Ashdown Sight and Sound", K.DROP_IN, "clubs-and-groups",
     "Coffee and conversation in British Sign Language.", (M, "1SA", 1), ("11:00", "13:00"),
     None, "", ["hearing-loss"], [], None, None, ["bsl", "en"]),
    ("Bereavement Support Circle", "Ashdown Wellbeing Peers", K.CLUB_OR_GROUP,
     "mental-health-support", "A gentle space to talk with others who have lost someone.",
     (M, "2TU", 1), ("18:30", "20:00"), None, "", [], ["bereaved"], 18, None, ["en"]),
    ("Mental Health Peer Support", "Ashdown Wellbeing Peers", K.CLUB_OR_GROUP,
     "mental-health-support", "Run by people with lived experience; come as you are.",
     (W, "WE", 1), ("18:00", "19:30"), None, "", ["mental-health"], [], 18, None, ["en"]),
    ("Stay and Play", "Ashdown Families Together", K.DROP_IN, "families-and-young-people",
     "Toys, songs and a cuppa for parents and carers with under-fives.", (W, "MO,WE", 1),
     ("09:30", "11:30"), 100, "Snacks for the children", [], ["families"], 0, 5,
     ["en", "pl", "ta"]),
    ("Autism Family Social", "Ashdown Families Together", K.CLUB_OR_GROUP,
     "families-and-young-people", "A quiet, relaxed morning for autistic children and families.",
     (M, "2SA", 1), ("10:00", "12:00"), None, "", ["autism"], ["families"], None, None, ["en"]),
    ("Allotment Gardening Group", "Ashdown Green Spaces", K.CLUB_OR_GROUP, "gardening",
     "Grow vegetables together; raised beds for people who cannot kneel.", (W, "SA", 1),
     ("10:00", "13:00"), None, "", ["physical-disability"], [], None, None, ["en"]),
    ("Tai Chi in the Park", "Ashdown Green Spaces", K.CLASS, "sport-and-fitness",
     "Slow, flowing movement outdoors for balance and calm.", (W, "SU", 1), ("09:00", "10:00"),
     None, "", [], ["older-people"], None, None, ["en", "zh"]),
    ("Wheelchair Basketball", "Ashdown Access Sport", K.CLUB_OR_GROUP, "sport-and-fitness",
     "Fast, friendly basketball; sports chairs to borrow.", (W, "TH", 1), ("18:00", "19:30"),
     300, "Court hire", ["physical-disability"], ["young-people"], 12, None, ["en"]),
    ("English Conversation Club", "Welcome English Ashdown", K.CLASS, "courses",
     "Practise everyday English with friendly volunteers.", (W, "TU", 1), ("13:00", "14:30"),
     None, "", [], ["refugees-and-migrants"], 16, None, ["en", "ar", "fa", "ti", "ku"]),
    ("Friday Night Disco", "Ashdown Friends Disco", K.EVENT, "clubs-and-groups",
     "Music, dancing and friends for adults with a learning disability.", (M, "-1FR", 1),
     ("19:00", "21:30"), 300, "Entry and a soft drink", ["learning-disability"], [], 16, None,
     ["en"]),
    ("Veterans' Breakfast Club", "Ashdown Veterans' Breakfast Club", K.CLUB_OR_GROUP,
     "clubs-and-groups", "Breakfast and banter for veterans and their families.", (M, "1SU", 1),
     ("09:00", "11:00"), None, "", [], ["veterans"], 18, None, ["en"]),
    ("Library Reading Group", "Friends of Ashdown Libraries", K.CLUB_OR_GROUP,
     "arts-and-culture", "One book a month, tea and a good talk.", (M, "3TH", 1),
     ("18:30", "20:00"), None, "", [], [], 16, None, ["en"]),
    ("Community Hub Drop-in", "Ashdown Council Community Services", K.PUBLIC_SERVICE,
     "advice-and-information", "Council officers help with housing, council tax and support.",
     (W, "MO,WE,FR", 1), ("10:00", "16:00"), None, "", [], [], None, None,
     ["en", "gu", "ta", "so"]),
    ("Over-60s Swim", "Ashdown Council Community Services", K.PUBLIC_SERVICE,
     "sport-and-fitness", "A quieter swim with warm water and a lifeguard on poolside.",
     (W, "TU,FR", 1), ("08:00", "09:00"), 250, "Pool entry", [], ["older-people"], 60, None,
     ["en"]),
    ("Advocacy Drop-in", "Ashdown Community Advice", K.ADVICE_SERVICE, "independent-advocacy",
     "Help to speak up about care, health and housing decisions.", (M, "1WE", 1),
     ("10:00", "13:00"), None, "", ["learning-disability", "mental-health"], [], 18, None,
     ["en"]),
    ("Rainbow Elders Social", "Rainbow Elders Ashdown", K.CLUB_OR_GROUP, "clubs-and-groups",
     "A social evening for LGBTQ+ people over 50 and friends.", (M, "2FR", 1),
     ("18:30", "20:30"), None, "", [], ["lgbtq", "older-people"], 50, None, ["en"]),
    ("Repair Café", "Ashdown Green Spaces", K.EVENT, "creative-and-skills",
     "Bring broken things; volunteers help you fix them.", (M, "3SA", 1), ("10:00", "13:00"),
     None, "", [], [], None, None, ["en"]),
    ("Art for Wellbeing", "Ashdown Wellbeing Peers", K.CLASS, "arts-and-culture",
     "Relaxed painting and drawing; no experience needed.", (W, "FR", 1), ("10:00", "12:00"),
     300, "Materials and refreshments", ["mental-health"], [], 18, None, ["en"]),
    ("Bingo and Tea", "Ashdown Age Together", K.CLUB_OR_GROUP, "clubs-and-groups",
     "Fortnightly bingo, raffle and a slice of cake.", (W, "TH", 2), ("14:00", "16:00"), 200,
     "Bingo card and tea", [], ["older-people", "lonely-or-isolated"], None, None, ["en"]),
    ("Befriending Coffee Afternoon", "Ashdown Age Together", K.DROP_IN, "befriending",
     "Drop in for coffee and a chat with our befriending volunteers.", (W, "TH", 1),
     ("14:00", "16:00"), None, "", [], ["lonely-or-isolated"], None, None, ["en"]),
    ("Self-Advocates Group", "Ashdown Friends Disco", K.CLUB_OR_GROUP, "peer-advocacy",
     "People with a learning disability speaking up together.", (M, "2MO", 1),
     ("11:00", "13:00"), None, "", ["learning-disability"], [], 16, None, ["en"]),
    ("Carers' Information Fair", "Ashdown Carers' Network", K.EVENT, "carers-support",
     "Stalls and talks on everything carers need to know.", (ONE, 9, 1), ("10:00", "15:00"),
     None, "", [], ["carers"], None, None, ["en"]),
    ("Dementia Friends Session", "Memory Matters Ashdown", K.EVENT, "dementia-support",
     "One hour to learn what it is like to live with dementia.", (ONE, 16, 1),
     ("18:00", "19:00"), None, "", ["dementia"], [], 14, None, ["en"]),
    ("Summer Fun Day", "Ashdown Families Together", K.EVENT, "families-and-young-people",
     "Games, face painting and a picnic for the whole family.", (ONE, 23, 1), ("11:00", "16:00"),
     None, "", [], ["families"], None, None, ["en"]),
]
# The demo organiser's groups (made by marketplace.demo before this runs).
ORGANISER_LISTINGS = [
    ("Pinner Knit and Natter", "Pinner Knit and Natter", K.CLUB_OR_GROUP, "arts-and-culture",
     "Knitting, crochet and conversation at the library.", (W, "TU", 1), ("10:00", "12:00"),
     None, "", [], ["lonely-or-isolated"], None, None, ["en", "cy"], "HA5"),
    ("Crochet for Beginners", "Pinner Knit and Natter", K.CLASS, "creative-and-skills",
     "Learn the basic stitches over four Saturday mornings.", (W, "SA", 1),
     ("10:00", "11:30"), 200, "Yarn and a hook to keep", [], [], 12, None, ["en"], "HA5"),
    ("Knitting for the Neonatal Unit", "Pinner Knit and Natter", K.VOLUNTEERING,
     "volunteering", "Knit tiny hats and blankets for babies in hospital.", (M, "1MO", 1),
     ("18:30", "20:00"), None, "", [], [], 14, None, ["en"], "HA5"),
    ("Wealdstone Lunch Club", "Wealdstone Lunch Club", K.CLUB_OR_GROUP, "lunch-clubs",
     "A hot lunch and good company every Wednesday.", (W, "WE", 1), ("12:00", "14:00"), 400,
     "A hot lunch and pudding", [], ["older-people"], 60, None, ["en"], "HA3"),
]
ACCESS = ["step-free", "accessible-toilet", "hearing-loop", "parking", "public-transport",
          "quiet-space", "large-print", "assistance-dogs"]


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _postcode(rng: random.Random, district: str) -> str:
    return f"{district} {rng.randint(1, 9)}{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"


def seed_community(session, council, today: date, *, officer) -> int:
    """Add the demo community listings. Returns how many were made."""
    rng = random.Random(20260402)  # noqa: S311 - deterministic demo data
    now = datetime.combine(today, time(9), tzinfo=UTC)
    organisations = {o.name: o for o in session.scalars(select(CommunityOrganisation))}
    places: dict[tuple[str, str], CommunityLocation] = {}

    def organisation(name: str) -> CommunityOrganisation:
        if name not in organisations:
            district = rng.choice(list(TOWNS))
            organisations[name] = CommunityOrganisation(
                name=name, council_id=council.id, status=VettingStatus.APPROVED,
                description=f"{name} is a local voluntary group in Ashdown.",
                email=f"hello@{name.lower().replace(' ', '').replace(chr(39), '')[:30]}.example",
                phone=f"020 8{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                postcode=_postcode(rng, district))
            session.add(organisations[name])
        return organisations[name]

    def place(group: CommunityOrganisation, district: str) -> CommunityLocation:
        key = (group.name, district)
        if key not in places:
            town = TOWNS[district]
            postcode = _postcode(rng, district)
            latitude, longitude = place_coordinates(postcode)
            places[key] = CommunityLocation(
                organisation=group, name=rng.choice(VENUES).format(town=town),
                address_1=f"{rng.randint(1, 180)} {rng.choice(STREETS)}", city=town,
                postcode=postcode, latitude=latitude, longitude=longitude)
        return places[key]

    def make(spec, district: str, name: str) -> CommunityListing:
        (_n, org_name, kind, category, summary, (freq, rule, interval), (opens, closes),
         cost, covers, needs, circumstances, min_age, max_age, languages) = spec[:14]
        group = organisation(org_name)
        listing = CommunityListing(
            organisation=group, name=name, summary=summary, kind=kind, category=category,
            description=(f"{summary} Everyone is welcome; you do not need to book. "
                         f"Run by {org_name}."),
            cost_pence=cost, cost_description=covers, needs=list(needs),
            circumstances=list(circumstances), min_age=min_age, max_age=max_age,
            accessibility=sorted(rng.sample(ACCESS, rng.randint(1, 4))),
            languages=list(languages), status=CommunityListingStatus.PUBLISHED,
            approved_at=now - timedelta(days=200), approved_by_id=officer.id,
            last_confirmed_at=now - timedelta(days=rng.randint(0, 120), hours=rng.randint(0, 8)))
        listing.locations.append(CommunityListingLocation(location=place(group, district)))
        if freq is ScheduleFreq.ONCE:
            schedule = CommunitySchedule(freq=freq, dtstart=today + timedelta(days=rule))
        else:
            start = today - timedelta(days=rng.randint(30, 400))
            schedule = CommunitySchedule(freq=freq, interval=interval, byday=rule, dtstart=start)
        schedule.opens_at, schedule.closes_at = _clock(opens), _clock(closes)
        listing.schedules.append(schedule)
        session.add(listing)
        return listing

    made: list[CommunityListing] = []
    districts = list(TOWNS)
    for index, spec in enumerate(LISTINGS):
        first = districts[index % len(districts)]
        second = districts[(index * 5 + 3) % len(districts)]
        for district in (first, second) if spec[5][0] is not ScheduleFreq.ONCE else (first,):
            town = TOWNS[district]
            name = spec[0].format(town=town)
            if "{town}" not in spec[0]:
                name = f"{name}, {town}"
            made.append(make(spec, district, name))
    for spec in ORGANISER_LISTINGS:
        made.append(make(spec, spec[14], spec[0]))
    session.flush()

    # States worth showing: waiting, not approved, withdrawn, flagged and hidden.
    lunch = made[-1]  # Wealdstone Lunch Club: its organisation awaits council checks
    lunch.status, lunch.approved_at, lunch.approved_by_id = (
        CommunityListingStatus.PENDING, None, None)
    session.add(CommunityReview(kind=ReviewKind.NEW_LISTING, organisation=lunch.organisation,
                                listing=lunch, council_id=council.id))
    for listing in made[3:6]:
        listing.status, listing.approved_at, listing.approved_by_id = (
            CommunityListingStatus.PENDING, None, None)
        session.add(CommunityReview(kind=ReviewKind.NEW_LISTING,
                                    organisation=listing.organisation, listing=listing,
                                    council_id=council.id))
    rejected = made[8]
    rejected.status = CommunityListingStatus.REJECTED
    rejected.moderation_note = "Please give the full address of the venue."
    session.add(CommunityReview(
        kind=ReviewKind.NEW_LISTING, organisation=rejected.organisation, listing=rejected,
        council_id=council.id, status=ReportStatus.CLOSED, outcome=ReviewOutcome.REJECTED,
        note=rejected.moderation_note, closed_at=now - timedelta(days=3),
        closed_by_id=officer.id))
    made[11].status = CommunityListingStatus.WITHDRAWN
    for listing in made[20:80:9]:
        listing.last_confirmed_at = now - timedelta(days=rng.randint(190, 250))
    for listing in (made[30], made[50]):
        listing.last_confirmed_at = now - timedelta(days=300)
    knit = made[-4]  # the organiser's Pinner Knit and Natter: a change to look at
    session.add(CommunityReview(
        kind=ReviewKind.CHANGED_LISTING, organisation=knit.organisation, listing=knit,
        council_id=council.id, changes=[{"field": "summary",
                                         "before": "Knitting and conversation at the library.",
                                         "after": knit.summary}]))
    session.add_all([
        CommunityReport(listing=knit, reason=CommunityReportReason.WRONG_TIMES,
                        details="It starts at 10:30 now, not 10:00."),
        CommunityReport(listing=made[14], reason=CommunityReportReason.NO_LONGER_RUNNING,
                        details="The hall was closed when I went.",
                        contact_email="resident@example.org"),
        CommunityReport(listing=made[22], reason=CommunityReportReason.COST_WRONG,
                        status=ReportStatus.CLOSED, closed_at=now - timedelta(days=10),
                        closed_by_id=officer.id,
                        resolution="The organiser has corrected the price."),
    ])
    session.flush()
    return len(made)
