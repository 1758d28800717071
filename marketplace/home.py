"""Each role's home page; /home sends a person to the right one."""

from __future__ import annotations

from flask import Blueprint, g, redirect, url_for
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.security import roles, signed_in

bp = Blueprint("home", __name__)

# The first role a person holds, in this order, decides where they land.
LANDING = [
    (Role.ADMINISTRATOR, "admin.index"),
    (Role.COUNCIL_OFFICER, "council.index"),
    (Role.FINANCE_OFFICER, "council.finance"),
    (Role.COMMISSIONER, "council.commissioner"),
    (Role.PROVIDER_STAFF, "storefront.dashboard"),
    (Role.COMMUNITY_ORGANISER, "home.community"),
    (Role.REPRESENTATIVE, "acting.choose"),
    (Role.BUDGET_HOLDER, "people.home"),
    (Role.SELF_FUNDER, "people.home"),
]


def landing_endpoint(user) -> str:
    for role, endpoint in LANDING:
        if user.has_role(role):
            return endpoint
    return "pages.home"


@bp.get("/home")
@signed_in
def index():
    if g.acting_for is not None:
        return redirect(url_for("people.home"))
    return redirect(url_for(landing_endpoint(current_user)))


@bp.get("/community")
@roles(Role.COMMUNITY_ORGANISER)
def community():
    from catalogue.community.organiser import render_dashboard

    return render_dashboard()
