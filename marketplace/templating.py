"""Template globals: council branding, role-aware navigation, the acting banner."""

from __future__ import annotations

from flask import current_app, g, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.money import format_pence

NAV = [
    ((Role.BUDGET_HOLDER, Role.SELF_FUNDER), "people.home", _l("My support")),
    ((Role.REPRESENTATIVE,), "acting.choose", _l("People I act for")),
    ((Role.PROVIDER_STAFF,), "storefront.dashboard", _l("My organisation")),
    ((Role.COMMUNITY_ORGANISER,), "home.community", _l("My community groups")),
    ((Role.COUNCIL_OFFICER, Role.ADMINISTRATOR), "council.index", _l("People")),
    ((Role.COUNCIL_OFFICER, Role.ADMINISTRATOR), "vetting.queue", _l("Providers")),
    ((Role.FINANCE_OFFICER, Role.ADMINISTRATOR), "council.finance", _l("Finance")),
    ((Role.COMMISSIONER, Role.ADMINISTRATOR), "council.commissioner", _l("Commissioning")),
    ((Role.ADMINISTRATOR,), "admin.index", _l("Users")),
    ((Role.ADMINISTRATOR,), "admin.audit", _l("Audit log")),
]


def navigation() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    items = []
    acting = g.get("acting_for") is not None
    for allowed, endpoint, label in NAV:
        if endpoint == "people.home" and acting:
            items.append({"href": url_for(endpoint), "text": _l("Their support"),
                          "active": request.endpoint and request.endpoint.startswith("people.")})
            continue
        if current_user.has_role(*allowed):
            items.append({
                "href": url_for(endpoint),
                "text": label,
                "active": request.endpoint == endpoint,
            })
    return items


def init_templating(app) -> None:
    @app.context_processor
    def inject():
        config = current_app.config
        return {
            "brand": {
                "council": config["COUNCIL_NAME"],
                "short": config["COUNCIL_SHORT_NAME"],
                "colour": config["COUNCIL_COLOUR"],
                "logo": config["COUNCIL_LOGO"],
                "service": config["SERVICE_NAME"],
                "email": config["CONTACT_EMAIL"],
                "phone": config["CONTACT_PHONE"],
            },
            "navigation": navigation(),
            "locale": str(get_locale() or "en"),
            "acting_for": g.get("acting_for"),
            "csp_nonce": g.get("csp_nonce", ""),
        }

    app.jinja_env.add_extension("jinja2.ext.do")
    app.add_template_filter(format_pence, "money")
    app.add_template_filter(lambda d: format_date(d, "d MMMM yyyy") if d else "", "long_date")
