"""Public information pages: home, accessibility, privacy, cookies, contact."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from marketplace.security import public

bp = Blueprint("pages", __name__)


@bp.get("/")
@public
def home():
    from catalogue.browse import home_category_counts
    from catalogue.public import search_action
    from catalogue.taxonomy import TOP_LEVEL
    from marketplace.db import db

    return render_template("pages/home.html", categories=TOP_LEVEL,
                           counts=home_category_counts(db.session), search_action=search_action())


@bp.get("/accessibility")
@public
def accessibility():
    return render_template("pages/accessibility.html")


@bp.get("/privacy")
@public
def privacy():
    return render_template("pages/privacy.html")


@bp.get("/cookies")
@public
def cookies():
    return render_template("pages/cookies.html")


@bp.get("/contact")
@public
def contact():
    return render_template("pages/contact.html")


@bp.get("/healthz")
@public
def healthz():
    from sqlalchemy import text

    from marketplace.db import db

    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/start")
@public
def start():
    """Where 'Start' sends people: their home if signed in, otherwise sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return redirect(url_for("auth.sign_in"))
