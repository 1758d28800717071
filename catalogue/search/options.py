"""The choices the search form offers, each with how many services it would give
(from the facet counts), in the words people see."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from catalogue.models.enums import PROVIDER_KIND_LABELS, ProviderKind
from catalogue.search import (
    MIN_RATINGS,
    PRICE_BANDS,
    SearchQuery,
    SearchResults,
    Sort,
    rating_filter,
    rating_source,
)
from catalogue.taxonomy import FUNDING_STREAM_LABELS, LANGUAGES, TOP_LEVEL, WEEKDAYS, children_of
from marketplace.money import format_pence


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int | None
    selected: bool

    @property
    def text(self) -> str:
        return self.label if self.count is None else f"{self.label} ({self.count:,})"


def _money(pence: int) -> str:
    """£10 for whole pounds, £19.99 otherwise."""
    return f"£{pence // 100:,}" if pence % 100 == 0 else format_pence(pence)


def _band_label(low: int, high: int | None) -> str:
    if low == 0:
        return _("Under %(amount)s", amount=_money(high + 1))
    if high is None:
        return _("%(amount)s or more", amount=_money(low))
    return _("%(low)s to %(high)s", low=_money(low), high=_money(high))


def categories(found: SearchResults, query: SearchQuery) -> list[Option]:
    counts = found.facets.get("category", {})
    options = [Option("", _("Any type of support"), sum(counts.values()), not query.category)]
    for top in TOP_LEVEL:
        children = children_of(top.slug)
        total = counts.get(top.slug, 0) + sum(counts.get(c.slug, 0) for c in children)
        if total or query.category in {top.slug, *(c.slug for c in children)}:
            options.append(Option(top.slug, str(top.name), total, query.category == top.slug))
            for child in children:
                n = counts.get(child.slug, 0)
                if n or query.category == child.slug:
                    options.append(Option(child.slug, f"– {child.name}", n,
                                          query.category == child.slug))
    return options


def price_bands(found: SearchResults, query: SearchQuery) -> list[Option]:
    counts = found.facets.get("price", {})
    chosen = (query.price_min_pence, query.price_max_pence)
    options = [Option("", _("Any price"), None, chosen == (None, None))]
    for key, low, high in PRICE_BANDS:
        options.append(Option(key, _band_label(low, high), counts.get(key, 0),
                              chosen == (low, high)))
    return options


def weekdays(found: SearchResults, query: SearchQuery) -> list[Option]:
    counts = found.facets.get("weekday", {})
    return [Option("", _("Any day"), None, query.weekday is None)] + [
        Option(str(day), str(name), counts.get(day, 0), query.weekday == day)
        for day, name in WEEKDAYS.items()]


def languages(found: SearchResults, query: SearchQuery) -> list[Option]:
    counts = found.facets.get("language", {})
    options = [Option(code, str(name), counts.get(code, 0), query.language == code)
               for code, name in LANGUAGES.items()
               if counts.get(code) or query.language == code]
    return [Option("", _("Any language"), None, not query.language),
            *sorted(options, key=lambda option: option.label)]


def funding_streams(found: SearchResults, query: SearchQuery) -> list[Option]:
    counts = found.facets.get("funding_stream", {})
    return [Option("", _("Any kind of funding"), None, not query.funding_stream)] + [
        Option(stream.value, str(label), counts.get(stream.value, 0),
               query.funding_stream == stream.value)
        for stream, label in FUNDING_STREAM_LABELS.items()
        if counts.get(stream.value) or query.funding_stream == stream.value]


def provider_kinds(found: SearchResults, query: SearchQuery) -> list[Option]:
    counts = found.facets.get("provider_kind", {})
    return [Option("", _("Any kind of provider"), None, not query.provider_kind)] + [
        Option(kind.value, str(PROVIDER_KIND_LABELS[kind]), counts.get(kind.value, 0),
               query.provider_kind == kind.value) for kind in ProviderKind]


def cqc_count(found: SearchResults) -> int:
    return found.facets.get("cqc_registered", {}).get(True, 0)


def sorts(query: SearchQuery) -> list[Option]:
    """Sorting by rating is offered once ratings exist (a rating source is registered)."""
    return [Option(sort.value, str(sort.label), None, query.sort is sort) for sort in Sort
            if sort is not Sort.RATING or rating_source() is not None or query.sort is sort]


def min_ratings(query: SearchQuery) -> list[Option]:
    """The minimum-rating filter, offered once ratings exist (a filter is registered)."""
    if rating_filter() is None and query.min_rating is None:
        return []
    return [Option("", _("Any rating, or not rated yet"), None, query.min_rating is None)] + [
        Option(str(n), _("%(stars)d stars and up", stars=n), None, query.min_rating == n)
        for n in MIN_RATINGS]


def all_options(found: SearchResults, query: SearchQuery) -> dict:
    return {"category": categories(found, query), "price": price_bands(found, query),
            "day": weekdays(found, query), "language": languages(found, query),
            "funding": funding_streams(found, query), "kind": provider_kinds(found, query),
            "cqc": cqc_count(found), "sort": sorts(query), "rating": min_ratings(query)}
