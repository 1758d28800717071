"""The support marketplace application."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from marketplace.config import ROOT, config_class

__all__ = ["create_app"]


def create_app(config: dict | None = None) -> Flask:
    """Build the app. ``config`` overrides settings (tests pass their own)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    env_name = (config or {}).get("MARKETPLACE_ENV")
    cls = config_class(env_name)
    app.config.from_object(cls)
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _resolve_paths(app)
    cls.validate(app.config)
    if app.config.get("CHEAP_PASSWORD_HASHING"):
        from marketplace.accounts.services import use_cheap_hashing

        use_cheap_hashing()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def _resolve_paths(app: Flask) -> None:
    instance = Path(app.instance_path)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'marketplace.sqlite'}"
    if not app.config.get("SEARCH_INDEX_DIR"):
        app.config["SEARCH_INDEX_DIR"] = str(instance / "search-index")
    if not app.config.get("MAIL_DIR"):
        app.config["MAIL_DIR"] = str(instance / "mail")


def register_extensions(app: Flask) -> None:
    from marketplace import mail, security
    from marketplace.accounts.login import init_login
    from marketplace.db import db
    from marketplace.extensions import babel, csrf, wtforms_helpers
    from marketplace.i18n import select_locale

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_login(app)
    wtforms_helpers.init_app(app)
    security.init_app(app)
    mail.init_app(app)
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            PrefixLoader({"govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf")}),
        ]
    )


def register_blueprints(app: Flask) -> None:
    from marketplace.accounts.views import acting_bp, auth_bp, people_bp
    from marketplace.backoffice.views import admin_bp, council_bp
    from marketplace.home import bp as home_bp
    from marketplace.i18n import bp as i18n_bp
    from marketplace.pages import bp as pages_bp

    for bp in (pages_bp, i18n_bp, auth_bp, acting_bp, people_bp, home_bp, council_bp, admin_bp):
        app.register_blueprint(bp)

    from catalogue.public import bp as catalogue_bp

    app.register_blueprint(catalogue_bp)

    from catalogue.storefront import bp as storefront_bp
    from catalogue.uploads import bp as uploads_bp
    from catalogue.vetting import bp as vetting_bp

    for bp in (storefront_bp, uploads_bp, vetting_bp):
        app.register_blueprint(bp)

    from catalogue.search.views import bp as search_bp

    app.register_blueprint(search_bp)

    from catalogue.community.moderation import bp as community_moderation_bp
    from catalogue.community.organiser import bp as community_organiser_bp
    from catalogue.community.public import bp as community_bp

    for bp in (community_bp, community_organiser_bp, community_moderation_bp):
        app.register_blueprint(bp)

    from catalogue.oruk import bp as oruk_bp

    app.register_blueprint(oruk_bp)

    from marketplace import ordering

    ordering.init_app(app)

    from marketplace.ordering import deliveries as ordering_deliveries
    from marketplace.ordering import messages as ordering_messages

    ordering_deliveries.init_app(app)
    ordering_messages.init_app(app)

    from marketplace.budgets.minder import bp as minder_bp
    from marketplace.budgets.minder import pools_bp
    from marketplace.budgets.plans import bp as plans_bp
    from marketplace.budgets.plans import council_bp as council_plans_bp

    for bp in (minder_bp, pools_bp, plans_bp, council_plans_bp):
        app.register_blueprint(bp)

    from marketplace.budgets.council_views import bp as budgets_council_bp

    app.register_blueprint(budgets_council_bp)

    from marketplace import invoicing

    invoicing.init_app(app)

    from marketplace.invoicing import payments

    payments.init_app(app)

    from marketplace import ratings

    ratings.init_app(app)

    from marketplace import reports

    reports.init_app(app)


def register_errors(app: Flask) -> None:
    from marketplace.errors import init_errors

    init_errors(app)


def register_commands(app: Flask) -> None:
    from marketplace.cli import init_cli
    from marketplace.i18n import register_cli

    register_cli(app)
    init_cli(app)


def register_template_helpers(app: Flask) -> None:
    from marketplace.templating import init_templating

    init_templating(app)
