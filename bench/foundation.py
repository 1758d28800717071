"""Foundation benchmark: demo data at scale, and page times for the shell.

    .venv/bin/python bench/foundation.py                     # SQLite in a temp folder
    .venv/bin/python bench/foundation.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/marketplace_bench

Prints: seed time for the demo council plus --scale providers, then p50/p95 of
server-side response times (Flask test client, no network) for typical pages,
signed in as the role that uses them. Figures only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-foundation-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite'}"
    os.environ["INSTANCE_PATH"] = str(tmp)
    from tests.conftest import migrate, recreate_database

    recreate_database(url)
    migrate(url)

    from marketplace import create_app
    from marketplace.db import db
    from marketplace.demo import DEMO_PASSWORD, seed, seed_scale

    app = create_app({"MARKETPLACE_ENV": "development", "DATABASE_URL": url,
                      "MAIL_BACKEND": "memory", "LOGIN_MAX_FAILURES": 10_000})
    with app.app_context():
        started = time.perf_counter()
        seed(db.session)
        db.session.commit()
        base = time.perf_counter() - started
        started = time.perf_counter()
        added = seed_scale(db.session, args.scale)
        db.session.commit()
        scaled = time.perf_counter() - started
    backend = url.split(":", 1)[0]
    print(f"database: {backend}")
    print(f"demo seed (council, 43 people, 76 providers, 383 services): {base:.2f} s")
    print(f"--scale {args.scale}: {added} providers, {added * 3} services, "
          f"{args.scale // 10} budget holders in {scaled:.2f} s")

    pages = [
        (None, "/"), (None, "/sign-in"),
        ("holder@ashdown.example", "/my/"),
        ("officer@ashdown.example", "/council/"),
        ("officer@ashdown.example", "/council/?q=margaret"),
        ("admin@ashdown.example", "/admin/"),
        ("commissioner@ashdown.example", "/council/commissioning"),
    ]
    clients = {}
    print(f"\n{'page':<40} {'p50 ms':>8} {'p95 ms':>8}")
    for who, path in pages:
        client = clients.get(who)
        if client is None:
            client = app.test_client()
            if who:
                page = client.get("/sign-in").get_data(as_text=True)
                token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
                response = client.post("/sign-in", data={"email": who, "password": DEMO_PASSWORD,
                                                         "csrf_token": token})
                assert response.status_code == 302, who
            clients[who] = client
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        label = f"{path} ({who.split('@')[0] if who else 'anonymous'})"
        print(f"{label:<40} {statistics.median(times):8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
