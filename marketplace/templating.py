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
    ((Role.BUDGET_HOLDER, Role.SELF_FUNDER, Role.REPRESENTATIVE), "ordering.mine",
     _l("Orders")),
    ((Role.BUDGET_HOLDER, Role.SELF_FUNDER, Role.REPRESENTATIVE), "messages.inbox",
     _l("Messages")),
    ((Role.BUDGET_HOLDER, Role.SELF_FUNDER, Role.REPRESENTATIVE), "invoicing.person_list",
     _l("Invoices")),
    ((Role.BUDGET_HOLDER, Role.SELF_FUNDER, Role.REPRESENTATIVE), "ratings.mine",
     _l("Ratings")),
    ((Role.PROVIDER_STAFF,), "storefront.dashboard", _l("My organisation")),
    ((Role.PROVIDER_STAFF,), "provider_orders.inbox", _l("Orders received")),
    ((Role.PROVIDER_STAFF,), "provider_deliveries.schedule", _l("Schedule")),
    ((Role.PROVIDER_STAFF,), "provider_messages.inbox", _l("Messages")),
    ((Role.PROVIDER_STAFF,), "provider_reviews.index", _l("Reviews")),
    ((Role.PROVIDER_STAFF,), "invoicing.provider_list", _l("Invoices")),
    ((Role.PROVIDER_STAFF,), "provider_bank.my_bank_details", _l("Bank details")),
    ((Role.COMMUNITY_ORGANISER,), "home.community", _l("My community groups")),
    ((Role.COUNCIL_OFFICER, Role.ADMINISTRATOR), "council.index", _l("People")),
    ((Role.COUNCIL_OFFICER, Role.ADMINISTRATOR), "vetting.queue", _l("Providers")),
    ((Role.COUNCIL_OFFICER, Role.ADMINISTRATOR), "council_plans.queue", _l("Support plans")),
    ((Role.COUNCIL_OFFICER,), "council_orders.queue", _l("Orders to approve")),
    ((Role.COUNCIL_OFFICER,), "council_deliveries.disputes", _l("Disputed visits")),
    ((Role.COUNCIL_OFFICER, Role.ADMINISTRATOR), "council_reviews.queue", _l("Reviews to check")),
    ((Role.COUNCIL_OFFICER,), "safeguarding.concerns", _l("Safeguarding")),
    ((Role.COUNCIL_OFFICER, Role.ADMINISTRATOR), "community_moderation.queue",
     _l("Community groups")),
    ((Role.FINANCE_OFFICER, Role.ADMINISTRATOR), "council.finance", _l("Finance")),
    ((Role.FINANCE_OFFICER, Role.ADMINISTRATOR), "budgets_council.finance",
     _l("Budget balances")),
    ((Role.FINANCE_OFFICER,), "invoicing.council_list", _l("Invoices")),
    ((Role.FINANCE_OFFICER,), "payment_runs.index", _l("Payment runs")),
    ((Role.COMMISSIONER, Role.ADMINISTRATOR), "council.commissioner", _l("Commissioning")),
    ((Role.COMMISSIONER, Role.COUNCIL_OFFICER, Role.FINANCE_OFFICER, Role.ADMINISTRATOR),
     "reports.index", _l("Reports")),
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
