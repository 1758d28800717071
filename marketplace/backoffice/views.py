"""Council and administrator screens."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select
from wtforms.fields.choices import SelectChoice

from catalogue.models import ProviderOrganisation, VettingStatus
from marketplace.accounts import services
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.models import Authority, Council, RoleGrant, User
from marketplace.accounts.roles import COUNCIL_ROLES, ROLE_LABELS, AuthorityType, Role, Scope
from marketplace.audit import AuditEvent
from marketplace.backoffice.forms import AuthorityForm, RevokeForm, RoleForm
from marketplace.db import db
from marketplace.mail import email_user
from marketplace.reports.aggregates import suppress
from marketplace.security import roles, today

council_bp = Blueprint("council", __name__, url_prefix="/council")
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 25
HOLDER_ROLES = (Role.BUDGET_HOLDER, Role.SELF_FUNDER)


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _staff_councils(*staff_roles: Role) -> set[int] | None:
    """Council ids the current person works for; None means every council (admin)."""
    if current_user.has_role(Role.ADMINISTRATOR):
        return None
    return current_user.council_ids_for(*staff_roles)


def _holder_or_404(user_id: int) -> User:
    """A budget holder this officer may see: 404 if there is none, 403 if the person
    belongs to another council (never a page of someone else's data)."""
    holder = db.session.get(User, user_id)
    if holder is None or not holder.has_role(*HOLDER_ROLES):
        abort(404)
    councils = _staff_councils(Role.COUNCIL_OFFICER)
    if councils is not None and not (holder.council_ids_for(Role.BUDGET_HOLDER) & councils):
        abort(403)
    return holder


@council_bp.get("/")
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def index():
    councils = _staff_councils(Role.COUNCIL_OFFICER)
    query = (
        select(User).join(RoleGrant)
        .where(RoleGrant.role == Role.BUDGET_HOLDER)
        .order_by(User.full_name)
    )
    if councils is not None:
        query = query.where(RoleGrant.council_id.in_(councils))
    return render_template("council/index.html", **_people_page(query))


def _people_page(query) -> dict:
    """Filter a query of users by the ?q= name or e-mail search, count and page it."""
    query_text = (request.args.get("q") or "").strip()[:100]
    if query_text:
        like = f"%{query_text.lower()}%"
        query = query.where(or_(func.lower(User.full_name).like(like),
                                User.email_normalised.like(like)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = _page()
    people = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return {"people": people, "total": total, "page": page, "page_size": PAGE_SIZE,
            "q": query_text}


@council_bp.get("/people/<int:user_id>")
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def person(user_id: int):
    holder = _holder_or_404(user_id)
    authorities = services.authorities_for_holder(db.session, holder)
    return render_template("council/person.html", holder=holder, authorities=authorities,
                           today=today())


@council_bp.route("/people/<int:user_id>/authorities/new", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def new_authority(user_id: int):
    holder = _holder_or_404(user_id)
    form = AuthorityForm()
    if request.method == "GET":
        form.starts_on.data = today()
    if form.validate_on_submit():
        rep = services.find_user_by_email(db.session, form.representative_email.data)
        new_account_token = None
        if rep is None:
            name = (form.representative_name.data or "").strip()
            if not name:
                form.representative_name.errors = [
                    _("There is no account with this email address: enter the "
                      "representative's full name so we can create one")]
            else:
                rep = services.create_user(db.session, email=form.representative_email.data,
                                           full_name=name, password=secrets.token_urlsafe(24))
                new_account_token = services.start_password_reset(db.session, rep, 7 * 24 * 3600)
        if rep is not None:
            council_ids = holder.council_ids_for(Role.BUDGET_HOLDER)
            council = db.session.get(Council, min(council_ids)) if council_ids else None
            try:
                authority = services.create_authority(
                    db.session, created_by=current_user, representative=rep, holder=holder,
                    council=council, authority_type=AuthorityType(form.authority_type.data),
                    scope=Scope(form.scope.data), starts_on=form.starts_on.data,
                    ends_on=form.ends_on.data,
                    evidence_reference=form.evidence_reference.data,
                )
            except services.AuthorityRefused as exc:
                db.session.rollback()
                form.representative_email.errors = [str(exc.args[0])]
            else:
                _notify_new_authority(authority, new_account_token)
                db.session.commit()
                flash(_("%(rep)s can now act for %(holder)s.", rep=rep.full_name,
                        holder=holder.full_name), "success")
                return redirect(url_for("council.person", user_id=holder.id))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("council/new_authority.html", form=form, holder=holder), status


def _notify_new_authority(authority: Authority, token: str | None) -> None:
    link = url_for("auth.reset_password", token=token, _external=True) if token else None
    email_user(db.session, authority.representative,
               _l("You can now act for %(name)s", name=authority.holder.full_name),
               "email/authority_created.txt", authority=authority, link=link,
               sign_in=url_for("auth.sign_in", _external=True))


@council_bp.route("/authorities/<int:authority_id>/withdraw", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def withdraw_authority(authority_id: int):
    authority = db.session.get(Authority, authority_id)
    if authority is None:
        abort(404)
    holder = _holder_or_404(authority.holder_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke_authority(db.session, authority, current_user, form.reason.data)
        except services.AuthorityRefused as exc:
            form.reason.errors = [str(exc.args[0])]
        else:
            db.session.commit()
            flash(_("The authority has been withdrawn. It stopped at once."), "success")
            return redirect(url_for("council.person", user_id=holder.id))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("council/withdraw_authority.html", form=form, authority=authority,
                           holder=holder), status


@council_bp.get("/finance")
@roles(Role.FINANCE_OFFICER, Role.ADMINISTRATOR)
def finance():
    councils = _staff_councils(Role.FINANCE_OFFICER)
    money_query = (
        select(Authority).where(Authority.scope == Scope.MONEY, Authority.revoked_at.is_(None))
        .order_by(Authority.starts_on.desc())
    )
    if councils is not None:
        money_query = money_query.where(Authority.council_id.in_(councils))
    authorities = [a for a in db.session.scalars(money_query) if a.is_current(today())]
    return render_template("council/finance.html", authorities=authorities,
                           councils=_council_names(councils))


def _council_names(council_ids: set[int] | None) -> list[str]:
    query = select(Council.name).order_by(Council.name)
    if council_ids is not None:
        query = query.where(Council.id.in_(council_ids))
    return list(db.session.scalars(query))


@council_bp.get("/commissioning")
@roles(Role.COMMISSIONER, Role.ADMINISTRATOR)
def commissioner():
    """Aggregates only: counts, with anything under five people suppressed."""
    councils = _staff_councils(Role.COMMISSIONER)
    holders_q = select(func.count(func.distinct(RoleGrant.user_id))).where(
        RoleGrant.role == Role.BUDGET_HOLDER)
    rep_q = (select(Authority.authority_type, func.count(func.distinct(Authority.holder_id)))
             .where(Authority.revoked_at.is_(None)).group_by(Authority.authority_type))
    providers_q = (select(ProviderOrganisation.kind, func.count())
                   .where(ProviderOrganisation.status == VettingStatus.APPROVED)
                   .group_by(ProviderOrganisation.kind))
    if councils is not None:
        holders_q = holders_q.where(RoleGrant.council_id.in_(councils))
        rep_q = rep_q.where(Authority.council_id.in_(councils))
    holders = db.session.scalar(holders_q) or 0
    by_type = dict(db.session.execute(rep_q).all())
    rep_rows = suppress([(AuthorityType(k).label, v) for k, v in sorted(by_type.items())])
    provider_rows = [(k.label, v) for k, v in db.session.execute(providers_q).all()]
    return render_template("council/commissioner.html", holders=suppress([("all", holders)]),
                           rep_rows=rep_rows, provider_rows=provider_rows,
                           councils=_council_names(councils))


# --- administrator ------------------------------------------------------------

@admin_bp.get("/", endpoint="index")
@roles(Role.ADMINISTRATOR)
def users():
    return render_template("admin/index.html",
                           **_people_page(select(User).order_by(User.full_name)))


def _role_form() -> RoleForm:
    form = RoleForm()
    councils = db.session.execute(select(Council.id, Council.name).order_by(Council.name)).all()
    form.council.choices = [SelectChoice("", _("No council"))] + [
        SelectChoice(str(i), n) for i, n in councils]
    return form


@admin_bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles(Role.ADMINISTRATOR)
def user(user_id: int):
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    form = _role_form()
    if form.validate_on_submit():
        role = Role(form.role.data)
        council_id = int(form.council.data) if form.council.data else None
        try:
            services.grant_role(person, role, council_id)
        except services.AccountError:
            form.council.errors = [_("Choose the council for the %(role)s role",
                                     role=ROLE_LABELS[role])]
        else:
            db.session.commit()
            flash(_("Role given."), "success")
            return redirect(url_for("admin.user", user_id=person.id))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("admin/user.html", person=person, form=form,
                           council_roles=COUNCIL_ROLES, remove_form=ActionForm()), status



@admin_bp.post("/users/<int:user_id>/roles/<int:grant_id>/remove")
@roles(Role.ADMINISTRATOR)
def remove_role(user_id: int, grant_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user_id:
        abort(404)
    if grant.user_id == current_user.id and grant.role == Role.ADMINISTRATOR:
        flash(_("You cannot remove your own administrator role."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    db.session.delete(grant)
    db.session.commit()
    flash(_("Role removed."), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@admin_bp.get("/audit")
@roles(Role.ADMINISTRATOR)
def audit():
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    person_id = request.args.get("person", "")
    if person_id.isdigit():
        query = query.where(or_(AuditEvent.acting_for_id == int(person_id),
                                AuditEvent.actor_id == int(person_id)))
    page = _page()
    events = db.session.scalars(query.limit(50).offset((page - 1) * 50)).all()
    names = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(
        {e.actor_id for e in events} | {e.acting_for_id for e in events}))).all())
    return render_template("admin/audit.html", events=events, names=names, page=page,
                           person_id=person_id if person_id.isdigit() else "")


