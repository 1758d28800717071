"""A local Stripe-compatible test server, so the card journey runs without internet.

Why here (inside the payments package) and not in a separate tools folder: the app
itself starts it, in-process on a thread, when ``STRIPE_API_BASE`` is ``local`` (the
development and demo default), so it must be importable wherever the app is
installed; tests start their own on a free port. It is never used with real keys.
"""

from marketplace.invoicing.payments.fake_stripe.server import FakeStripe, decode_params
from marketplace.invoicing.payments.fake_stripe.state import TEST_CARDS, Delivery, sign

__all__ = ["TEST_CARDS", "Delivery", "FakeStripe", "decode_params", "sign"]
