"""`flask payments ...`: the local Stripe-compatible server, and retrying refunds."""

from __future__ import annotations

import time

import click
from flask import current_app


def init_cli(app) -> None:
    @app.cli.group("payments")
    def payments_cli():
        """Card payments and payment runs."""

    @payments_cli.command("stripe-server")
    @click.option("--port", default=12111, show_default=True, type=int)
    @click.option("--webhook-url", default=None,
                  help="Where to send webhooks (default: STRIPE_WEBHOOK_URL or "
                       "PUBLIC_BASE_URL + /payments/stripe/webhook).")
    def stripe_server(port, webhook_url):
        """Run the local Stripe-compatible test server on its own (point STRIPE_API_BASE
        at it, e.g. for several web server processes). Webhooks are signed with
        STRIPE_WEBHOOK_SECRET."""
        from marketplace.invoicing.payments.fake_stripe import FakeStripe
        from marketplace.invoicing.payments.local_stripe import webhook_url as default_url

        server = FakeStripe(webhook_secret=current_app.config["STRIPE_WEBHOOK_SECRET"],
                            webhook_url=webhook_url or default_url(current_app),
                            deliver="http").start(port=port)
        click.echo(f"Local Stripe-compatible server at {server.url} "
                   f"(webhooks to {server.webhook_url}); Ctrl+C stops it.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.stop()

    @payments_cli.command("send-refunds")
    def send_refunds():
        """Send card refunds for credit notes that are still waiting (safe to repeat)."""
        from marketplace.db import db
        from marketplace.invoicing.payments.cards import send_pending_refunds

        click.echo(f"Sent {send_pending_refunds(db.session, limit=10_000)} refund(s).")
