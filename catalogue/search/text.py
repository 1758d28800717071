"""Rules both back ends share: which words can be searched for, what a service's
searchable text is, which correction of a misspelt word is best, and small facts
derived from a listing (CQC registration, the district of its base, price band)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask import has_app_context
from flask_babel import force_locale
from whoosh.analysis import STOP_WORDS

from catalogue.geo import UnknownPostcode, district_of
from catalogue.search import PRICE_BANDS
from catalogue.taxonomy import CATEGORIES

MAX_TOKENS = 12
_WORD = re.compile(r"[^\W_]+")


def tokens(words: str) -> list[str]:
    """The searchable words of a query: lower case, at least two letters, not a
    stop word ("the", "and", "or"...), each once, at most twelve. Punctuation and
    search syntax (``a:b* OR (``) are only separators."""
    found: list[str] = []
    for match in _WORD.finditer((words or "").lower()):
        word = match.group()
        if len(word) >= 2 and word not in STOP_WORDS and word not in found:
            found.append(word)
    return found[:MAX_TOKENS]


def english(text) -> str:
    """A lazy (translatable) string in English: the index is English."""
    if has_app_context():
        with force_locale("en"):
            return str(text)
    return str(text)


def category_words(slug: str) -> str:
    """The English names of a category and of its parent, for searching by them."""
    category = CATEGORIES.get(slug)
    if category is None:
        return slug.replace("-", " ")
    names = [english(category.name)]
    if category.parent:
        names.append(english(CATEGORIES[category.parent].name))
    return " ".join(names)


def top_level(slug: str) -> str:
    category = CATEGORIES.get(slug)
    return (category.parent or category.slug) if category else slug


def is_cqc_registered(cqc_location_id: str | None, cqc_status: str | None) -> bool:
    """Registered with CQC: a location id, and a status of "Registered" (or none
    recorded, for ids entered by hand)."""
    return bool(cqc_location_id) and (cqc_status or "Registered").strip().lower() == "registered"


def base_district(postcode: str | None) -> str | None:
    if not postcode:
        return None
    try:
        return district_of(postcode)
    except UnknownPostcode:
        return None


def price_band(pence: int) -> str:
    for key, lowest, highest in PRICE_BANDS:
        if pence >= lowest and (highest is None or pence <= highest):
            return key
    return PRICE_BANDS[0][0]


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (a swap of two letters counts as one edit)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def best_correction(word: str, candidates: Mapping[str, int]) -> str | None:
    """The known word most likely meant by ``word``: fewest edits (at most two, and
    at most one for words of four letters or fewer), then the most common, then
    the alphabetically first. ``candidates`` maps known words to how many listings
    use them."""
    limit = 1 if len(word) <= 4 else 2
    ranked = sorted(
        (edit_distance(word, candidate), -count, candidate)
        for candidate, count in candidates.items() if candidate != word
    )
    if ranked and ranked[0][0] <= limit:
        return ranked[0][2]
    return None
