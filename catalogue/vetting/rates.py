"""Council rate cards: the rates a council agreed for a service, adding one (never
overlapping another of the same council), and ending one early.

Officers see and agree rates for their own council; administrators for any council.
What the council's people pay today comes from ``catalogue.pricing.price_for``, the
same function every price on the site goes through.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from catalogue.models import CouncilRate, Service
from catalogue.pricing import RateTerm, price_for
from catalogue.vetting import bp
from catalogue.vetting.access import officer_councils, provider_for_review
from catalogue.vetting.forms import EndRateForm, RateForm
from catalogue.vetting.operations import RateRefused, add_rate, end_rate
from marketplace.accounts.models import Council
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.security import roles, today


def _councils() -> list[Council]:
    """The councils the current person may agree rates for."""
    ids = officer_councils()
    query = select(Council).order_by(Council.name)
    if ids is not None:
        query = query.where(Council.id.in_(ids))
    return list(db.session.scalars(query))


def _service_for_rates(service_id: int) -> Service:
    service = db.session.get(Service, service_id)
    if service is None:
        abort(404)
    provider_for_review(service.provider_id)
    return service


def _rate_form(councils: list[Council]) -> RateForm:
    form = RateForm()
    if len(councils) > 1:
        form.council.choices = [SelectChoice("", _("Choose a council"))] + [
            SelectChoice(str(c.id), c.name) for c in councils]
    else:
        del form.council
    return form


def _quotes(service: Service, councils: list[Council]) -> list[tuple[Council, object]]:
    """What each council's funded people pay for the service today."""
    terms = [RateTerm(r.council_id, r.rate_pence, r.starts_on, r.ends_on)
             for r in service.council_rates]
    return [(c, price_for(service.price_pence, terms, {c.id}, today())) for c in councils]


@bp.route("/services/<int:service_id>/rates", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def rates(service_id: int):
    service = _service_for_rates(service_id)
    councils = _councils()
    form = _rate_form(councils)
    if form.validate_on_submit():
        council_id = int(form.council.data) if "council" in form else (
            councils[0].id if councils else None)
        if council_id is None:
            abort(403)
        try:
            add_rate(db.session, service, council_id=council_id, rate_pence=form.rate.pence,
                     starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                     officer=current_user)
        except RateRefused as exc:
            db.session.rollback()
            form.starts_on.errors = [str(exc.message)]
        else:
            db.session.commit()
            flash(_("The rate has been added."), "success")
            return redirect(url_for("vetting.rates", service_id=service.id))
    visible = {c.id for c in councils}
    council_names = {c.id: c.name for c in councils}
    shown = sorted((r for r in service.council_rates if r.council_id in visible),
                   key=lambda r: (council_names[r.council_id], r.starts_on))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("vetting/rates.html", service=service, provider=service.provider,
                           form=form, rates=shown, council_names=council_names,
                           quotes=_quotes(service, councils), today=today()), status


@bp.route("/rates/<int:rate_id>/end", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def end_rate_early(rate_id: int):
    rate = db.session.get(CouncilRate, rate_id)
    if rate is None:
        abort(404)
    councils = officer_councils()
    if councils is not None and rate.council_id not in councils:
        abort(403)
    service = _service_for_rates(rate.service_id)
    form = EndRateForm()
    if request.method == "GET":
        form.ends_on.data = max(today(), rate.starts_on)
    if form.validate_on_submit():
        try:
            end_rate(rate, form.ends_on.data, today())
        except RateRefused as exc:
            form.ends_on.errors = [str(exc.message)]
        else:
            db.session.commit()
            flash(_("The rate now ends on %(date)s.",
                    date=format_date(rate.ends_on, "d MMMM yyyy")), "success")
            return redirect(url_for("vetting.rates", service_id=service.id))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("vetting/end_rate.html", form=form, rate=rate, service=service,
                           council=db.session.get(Council, rate.council_id)), status
