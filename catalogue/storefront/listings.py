"""Services: create, edit, preview, publish, pause and confirm "still accurate"."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from catalogue.completeness import service_completeness
from catalogue.models import Service, ServiceStatus, Unit
from catalogue.storefront import bp
from catalogue.storefront.access import now, provider_for_member, service_for_member
from catalogue.storefront.dashboard import service_state
from catalogue.storefront.operations import confirm_accurate, save_service, set_status
from catalogue.storefront.service_form import DAY_KEYS, PERIOD_SUFFIXES, ServiceForm
from catalogue.taxonomy import CATEGORIES, FundingStream
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.money import format_pence
from marketplace.security import roles


def _fill(form: ServiceForm, service: Service) -> None:
    """Put a service's values into the form (GET of the edit page)."""
    form.category.data = service.category
    form.unit.data = service.unit.value
    form.price.data = format_pence(service.price_pence).lstrip("£").replace(",", "")
    form.outcomes.data = list(service.outcomes or [])
    form.funding_streams.data = [s.value for s in service.stream_codes]
    filled: dict[int, int] = {}
    for slot in sorted(service.availability, key=lambda a: (a.weekday, a.starts_at)):
        n = filled.get(slot.weekday, 0)
        if n < len(PERIOD_SUFFIXES):  # the form has room for two periods a day
            key, suffix = DAY_KEYS[slot.weekday], PERIOD_SUFFIXES[n]
            form[f"{key}_from{suffix}"].data = slot.starts_at
            form[f"{key}_until{suffix}"].data = slot.ends_at
            filled[slot.weekday] = n + 1


def _save(form: ServiceForm, service: Service) -> None:
    save_service(
        service, now(), name=form.name.data, summary=form.summary.data,
        description=form.description.data, category=form.category.data,
        outcomes=form.outcomes.data or [], unit=Unit(form.unit.data),
        price_pence=form.price.pence, min_booking_units=form.min_booking_units.data,
        lead_time_days=form.lead_time_days.data,
        capacity_per_week=form.capacity_per_week.data, min_age=form.min_age.data,
        max_age=form.max_age.data, availability=form.availability(),
        funding_streams=[FundingStream(s) for s in form.funding_streams.data or []],
        regulated=form.regulated.data)


def _status(form) -> int:
    return 200 if request.method == "GET" or not form.errors else 400


@bp.route("/<int:provider_id>/services/new", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def new_service(provider_id: int):
    provider, _member = provider_for_member(provider_id)
    form = ServiceForm()
    if request.method == "GET":
        form.min_booking_units.data = 1
        form.lead_time_days.data = 0
    if form.validate_on_submit():
        service = Service(provider=provider, status=ServiceStatus.DRAFT)
        _save(form, service)
        db.session.add(service)
        db.session.commit()
        flash(_("The service has been saved as a draft. Preview it, then publish it when "
                "it is ready."), "success")
        return redirect(url_for("storefront.edit_service", service_id=service.id))
    return render_template("storefront/service_form.html", form=form, provider=provider,
                           service=None), _status(form)


@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def edit_service(service_id: int):
    service, _member = service_for_member(service_id)
    form = ServiceForm(obj=service)
    if request.method == "GET":
        _fill(form, service)
    if form.validate_on_submit():
        _save(form, service)
        db.session.commit()
        flash(_("The service has been saved."), "success")
        return redirect(url_for("storefront.edit_service", service_id=service.id))
    return render_template("storefront/service_form.html", form=form,
                           provider=service.provider, service=service,
                           state=service_state(service),
                           completeness=service_completeness(service)), _status(form)


@bp.get("/services/<int:service_id>/preview")
@roles(Role.PROVIDER_STAFF)
def preview_service(service_id: int):
    service, _member = service_for_member(service_id)
    category = CATEGORIES.get(service.category)
    parent = CATEGORIES.get(category.parent) if category and category.parent else None
    return render_template("storefront/preview.html", service=service,
                           provider=service.provider, category=category, parent=parent,
                           state=service_state(service))


def _action(service_id: int):
    service, _member = service_for_member(service_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return service


def _back(service: Service):
    target = request.form.get("back")
    if target == "dashboard":
        return redirect(url_for("storefront.dashboard"))
    return redirect(url_for("storefront.edit_service", service_id=service.id))


@bp.post("/services/<int:service_id>/publish")
@roles(Role.PROVIDER_STAFF)
def publish_service(service_id: int):
    service = _action(service_id)
    set_status(service, ServiceStatus.PUBLISHED, now())
    db.session.commit()
    if service.provider.is_public:
        flash(_("%(name)s is published and shown to the public.", name=service.name),
              "success")
    else:
        flash(_("%(name)s is published. It will be shown to the public once the council "
                "has approved your organisation.", name=service.name), "success")
    return _back(service)


@bp.post("/services/<int:service_id>/pause")
@roles(Role.PROVIDER_STAFF)
def pause_service(service_id: int):
    service = _action(service_id)
    set_status(service, ServiceStatus.PAUSED, now())
    db.session.commit()
    flash(_("%(name)s is paused: it is no longer shown to the public.", name=service.name),
          "success")
    return _back(service)


@bp.post("/services/<int:service_id>/confirm")
@roles(Role.PROVIDER_STAFF)
def confirm_service(service_id: int):
    service = _action(service_id)
    confirm_accurate(service, now())
    db.session.commit()
    flash(_("Thank you: %(name)s is confirmed as accurate today.", name=service.name),
          "success")
    return _back(service)
