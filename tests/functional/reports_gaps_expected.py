"""The market-gaps report's figures worked out again, directly from the raw rows
with plain SQL and simple Python (none of the report's code), for the tests to
compare with what the report shows. Each figure comes with the number of people
it is about: (value, people)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime
from statistics import median

from sqlalchemy import bindparam, text

from catalogue.search.text import tokens
from catalogue.taxonomy import CATEGORIES, LANGUAGES
from marketplace.db import UTCDateTime

TOP = {slug: (c.parent or slug) for slug, c in CATEGORIES.items()}


def name(slug: str) -> str:
    return str(CATEGORIES[slug].name)


def rows(session, sql: str, **params) -> list:
    """Moments are bound as the app stores them (naive UTC text on SQLite)."""
    binds = [bindparam(k, v, type_=UTCDateTime) if isinstance(v, datetime) else bindparam(k, v)
             for k, v in params.items()]
    return session.execute(text(sql).bindparams(*binds)).all()


def day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _district(postcode: str | None) -> str:
    match = re.match(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s", (postcode or "").upper())
    return match.group(1) if match else ""


def searches(session, council_id: int, start, end) -> list:
    return rows(session, """SELECT category, district, language, searcher_key, result_count,
                                   ordered, words FROM search_events
                            WHERE council_id = :c AND at >= :s AND at < :e""",
                c=council_id, s=start, e=end)


def search_table(found: list, label) -> dict:
    """label(row) -> [(searches, people), (found nothing, people), (no order, people),
    (people, people), (found little, people)]."""
    out = defaultdict(lambda: [[0, set()], [0, set()], [0, set()], set(), set()])
    for row in found:
        key = row.searcher_key or "?"
        figures = out[label(row)]
        for index, counts in enumerate((True, row.result_count == 0, not row.ordered)):
            if counts:
                figures[index][0] += 1
                figures[index][1].add(key)
        figures[3].add(key)
        if row.result_count < 3 and not row.ordered:
            figures[4].add(key)
    return {k: [(n, len(p)) for n, p in f[:3]] + [(len(f[3]), len(f[3])),
                                                  (len(f[4]), len(f[4]))]
            for k, f in out.items()}


def words(found: list) -> dict[str, tuple[int, int]]:
    """word -> (searches, different people), for searches that found little."""
    searches_, people = defaultdict(int), defaultdict(set)
    for row in found:
        if row.result_count < 3 and not row.ordered and row.searcher_key:
            for word in tokens(row.words):
                searches_[word] += 1
                people[word].add(row.searcher_key)
    return {w: (searches_[w], len(people[w])) for w in searches_}


def language_rows(found: list) -> dict[str, tuple[int, int, int]]:
    out = defaultdict(lambda: [0, set(), set()])
    for row in found:
        if row.language:
            figures = out[str(LANGUAGES[row.language])]
            figures[0] += 1
            figures[1].add(row.searcher_key)
            if row.result_count < 3 and not row.ordered:
                figures[2].add(row.searcher_key)
    return {k: (n, len(p), len(u)) for k, (n, p, u) in out.items()}


def unmet_plans(session, council_id: int, end: date) -> list[tuple]:
    """(holder id, district, category, domain, outcome id, pence) of planned spending
    in the newest plan version agreed by ``end``, with no order that went ahead."""
    agreed = rows(session, """
        SELECT p.id, p.holder_id, u.postcode, v.number, o.id, o.domain, l.category,
               l.amount_pence
          FROM support_plans p JOIN support_plan_versions v ON v.plan_id = p.id
          JOIN support_plan_decisions d ON d.version_id = v.id
          JOIN support_plan_outcomes o ON o.version_id = v.id
          JOIN support_plan_spend_lines l ON l.outcome_id = o.id
          JOIN users u ON u.id = p.holder_id
         WHERE p.council_id = :c AND v.status = 'agreed' AND d.decision = 'agreed'
           AND d.decided_on <= :end""", c=council_id, end=end)
    newest = defaultdict(int)
    for row in agreed:
        newest[row[0]] = max(newest[row[0]], row[3])
    bought = defaultdict(set)
    for buyer, category in rows(session, """
            SELECT o.buyer_id, l.category FROM orders o JOIN order_lines l ON l.order_id = o.id
             WHERE o.status NOT IN ('declined', 'expired', 'rejected', 'cancelled')"""):
        bought[buyer].add(category)
    out = []
    for plan, holder, postcode, number, outcome, domain, category, pence in agreed:
        related = {category} | {c.slug for c in CATEGORIES.values() if c.parent == category}
        if CATEGORIES[category].parent:
            related.add(CATEGORIES[category].parent)
        if number == newest[plan] and not bought[holder] & related:
            out.append((holder, _district(postcode), category, domain, outcome, pence))
    return out


def ended_orders(session, council_id: int, start, end) -> list[tuple]:
    """(order id, buyer id, district, status, category, actor, code) ended in the period."""
    return rows(session, """
        SELECT o.id, o.buyer_id, u.postcode, o.status, l.category, e.actor, e.reason_code
          FROM orders o JOIN order_events e ON e.order_id = o.id AND e.to_status = o.status
          JOIN order_lines l ON l.order_id = o.id JOIN users u ON u.id = o.buyer_id
         WHERE o.council_id = :c AND o.status IN ('declined', 'expired', 'cancelled')
           AND e.kind = 'status' AND e.at >= :s AND e.at < :e""", c=council_id, s=start, e=end)


def waits(session, council_id: int, start, end) -> list[tuple[int, str, int]]:
    """(buyer, category, days from placing to the first visit not missed)."""
    found = rows(session, """
        SELECT o.id, o.buyer_id, o.created_at, l.category, MIN(r.occurred_on)
          FROM orders o JOIN order_lines l ON l.order_id = o.id
          JOIN delivery_records r ON r.order_id = o.id AND r.status <> 'missed'
         WHERE o.council_id = :c AND o.created_at >= :s AND o.created_at < :e
         GROUP BY o.id, o.buyer_id, o.created_at, l.category""", c=council_id, s=start, e=end)
    return [(buyer, category, (day(first) - day(created)).days)
            for _order, buyer, created, category, first in found]


def median_p90(days: list[int]) -> tuple[float, float]:
    ordered = sorted(days)
    rank = -(-len(ordered) * 9 // 10)
    return float(median(ordered)), float(ordered[rank - 1])


def ratings(session, council_id: int, start, end) -> list[tuple]:
    return rows(session, """SELECT buyer_id, category, stars FROM ratings
                             WHERE council_id = :c AND created_at >= :s AND created_at < :e""",
                c=council_id, s=start, e=end)
