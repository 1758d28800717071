"""flask-login wiring: sessions carry '<user id>:<session nonce>'."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import User
from marketplace.db import db
from marketplace.extensions import login_manager


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _sep, nonce = (session_id or "").partition(":")
        if not user_id.isdigit() or not nonce:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_nonce != nonce or not user.is_active_account:
            return None
        return user
