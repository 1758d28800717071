"""Provider staff: an order's visits, recording a visit or a missed one, and the queue
of disputed visits with closing a dispute."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.ordering.access import member_provider_ids, providers_order
from marketplace.ordering.deliveries import provider_bp, rules
from marketplace.ordering.deliveries.access import providers_record
from marketplace.ordering.deliveries.forms import (
    MissedForm,
    ResolveForm,
    VisitForm,
    show_problems,
)
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus, DisputeOutcome
from marketplace.ordering.deliveries.services import (
    RECORDABLE,
    DeliveryProblem,
    NotAnswerable,
    OrderNotOpen,
    mark_missed,
    record_visit,
    recorded_dates,
    resolve,
)
from marketplace.ordering.lifecycle import InvalidTransition, NotAllowed
from marketplace.ordering.services import StaleOrder
from marketplace.security import roles, today

LOCAL = ZoneInfo("Europe/London")


def records_of(order_id: int) -> list[DeliveryRecord]:
    return list(db.session.scalars(select(DeliveryRecord).where(
        DeliveryRecord.order_id == order_id).order_by(
        DeliveryRecord.occurred_on.desc(), DeliveryRecord.id.desc())))


def due_visits(order) -> list[tuple]:
    """(line, occurrence) for scheduled visits up to today that have no record."""
    if order.status not in RECORDABLE:
        return []
    on = today()
    found = [(line, occurrence) for line in order.lines
             for occurrence in rules.due(line.id, line.schedule, on,
                                         recorded_dates(db.session, line.id))]
    return sorted(found, key=lambda pair: (pair[1].on, pair[0].id), reverse=True)


def now_if_today(on: date) -> time | None:
    """The time of day when the app's today is the real today (tests may move it)."""
    real = datetime.now(LOCAL)
    return real.time().replace(second=0, microsecond=0) if real.date() == on else None


@provider_bp.get("/<int:order_id>/visits")
@roles(Role.PROVIDER_STAFF)
def visits(order_id: int):
    order = providers_order(order_id)
    return render_template("ordering/deliveries/provider_visits.html", order=order,
                           records=records_of(order.id), due=due_visits(order),
                           recordable=order.status in RECORDABLE)


def _line_choices(order) -> list[SelectChoice]:
    return [SelectChoice(str(line.id), line.service_name) for line in order.lines]


def _prefill(order) -> dict:
    """The line and date from the "visits to record" link (?line=&on=), if they fit."""
    values = {}
    raw_line, raw_on = request.args.get("line", ""), request.args.get("on", "")
    line = next((line for line in order.lines if str(line.id) == raw_line), None)
    if line is None and len(order.lines) == 1:
        line = order.lines[0]
    if line is not None:
        values.update(line=str(line.id), starts_at=line.start_time, ends_at=line.end_time)
    try:
        values["occurred_on"] = date.fromisoformat(raw_on[:10]) if raw_on else None
    except ValueError:
        values["occurred_on"] = None
    return values


def _open_or_redirect(order):
    if order.status in RECORDABLE:
        return None
    flash(_("Visits can only be recorded while the order is accepted or active."), "info")
    return redirect(url_for("provider_deliveries.visits", order_id=order.id))


@provider_bp.route("/<int:order_id>/visits/new", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def record(order_id: int):
    order = providers_order(order_id)
    refused = _open_or_redirect(order)
    if refused:
        return refused
    form = VisitForm(data=_prefill(order) if request.method == "GET" else None)
    form.line.choices = _line_choices(order)
    if form.validate_on_submit():
        on = form.occurred_on.data
        try:
            record_visit(db.session, order, int(form.line.data), on=on,
                         starts_at=form.starts_at.data, ends_at=form.ends_at.data,
                         worker_first_name=form.worker_first_name.data,
                         notes=form.notes.data, user=current_user, today=today(),
                         now=now_if_today(on))
        except DeliveryProblem as exc:
            db.session.rollback()
            show_problems(form, exc.problems)
        except (OrderNotOpen, StaleOrder, InvalidTransition, NotAllowed):
            db.session.rollback()
            flash(_("The order changed while you were recording the visit. Check it and "
                    "try again."), "info")
            return redirect(url_for("provider_deliveries.visits", order_id=order.id))
        else:
            db.session.commit()
            flash(_("The visit on %(date)s has been recorded.", date=_long(on)), "success")
            return redirect(url_for("provider_deliveries.visits", order_id=order.id))
    status = 400 if request.method == "POST" else 200
    return render_template("ordering/deliveries/record.html", order=order, form=form), status


@provider_bp.route("/<int:order_id>/visits/missed", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def missed(order_id: int):
    order = providers_order(order_id)
    refused = _open_or_redirect(order)
    if refused:
        return refused
    values = _prefill(order) if request.method == "GET" else {}
    values.pop("starts_at", None), values.pop("ends_at", None)
    form = MissedForm(data=values or None)
    form.line.choices = _line_choices(order)
    if form.validate_on_submit():
        on = form.occurred_on.data
        try:
            mark_missed(db.session, order, int(form.line.data), on=on, reason=form.reason.data,
                        user=current_user, today=today())
        except DeliveryProblem as exc:
            db.session.rollback()
            show_problems(form, exc.problems)
        except OrderNotOpen:
            db.session.rollback()
            return _open_or_redirect(order)
        else:
            db.session.commit()
            flash(_("The visit on %(date)s has been marked as missed.", date=_long(on)),
                  "success")
            return redirect(url_for("provider_deliveries.visits", order_id=order.id))
    status = 400 if request.method == "POST" else 200
    return render_template("ordering/deliveries/missed.html", order=order, form=form), status


def _long(day: date) -> str:
    from flask_babel import format_date

    return format_date(day, "d MMMM yyyy")


def dispute_state() -> str:
    state = request.args.get("state", "open")
    return state if state in ("open", "closed") else "open"


def disputes_query(state: str):
    wanted = DeliveryStatus.DISPUTED if state == "open" else DeliveryStatus.RESOLVED
    return select(DeliveryRecord).where(DeliveryRecord.status == wanted).order_by(
        DeliveryRecord.answered_at.desc(), DeliveryRecord.id.desc()).limit(200)


@provider_bp.get("/disputes")
@roles(Role.PROVIDER_STAFF)
def disputes():
    state = dispute_state()
    records = db.session.scalars(disputes_query(state).where(
        DeliveryRecord.provider_id.in_(member_provider_ids() or [-1]))).all()
    return render_template("ordering/deliveries/disputes.html", records=records, state=state,
                           queue_endpoint="provider_deliveries.disputes",
                           record_endpoint="provider_deliveries.resolve_dispute")


def resolve_view(record, template_back: str):
    """The record, and the form that closes its dispute (provider and council alike)."""
    form = ResolveForm()
    disputed = record.status is DeliveryStatus.DISPUTED
    if not disputed and request.method == "POST":
        flash(_("This dispute is already closed."), "info")
        return redirect(request.path)
    if disputed and form.validate_on_submit():
        try:
            resolve(db.session, record, outcome=DisputeOutcome(form.outcome.data),
                    note=form.resolution.data, user=current_user)
        except NotAnswerable:
            db.session.rollback()
            flash(_("This dispute is already closed."), "info")
        else:
            db.session.commit()
            flash(_("The dispute has been closed. The person has been told."), "success")
        return redirect(url_for(template_back, state="closed"))
    status = 400 if request.method == "POST" else 200
    return render_template("ordering/deliveries/resolve.html", record=record, form=form,
                           disputed=disputed, back=template_back), status


@provider_bp.route("/visits/<int:delivery_id>/resolve", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def resolve_dispute(delivery_id: int):
    record = providers_record(delivery_id)
    if record.status not in (DeliveryStatus.DISPUTED, DeliveryStatus.RESOLVED):
        abort(404)
    return resolve_view(record, "provider_deliveries.disputes")
