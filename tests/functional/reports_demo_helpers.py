"""Helpers for the demo history's tests (``test_reports_demo``): the whole demo seed
with its history, once per module, in a transaction rolled back at the end; and
small readers of what it made."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from sqlalchemy import select

from marketplace.accounts.models import Council, User
from marketplace.db import db
from marketplace.demo import seed
from marketplace.reports.demo import history_people


@contextmanager
def seeded_demo(app, tmp_path_factory, today: date):
    """``flask demo seed`` with the history (``DEMO_HISTORY``), yielding the session,
    inside a request context; everything is rolled back afterwards."""
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path_factory.mktemp("index"))
    app.config["DEMO_HISTORY"] = True
    db.session.remove()
    connection = app.extensions["db_engine"].connect()
    outer = connection.begin()
    db.session.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        with app.test_request_context("/"):
            seed(db.session, today=today)
            db.session.commit()
        with app.test_request_context("/"):
            yield db.session
    finally:
        app.config.pop("DEMO_HISTORY", None)
        db.session.remove()
        outer.rollback()
        connection.close()
        db.session.configure(bind=None, join_transaction_mode="conditional_savepoint")


def council_of(session) -> Council:
    return session.scalar(select(Council).where(Council.slug == "ashdown"))


def history_ids(session) -> list[int]:
    return list(session.scalars(history_people().with_only_columns(User.id)))


def home_of(postcode: str | None) -> str | None:
    return postcode.split(" ")[0] if postcode else None


def built_reports(session, today: date) -> dict:
    """Every registered report, for the demo council over the default period."""
    from marketplace.reports import builders  # noqa: F401 - registers the reports
    from marketplace.reports.filters import ReportFilters, default_period
    from marketplace.reports.registry import ordered

    council = council_of(session)
    filters = ReportFilters(council.id, council.name, *default_period(today))
    return {spec.slug: spec.build(session, filters) for spec in ordered()}


def hidden_share(tables) -> float:
    """The share of the tables' figures shown as "fewer than 5"."""
    shown = hidden = 0
    for table in tables:
        for _row, cells in table.shown():
            for column, _value, gone in cells:
                if column.numeric:
                    hidden += gone
                    shown += not gone
    return hidden / max(1, shown + hidden)
