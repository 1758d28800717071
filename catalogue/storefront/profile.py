"""Editing the profile (any member), the organisation's details and evidence (owners),
and the logo (any member)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from catalogue import uploads
from catalogue.models import CqcRating, ProviderKind
from catalogue.storefront import bp
from catalogue.storefront.access import provider_for_member
from catalogue.storefront.forms import LogoForm, OrganisationForm, ProfileForm
from catalogue.storefront.operations import update_organisation, update_profile
from catalogue.taxonomy import WorkerGender
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.security import roles


def _status(form) -> int:
    return 200 if request.method == "GET" or not form.errors else 400


@bp.route("/<int:provider_id>/profile", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def edit_profile(provider_id: int):
    provider, _member = provider_for_member(provider_id)
    form = ProfileForm(obj=provider)
    if request.method == "GET":
        form.areas.data = ", ".join(provider.districts)
        form.radius_km.data = provider.coverage_radius_km
        form.languages.data = provider.language_codes
        form.genders.data = [g.value for g, on in ((WorkerGender.FEMALE, provider.female_workers),
                                                   (WorkerGender.MALE, provider.male_workers))
                             if on]
    if form.validate_on_submit():
        update_profile(
            provider, description=form.description.data, email=form.email.data,
            phone=form.phone.data, website=form.website.data, address=form.address.data,
            town=form.town.data, postcode=form.postcode_clean, districts=form.district_list,
            radius_km=form.radius_km.data, languages=form.languages.data or [],
            genders=form.genders.data or [], specialisms=form.specialisms.data,
            premises_accessibility=form.premises_accessibility.data)
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("storefront.dashboard"))
    return render_template("storefront/profile.html", form=form, provider=provider), \
        _status(form)


@bp.route("/<int:provider_id>/organisation", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def edit_organisation(provider_id: int):
    provider, _member = provider_for_member(provider_id, owner=True)
    form = OrganisationForm(obj=provider)
    if request.method == "GET":
        form.kind.data = provider.kind.value
        form.cqc_status.data = provider.cqc_status or ""
        form.cqc_rating.data = provider.cqc_rating.value if provider.cqc_rating else ""
        form.cqc_location_id.data = provider.cqc_location_id or ""
    if form.validate_on_submit():
        insurance, dbs = form.insurance_declared.data, form.dbs_declared.data
        cleared = update_organisation(
            provider, name=form.name.data.strip(), kind=ProviderKind(form.kind.data),
            insurance_declared=insurance,
            insurance_expires_on=form.insurance_expires_on.data if insurance else None,
            dbs_declared=dbs, dbs_expires_on=form.dbs_expires_on.data if dbs else None,
            cqc_location_id=(form.cqc_location_id.data or "").strip() or None,
            cqc_status=form.cqc_status.data or None,
            cqc_rating=CqcRating(form.cqc_rating.data) if form.cqc_rating.data else None,
            cqc_rating_date=form.cqc_rating_date.data if form.cqc_rating.data else None)
        db.session.commit()
        flash(_("Your organisation's details have been saved.") + (
            " " + _("The council will check what you changed.") if cleared else ""),
            "success")
        return redirect(url_for("storefront.dashboard"))
    return render_template("storefront/organisation.html", form=form, provider=provider), \
        _status(form)


@bp.route("/<int:provider_id>/logo", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def edit_logo(provider_id: int):
    provider, _member = provider_for_member(provider_id)
    form = LogoForm()
    max_bytes = uploads.describe_field(form.logo)
    if form.validate_on_submit():
        if not form.logo.data:
            form.logo.errors = [_("Choose a PNG or JPEG image to upload")]
        else:
            try:
                data, extension = uploads.read_image(form.logo.data, max_bytes)
            except uploads.UploadRefused as exc:
                form.logo.errors = [str(exc.message)]
            else:
                old = provider.logo_filename
                provider.logo_filename = uploads.store(uploads.LOGOS, data, extension)
                db.session.commit()
                uploads.discard(uploads.LOGOS, old)
                flash(_("Your logo has been uploaded."), "success")
                return redirect(url_for("storefront.dashboard"))
    return render_template("storefront/logo.html", form=form, provider=provider), \
        _status(form)


@bp.post("/<int:provider_id>/logo/remove")
@roles(Role.PROVIDER_STAFF)
def remove_logo(provider_id: int):
    provider, _member = provider_for_member(provider_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    old = provider.logo_filename
    provider.logo_filename = None
    db.session.commit()
    uploads.discard(uploads.LOGOS, old)
    flash(_("Your logo has been removed."), "success")
    return redirect(url_for("storefront.edit_logo", provider_id=provider.id))
