"""Where the Stripe API is, and starting the local test server in this process.

``STRIPE_API_BASE=local`` (the development and demo default) starts the local
Stripe-compatible server on a thread of this process, on a free port, the first time
a payment needs it. Its webhooks go to ``STRIPE_WEBHOOK_URL`` or, when that is not
set, to this app's webhook endpoint at the address of the request that started it,
signed with ``STRIPE_WEBHOOK_SECRET``. Living in the app's own process, it starts and
stops with ``./run.sh`` and the browser tests' server, needs no port of its own and
cannot be left running. (With several web server processes, run
``flask payments stripe-server`` once instead and point ``STRIPE_API_BASE`` at it.)
"""

from __future__ import annotations

import threading

from flask import Flask, has_request_context, url_for

_LOCK = threading.Lock()
WEBHOOK_PATH = "/payments/stripe/webhook"


def api_base(app: Flask) -> str | None:
    base = (app.config.get("STRIPE_API_BASE") or "").strip()
    if base == "local":
        return ensure_local_server(app).url
    return base.rstrip("/") or None


def webhook_url(app: Flask) -> str:
    if app.config.get("STRIPE_WEBHOOK_URL"):
        return app.config["STRIPE_WEBHOOK_URL"]
    if has_request_context():
        return url_for("payments.stripe_webhook", _external=True)
    return app.config["PUBLIC_BASE_URL"].rstrip("/") + WEBHOOK_PATH


def ensure_local_server(app: Flask):
    from marketplace.invoicing.payments.fake_stripe import FakeStripe

    with _LOCK:
        server = app.extensions.get("local_stripe")
        if server is None:
            server = FakeStripe(webhook_secret=app.config["STRIPE_WEBHOOK_SECRET"],
                                webhook_url=webhook_url(app), deliver="http").start()
            app.extensions["local_stripe"] = server
            app.logger.info("Card payments use the local test server at %s (webhooks to %s)",
                            server.url, server.webhook_url)
        return server
