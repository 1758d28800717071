"""Error pages in the site's own style, and JSON for API clients."""

from __future__ import annotations

import logging

from flask import g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from marketplace.db import db

log = logging.getLogger(__name__)

_TEMPLATES = {400: "errors/400.html", 403: "errors/403.html", 404: "errors/404.html",
              405: "errors/405.html", 413: "errors/413.html", 429: "errors/429.html"}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_errors(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        db.session.rollback()
        message = _("Your form could not be sent because it had expired or came from "
                    "somewhere else. Go back, refresh the page and try again.")
        return render_template("errors/400.html", message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        code = error.code or 500
        if _wants_json():
            return {"code": code, "message": error.description}, code
        template = _TEMPLATES.get(code)
        if template is None:
            return render_template("errors/generic.html", code=code,
                                   name=error.name), code
        return render_template(template, reason=g.get("forbidden_reason"),
                               message=g.get("bad_request_message")), code

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        log.exception("unexpected error on %s %s", request.method, request.path)
        if _wants_json():
            return {"code": 500, "message": "Internal error"}, 500
        return render_template("errors/500.html"), 500
