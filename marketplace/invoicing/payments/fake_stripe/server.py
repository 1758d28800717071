"""The local Stripe-compatible server: a small werkzeug WSGI app over ``State``.

It answers the Stripe API the marketplace's adapter uses (form-encoded requests with
Stripe's bracketed keys, ``Authorization: Bearer sk_test_...``, ``Idempotency-Key``;
JSON answers and errors in Stripe's shapes), shows a hosted checkout page a browser
can be sent to, and hands every event it raises to the webhook endpoint, signed with
the webhook secret: POSTed at once (``deliver="http"``, the demo and browser tests),
or kept for the caller to take (``deliver="queue"``, the functional tests, which post
them to the Flask test client themselves).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable

from jinja2 import Environment, select_autoescape
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import make_server
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from marketplace.invoicing.payments.fake_stripe.page import CHECKOUT_HTML
from marketplace.invoicing.payments.fake_stripe.state import (
    TEST_CARDS,
    Delivery,
    State,
    StripeError,
    new_id,
    public,
)

log = logging.getLogger(__name__)

_KEY = re.compile(r"[^\[\]]+")

URLS = Map([
    Rule("/v1/checkout/sessions", methods=["POST"], endpoint="create_session"),
    Rule("/v1/checkout/sessions/<session_id>", methods=["GET"], endpoint="get_session"),
    Rule("/v1/checkout/sessions/<session_id>/expire", methods=["POST"],
         endpoint="expire_session"),
    Rule("/v1/payment_intents/<intent_id>", methods=["GET"], endpoint="get_intent"),
    Rule("/v1/refunds", methods=["POST"], endpoint="create_refund"),
    Rule("/v1/refunds", methods=["GET"], endpoint="list_refunds"),
    Rule("/v1/refunds/<refund_id>", methods=["GET"], endpoint="get_refund"),
    Rule("/v1/events/<event_id>", methods=["GET"], endpoint="get_event"),
    Rule("/checkout/<session_id>", methods=["GET", "POST"], endpoint="checkout_page"),
    Rule("/", methods=["GET"], endpoint="index"),
])


def decode_params(pairs: Iterable[tuple[str, str]]) -> dict:
    """Stripe's form encoding (``a[b][0][c]=v``) as nested dicts and lists."""
    root: dict = {}
    for key, value in pairs:
        parts = _KEY.findall(key)
        if not parts:
            continue
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise StripeError(400, f"Invalid parameter: {key}", param=key)
        node[parts[-1]] = value
    return _lists(root)


def _lists(node):
    if not isinstance(node, dict):
        return node
    converted = {k: _lists(v) for k, v in node.items()}
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


class FakeStripe:
    """The server's WSGI app and its state; ``start()`` serves it on a thread."""

    def __init__(self, *, webhook_secret: str, webhook_url: str | None = None,
                 deliver: str = "http", api_key: str | None = None):
        if deliver not in ("http", "queue"):
            raise ValueError("deliver must be 'http' or 'queue'")
        self.state = State(webhook_secret=webhook_secret)
        self.webhook_url = webhook_url
        self.deliver = deliver
        self.api_key = api_key
        self.deliveries: list[Delivery] = []
        self.page = Environment(autoescape=select_autoescape(default=True)).from_string(
            CHECKOUT_HTML)
        self._server = None
        self._thread: threading.Thread | None = None

    # --- serving ------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.state.base_url

    def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeStripe:
        self._server = make_server(host, port, self, threaded=True)
        self.state.base_url = f"http://{host}:{self._server.port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="local-stripe", daemon=True)
        self._thread.start()
        log.info("local Stripe-compatible test server at %s", self.url)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- webhooks -------------------------------------------------------------------

    def take_deliveries(self) -> list[Delivery]:
        """The signed events raised since the last call (``deliver="queue"``)."""
        with self.state.lock:
            taken = [d for d in self.deliveries if d.status is None]
            for delivery in taken:
                delivery.status = 0
            return taken

    def _hand_on(self) -> None:
        with self.state.lock:
            new = [self.state.signed(event_id) for event_id in self.state.pending]
            self.state.pending.clear()
            self.deliveries.extend(new)
        if self.deliver == "http":
            for delivery in new:
                self._post(delivery)

    def _post(self, delivery: Delivery) -> None:
        if not self.webhook_url:
            delivery.error = "no webhook endpoint"
            return
        if not self.webhook_url.startswith(("http://", "https://")):
            delivery.error = "the webhook endpoint must be an http(s) URL"
            return
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            self.webhook_url, data=delivery.payload.encode(), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8",
                     "Stripe-Signature": delivery.signature,
                     "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"})
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310
                delivery.status = answer.status
        except urllib.error.HTTPError as exc:
            delivery.status, delivery.error = exc.code, exc.reason
        except OSError as exc:
            delivery.error = str(exc)
        log.info("webhook %s %s -> %s", delivery.event_type, delivery.event_id,
                 delivery.status or delivery.error)

    # --- WSGI -----------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request(environ)
        adapter = URLS.bind_to_environ(environ)
        try:
            endpoint, args = adapter.match()
            if endpoint in ("checkout_page", "index"):
                response = getattr(self, endpoint)(request, **args)
            else:
                response = self._api(request, endpoint, args)
        except HTTPException as exc:
            if request.path.startswith("/v1/"):
                response = self._error(StripeError(
                    exc.code or 400, f"Unrecognized request URL ({request.method}: "
                    f"{request.path}).", kind="invalid_request_error"))
            else:
                response = exc.get_response()
        self._hand_on()
        return response(environ, start_response)

    def _json(self, body: dict, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, mimetype="application/json",
                        headers={"Request-Id": new_id("req")})

    def _error(self, error: StripeError) -> Response:
        return self._json(error.body, error.status)

    def _api(self, request: Request, endpoint: str, args: dict) -> Response:
        auth = request.headers.get("Authorization", "")
        key = auth.removeprefix("Bearer ").strip()
        if not auth.startswith("Bearer ") or not key.startswith("sk_test_") or (
                self.api_key and key != self.api_key):
            return self._error(StripeError(401, "Invalid API Key provided. This local test "
                                           "server accepts test keys (sk_test_...) only."))
        params = decode_params(request.form.items(multi=True)) if request.method == "POST" \
            else decode_params(request.args.items(multi=True))
        idem = request.headers.get("Idempotency-Key")
        with self.state.lock:
            if request.method == "POST" and idem:
                seen = self.state.idempotent.get((request.path, idem))
                if seen is not None:
                    body_hash, status, body = seen
                    if body_hash != json.dumps(params, sort_keys=True):
                        return self._error(StripeError(
                            400, "Keys for idempotent requests can only be used with the "
                            "same parameters they were first used with.",
                            kind="idempotency_error"))
                    return self._json(body, status)
            try:
                body, status = public(getattr(self, f"_{endpoint}")(params, **args)), 200
            except StripeError as exc:
                body, status = exc.body, exc.status
            if request.method == "POST" and idem:
                self.state.idempotent[(request.path, idem)] = (
                    json.dumps(params, sort_keys=True), status, body)
        return self._json(body, status)

    def _create_session(self, params):
        return self.state.create_session(params)

    def _get_session(self, _params, session_id):
        return self.state.session(session_id)

    def _expire_session(self, _params, session_id):
        return self.state.expire_session(session_id)

    def _get_intent(self, _params, intent_id):
        return self.state.intent(intent_id)

    def _create_refund(self, params):
        return self.state.create_refund(params)

    def _get_refund(self, _params, refund_id):
        return self.state.refund(refund_id)

    def _list_refunds(self, params):
        return self.state.list_refunds(params.get("payment_intent"))

    def _get_event(self, _params, event_id):
        try:
            return self.state.events[event_id]
        except KeyError:
            raise StripeError(404, f"No such event: '{event_id}'",
                              code="resource_missing") from None

    # --- the hosted pages -------------------------------------------------------------

    def index(self, _request: Request) -> Response:
        return self._json({"object": "local_stripe_server", "api_version": "2026-10-28",
                           "webhook_url": self.webhook_url})

    def checkout_page(self, request: Request, session_id: str) -> Response:
        with self.state.lock:
            obj = self.state.sessions.get(session_id)
            if obj is None:
                raise NotFound()
            error = None
            if request.method == "POST":
                if request.form.get("action") == "cancel":
                    return redirect(obj["cancel_url"], 303)
                card = request.form.get("card", "")
                if card not in TEST_CARDS:
                    error = "Choose a test card."
                else:
                    obj, error = self.state.pay(session_id, card)
                    if error is None and obj["payment_status"] == "paid":
                        target = obj["success_url"].replace("{CHECKOUT_SESSION_ID}",
                                                            session_id)
                        # Like Stripe, the events go out before the browser returns.
                        self._hand_on()
                        return redirect(target, 303)
            status = 200 if error is None else 402
            page = self.page.render(
                session=obj, error=error, cards=[
                    ("4242424242424242", "4242 4242 4242 4242", "Payment succeeds"),
                    ("4000000000000002", "4000 0000 0000 0002", "Card declined"),
                    ("4000000000009995", "4000 0000 0000 9995", "Insufficient funds"),
                ], amount=f"£{obj['amount_total'] // 100:,}.{obj['amount_total'] % 100:02d}",
                items=obj["_line_items"])
        return Response(page, status=status, mimetype="text/html")
