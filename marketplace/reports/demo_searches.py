"""The demo history's search log: what people looked for before they ordered, what
they kept looking for when nothing suited, everyday browsing, and visitors.

Rows are written as ``catalogue.search.events.record_search`` writes them (one
plain INSERT, no audit), with the same columns: the words and filters, the
postcode district, the council funding the searcher (none for self-funders and
visitors), the searcher key (``person_key`` of the person, or a random visitor's
key), and the number of results those filters give on today's catalogue
(``demo_catalogue.Catalogue.count``). A search that led to an order has the
service opened from it and ``ordered`` set, as ``mark_ordered`` leaves it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert

from catalogue.models import SearchEvent
from catalogue.search.events import person_key, searcher_key
from catalogue.taxonomy import CATEGORIES, TOP_LEVEL
from marketplace.reports.demo_attempts import SHORT_BREAKS, Attempt
from marketplace.reports.demo_budgets import Period
from marketplace.reports.demo_catalogue import Catalogue
from marketplace.reports.demo_needs import Need
from marketplace.reports.demo_people import DISTRICT_WEIGHTS, Person

WORDS = {
    "personal-care": ["home care", "carer", "morning carer", "help getting dressed"],
    "personal-assistant": ["personal assistant", "pa", "personal assistant evenings"],
    SHORT_BREAKS: ["respite", "short breaks", "overnight respite", "carers break",
                   "respite weekend", "sitting service"],
    "sitting-and-befriending": ["befriending", "dementia", "companion"],
    "meals": ["meals on wheels", "hot meals", "lunch club"],
    "transport": ["transport", "minibus", "travel training"],
    "domestic-help": ["cleaner", "shopping help", "laundry"],
    "day-opportunities": ["day centre", "day activities"],
    "equipment-and-technology": ["pendant alarm", "grab rails", "tablet help"],
    "leisure-and-social": ["swimming", "art class", "social club"],
    "housing-support": ["housing support", "tenancy help"],
    "learning-and-employment": ["job coach", "courses"],
    "advocacy": ["advocate", "advocacy"],
}
# Kinds of support the Community Catalogue's free groups also offer.
FREE_TOO = {"leisure-and-social", "sitting-and-befriending", "meals", "day-opportunities"}
URDU_WORDS = ["urdu", "urdu carer", "urdu personal assistant", "urdu speaking", "urdu pa"]
VISITORS = 1800


class SearchLog:
    def __init__(self, rng, catalogue: Catalogue, council_id: int, start: date, today: date):
        self.rng, self.catalogue, self.council_id = rng, catalogue, council_id
        self.start, self.today = start, today
        self.rows: list[dict] = []

    def add(self, day: date, *, key: str, district: str | None, council: bool,
            category: str | None = None, words: str = "", language: str | None = None,
            covers: bool = True, opened: int | None = None, ordered: bool = False,
            free: bool = False) -> None:
        if day < self.start or day >= self.today:
            return
        rng = self.rng
        filters = {"category": category, "language": language,
                   "covers_my_area": (covers and district is not None) or None}
        filters = {k: v for k, v in filters.items() if v is not None}
        filters["sort"] = "distance" if district and rng.random() < .3 else "relevance"
        if free:  # "Free community groups and activities only" (community.usage)
            filters["free"] = True
        count = self.catalogue.count(category=category, language=language, words=words,
                                     district=district if filters.get("covers_my_area")
                                     else None)
        self.rows.append(dict(
            at=datetime.combine(day, time(rng.randint(7, 21), rng.randint(0, 59)), tzinfo=UTC),
            council_id=self.council_id if council else None, words=words[:200],
            filters=filters, district=district, result_count=count,
            opened_service_id=opened if count else None, ordered=bool(ordered and count),
            searcher_key=key, category=category, language=language))

    def write(self, session) -> int:
        self.rows.sort(key=lambda r: r["at"])
        for start in range(0, len(self.rows), 5000):
            session.execute(insert(SearchEvent), self.rows[start:start + 5000])
        return len(self.rows)


def _words(rng, need: Need, person: Person) -> str:
    if person.language == "ur" and need.planned == "personal-assistant":
        return rng.choice(URDU_WORDS)
    return rng.choice(WORDS.get(need.planned, [str(CATEGORIES[need.planned].name).lower()]))


def before_orders(log: SearchLog, attempts: list[Attempt]) -> None:
    """One to three searches before each order, the last one opening the service."""
    rng = log.rng
    for attempt in attempts:
        person, need = attempt.period.person, attempt.need
        key, council = person_key(person.user_id), not person.self_funder
        language = person.language if need.planned == "personal-assistant" else None
        for lead in sorted(rng.sample(range(1, 9), rng.randint(0, 2)), reverse=True):
            log.add(attempt.placed_on - timedelta(days=lead), key=key, council=council,
                    district=person.district, words=_words(rng, need, person),
                    covers=rng.random() < .5)
        log.add(attempt.placed_on, key=key, council=council, district=person.district,
                category=attempt.offer.category, language=language,
                covers=log.catalogue.covers(attempt.offer, person.district),
                opened=attempt.offer.service_id, ordered=attempt.order_id is not None)
        if attempt.outcome in ("declined", "expired") and attempt.answered_on:
            log.add(attempt.answered_on + timedelta(days=rng.randint(0, 5)), key=key,
                    council=council, district=person.district, category=need.planned,
                    language=language, words=_words(rng, need, person))


def for_unmet(log: SearchLog, unmet: list[tuple[Period, Need]]) -> None:
    """People who found nothing that suited kept looking, then gave up."""
    rng = log.rng
    for period, need in unmet:
        person = period.person
        key, council = person_key(person.user_id), not person.self_funder
        language = person.language if need.planned == "personal-assistant" else None
        day = (period.agreed_on or period.starts_on) + timedelta(days=rng.randint(1, 12))
        for _search in range(rng.randint(2, 5)):
            if rng.random() < .5:
                log.add(day, key=key, council=council, district=person.district,
                        category=rng.choice([need.planned, *need.buys]), language=language)
            else:
                log.add(day, key=key, council=council, district=person.district,
                        words=_words(rng, need, person), covers=rng.random() < .6)
            day += timedelta(days=rng.randint(3, 30))


def browsing(log: SearchLog, people: list[Person]) -> None:
    """Everyday searches by people with a budget, and by self-funders, month by month."""
    rng = log.rng
    for person in people:
        key, council = person_key(person.user_id), not person.self_funder
        first = person.periods[0].starts_on if person.periods else log.start
        day = max(first, log.start) + timedelta(days=rng.randint(0, 30))
        while day < log.today:
            need = rng.choice(person.needs) if person.needs else None
            if need is not None and rng.random() < .7:
                language = person.language if need.planned == "personal-assistant" else None
                log.add(day, key=key, council=council, district=person.district,
                        category=need.planned if rng.random() < .5 else rng.choice(need.buys),
                        covers=language is not None or rng.random() < .6, language=language,
                        free=need.planned in FREE_TOO and rng.random() < .4)
            else:
                top = rng.choice(TOP_LEVEL).slug
                log.add(day, key=key, council=council, district=person.district,
                        words=rng.choice(WORDS.get(top, [""])), category=None
                        if top in WORDS else top, covers=rng.random() < .3,
                        free=top in FREE_TOO and rng.random() < .3)
            day += timedelta(days=rng.randint(12, 60))


def visitors(log: SearchLog) -> None:
    """Anyone can search without signing in: some give a postcode, most do not."""
    rng = log.rng
    districts = list(DISTRICT_WEIGHTS)
    span = (log.today - log.start).days
    for number in range(VISITORS):
        top = rng.choice(TOP_LEVEL).slug
        district = rng.choice(districts) if rng.random() < .45 else None
        words = rng.choice(WORDS[top]) if top in WORDS and rng.random() < .6 else ""
        log.add(log.start + timedelta(days=rng.randrange(span)),
                key=searcher_key(f"browser:history-{number}"), council=False,
                district=district, category=None if words else top, words=words,
                covers=rng.random() < .5)
