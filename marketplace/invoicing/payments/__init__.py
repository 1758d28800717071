"""Payments: card payments through Stripe, payment runs and provider bank details.

- ``stripe_gateway``: the only module that calls Stripe (the adapter);
- ``fake_stripe``: the local Stripe-compatible test server (``local_stripe`` starts it
  in this process when ``STRIPE_API_BASE=local``);
- ``cards`` and ``webhooks``: paying an invoice by card, Stripe's events, refunds
  that follow credit notes;
- ``runs`` and ``files``: payment runs, the BACS payment file, remittance advice;
- ``bank``: provider bank details (validated, masked, audited, e-mailed).
"""

from __future__ import annotations

from flask import Blueprint, g

bp = Blueprint("payments", __name__, url_prefix="/payments")
runs_bp = Blueprint("payment_runs", __name__, url_prefix="/finance/payment-runs")
bank_bp = Blueprint("provider_bank", __name__, url_prefix="/provider")


def init_app(app) -> None:
    from marketplace.extensions import csrf
    from marketplace.invoicing.payments import cli, views_bank, views_cards, views_runs

    csrf.exempt(views_cards.stripe_webhook)
    for blueprint in (bp, runs_bp, bank_bp):
        app.register_blueprint(blueprint)
    cli.init_cli(app)
    _unused = (views_bank, views_runs)

    @app.after_request
    def _send_refunds_after_commit(response):
        if g.get("payments_refunds_pending"):
            g.payments_refunds_pending = False
            from marketplace.db import db
            from marketplace.invoicing.payments.cards import send_pending_refunds

            db.session.rollback()  # nothing the view left uncommitted rides along
            try:
                send_pending_refunds(db.session)
            except Exception:  # noqa: BLE001 - `flask payments send-refunds` retries
                db.session.rollback()
                app.logger.exception("card refunds not sent; `flask payments "
                                     "send-refunds` will retry")
        return response
