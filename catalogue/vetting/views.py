"""The provider queue and the review page: checklist, approve, suspend, reinstate.
The provider's owners are e-mailed (through the outbox) when it is approved,
reinstated or suspended."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import case, func, select

from catalogue.completeness import profile_completeness
from catalogue.models import (
    MemberRole,
    ProviderMember,
    ProviderOrganisation,
    VettingStatus,
)
from catalogue.vetting import bp
from catalogue.vetting.access import provider_for_review, reviewable_clause
from catalogue.vetting.forms import ChecklistForm, SuspendForm
from catalogue.vetting.operations import (
    CHECKS,
    VettingRefused,
    approve,
    missing_checks,
    record_checks,
    reinstate,
    suspend,
)
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.mail import email_user, queue_email
from marketplace.security import roles, today

PAGE_SIZE = 25
STATUS_FILTERS = ("all", "pending", "approved", "suspended")


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@bp.get("")
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def queue():
    show = request.args.get("status", "all")
    show = show if show in STATUS_FILTERS else "all"
    query_text = (request.args.get("q") or "").strip()[:100]
    query = select(ProviderOrganisation)
    clause = reviewable_clause()
    if clause is not None:
        query = query.where(clause)
    if show != "all":
        query = query.where(ProviderOrganisation.status == VettingStatus(show))
    if query_text:
        query = query.where(func.lower(ProviderOrganisation.name).like(
            f"%{query_text.lower()}%"))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pending_first = case((ProviderOrganisation.status == VettingStatus.PENDING, 0),
                         (ProviderOrganisation.status == VettingStatus.SUSPENDED, 1), else_=2)
    page = _page()
    providers = db.session.scalars(
        query.order_by(pending_first, ProviderOrganisation.created_at,
                       ProviderOrganisation.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("vetting/queue.html", providers=providers, show=show, q=query_text,
                           total=total, page=page, page_size=PAGE_SIZE, today=today(),
                           missing_checks=missing_checks)


def _owners(provider: ProviderOrganisation) -> list[User]:
    return list(db.session.scalars(
        select(User).join(ProviderMember, ProviderMember.user_id == User.id)
        .where(ProviderMember.provider_id == provider.id,
               ProviderMember.member_role == MemberRole.OWNER).order_by(User.full_name)))


def _review_page(provider: ProviderOrganisation, form: ChecklistForm, status: int = 200):
    vetted_by = db.session.get(User, provider.vetted_by_id) if provider.vetted_by_id else None
    return render_template(
        "vetting/review.html", provider=provider, form=form, owners=_owners(provider),
        today=today(), missing=missing_checks(provider), vetted_by=vetted_by,
        expired=provider.expired_evidence(today()),
        completeness=profile_completeness(provider, today()), checks=CHECKS), status


@bp.route("/<int:provider_id>", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def review(provider_id: int):
    provider = provider_for_review(provider_id)
    form = ChecklistForm()
    if request.method == "GET":
        for attr, _label in CHECKS:
            form[attr].data = "yes" if getattr(provider, attr) else "no"
    if form.validate_on_submit():
        record_checks(provider, form.values())
        db.session.commit()
        flash(_("The checks have been saved."), "success")
        return redirect(url_for("vetting.review", provider_id=provider.id))
    return _review_page(provider, form, 200 if request.method == "GET" else 400)


def _tell_owners(provider: ProviderOrganisation, subject, template: str) -> None:
    """E-mail the owners, each in their own language; a provider with no owner on the
    site yet is told at its contact address instead."""
    sign_in = url_for("auth.sign_in", _external=True)
    owners = [owner for owner in _owners(provider) if owner.is_active_account]
    for owner in owners:
        email_user(db.session, owner, subject, template, provider=provider, sign_in=sign_in)
    if not owners and provider.email:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            queue_email(db.session, provider.email, str(subject), render_template(
                template, user=None, provider=provider, sign_in=sign_in))


def _decide(provider_id: int, decide, subject, template: str, done):
    provider = provider_for_review(provider_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        decide(db.session, provider, current_user, today())
    except VettingRefused as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("vetting.review", provider_id=provider.id))
    _tell_owners(provider, subject, template)
    db.session.commit()
    flash(done(provider.name), "success")
    return redirect(url_for("vetting.review", provider_id=provider.id))


@bp.post("/<int:provider_id>/approve")
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def approve_provider(provider_id: int):
    return _decide(provider_id, approve, _l("Your organisation has been approved"),
                   "email/provider_approved.txt",
                   lambda name: _("%(name)s is approved. Its published services are now "
                                  "public.", name=name))


@bp.post("/<int:provider_id>/reinstate")
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def reinstate_provider(provider_id: int):
    return _decide(provider_id, reinstate, _l("Your organisation has been reinstated"),
                   "email/provider_approved.txt",
                   lambda name: _("%(name)s is reinstated. Its published services are "
                                  "public again.", name=name))


@bp.route("/<int:provider_id>/suspend", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def suspend_provider(provider_id: int):
    provider = provider_for_review(provider_id)
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            suspend(db.session, provider, current_user, form.reason.data)
        except VettingRefused as exc:
            db.session.rollback()
            form.reason.errors = [str(exc.message)]
        else:
            _tell_owners(provider, _l("Your organisation has been suspended"),
                         "email/provider_suspended.txt")
            db.session.commit()
            flash(_("%(name)s is suspended. Nothing of it is shown to the public.",
                    name=provider.name), "success")
            return redirect(url_for("vetting.review", provider_id=provider.id))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("vetting/suspend.html", form=form, provider=provider), status
