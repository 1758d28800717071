"""Finding services: one small interface, two back ends chosen by configuration.

    query, errors = parse_search_args(request.args, funded_by=..., today=...)
    results = get_search_backend(app).search(db.session, query)

``SEARCH_BACKEND`` picks the back end: ``"whoosh"`` (a local index in
``SEARCH_INDEX_DIR``, kept up to date after every commit) or ``"postgres"``
(full-text search in the database, for sites with several web servers). Both
return only public listings (``catalogue.listing``: approved provider, published
service, confirmed recently enough), filter and sort by the price that applies
to the viewer (``catalogue.pricing.price_for``), and pass the same tests.

Sorting by rating: there are no ratings yet (issue 8). ``Sort.RATING`` exists and,
while no rating source is registered, gives exactly the relevance order. Issue 8
wires ratings in with ``register_rating_source(fn)``, where ``fn(session,
service_ids)`` returns ``{service_id: average}`` for the services that have
ratings; results are then ordered by average rating (highest first, unrated
last), ties broken by the relevance order. (At large scale a column of averages
in the search documents would be faster than a callable; the hook is the seam.)

Filtering by rating (``min_rating``: "4 stars and up"): ``register_rating_filter(fn)``,
where ``fn(session, minimum)`` returns the ids of the services whose shown rating is
at least ``minimum`` (services with too few ratings to show one never match). The
base back end asks it once per search and passes the ids to the back end as
``rated_ids``, a filter like any other (so the facet counts apply it); with no
filter registered, no service has a rating, so none matches.

Relevance order, and every tie-break, is: score (highest first), then distance
when a postcode was given (nearest first), then price for this viewer (lowest
first), then service id, so the order is stable from page to page.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l

MAX_WORDS_LENGTH = 200
MAX_PAGE = 1000
PER_PAGE = 20
MAX_PRICE_PENCE = 10_000_000  # £100,000: anything above is a typing slip

# Price bands shown as a facet: (key, lowest pence, highest pence or None), inclusive.
PRICE_BANDS: list[tuple[str, int, int | None]] = [
    ("0-999", 0, 999),
    ("1000-1999", 1000, 1999),
    ("2000-2999", 2000, 2999),
    ("3000-4999", 3000, 4999),
    ("5000-9999", 5000, 9999),
    ("10000-", 10000, None),
]

FACETS = ("category", "price", "weekday", "language", "cqc_registered", "funding_stream",
          "provider_kind")


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    PRICE = "price"
    RATING = "rating"

    @property
    def label(self):
        return {"relevance": _l("Best match"), "distance": _l("Nearest first"),
                "price": _l("Lowest price first"), "rating": _l("Highest rated first")}[self.value]


@dataclass(frozen=True)
class SearchQuery:
    """What someone asked for. Prices are pence, for the viewer (``funded_by`` are the
    councils funding them, ``today`` the day prices apply); ``district`` is the
    postcode district of ``postcode`` (only the district is ever used or kept)."""

    words: str = ""
    category: str | None = None
    price_min_pence: int | None = None
    price_max_pence: int | None = None
    weekday: int | None = None
    language: str | None = None
    cqc_registered: bool = False
    funding_stream: str | None = None
    provider_kind: str | None = None
    postcode: str | None = None
    district: str | None = None
    covers_my_area: bool = False
    sort: Sort = Sort.RELEVANCE
    min_rating: int | None = None  # stars: "4 stars and up"
    rated_ids: frozenset[int] | None = None  # filled in by the back end from min_rating
    page: int = 1
    per_page: int = PER_PAGE
    funded_by: frozenset[int] = frozenset()
    today: date | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def filters(self) -> dict:
        """The filters in force, for the search log (no personal identifiers)."""
        chosen = {
            "category": self.category, "price_min_pence": self.price_min_pence,
            "price_max_pence": self.price_max_pence, "weekday": self.weekday,
            "language": self.language, "cqc_registered": self.cqc_registered or None,
            "funding_stream": self.funding_stream, "provider_kind": self.provider_kind,
            "covers_my_area": self.covers_my_area or None, "min_rating": self.min_rating,
        }
        found = {key: value for key, value in chosen.items() if value is not None}
        found["sort"] = self.sort.value
        return found


@dataclass(frozen=True)
class Hit:
    service_id: int
    score: float
    distance_km: float | None = None
    price_pence: int | None = None  # the price for this viewer, as filtered and sorted


@dataclass
class SearchResults:
    """One page of results. ``facets`` maps each name in ``FACETS`` to {value: count};
    each facet's counts leave out that facet's own filter (so they say what choosing
    another value would give) but apply every other filter. Values: category slug,
    price band key, weekday int, language code, True/False, stream code, kind code."""

    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict] = field(default_factory=dict)
    suggestion: str | None = None  # "did you mean", when some words are not known
    searched_words: str = ""  # the words these results are for (corrected, if needed)
    any_word: bool = False  # no service matched every word: these match some of them
    no_usable_words: bool = False  # words were given, but none could be searched for

    @property
    def page(self) -> int:
        return self.query.page

    @property
    def per_page(self) -> int:
        return self.query.per_page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def corrected(self) -> bool:
        return bool(self.searched_words) and self.searched_words != self.query.words


RatingSource = Callable[[object, Sequence[int]], Mapping[int, float]]
_rating_source: RatingSource | None = None


def register_rating_source(source: RatingSource | None) -> None:
    """Issue 8: ``source(session, service_ids) -> {service_id: average rating}``."""
    global _rating_source
    _rating_source = source


def rating_source() -> RatingSource | None:
    return _rating_source


RatingFilter = Callable[[object, int], Collection[int]]
_rating_filter: RatingFilter | None = None
MIN_RATINGS = (4, 3, 2)  # the "N stars and up" choices offered


def register_rating_filter(source: RatingFilter | None) -> None:
    """Issue 8: ``source(session, minimum) -> ids of services rated at least that``."""
    global _rating_filter
    _rating_filter = source


def rating_filter() -> RatingFilter | None:
    return _rating_filter


def get_search_backend(app):
    """The back end the configuration asks for (one instance per app and setting)."""
    name = (app.config.get("SEARCH_BACKEND") or "whoosh").strip().lower()
    backends = app.extensions.setdefault("search_backends", {})
    if name == "postgres":
        if "postgres" not in backends:
            from catalogue.search.postgres_backend import PostgresBackend

            backends["postgres"] = PostgresBackend()
        return backends["postgres"]
    if name != "whoosh":
        raise ValueError(f"SEARCH_BACKEND must be 'whoosh' or 'postgres', not {name!r}")
    from catalogue.search.whoosh_backend import WhooshBackend

    directory = app.config["SEARCH_INDEX_DIR"]
    current = backends.get("whoosh")
    if current is None or current.directory != directory:
        if current is not None:  # the folder changed (tests): let go of the old index
            current.close()
        backends["whoosh"] = current = WhooshBackend(directory)
    return current


from catalogue.search.events import record_opened, record_search  # noqa: E402
from catalogue.search.parsing import SearchError, parse_search_args  # noqa: E402

__all__ = [
    "FACETS", "MAX_PAGE", "MAX_WORDS_LENGTH", "PER_PAGE", "PRICE_BANDS", "Hit", "SearchError",
    "SearchQuery", "SearchResults", "Sort", "get_search_backend", "parse_search_args",
    "rating_source", "record_opened", "record_search", "register_rating_source",
    "MIN_RATINGS", "rating_filter", "register_rating_filter",
]
