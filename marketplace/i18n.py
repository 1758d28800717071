"""English and Welsh: locale choice, the language switcher and `flask translate`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import Blueprint, current_app, has_request_context, redirect, request, session, url_for
from flask_login import current_user

from marketplace.security import public

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "marketplace" / "translations"
POT = ROOT / "marketplace" / "messages.pot"
BABEL_CFG = ROOT / "babel.cfg"

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # CLI commands, jobs
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.preferred_language in (
        languages
    ):
        return current_user.preferred_language
    return request.accept_languages.best_match(languages) or "en"


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("pages.home")


@bp.get("/language/<lang>")
@public
def switch(lang: str):
    """Works without JavaScript: a plain link that remembers the choice."""
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated and current_user.preferred_language != lang:
            # Remembered for e-mails and the next sign-in.
            from marketplace.db import db

            current_user.preferred_language = lang
            db.session.commit()
    return redirect(_safe_next(request.args.get("next")))


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)  # noqa: S603


def extract() -> None:
    _pybabel("extract", "-F", str(BABEL_CFG), "-k", "_l", "-o", str(POT), "--no-location",
             "--sort-output", str(ROOT / "marketplace"), str(ROOT / "catalogue"),
             str(ROOT / "templates"))


def compile_catalogues() -> None:
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


def register_cli(app) -> None:
    @app.cli.group("translate")
    def translate():
        """Extract, update and compile translations."""

    @translate.command("extract")
    def extract_cmd():
        """Extract every marked string into messages.pot."""
        extract()

    @translate.command("update")
    def update_cmd():
        """Extract, then merge new strings into every catalogue."""
        extract()
        _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching")

    @translate.command("init")
    @click.argument("lang")
    def init_cmd(lang):
        """Start a catalogue for a new language."""
        extract()
        _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang)

    @translate.command("compile")
    def compile_cmd():
        """Compile every catalogue to .mo files."""
        compile_catalogues()
