"""Configuration classes, read from the environment.

``MARKETPLACE_ENV`` picks the class: ``development`` (the default for the
two-command setup), ``testing`` or ``production``. Production refuses to start
without a real ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


class Config:
    ENV_NAME = "base"
    TESTING = False
    DEBUG = False

    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Empty means "a SQLite file in the instance folder" (resolved in create_app).
    DATABASE_URL = os.environ.get("DATABASE_URL", "")
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", "")

    # Mail: "file" writes each message to instance/mail/ and the log (development);
    # "smtp" sends through MAIL_SERVER. Either way the outbox row is written first.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "no-reply@marketplace.example")
    MAIL_DIR = os.environ.get("MAIL_DIR", "")

    # Council branding. The colour is checked for contrast against white text.
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Ashdown Borough Council")
    COUNCIL_SHORT_NAME = os.environ.get("COUNCIL_SHORT_NAME", "Ashdown")
    COUNCIL_COLOUR = os.environ.get("COUNCIL_COLOUR", "#0b5c4b")
    COUNCIL_LOGO = os.environ.get("COUNCIL_LOGO", "img/council-logo.svg")
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Support Marketplace")
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "marketplace@ashdown.example")
    CONTACT_PHONE = os.environ.get("CONTACT_PHONE", "01632 960 000")

    LANGUAGES = ("en", "cy")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "marketplace" / "translations")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    SESSION_COOKIE_NAME = "marketplace_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PERMANENT_SESSION_LIFETIME = _int("SESSION_LIFETIME_SECONDS", 8 * 3600)

    WTF_CSRF_TIME_LIMIT = _int("CSRF_TIME_LIMIT_SECONDS", 4 * 3600)
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 4 * 1024 * 1024)

    # Sign-in throttling: this many failures for one e-mail address (or from one
    # address) within the window lock further tries until the window passes.
    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
    LOGIN_WINDOW_SECONDS = _int("LOGIN_WINDOW_SECONDS", 15 * 60)
    PASSWORD_RESET_TTL_SECONDS = _int("PASSWORD_RESET_TTL_SECONDS", 3600)

    # Catalogue freshness: flag a listing to its provider after this many days
    # without a "still accurate" confirmation, and hide it after this many.
    LISTING_FLAG_DAYS = _int("LISTING_FLAG_DAYS", 90)
    LISTING_HIDE_DAYS = _int("LISTING_HIDE_DAYS", 120)
    # Community Catalogue freshness: e-mail the organiser after this many days without
    # a "still accurate" confirmation, flag the listing after COMMUNITY_FLAG_DAYS
    # (6 months) and hide it from public pages and search after COMMUNITY_HIDE_DAYS.
    COMMUNITY_REMIND_DAYS = _int("COMMUNITY_REMIND_DAYS", 152)
    COMMUNITY_FLAG_DAYS = _int("COMMUNITY_FLAG_DAYS", 183)
    COMMUNITY_HIDE_DAYS = _int("COMMUNITY_HIDE_DAYS", 274)
    # The site's address (like https://support.ashdown.gov.uk), for links in e-mails
    # sent by commands, which have no request to take it from (`flask community remind`).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://localhost:5000")
    # "search" back end: "whoosh" (a local index) or "postgres" (full-text search in
    # the database, for sites with several web servers).
    SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "whoosh")
    UPLOAD_MAX_BYTES = _int("UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", "")  # empty: instance/uploads
    # The home page's category counts are kept this long (0 = always count afresh).
    CATALOGUE_COUNTS_CACHE_SECONDS = _int("CATALOGUE_COUNTS_CACHE_SECONDS", 60)
    # Ordering: a provider that does not answer an order within this many days lets it
    # expire (`flask orders tick`) and the money set aside is released.
    ORDER_PROVIDER_REPLY_DAYS = _int("ORDER_PROVIDER_REPLY_DAYS", 5)
    # An order taking more than this from a budget (pence; 0 = no limit) waits for a
    # council officer's approval, as do orders in these categories (comma-separated
    # catalogue slugs) and orders outside the person's agreed support plan.
    ORDER_APPROVAL_THRESHOLD_PENCE = _int("ORDER_APPROVAL_THRESHOLD_PENCE", 1_000_000)
    # Days' notice a buyer gives to cancel support a provider has accepted, when the
    # service does not set its own (services.notice_days).
    ORDER_NOTICE_DAYS = _int("ORDER_NOTICE_DAYS", 7)
    ORDER_RESTRICTED_CATEGORIES = tuple(
        slug.strip() for slug in os.environ.get("ORDER_RESTRICTED_CATEGORIES",
                                                 "live-in-care").split(",") if slug.strip())
    # Card payments (marketplace/invoicing/payments/stripe_gateway.py). STRIPE_API_BASE:
    # empty = Stripe itself; "local" = the local Stripe-compatible test server, started in
    # this process on first use (the development default when no key is set); or a URL.
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
    STRIPE_WEBHOOK_URL = os.environ.get("STRIPE_WEBHOOK_URL", "")
    STRIPE_TIMEOUT_SECONDS = _int("STRIPE_TIMEOUT_SECONDS", 20)

    # Invoicing: days from issue to due date unless a provider's terms say otherwise.
    INVOICE_PAYMENT_TERMS_DAYS = _int("INVOICE_PAYMENT_TERMS_DAYS", 30)

    @classmethod
    def validate(cls, config: dict) -> None:
        colour = config["COUNCIL_COLOUR"]
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
            raise ConfigError(f"COUNCIL_COLOUR must look like #1a2b3c, not {colour!r}")
        if contrast_with_white(colour) < 4.5:
            raise ConfigError(
                f"COUNCIL_COLOUR {colour} is too light: white text on it has a contrast "
                f"of {contrast_with_white(colour):.2f}:1, and WCAG AA needs 4.5:1"
            )


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False
    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-not-secret"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # No real keys: card payments go to the local test server (offline demo).
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY") or "sk_test_local_development"
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET") or "whsec_local_development"
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE",
                                     "" if os.environ.get("STRIPE_SECRET_KEY") else "local")


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"  # noqa: S105
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    MAIL_BACKEND = "memory"
    LOGIN_MAX_FAILURES = 5
    CHEAP_PASSWORD_HASHING = True
    CATALOGUE_COUNTS_CACHE_SECONDS = 0
    # Tests start their own local Stripe server; anything else fails at once, offline.
    STRIPE_SECRET_KEY = "sk_test_testing"  # noqa: S105
    STRIPE_WEBHOOK_SECRET = "whsec_testing"  # noqa: S105
    STRIPE_API_BASE = "http://127.0.0.1:9"
    STRIPE_TIMEOUT_SECONDS = 5


class ProductionConfig(Config):
    ENV_NAME = "production"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")

    @classmethod
    def validate(cls, config: dict) -> None:
        super().validate(config)
        key = config.get("SECRET_KEY") or ""
        if len(key) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        if not config.get("DATABASE_URL"):
            raise ConfigError("DATABASE_URL must be set in production (PostgreSQL)")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class(name: str | None = None) -> type[Config]:
    name = (name or os.environ.get("MARKETPLACE_ENV") or "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError as exc:
        raise ConfigError(
            f"MARKETPLACE_ENV must be one of {', '.join(CONFIGS)}, not {name!r}"
        ) from exc


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (_luminance(hex_colour) + 0.05)
