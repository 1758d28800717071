"""``flask orders tick``: make the timed transitions that are due (safe to run every
minute, and safe to run twice at once)."""

from __future__ import annotations

import click
from flask import current_app

from marketplace.db import db, utcnow
from marketplace.ordering.services import run_timers
from marketplace.security import today


def init_cli(app) -> None:
    @app.cli.group("orders")
    def orders_cli():
        """Order commands."""

    @orders_cli.command("tick")
    def tick():
        """Expire unanswered orders, start and complete orders on their dates."""
        # E-mails link to the orders: build URLs as a request to the site's root would.
        with current_app.test_request_context("/"):
            done = run_timers(db.session, now=utcnow(), today=today())
        for timer, count in done.items():
            click.echo(f"{timer.value}: {count}")
