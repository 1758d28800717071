"""What the market-gaps modules share: the thresholds, how categories are grouped
into rows, which order serves which planned category, people as keys, and the
median and 90th percentile."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from statistics import median

from flask import current_app
from flask_babel import lazy_gettext as _l

from catalogue.search.events import home_district, person_key
from catalogue.taxonomy import CATEGORIES

POOR_RESULTS = 3     # a search with fewer results than this "found little or nothing"
WORD_PEOPLE = 5      # a word is shown only when at least this many people searched it
MAX_WORDS = 20
MAX_GAPS = 15
CHUNK = 900          # ids per IN (...) list
NO_CATEGORY = ""     # searches without a category chosen
NOT_KNOWN = ""       # people whose postcode district is not known
ANONYMOUS = "?"      # searches logged before searchers had keys: counted as one person


class Grouping:
    """Rows by category: the top-level categories; with a top-level category chosen,
    its sub-categories (and itself, for things listed at the top level); with a
    sub-category chosen, just that."""

    def __init__(self, chosen: str | None):
        self.chosen = chosen if chosen in CATEGORIES else None
        self.top = self.chosen is not None and CATEGORIES[self.chosen].parent is None

    def of(self, slug: str | None) -> str | None:
        """The row a category belongs to, or None when it is outside the filter."""
        if not slug:
            return NO_CATEGORY if self.chosen is None else None
        category = CATEGORIES.get(slug)
        if category is None:
            return slug if self.chosen is None else None
        if self.chosen is None:
            return category.parent or category.slug
        if self.top:
            return slug if slug == self.chosen or category.parent == self.chosen else None
        return slug if slug == self.chosen else None

    def groups(self, slugs: Iterable[str | None]) -> set[str]:
        return {g for g in (self.of(s) for s in slugs) if g is not None}

    def name(self, group: str) -> str:
        """A row's label; a chosen top-level category's own row is "(any kind)"."""
        if self.top and group == self.chosen:
            return str(_l("%(category)s (any kind)", category=category_name(group)))
        return category_name(group)

    def supplying(self, slug: str) -> set[str]:
        """The rows a service in ``slug`` can meet the need of: its own, and, with a
        top-level category chosen, that category's own row (a need for "any")."""
        found = self.groups([slug])
        if self.top and found and found != {self.chosen}:
            found.add(self.chosen)
        return found


def category_name(group: str) -> str:
    if group == NO_CATEGORY:
        return str(_l("No category chosen"))
    category = CATEGORIES.get(group)
    return str(category.name) if category else group


def area_name(district: str | None) -> str:
    return district or str(_l("Area not known"))


def served(planned: str, ordered: str) -> bool:
    """Whether an order line in category ``ordered`` serves money planned for
    ``planned``: the same category, or one is the other's sub-category."""
    if planned == ordered:
        return True
    return (CATEGORIES.get(ordered) is not None and CATEGORIES[ordered].parent == planned) or (
        CATEGORIES.get(planned) is not None and CATEGORIES[planned].parent == ordered)


def key_of(user_id: int) -> str:
    """A person's key: the same one their searches carry (catalogue.search.events)."""
    return _key(user_id, current_app.config["SECRET_KEY"])


@lru_cache(maxsize=100_000)
def _key(user_id: int, secret: str) -> str:
    return person_key(user_id, secret)


@lru_cache(maxsize=100_000)
def district_of(postcode: str | None) -> str:
    return home_district(postcode) or NOT_KNOWN


def chunks(ids: Sequence | set) -> Iterator[list]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


def nearest_rank(sorted_values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (the smallest value with at least ``share`` of
    the values at or below it) of values sorted ascending."""
    rank = -(-len(sorted_values) * int(share * 100) // 100)  # ceil(n * share)
    return sorted_values[min(len(sorted_values) - 1, max(0, rank - 1))]


def median_and_p90(values: Iterable[float]) -> tuple[float | None, float | None]:
    ordered = sorted(values)
    if not ordered:
        return None, None
    return float(median(ordered)), float(nearest_rank(ordered, 0.9))
