"""The PostgreSQL back end: full-text search in the database, for sites with
several web servers (the database is the one index they all share).

One statement per search reads ``search_documents`` (kept in step by triggers,
see the migration and ``catalogue.models.search_documents``): it finds the
listed, recently confirmed documents matching the words (``@@`` on a GIN-indexed
English ``tsvector``, ranked with ``ts_rank``), works out the price for the
viewer (the council rate in force, by the rule of ``catalogue.pricing``) and the
distance from the searcher's district (district centroids computed in Python
and joined as an array), then returns the total, each facet's counts (leaving
out that facet's own filter) and one page of hits, all in one round trip (the
SQL is put together in ``postgres_sql``; it is never a prepared statement, see
``_execute_unprepared``).

"Did you mean" looks words up in ``search_words`` with pg_trgm trigram
similarity (``%``), and ranks the candidates like the whoosh back end does.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text

from catalogue.listing import confirmed_since
from catalogue.search import PRICE_BANDS, Hit, SearchQuery
from catalogue.search.base import RunResult, SearchBackend
from catalogue.search.postgres_sql import MASKS, statement
from marketplace.db import utcnow


def _execute_unprepared(session, sql: str, params: dict) -> list[tuple]:
    """Run ``sql`` with a plan made for these very words and filters.

    psycopg turns a statement into a server-side prepared statement once it has run
    five times on a connection, and PostgreSQL then soon uses one generic plan for
    every value of the parameters. A generic plan cannot know how many documents
    the words match, so for searches matching thousands of services it chose plans
    two to three times slower. So the search statement is never prepared (planning
    it costs well under a millisecond)."""
    connection = session.connection()
    compiled = text(sql).compile(dialect=connection.dialect)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(str(compiled), compiled.construct_params(params), prepare=False)
        return cursor.fetchall()
    finally:
        cursor.close()


class PostgresBackend(SearchBackend):
    name = "postgres"

    def _run(self, session, query: SearchQuery, words, any_word) -> RunResult:
        hide = current_app.config["LISTING_HIDE_DAYS"]
        params: dict = {"cutoff": confirmed_since(utcnow(), hide), "limit": query.per_page,
                        "offset": query.offset}
        sql = statement(query, words, any_word, params)
        return self._read(_execute_unprepared(session, sql, params))

    @staticmethod
    def _read(rows) -> RunResult:
        total, hits, facets = 0, [], {}
        for part, value, n, service_id, score, distance, price in rows:
            if part == "total":
                total = n
            elif part == "hit":
                hits.append(Hit(service_id=service_id, score=float(score or 0.0),
                                distance_km=distance, price_pence=price))
            elif part in MASKS:  # a mask value: its count goes to every bit set in it
                codes, mask, counted = MASKS[part][1], int(value), facets.setdefault(part, {})
                for number, code in enumerate(codes):
                    if mask & (1 << number):
                        counted[code] = counted.get(code, 0) + n
            else:
                if part == "price":
                    value = PRICE_BANDS[int(value)][0]
                elif part == "cqc_registered":
                    value = value == "true"
                facets.setdefault(part, {})[value] = n
        return RunResult(hits=hits, total=total, facets=facets)

    def _vocabulary(self, session, words):
        known = set(session.scalars(text(
            "SELECT t.word FROM unnest(CAST(:words AS text[])) AS t(word) WHERE EXISTS ("
            "SELECT 1 FROM search_documents d WHERE d.listed "
            "AND d.document @@ plainto_tsquery('english', t.word))"), {"words": words}))
        candidates = {}
        for word in words:
            if word in known:
                continue
            near = session.scalars(text(
                "SELECT word FROM search_words WHERE word % :w AND left(word, 1) = left(:w, 1) "
                "ORDER BY similarity(word, :w) DESC, word LIMIT 20"), {"w": word})
            candidates[word] = dict.fromkeys(near, 1)
        return known, candidates

    def rebuild(self, session) -> int:
        """Rebuild every search document (the triggers normally keep them true); the
        caller commits."""
        session.execute(text("SELECT search_documents_refresh(ARRAY(SELECT id FROM services))"))
        session.execute(text("ANALYZE search_documents"))  # fresh statistics for the planner
        return session.scalar(text("SELECT count(*) FROM search_documents WHERE listed"))
