"""From the query string to a ``SearchQuery``: a pure function that never raises.

Anything odd becomes a clear, translatable message and a sensible default (the
filter is left out, the first page is shown), so a person always gets an answer:
an unknown postcode, prices that are not amounts or are upside down, page
numbers that are not pages, very long searches (cut to 200 characters). The
words are kept as text: search syntax characters mean nothing special here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from catalogue.geo import UnknownPostcode, district_of
from catalogue.models.enums import ProviderKind
from catalogue.search import (
    MAX_PAGE,
    MAX_PRICE_PENCE,
    MAX_WORDS_LENGTH,
    MIN_RATINGS,
    PRICE_BANDS,
    SearchQuery,
    Sort,
)
from catalogue.taxonomy import CATEGORIES, LANGUAGES, FundingStream
from marketplace.money import MoneyError, parse_pounds

_SPACES = re.compile(r"\s+")
_YES = {"yes", "true", "on", "1"}


@dataclass(frozen=True)
class SearchError:
    """A message about one field (``field`` is the id of the input it is about)."""

    field: str
    message: object  # a lazy, translatable string

    def __str__(self) -> str:
        return str(self.message)


def _text(args: Mapping, name: str, limit: int = 100) -> str:
    value = args.get(name) or ""
    return _SPACES.sub(" ", str(value)).strip()[:limit]


def _shown(value: str) -> str:
    """Echo at most a short piece of what someone typed in a message."""
    return value if len(value) <= 20 else value[:20] + "…"


def _choice(args, name, allowed, errors, message) -> str | None:
    value = _text(args, name, 60)
    if not value:
        return None
    if value not in allowed:
        errors.append(SearchError(name, message))
        return None
    return value


def _price(args, name: str, errors: list, message) -> int | None:
    raw = _text(args, name, 30)
    if not raw:
        return None
    try:
        pence = parse_pounds(raw)
    except MoneyError:
        errors.append(SearchError(name, message))
        return None
    if pence > MAX_PRICE_PENCE:
        errors.append(SearchError(name, _l("Enter a price of £100,000 or less")))
        return None
    return pence


def _prices(args, errors: list) -> tuple[int | None, int | None]:
    low = _price(args, "price_min", errors,
                 _l("Enter the lowest price as an amount in pounds, like 10 or 12.50"))
    high = _price(args, "price_max", errors,
                  _l("Enter the highest price as an amount in pounds, like 30 or 42.50"))
    if low is None and high is None and not (args.get("price_min") or args.get("price_max")):
        band = _text(args, "price", 20)
        bands = {key: (lowest, highest) for key, lowest, highest in PRICE_BANDS}
        if band in bands:
            return bands[band]
        if band:
            errors.append(SearchError("price", _l("Choose a price range from the list")))
    if low is not None and high is not None and low > high:
        errors.append(SearchError("price_min", _l(
            "The lowest price must be the same as or less than the highest price")))
        return None, None
    return low, high


def _page(args, errors: list) -> int:
    raw = _text(args, "page", 30)
    if not raw:
        return 1
    if not raw.isdigit() or int(raw) < 1:
        errors.append(SearchError("page", _l("Page numbers are whole numbers from 1")))
        return 1
    if int(raw) > MAX_PAGE:
        errors.append(SearchError("page", _l(
            "There is no page %(page)s: there are at most %(max)d pages of results",
            page=_shown(raw), max=MAX_PAGE)))
        return 1
    return int(raw)


def parse_search_args(args: Mapping, *, funded_by=frozenset(), today: date | None = None
                      ) -> tuple[SearchQuery, list[SearchError]]:
    """The query asked for in ``args`` (a request's query string), and what was wrong
    with it. ``funded_by`` and ``today`` say whose prices apply (see pricing)."""
    errors: list[SearchError] = []
    words = _SPACES.sub(" ", str(args.get("q") or "")).strip()
    if len(words) > MAX_WORDS_LENGTH:
        words = words[:MAX_WORDS_LENGTH].rstrip()
        errors.append(SearchError("q", _l(
            "Your search was too long, so we used its first %(max)d characters",
            max=MAX_WORDS_LENGTH)))

    postcode = _text(args, "postcode", 30).upper() or None
    district = None
    if postcode:
        try:
            district = district_of(postcode)
        except UnknownPostcode:
            errors.append(SearchError("postcode", _l(
                "We do not know the postcode %(postcode)s. Check it, or enter just the "
                "first part, like HA1", postcode=_shown(postcode))))
            postcode = None

    covers = _text(args, "covers", 10).lower() in _YES
    if covers and district is None and not any(e.field == "postcode" for e in errors):
        errors.append(SearchError("postcode", _l(
            "Enter a postcode to see only services that cover your area")))
        covers = False
    elif covers and district is None:
        covers = False

    sort_raw = _text(args, "sort", 20)
    sort = Sort(sort_raw) if sort_raw in Sort._value2member_map_ else Sort.RELEVANCE
    if sort is Sort.DISTANCE and district is None:
        if not any(e.field == "postcode" for e in errors):
            errors.append(SearchError("postcode", _l("Enter a postcode to sort by distance")))
        sort = Sort.RELEVANCE

    weekday = None
    day = _text(args, "day", 10)
    if day:
        if day.isdigit() and 0 <= int(day) <= 6:
            weekday = int(day)
        else:
            errors.append(SearchError("day", _l("Choose a day of the week from the list")))

    price_min, price_max = _prices(args, errors)
    rating = _choice(args, "rating", {str(n) for n in MIN_RATINGS}, errors,
                     _l("Choose a rating from the list"))
    query = SearchQuery(
        words=words,
        category=_choice(args, "category", CATEGORIES, errors,
                         _l("Choose a type of support from the list")),
        price_min_pence=price_min,
        price_max_pence=price_max,
        weekday=weekday,
        language=_choice(args, "language", LANGUAGES, errors,
                         _l("Choose a language from the list")),
        cqc_registered=_text(args, "cqc", 10).lower() in _YES,
        funding_stream=_choice(args, "funding", FundingStream._value2member_map_, errors,
                               _l("Choose a kind of funding from the list")),
        provider_kind=_choice(args, "kind", ProviderKind._value2member_map_, errors,
                              _l("Choose a kind of provider from the list")),
        postcode=postcode,
        district=district,
        covers_my_area=covers,
        sort=sort,
        min_rating=int(rating) if rating else None,
        page=_page(args, errors),
        funded_by=frozenset(funded_by),
        today=today,
    )
    return query, errors
