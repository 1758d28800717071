"""Search benchmark: both back ends at 10,000 and 100,000 services.

    .venv/bin/python bench/search.py
    .venv/bin/python bench/search.py --sizes 10000,100000 --rounds 10 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/marketplace_bench_search

For each size it builds the catalogue on PostgreSQL (the demo council, then
``seed_scale`` bulk-inserts size/3 providers with three services each and builds
their PostgreSQL search documents once, after the bulk load; they are then
rebuilt once more to time a full rebuild, and the table is vacuumed and analysed
as autovacuum would), builds the whoosh index from it, and prints p50/p95 of
typical searches, for each back end:

* through the interface: ``get_search_backend(app).search(session, query)``;
* through HTTP: ``GET /search?...`` with the Flask test client (the whole request:
  parsing, searching, logging the search, loading and rendering one page of
  results; no network, no browser).

Typical searches: keywords; keywords with facets; keywords or a category near a
postcode (sorted by distance, or "covers my area"); and keywords for a viewer a
council funds (council rates decide price filters and sorting). The first search
after an index change (whoosh builds its facet table then) is shown separately.
The whoosh back end keeps small caches (each word's matches and scores, prices
per funding council, distances per district); its rows are timed with those
caches emptied before every search, and once more with them warm, as when the
same words are searched again. Figures only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEYWORDS = ["personal care", "gardening", "cleaning", "befriending", "dementia", "transport",
            "meals delivered", "personal assistant", "respite", "night care", "advocacy",
            "washing dressing", "shopping", "live-in care", "day centre"]
WITH_FACETS = [
    {"q": "personal care", "day": "2", "language": "pl"},
    {"q": "gardening", "kind": "micro_provider", "price_max": "25"},
    {"q": "cleaning", "cqc": "yes"},
    {"q": "care", "category": "personal-care", "funding": "nhs_phb"},
    {"q": "befriending", "price": "1000-1999", "day": "5"},
    {"q": "personal assistant", "language": "gu", "kind": "personal_assistant"},
    {"q": "transport", "funding": "adult_social_care", "sort": "price"},
    {"q": "respite", "category": "short-breaks", "day": "6", "price_min": "20"},
]
NEAR = [
    {"q": "home care", "postcode": "HA2 0AA", "sort": "distance"},
    {"category": "gardening", "postcode": "HA5", "sort": "distance", "covers": "yes"},
    {"q": "befriending", "postcode": "NW9 5XX", "covers": "yes"},
    {"q": "cleaning", "postcode": "UB6 8AA", "sort": "distance"},
    {"category": "personal-care", "postcode": "HA1 2AB", "covers": "yes", "sort": "distance"},
    {"q": "day centre", "postcode": "WD17 1AA", "sort": "distance"},
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples) * 1000, cuts[94] * 1000


def timed(run, cases, rounds, before=None):
    """p50/p95 of ``run(case)``; ``before()`` runs untimed before each search (the
    whoosh rows use it to empty the per-word and per-viewer caches, so every search
    is worked out from scratch)."""
    for case in cases:  # warm up: connections, the planner, whoosh's facet table
        run(case)
    samples = []
    for _round in range(rounds):
        for case in cases:
            if before:
                before()
            started = time.perf_counter()
            run(case)
            samples.append(time.perf_counter() - started)
    return percentiles(samples)


def build(url: str, size: int, tmp: Path):
    from tests.conftest import migrate, recreate_database

    recreate_database(url)
    migrate(url)
    from marketplace import create_app
    from marketplace.db import db
    from marketplace.demo import seed, seed_scale

    app = create_app({"MARKETPLACE_ENV": "development", "DATABASE_URL": url,
                      "MAIL_BACKEND": "memory", "SEARCH_INDEX_DIR": str(tmp / f"index-{size}"),
                      "SEARCH_BACKEND": "postgres"})
    with app.app_context():
        started = time.perf_counter()
        seed(db.session)
        db.session.commit()
        seed_scale(db.session, -(-size // 3))
        db.session.commit()
        seeded = time.perf_counter() - started
    return app, seeded


def measure(app, name: str, size: int, rounds: int, council: int) -> list[tuple]:
    from sqlalchemy import text

    from catalogue.search import get_search_backend, parse_search_args
    from marketplace.db import db

    app.config["SEARCH_BACKEND"] = name
    backend = get_search_backend(app)
    started = time.perf_counter()
    backend.rebuild(db.session)
    db.session.commit()
    built = time.perf_counter() - started
    if name == "postgres":
        # What autovacuum does soon after a bulk load: fresh statistics, and the
        # GIN indexes' pending entries merged into the indexes.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE search_documents"))
    started = time.perf_counter()
    backend.search(db.session, parse_search_args({"q": "care"})[0])
    first = time.perf_counter() - started
    rows = [(size, name, "index build (full rebuild)", built * 1000, None),
            (size, name, "first search after an index change", first * 1000, None)]
    groups = [("keywords", [{"q": q} for q in KEYWORDS]),
              ("keywords + facets", WITH_FACETS), ("near a postcode", NEAR)]

    def through_interface(args, funded=frozenset()):
        query, _errors = parse_search_args(args, funded_by=funded, today=date.today())
        backend.search(db.session, query)

    def cold():
        backend.table(backend.searcher()).forget()

    before = cold if name == "whoosh" else None
    for label, cases in groups:
        p50, p95 = timed(through_interface, cases, rounds, before)
        rows.append((size, name, f"interface: {label}", p50, p95))
    p50, p95 = timed(lambda args: through_interface(args, frozenset({council})),
                     WITH_FACETS, rounds, before)
    rows.append((size, name, "interface: keywords + facets, council-funded viewer", p50, p95))
    if before:
        for label, cases in groups:
            p50, p95 = timed(through_interface, cases, rounds)
            rows.append((size, name, f"interface: {label} (repeated: caches warm)", p50, p95))
    client = app.test_client()

    def through_http(args):
        response = client.get("/search?" + urlencode(args))
        assert response.status_code == 200, response.status_code

    for label, cases in groups:
        p50, p95 = timed(through_http, cases, rounds, before)
        rows.append((size, name, f"HTTP: {label}", p50, p95))
    committed, searched = after_an_edit(backend)
    rows.append((size, name, "commit of one edited listing (index kept up to date)",
                 committed, None))
    rows.append((size, name, "first search after one listing is edited", searched, None))
    db.session.rollback()
    return rows


def after_an_edit(backend) -> tuple[float, float]:
    """Edit one listing and commit (whoosh writes it to a new small segment after
    the commit; PostgreSQL's triggers update its document), then time the next
    search, which has to take in the change. Milliseconds (commit, search); the
    edit is undone afterwards."""
    from sqlalchemy import select

    from catalogue.models import Service
    from catalogue.search import parse_search_args
    from marketplace.db import db

    service = db.session.scalars(select(Service).order_by(Service.id).limit(1)).one()
    original = service.summary
    service.summary = original + " Now with weekend visits."
    started = time.perf_counter()
    db.session.commit()
    committed = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    backend.search(db.session, parse_search_args({"q": "care"})[0])
    searched = (time.perf_counter() - started) * 1000
    service.summary = original
    db.session.commit()
    return committed, searched


def run_size(url: str, size: int, rounds: int, tmp: Path, backends: list[str]) -> list[tuple]:
    from sqlalchemy import func, select, text

    from catalogue.models import Service
    from marketplace.db import db

    app, seeded = build(url, size, tmp)
    rows = []
    with app.app_context():
        total = db.session.scalar(select(func.count(Service.id)))
        council = db.session.scalar(text("SELECT id FROM councils WHERE slug = 'ashdown'"))
        print(f"\n== {total:,} services (catalogue and PostgreSQL search documents built "
              f"in {seeded:.1f} s)", flush=True)
        for name in backends:
            measured = measure(app, name, size, rounds, council)
            rows += measured
            for row in measured:
                print(row, flush=True)
    app.extensions["db_engine"].dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL",
        "postgresql+psycopg://postgres@127.0.0.1:5432/marketplace_bench_search"))
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=10,
                        help="times each search of a group is repeated")
    parser.add_argument("--backends", default="postgres,whoosh")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-search-"))
    os.environ["INSTANCE_PATH"] = str(tmp)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        rows += run_size(args.database_url, size, args.rounds, tmp, args.backends.split(","))
    print(f"\n{'services':>9} {'back end':<9} {'what':<54} {'p50 ms':>8} {'p95 ms':>8}")
    for size, name, what, p50, p95 in rows:
        p95_text = f"{p95:8.1f}" if p95 is not None else " " * 8
        print(f"{size:>9,} {name:<9} {what:<54} {p50:8.1f} {p95_text}")


if __name__ == "__main__":
    main()
