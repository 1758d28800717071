"""Who may see or do what: one declaration on every view, enforced before it runs.

Every view function carries an ``AccessRule`` set by one of the decorators here
(``public``, ``signed_in``, ``roles`` or ``person``). A ``before_request`` hook
applies it. A view with no rule is refused (deny by default), and a test walks
every route to prove each one declares a rule.

``person(scope)`` marks pages about one budget holder's own data: the viewer is
that person, or a representative acting for them with a current authority whose
scope covers ``scope``. The person is then ``g.person``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role, Scope

log = logging.getLogger(__name__)

ACTING_KEY = "acting_for_authority"


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    roles: frozenset[Role] | None = None  # None with public=False: any signed-in user
    person_scope: Scope | None = None

    def describe(self) -> str:
        if self.public:
            return "public"
        if self.person_scope:
            return f"person:{self.person_scope.value}"
        if self.roles:
            return "roles:" + ",".join(sorted(r.value for r in self.roles))
        return "signed-in"


def _mark(rule: AccessRule) -> Callable:
    def decorate(view):
        view.access_rule = rule
        return view

    return decorate


def public(view):
    """Anyone, signed in or not."""
    return _mark(AccessRule(public=True))(view)


def signed_in(view):
    """Any signed-in person."""
    return _mark(AccessRule())(view)


def roles(*allowed: Role) -> Callable:
    """A signed-in person holding at least one of these roles."""
    if not allowed:
        raise ValueError("roles() needs at least one role")
    return _mark(AccessRule(roles=frozenset(allowed)))


def person(scope: Scope) -> Callable:
    """The budget holder themself, or someone acting for them with enough scope."""
    return _mark(AccessRule(person_scope=scope))


HOLDER_ROLES = (Role.BUDGET_HOLDER, Role.SELF_FUNDER)


def today() -> date:
    return current_app.config.get("TODAY_OVERRIDE") or date.today()


def _load_acting_context() -> None:
    """Set g.acting_authority / g.acting_for when a current authority backs it."""
    from marketplace.accounts.models import Authority
    from marketplace.db import db

    g.acting_authority = None
    g.acting_for = None
    authority_id = session.get(ACTING_KEY)
    if authority_id is None or not current_user.is_authenticated:
        return
    authority = db.session.get(Authority, authority_id)
    if (
        authority is None
        or authority.representative_id != current_user.id
        or not authority.is_current(today())
    ):
        session.pop(ACTING_KEY, None)
        name = authority.holder.full_name if authority else _("this person")
        flash(_("You can no longer act for %(name)s: the authority has ended or was "
                "withdrawn.", name=name), "error")
        return
    g.acting_authority = authority
    g.acting_for = authority.holder


def _resolve_person(scope: Scope):
    if g.acting_authority is not None:
        if not g.acting_authority.scope.covers(scope):
            g.forbidden_reason = _(
                "Your authority to act for %(name)s does not cover this. It allows: "
                "%(scope)s.",
                name=g.acting_for.full_name,
                scope=g.acting_authority.scope.label,
            )
            abort(403)
        return g.acting_for
    if current_user.has_role(*HOLDER_ROLES):
        return current_user._get_current_object()
    if current_user.has_role(Role.REPRESENTATIVE):
        flash(_("Choose the person you are acting for first."), "info")
        return redirect(url_for("acting.choose", next=request.full_path))
    abort(403)


def refuse_nul_characters():
    """before_request: a NUL character is never meaningful in this site's input, and
    PostgreSQL cannot store one; refuse it with a clear message instead of failing."""
    values = [*request.args.values(), *request.args.keys(), request.path]
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.values(), *request.form.keys()]
    if any("\x00" in value for value in values):
        g.bad_request_message = _("What you sent contains characters that cannot be used. "
                                  "Go back, remove them and try again.")
        abort(400)


def enforce_access():
    """before_request: apply the rule declared on the view about to run."""
    g.csp_nonce = secrets.token_urlsafe(16)
    g.audit_actor_id = None
    g.audit_acting_for_id = None
    g.acting_authority = None
    g.acting_for = None
    g.person = None
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    rule: AccessRule | None = getattr(view, "access_rule", None)
    if rule is None:
        log.error("view %s declares no access rule: refused", request.endpoint)
        abort(403)
    if current_user.is_authenticated:
        g.audit_actor_id = current_user.id
        _load_acting_context()
        if g.acting_for is not None:
            g.audit_acting_for_id = g.acting_for.id
    if rule.public:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if rule.roles is not None and not current_user.has_role(*rule.roles):
        abort(403)
    if rule.person_scope is not None:
        result = _resolve_person(rule.person_scope)
        if not hasattr(result, "id"):
            return result  # a redirect
        g.person = result
    return None


def security_headers(response):
    nonce = g.get("csp_nonce", "")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        f"style-src 'self' 'nonce-{nonce}'; "
        "img-src 'self' data:; font-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app) -> None:
    app.before_request(refuse_nul_characters)
    app.before_request(enforce_access)
    app.after_request(security_headers)
