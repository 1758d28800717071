"""Community organisers: their home (``home.community`` renders ``dashboard``), the
organisation's details, listings (add, edit, still accurate, withdraw, put back),
their dates and times, and their places. Every view is for community organisers
and then checks they belong to the organisation concerned (``access``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from catalogue.community import operations as ops
from catalogue.community.access import (
    listing_for_organiser,
    now,
    organisation_for_organiser,
    place_for_organiser,
    schedule_for_organiser,
    state_of,
)
from catalogue.community.forms import ListingForm, OrganisationForm, PlaceForm, ScheduleForm
from catalogue.community.schedules import next_occurrences
from catalogue.models import (
    CommunityKind,
    CommunityListing,
    CommunityLocation,
    CommunityOrganisation,
    CommunityOrganiser,
    CommunityReport,
    CommunitySchedule,
    ReportStatus,
)
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.money import format_pence
from marketplace.security import roles, today

bp = Blueprint("community_organiser", __name__, url_prefix="/community")


def _status(form) -> int:
    return 200 if request.method == "GET" or not form.errors else 400


def render_dashboard():
    """The organiser's home page (the ``home.community`` route)."""
    organisations = db.session.scalars(
        select(CommunityOrganisation).join(CommunityOrganiser)
        .where(CommunityOrganiser.user_id == current_user.id)
        .options(selectinload(CommunityOrganisation.listings)
                 .selectinload(CommunityListing.schedules))
        .order_by(CommunityOrganisation.name)).all()
    on = today()
    open_reports = dict(db.session.execute(
        select(CommunityReport.listing_id, func.count(CommunityReport.id))
        .join(CommunityListing).join(CommunityOrganiser, CommunityOrganiser.organisation_id
                                     == CommunityListing.organisation_id)
        .where(CommunityOrganiser.user_id == current_user.id,
               CommunityReport.status == ReportStatus.OPEN)
        .group_by(CommunityReport.listing_id)).all())
    rows = {org.id: [(listing, state_of(listing), next_occurrences(listing.schedules, on, 1),
                      open_reports.get(listing.id, 0)) for listing in org.listings]
            for org in organisations}
    return render_template("community/dashboard.html", organisations=organisations, rows=rows)


def _place_choices(form: ListingForm, organisation: CommunityOrganisation) -> None:
    form.places.choices = [(str(p.id), p.name + (f" ({p.postcode})" if p.postcode else ""))
                           for p in organisation.locations]


def _chosen_places(form: ListingForm, organisation: CommunityOrganisation):
    wanted = set(form.places.data or [])
    places = [p for p in organisation.locations if str(p.id) in wanted]
    if form.new_place_given():
        place = ops.save_place(CommunityLocation(organisation=organisation),
                               name=form.place_name.data, address_1=form.place_address_1.data,
                               address_2=form.place_address_2.data,
                               city=form.place_city.data, postcode=form.place_postcode.data)
        places.append(place)
    return places


def _values(form: ListingForm) -> dict:
    return {
        "name": form.name.data, "summary": form.summary.data,
        "description": form.description.data or "", "kind": CommunityKind(form.kind.data),
        "category": form.category.data, "cost_pence": form.cost_pence,
        "cost_description": form.cost_description.data or "",
        "min_age": form.min_age.data, "max_age": form.max_age.data,
        "needs": list(form.needs.data or []), "circumstances": list(form.circumstances.data or []),
        "accessibility": list(form.accessibility.data or []),
        "accessibility_notes": form.accessibility_notes.data or "",
        "languages": list(form.languages.data or []), "email": form.email.data or "",
        "phone": form.phone.data or "", "website": form.website.data or "",
    }


@bp.route("/organisations/<int:organisation_id>/listings/new", methods=["GET", "POST"])
@roles(Role.COMMUNITY_ORGANISER)
def new_listing(organisation_id: int):
    organisation = organisation_for_organiser(organisation_id)
    form = ListingForm()
    _place_choices(form, organisation)
    if request.method == "GET":
        form.cost.data = "free"
        form.languages.data = ["en"]
    if form.validate_on_submit():
        listing = ops.create_listing(db.session, organisation, current_user, now(),
                                     _chosen_places(form, organisation), **_values(form))
        db.session.commit()
        flash(_("%(name)s is saved and sent to the council for approval. Now add when it "
                "happens.", name=listing.name), "success")
        return redirect(url_for("community_organiser.new_schedule", listing_id=listing.id))
    return render_template("community/listing_form.html", form=form, organisation=organisation,
                           listing=None), _status(form)


@bp.route("/listings/<int:listing_id>/edit", methods=["GET", "POST"])
@roles(Role.COMMUNITY_ORGANISER)
def edit_listing(listing_id: int):
    listing = listing_for_organiser(listing_id)
    organisation = listing.organisation
    form = ListingForm(obj=listing)
    _place_choices(form, organisation)
    if request.method == "GET":
        form.kind.data = listing.kind.value
        form.cost.data = "free" if listing.is_free else "charge"
        form.charge.data = ("" if listing.is_free
                            else format_pence(listing.cost_pence).lstrip("£").replace(",", ""))
        form.places.data = [str(link.location_id) for link in listing.locations]
    if form.validate_on_submit():
        changes = ops.update_listing(db.session, listing, current_user, now(),
                                     places=_chosen_places(form, organisation), **_values(form))
        db.session.commit()
        if changes and listing.status.value == "published":
            flash(_("Your changes are saved and shown. The council will look at them."),
                  "success")
        elif changes:
            flash(_("Your changes are saved and sent to the council for approval."),
                  "success")
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(url_for("community_organiser.listing", listing_id=listing.id))
    return render_template("community/listing_form.html", form=form, organisation=organisation,
                           listing=listing), _status(form)


@bp.get("/listings/<int:listing_id>")
@roles(Role.COMMUNITY_ORGANISER)
def listing(listing_id: int):
    found = listing_for_organiser(listing_id)
    reports = db.session.scalars(select(CommunityReport).where(
        CommunityReport.listing_id == found.id).order_by(CommunityReport.created_at.desc())
        .limit(50)).all()
    return render_template("community/organiser_listing.html", listing=found,
                           state=state_of(found), reports=reports,
                           upcoming=next_occurrences(found.schedules, today(), 6))


def _action(listing_id: int) -> CommunityListing:
    found = listing_for_organiser(listing_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return found


@bp.route("/listings/<int:listing_id>/confirm", methods=["GET", "POST"])
@roles(Role.COMMUNITY_ORGANISER)
def confirm(listing_id: int):
    """The reminder e-mail links here: one button, "Yes, it is still accurate"."""
    if request.method == "GET":
        found = listing_for_organiser(listing_id)
        return render_template("community/confirm.html", listing=found, state=state_of(found),
                               upcoming=next_occurrences(found.schedules, today(), 3))
    found = _action(listing_id)
    ops.confirm_accurate(found, now())
    db.session.commit()
    flash(_("Thank you: %(name)s is confirmed as accurate today.", name=found.name), "success")
    if request.form.get("back") == "listing":
        return redirect(url_for("community_organiser.listing", listing_id=found.id))
    return redirect(url_for("home.community"))


@bp.post("/listings/<int:listing_id>/withdraw")
@roles(Role.COMMUNITY_ORGANISER)
def withdraw(listing_id: int):
    found = _action(listing_id)
    try:
        ops.withdraw(found)
    except ops.Refused as exc:
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("%(name)s is withdrawn: it is no longer shown to the public.", name=found.name),
              "success")
    return redirect(url_for("community_organiser.listing", listing_id=found.id))


@bp.post("/listings/<int:listing_id>/republish")
@roles(Role.COMMUNITY_ORGANISER)
def republish(listing_id: int):
    found = _action(listing_id)
    try:
        ops.republish(db.session, found, current_user, now())
    except ops.Refused as exc:
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("%(name)s is back.", name=found.name), "success")
    return redirect(url_for("community_organiser.listing", listing_id=found.id))


@bp.route("/listings/<int:listing_id>/schedules/new", methods=["GET", "POST"])
@roles(Role.COMMUNITY_ORGANISER)
def new_schedule(listing_id: int):
    found = listing_for_organiser(listing_id)
    form = ScheduleForm()
    if request.method == "GET":
        form.every_weeks.data = "1"
    if form.validate_on_submit():
        ops.save_schedule(db.session, found, CommunitySchedule(), current_user, now(),
                          **form.values())
        db.session.commit()
        flash(_("The dates and times are saved."), "success")
        return redirect(url_for("community_organiser.listing", listing_id=found.id))
    return render_template("community/schedule_form.html", form=form, listing=found,
                           schedule=None), _status(form)


@bp.route("/schedules/<int:schedule_id>/edit", methods=["GET", "POST"])
@roles(Role.COMMUNITY_ORGANISER)
def edit_schedule(schedule_id: int):
    schedule = schedule_for_organiser(schedule_id)
    form = ScheduleForm()
    if request.method == "GET":
        form.fill(schedule)
    if form.validate_on_submit():
        ops.save_schedule(db.session, schedule.listing, schedule, current_user, now(),
                          **form.values())
        db.session.commit()
        flash(_("The dates and times are saved."), "success")
        return redirect(url_for("community_organiser.listing", listing_id=schedule.listing_id))
    return render_template("community/schedule_form.html", form=form, listing=schedule.listing,
                           schedule=schedule), _status(form)


@bp.post("/schedules/<int:schedule_id>/delete")
@roles(Role.COMMUNITY_ORGANISER)
def delete_schedule(schedule_id: int):
    schedule = schedule_for_organiser(schedule_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    listing_id = schedule.listing_id
    ops.delete_schedule(db.session, schedule, current_user, now())
    db.session.commit()
    flash(_("Those dates and times are removed."), "success")
    return redirect(url_for("community_organiser.listing", listing_id=listing_id))


@bp.route("/places/<int:place_id>/edit", methods=["GET", "POST"])
@roles(Role.COMMUNITY_ORGANISER)
def edit_place(place_id: int):
    place = place_for_organiser(place_id)
    form = PlaceForm(obj=place)
    if form.validate_on_submit():
        ops.save_place(place, name=form.name.data, address_1=form.address_1.data,
                       address_2=form.address_2.data, city=form.city.data,
                       postcode=form.postcode.data)
        db.session.commit()
        flash(_("The place is saved."), "success")
        return redirect(url_for("community_organiser.organisation",
                                organisation_id=place.organisation_id))
    return render_template("community/place_form.html", form=form, place=place), _status(form)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@roles(Role.COMMUNITY_ORGANISER)
def organisation(organisation_id: int):
    found = organisation_for_organiser(organisation_id)
    form = OrganisationForm(obj=found)
    if form.validate_on_submit():
        found.description = (form.description.data or "").strip()
        found.email = (form.email.data or "").strip() or None
        found.phone = (form.phone.data or "").strip() or None
        found.website = (form.website.data or "").strip() or None
        found.postcode = form.postcode.data or None
        db.session.commit()
        flash(_("Your organisation's details are saved."), "success")
        return redirect(url_for("community_organiser.organisation", organisation_id=found.id))
    places = db.session.scalars(select(CommunityLocation).where(
        CommunityLocation.organisation_id == found.id).order_by(CommunityLocation.name)).all()
    return render_template("community/organisation.html", form=form, organisation=found,
                           places=places), _status(form)
