"""The SQL of one PostgreSQL search, put together from fixed fragments of this
module: what people type only ever reaches the database as bound parameters.

The statement is ``WITH f AS MATERIALIZED (<the matches>) <branches>``: ``f``
holds the listed, recently confirmed documents matching the words (and covering
the searcher's area, if asked), with their score, price for the viewer and
distance; then a UNION ALL of branches reads ``f``: the counts, and one page of
hits. A facet's counts leave out its own filter, so facets whose WHERE clause
is the same share one pass: with no filter chosen, every count comes from two
passes over ``f`` (GROUPING SETS for category, kind, CQC and price band; bit
counts for the weekday, language and funding-stream masks).
"""

from __future__ import annotations

from functools import lru_cache

from catalogue.geo import distance_km, districts
from catalogue.search import FACETS, PRICE_BANDS, SearchQuery, Sort
from catalogue.taxonomy import children_of

RATES = """
LEFT JOIN (
  SELECT latest.service_id, min(latest.rate_pence) AS rate_pence FROM (
    SELECT DISTINCT ON (c.service_id, c.council_id) c.service_id, c.rate_pence
      FROM council_rates c
     WHERE c.council_id = ANY(CAST(:councils AS integer[])) AND c.starts_on <= :today
       AND (c.ends_on IS NULL OR c.ends_on >= :today)
     ORDER BY c.service_id, c.council_id, c.starts_on DESC, c.id) latest
  GROUP BY latest.service_id) r ON r.service_id = d.service_id"""

# GROUP BY tells the planner each district appears once, so it hashes the 2,848
# districts and streams the documents past them (not the other way round).
DISTANCES = """
LEFT JOIN (SELECT u.district, min(u.km) AS km
             FROM unnest(CAST(:districts AS text[]), CAST(:kms AS float8[])) AS u(district, km)
            GROUP BY u.district) g ON g.district = d.base_district"""

ORDER = {
    Sort.RELEVANCE: "score DESC, distance_km ASC NULLS LAST, price, service_id",
    Sort.DISTANCE: "distance_km ASC NULLS LAST, score DESC, price, service_id",
    Sort.PRICE: "price, score DESC, distance_km ASC NULLS LAST, service_id",
}

# The bits of the masks, as the migration's search_language_bit and
# search_stream_bit set them (a test checks that they agree).
LANGUAGE_CODES = ["en", "cy", "bsl", "ar", "bn", "gu", "hi", "pa", "ur", "pl", "ro", "so",
                  "ta", "tr", "pt", "es", "fr", "zh", "yo", "tw", "ti", "fa", "ku"]
STREAM_CODES = ["adult_social_care", "childrens_services", "nhs_phb", "ilf",
                "supporting_people", "dfg", "access_to_work", "other"]
MASKS = {"weekday": ("weekdays", list(range(7))), "language": ("languages", LANGUAGE_CODES),
         "funding_stream": ("streams", STREAM_CODES)}
SCALARS = {"category": "category", "provider_kind": "kind", "cqc_registered": "cqc",
           "price": "band"}


@lru_cache(maxsize=256)
def distances_from(district: str) -> tuple[list[str], list[float]]:
    """Every district and its distance from ``district`` (for the DISTANCES join)."""
    places = districts()
    origin = places[district]
    names = sorted(places)
    return names, [distance_km(origin, places[name]) for name in names]


def price_band() -> str:
    cases = " ".join(f"WHEN price <= {high} THEN '{key}'"
                     for key, _low, high in PRICE_BANDS if high is not None)
    return f"CASE {cases} ELSE '{PRICE_BANDS[-1][0]}' END"


def tsquery(words: list[str], any_word: bool, params: dict) -> str:
    if not any_word:
        params["words"] = " ".join(words)
        return "plainto_tsquery('english', :words)"
    parts = []
    for number, word in enumerate(words):
        params[f"w{number}"] = word
        parts.append(f"plainto_tsquery('english', :w{number})")
    return " || ".join(parts)


def bit(codes: list, code) -> int:
    return 1 << codes.index(code) if code in codes else 0


def conditions(query: SearchQuery, params: dict) -> dict[str, str]:
    """The filters chosen, by facet name, as conditions on the columns of ``f``."""
    chosen = {}
    if query.category:
        params["categories"] = [query.category] + [c.slug for c in children_of(query.category)]
        chosen["category"] = "category = ANY(CAST(:categories AS text[]))"
    low, high = query.price_min_pence, query.price_max_pence
    if low is not None or high is not None:
        params.update(price_min=low if low is not None else 0,
                      price_max=high if high is not None else 2**31 - 1)
        chosen["price"] = "price BETWEEN :price_min AND :price_max"
    if query.weekday is not None:
        params["weekday"] = 1 << query.weekday
        chosen["weekday"] = "weekdays & :weekday <> 0"
    if query.language:
        params["language"] = bit(LANGUAGE_CODES, query.language)
        chosen["language"] = "languages & :language <> 0"
    if query.cqc_registered:
        chosen["cqc_registered"] = "cqc_registered"
    if query.funding_stream:
        params["stream"] = bit(STREAM_CODES, query.funding_stream)
        chosen["funding_stream"] = "streams & :stream <> 0"
    if query.provider_kind:
        params["kind"] = query.provider_kind
        chosen["provider_kind"] = "kind = :kind"
    return chosen


def where(chosen: dict[str, str], leave_out: str | None = None) -> str:
    parts = [sql for name, sql in chosen.items() if name != leave_out]
    return " AND ".join(parts) if parts else "TRUE"


def row(part, value, n, service_id="NULL", score="NULL", distance="NULL",
        price="NULL") -> str:
    """The columns every branch of the UNION returns."""
    return (f"SELECT {part} AS part, CAST({value} AS text) AS value, CAST({n} AS bigint) AS n, "
            f"CAST({service_id} AS integer) AS service_id, CAST({score} AS float8) AS score, "
            f"CAST({distance} AS float8) AS distance_km, CAST({price} AS integer) AS price")


def counts(chosen: dict[str, str]) -> list[str]:
    """The branches that count: the total and every facet's values."""
    everything = where(chosen)
    groups: dict[str, list[str]] = {everything: []}
    for name in FACETS:
        groups.setdefault(where(chosen, name), []).append(name)
    branches = []
    for condition, names in groups.items():
        scalars = [name for name in names if name in SCALARS]
        sets = [f"({SCALARS[name]})" for name in scalars]
        if condition == everything:
            sets.append("()")  # the total
        if scalars:
            part = " ".join(f"WHEN GROUPING({SCALARS[n]}) = 0 THEN '{n}'" for n in scalars)
            value = " ".join(f"WHEN GROUPING({SCALARS[n]}) = 0 THEN {SCALARS[n]}"
                             for n in scalars)
            branches.append(row(f"CASE {part} ELSE 'total' END", f"CASE {value} END",
                                "count(*)") + f" FROM f WHERE {condition} "
                            f"GROUP BY GROUPING SETS ({', '.join(sets)})")
        elif sets:
            branches.append(row("'total'", "NULL", "count(*)") + f" FROM f WHERE {condition}")
        masks = [name for name in names if name in MASKS]
        if masks:
            arrays = ", ".join(
                "ARRAY[" + ", ".join(f"count(*) FILTER (WHERE {MASKS[n][0]} & {1 << b} <> 0)"
                                     for b in range(len(MASKS[n][1]))) + f"] AS {n}"
                for n in masks)
            pairs = ", ".join(f"('{n}', x.{n})" for n in masks)
            source = (f"(SELECT {arrays} FROM f WHERE {condition}) x "  # noqa: S608
                      f"CROSS JOIN LATERAL (VALUES {pairs}) AS m(part, counts), "
                      "unnest(m.counts) WITH ORDINALITY AS u(c, k)")
            branches.append(row("m.part", "u.k - 1", "u.c") + f" FROM {source} WHERE u.c > 0")
    return branches


def statement(query: SearchQuery, words: list[str], any_word: bool, params: dict) -> str:
    joins, score, matching = "", "0.0", ""
    if words:
        joins += f" CROSS JOIN (SELECT {tsquery(words, any_word, params)} AS q) tq"
        score, matching = "ts_rank(d.document, tq.q)", " AND d.document @@ tq.q"
    price = "d.price_pence"
    if query.funded_by and query.today:
        params.update(councils=sorted(query.funded_by), today=query.today)
        joins += RATES
        price = "coalesce(r.rate_pence, d.price_pence)"
    distance, covers = "CAST(NULL AS float8)", ""
    if query.district:
        params["districts"], params["kms"] = distances_from(query.district)
        joins += DISTANCES
        distance = "g.km"
        if query.covers_my_area:
            params["district"] = query.district
            covers = (" AND (CAST(:district AS varchar) = ANY(d.areas)"
                      " OR g.km <= d.coverage_radius_km)")
    chosen = conditions(query, params)
    hits = (row("'hit'", "NULL", "NULL", "service_id", "score", "distance_km", "price")
            + f" FROM f WHERE {where(chosen)} "
            f"ORDER BY {ORDER.get(query.sort, ORDER[Sort.RELEVANCE])} LIMIT :limit OFFSET :offset")
    columns = ("d.service_id, d.category, d.kind, d.cqc_registered, "
               "CAST(d.cqc_registered AS text) AS cqc, d.weekdays, d.languages, d.streams, "
               f"{score} AS score, {price} AS price, {distance} AS distance_km")
    found = f"d.listed AND d.confirmed_at >= :cutoff{matching}{covers}"
    matched = f"SELECT {columns} FROM search_documents d{joins} WHERE {found}"  # noqa: S608
    banded = f"SELECT m.*, {price_band()} AS band FROM ({matched}) m"  # noqa: S608
    return f"WITH f AS MATERIALIZED ({banded}) " + " UNION ALL ".join([*counts(chosen),
                                                                      f"({hits})"])
