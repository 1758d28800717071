"""The SQL of one PostgreSQL search, put together from fixed fragments of this
module: what people type only ever reaches the database as bound parameters.

The statement is ``WITH f AS MATERIALIZED (<the matches>) <branches>``: ``f``
holds the listed, recently confirmed documents matching the words (and covering
the searcher's area, if asked), with their score, price for the viewer and
distance; then a UNION ALL of branches reads ``f``: the counts, and one page of
hits. A facet's counts leave out its own filter, so facets whose WHERE clause
is the same share one pass: with no filter chosen, the total and every facet's
counts come from one hashed GROUPING SETS pass over ``f`` (the weekday, language
and funding-stream masks are grouped by their whole value and the back end adds
each group's count to its bits).

The facts search filters on are precomputed in ``search_documents``; "covers my
area" can use indexes (see ``COVERS``); a viewer funded by one council gets a
simpler rate join (``RATE``). Counts and order are exact: every match is counted
and ranked.
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

# The same for a viewer funded by one council (nearly everyone): that council's
# latest rate in force is the one, so there is no minimum to take.
RATE = """
LEFT JOIN (
  SELECT DISTINCT ON (c.service_id) c.service_id, c.rate_pence
    FROM council_rates c
   WHERE c.council_id = :council AND c.starts_on <= :today
     AND (c.ends_on IS NULL OR c.ends_on >= :today)
   ORDER BY c.service_id, c.starts_on DESC, c.id) r ON r.service_id = d.service_id"""

# GROUP BY tells the planner each district appears once, so it hashes the 2,848
# districts and streams the documents past them (not the other way round).
DISTANCES = """
LEFT JOIN (SELECT u.district, min(u.km) AS km
             FROM unnest(CAST(:districts AS text[]), CAST(:kms AS float8[])) AS u(district, km)
            GROUP BY u.district) g ON g.district = d.base_district"""

# "Covers my area": the district is one of the provider's areas, or its base is
# within the provider's radius. Written so that indexes can find the documents
# (GIN on areas; base districts no farther than the largest radius of all): the
# bases within the largest radius are a superset of those within each radius.
COVERS = """ AND (d.areas @> CAST(ARRAY[:district] AS varchar[])
  OR (d.base_district = ANY(ARRAY(
        SELECT u.district FROM unnest(CAST(:districts AS text[]), CAST(:kms AS float8[]))
                               AS u(district, km)
         WHERE u.km <= (SELECT max(coverage_radius_km) FROM search_documents)))
      AND g.km <= d.coverage_radius_km))"""

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


@lru_cache(maxsize=256)
def distances_from(district: str) -> tuple[list[str], list[float]]:
    """Every district and its distance from ``district`` (for the DISTANCES join)."""
    places = districts()
    origin = places[district]
    names = sorted(places)
    return names, [distance_km(origin, places[name]) for name in names]


def price_band() -> str:
    """The number of the price band (in ``PRICE_BANDS``) of ``price``."""
    cases = " ".join(f"WHEN price <= {high} THEN {number}"
                     for number, (_key, _low, high) in enumerate(PRICE_BANDS) if high is not None)
    return f"CAST(CASE {cases} ELSE {len(PRICE_BANDS) - 1} END AS smallint)"


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
        chosen["cqc_registered"] = "cqc"
    if query.funding_stream:
        params["stream"] = bit(STREAM_CODES, query.funding_stream)
        chosen["funding_stream"] = "streams & :stream <> 0"
    if query.provider_kind:
        params["kind"] = query.provider_kind
        chosen["provider_kind"] = "kind = :kind"
    if query.rated_ids is not None:  # not a facet: every facet's counts apply it
        params["rated"] = sorted(query.rated_ids)
        chosen["rating"] = "service_id = ANY(CAST(:rated AS integer[]))"
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


# The column of ``f`` each facet is grouped by. The masks are grouped by their whole
# value (a few hundred distinct values at most), and the back end adds each group's
# count to every bit set in it: far cheaper than testing every bit of every row.
COLUMNS = {"category": "category", "provider_kind": "kind", "cqc_registered": "cqc",
           "price": "band", "weekday": "weekdays", "language": "languages",
           "funding_stream": "streams"}


def counts(chosen: dict[str, str]) -> list[str]:
    """The branches that count: the total and every facet's values, in one pass over
    ``f`` for each distinct WHERE clause (GROUPING SETS, hashed)."""
    everything = where(chosen)
    groups: dict[str, list[str]] = {everything: []}
    for name in FACETS:
        groups.setdefault(where(chosen, name), []).append(name)
    branches = []
    for condition, names in groups.items():
        sets = [f"({COLUMNS[name]})" for name in names]
        if condition == everything:
            sets.append("()")  # the total
        part = " ".join(f"WHEN GROUPING({COLUMNS[n]}) = 0 THEN '{n}'" for n in names)
        value = " ".join(f"WHEN GROUPING({COLUMNS[n]}) = 0 THEN CAST({COLUMNS[n]} AS text)"
                         for n in names)
        part = f"CASE {part} ELSE 'total' END" if names else "'total'"
        value = f"CASE {value} END" if names else "NULL"
        branches.append(row(part, value, "count(*)") + f" FROM f WHERE {condition} "
                        f"GROUP BY GROUPING SETS ({', '.join(sets)})")
    return branches


def statement(query: SearchQuery, words: list[str], any_word: bool, params: dict) -> str:
    joins, score, matching = "", "0.0", ""
    if words:
        joins += f" CROSS JOIN (SELECT {tsquery(words, any_word, params)} AS q) tq"
        score, matching = "ts_rank(d.document, tq.q)", " AND d.document @@ tq.q"
    price = "d.price_pence"
    if query.funded_by and query.today:
        params["today"] = query.today
        if len(query.funded_by) == 1:
            params["council"] = next(iter(query.funded_by))
            joins += RATE
        else:
            params["councils"] = sorted(query.funded_by)
            joins += RATES
        price = "coalesce(r.rate_pence, d.price_pence)"
    distance, covers = "CAST(NULL AS float8)", ""
    if query.district:
        params["districts"], params["kms"] = distances_from(query.district)
        joins += DISTANCES
        distance = "g.km"
        if query.covers_my_area:
            params["district"] = query.district
            covers = COVERS
    chosen = conditions(query, params)
    hits = (row("'hit'", "NULL", "NULL", "service_id", "score", "distance_km", "price")
            + f" FROM f WHERE {where(chosen)} "
            f"ORDER BY {ORDER.get(query.sort, ORDER[Sort.RELEVANCE])} LIMIT :limit OFFSET :offset")
    columns = ("d.service_id, d.category, d.kind, d.cqc_registered AS cqc, "
               "d.weekdays, d.languages, d.streams, "
               f"{score} AS score, {price} AS price, {distance} AS distance_km")
    found = f"d.listed AND d.confirmed_at >= :cutoff{matching}{covers}"
    matched = f"SELECT {columns} FROM search_documents d{joins} WHERE {found}"  # noqa: S608
    banded = f"SELECT m.*, {price_band()} AS band FROM ({matched}) m"  # noqa: S608
    return f"WITH f AS MATERIALIZED ({banded}) " + " UNION ALL ".join([*counts(chosen),
                                                                      f"({hits})"])
