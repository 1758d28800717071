"""Paying an invoice by card (the person, or a representative who manages their money),
and Stripe's webhook endpoint."""

from __future__ import annotations

import logging

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.roles import Scope
from marketplace.db import db
from marketplace.invoicing.enums import InvoiceKind, PayerKind
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.payments import bp, cards, webhooks
from marketplace.invoicing.payments import stripe_gateway as gateway
from marketplace.invoicing.payments.forms import CardPaymentForm
from marketplace.invoicing.payments.models import CardCheckout, CheckoutStatus
from marketplace.security import person, public

log = logging.getLogger(__name__)


def _invoice_of_person(invoice_id: int) -> Invoice:
    """The invoice, if it is addressed to the person (404 otherwise: nothing leaks)."""
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None or invoice.kind is not InvoiceKind.INVOICE or \
            invoice.payer_kind is not PayerKind.PERSON or invoice.payer_user_id != g.person.id:
        abort(404)
    return invoice


def _checkout_of_person(checkout_id: int) -> CardCheckout:
    checkout = db.session.get(CardCheckout, checkout_id)
    if checkout is None or checkout.payer_id != g.person.id:
        abort(404)
    return checkout


@bp.get("/card")
@person(Scope.VIEW)
def card_invoices():
    """The person's invoices, with those that can be paid by card first."""
    invoices = db.session.scalars(select(Invoice).where(
        Invoice.kind == InvoiceKind.INVOICE, Invoice.payer_kind == PayerKind.PERSON,
        Invoice.payer_user_id == g.person.id).order_by(Invoice.due_on.desc(),
                                                       Invoice.id.desc()).limit(100)).all()
    return render_template("invoicing/payments/card_invoices.html", invoices=invoices,
                           payable=cards.payable_by_card)


@bp.route("/invoices/<int:invoice_id>/card", methods=["GET", "POST"])
@person(Scope.MONEY)
def pay_by_card(invoice_id: int):
    invoice = _invoice_of_person(invoice_id)
    form = CardPaymentForm()
    error, status = None, 200
    if request.method == "POST" and not form.validate_on_submit():
        status = 400
    elif request.method == "POST":
        try:
            cards.close_older_checkouts(db.session, invoice)
            db.session.commit()
            if not cards.payable_by_card(invoice):
                flash(_("This invoice has been paid. Thank you."), "success")
                return redirect(url_for("payments.pay_by_card", invoice_id=invoice.id))
            checkout = cards.start_checkout(db.session, invoice, g.person, current_user)
            db.session.commit()
            back = url_for("payments.card_return", checkout_id=checkout.id, _external=True)
            url = cards.open_checkout(
                db.session, checkout, success_url=back + "?session_id={CHECKOUT_SESSION_ID}",
                cancel_url=url_for("payments.card_cancelled", checkout_id=checkout.id,
                                   _external=True),
                email=g.person.email, locale="cy" if str(get_locale()) == "cy" else "en")
            db.session.commit()
            return redirect(url, 303)
        except gateway.GatewayError as exc:
            db.session.commit()  # keeps the attempt and why it failed
            log.warning("card payment for invoice %s not started: %s", invoice.id, exc.detail)
            error, status = str(exc.message), 503
        except cards.CardPaymentError as exc:
            db.session.rollback()
            error, status = str(exc.message), 400
    return render_template("invoicing/payments/pay_by_card.html", invoice=invoice, form=form,
                           error=error, payable=cards.payable_by_card(invoice),
                           checkouts=cards.checkouts_of(db.session, invoice)), status


@bp.get("/card/<int:checkout_id>/done")
@person(Scope.MONEY)
def card_return(checkout_id: int):
    """Stripe sends the browser here after a payment. The webhook may have recorded it
    already; if not, Stripe's own account of the session is recorded now (same key)."""
    checkout = _checkout_of_person(checkout_id)
    if checkout.stripe_session_id and checkout.status is not CheckoutStatus.PAID:
        try:
            cards.sync_checkout(db.session, checkout)
            db.session.commit()
        except gateway.GatewayError as exc:
            db.session.rollback()
            log.warning("checkout %s not checked: %s", checkout.id, exc.detail)
    if checkout.status is CheckoutStatus.PAID:
        flash(_("Thank you: your payment of %(amount)s has been received.",
                amount=_money(checkout.amount_pence)), "success")
    else:
        flash(_("We are waiting for the card payment service to confirm your payment. "
                "This page will show it as paid when it does."), "info")
    return redirect(url_for("payments.pay_by_card", invoice_id=checkout.invoice_id))


@bp.get("/card/<int:checkout_id>/cancelled")
@person(Scope.MONEY)
def card_cancelled(checkout_id: int):
    checkout = _checkout_of_person(checkout_id)
    flash(_("You have not paid. No money was taken."), "info")
    return redirect(url_for("payments.pay_by_card", invoice_id=checkout.invoice_id))


def _money(pence: int) -> str:
    from marketplace.money import format_pence

    return format_pence(pence)


@bp.post("/stripe/webhook")
@public
def stripe_webhook():
    """Stripe's events. Signed with our secret, or refused (400) and recorded."""
    payload = request.get_data(cache=False)
    signature = request.headers.get("Stripe-Signature")
    try:
        event = gateway.verify_webhook(payload, signature)
    except gateway.WebhookRefused as exc:
        webhooks.refuse(db.session, reason=str(exc), payload=payload, signature=signature,
                        remote_addr=request.remote_addr)
        db.session.commit()
        log.warning("refused a webhook without a valid Stripe signature: %s", exc)
        return jsonify(error="invalid signature"), 400
    outcome = webhooks.receive(db.session, event)
    db.session.commit()
    if outcome == webhooks.FAILED:
        # Stripe delivers it again later; it is stored, and will be handled then.
        return jsonify(received=True, outcome=outcome), 503
    return jsonify(received=True, outcome=outcome), 200
