"""The team: owners add people (making accounts for newcomers, who are e-mailed a
link to set a password) and take them off (never the last owner)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from catalogue.models import MemberRole, ProviderMember
from catalogue.storefront import bp
from catalogue.storefront.access import provider_for_member
from catalogue.storefront.forms import InviteForm
from catalogue.storefront.operations import StorefrontRefused, invite_member, remove_member
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.mail import email_user
from marketplace.security import roles


def _team(provider) -> list[tuple[ProviderMember, User]]:
    rows = db.session.execute(
        select(ProviderMember, User).join(User, User.id == ProviderMember.user_id)
        .where(ProviderMember.provider_id == provider.id).order_by(User.full_name)).all()
    return [(member, user) for member, user in rows]


@bp.route("/<int:provider_id>/team", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def team(provider_id: int):
    provider, _member = provider_for_member(provider_id, owner=True)
    form = InviteForm()
    if request.method == "GET":
        form.member_role.data = MemberRole.STAFF.value
    if form.validate_on_submit():
        try:
            user, token = invite_member(
                db.session, provider, full_name=form.full_name.data, email=form.email.data,
                member_role=MemberRole(form.member_role.data))
        except StorefrontRefused as exc:
            db.session.rollback()
            form.email.errors = [str(exc.message)]
        else:
            link = url_for("auth.reset_password", token=token, _external=True) if token else None
            email_user(db.session, user,
                       _l("You have been added to %(name)s", name=provider.name),
                       "email/storefront_team_added.txt", provider=provider,
                       invited_by=current_user, link=link,
                       sign_in=url_for("auth.sign_in", _external=True))
            db.session.commit()
            flash(_("%(name)s has been added to the team and sent an email.",
                    name=user.full_name), "success")
            return redirect(url_for("storefront.team", provider_id=provider.id))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("storefront/team.html", form=form, provider=provider,
                           team=_team(provider)), status


@bp.post("/<int:provider_id>/team/<int:member_id>/remove")
@roles(Role.PROVIDER_STAFF)
def remove_from_team(provider_id: int, member_id: int):
    provider, _member = provider_for_member(provider_id, owner=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    member = db.session.get(ProviderMember, member_id)
    if member is None:
        abort(404)
    if member.provider_id != provider.id:
        abort(403)
    try:
        user = remove_member(db.session, member)
    except StorefrontRefused as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("storefront.team", provider_id=provider.id))
    db.session.commit()
    name = user.full_name if user is not None else ""
    flash(_("%(name)s has been removed from the team.", name=name), "success")
    if user is not None and user.id == current_user.id:
        return redirect(url_for("home.index"))
    return redirect(url_for("storefront.team", provider_id=provider.id))
