"""Changing an order once placed: the person (or a representative with authority to
order) asks for new days or hours, pauses and restarts, gives notice and moves to
another provider; the provider confirms or declines a change. Each view calls one
service in ``ordering.changes``, commits once and redirects."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from catalogue.models import Service
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.roles import Role, Scope
from marketplace.db import db
from marketplace.money import format_pence
from marketplace.ordering import bp, changes, provider_bp
from marketplace.ordering.access import buyers_order, providers_order
from marketplace.ordering.change_models import ChangeStatus, OrderChange
from marketplace.ordering.changes import CHANGEABLE, ChangeProblem
from marketplace.ordering.forms import (
    ChangeForm,
    DecisionForm,
    MoveForm,
    PauseForm,
    line_message,
)
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.rules import line_problems
from marketplace.ordering.services import StaleOrder
from marketplace.security import person, roles, today


def _show_problem(form, problem: ChangeProblem, default: str) -> None:
    field = form[problem.field] if problem.field and problem.field in form else form[default]
    field.errors = [*field.errors, *[str(m) for m in problem.messages]]


def _back(order):
    return redirect(url_for("ordering.order", order_id=order.id))


def _status(form) -> int:
    return 200 if request.method == "GET" or not form.errors else 400


def _line_label(line) -> str:
    from catalogue.taxonomy import WEEKDAYS
    from marketplace.ordering.schedule import units_text

    days = ", ".join(str(WEEKDAYS[d]) for d in sorted(line.weekdays or []))
    return _("%(service)s: %(days)s, %(amount)s each visit", service=line.service_name,
             days=days, amount=units_text(line.quantity_hundredths))


@bp.route("/<int:order_id>/change", methods=["GET", "POST"])
@person(Scope.ORDER)
def change(order_id: int):
    found = buyers_order(order_id)
    lines = changes.recurring_lines(found, today())
    if found.status not in CHANGEABLE or not lines or found.ends_on is not None:
        flash(_("This order cannot be changed. You can order something new instead."), "info")
        return _back(found)
    form = ChangeForm(unit=lines[0].unit)
    form.line.choices = [SelectChoice(str(line.id), _line_label(line)) for line in lines]
    if request.method == "GET":
        first = lines[0]
        form.line.data = str(first.id)
        form.weekdays.data = [str(d) for d in first.weekdays or []]
        form.start_time.data, form.end_time.data = first.start_time, first.end_time
        form.quantity.data = f"{first.quantity_hundredths / 100:g}"
    if form.validate_on_submit():
        chosen = next((line for line in lines if str(line.id) == form.line.data), None)
        if chosen is None and len(lines) == 1:
            chosen = lines[0]
        if chosen is None:
            form.line.errors = [_("Select the support you want to change")]
        else:
            service = db.session.get(Service, chosen.service_id)
            problems = line_problems(
                unit=chosen.unit, recurring=True, quantity_hundredths=form.quantity.hundredths,
                starts_on=form.starts_on.data, ends_on=None, weekdays=form.weekday_numbers,
                start_time=form.start_time.data, end_time=form.end_time.data, today=today(),
                min_booking_units=service.min_booking_units)
            for name, problem in problems.items():
                form[name].errors = [*form[name].errors, line_message(
                    problem, chosen.unit, service.min_booking_units)]
            if not problems:
                try:
                    changes.request_change(
                        db.session, found, chosen, effective_on=form.starts_on.data,
                        weekdays=form.weekday_numbers, start_time=form.start_time.data,
                        end_time=form.end_time.data,
                        quantity_hundredths=form.quantity.hundredths, note=form.note.data,
                        user=current_user, acting_for=g.acting_for, today=today())
                except ChangeProblem as problem:
                    db.session.rollback()
                    _show_problem(form, problem, "starts_on")
                else:
                    db.session.commit()
                    flash(_("Your change has been sent to %(provider)s. Nothing changes until "
                            "they confirm it.", provider=found.provider.name), "success")
                    return _back(found)
    return render_template("ordering/change.html", order=found, form=form,
                           several=len(lines) > 1), _status(form)


@bp.route("/<int:order_id>/pause", methods=["GET", "POST"])
@person(Scope.ORDER)
def pause(order_id: int):
    found = buyers_order(order_id)
    if found.status is not OrderStatus.ACTIVE or found.ends_on is not None:
        flash(_("Only support that has started can be paused."), "info")
        return _back(found)
    form = PauseForm()
    if form.validate_on_submit():
        try:
            held = changes.pause(db.session, found, resumes_on=form.resumes_on.data,
                                 reason=form.reason.data, actor=Actor.BUYER,
                                 user=current_user, acting_for=g.acting_for, today=today())
        except ChangeProblem as problem:
            db.session.rollback()
            _show_problem(form, problem, "resumes_on")
        except StaleOrder:
            db.session.rollback()
            flash(_("The order changed while you were looking at it. Check it and try "
                    "again."), "info")
            return _back(found)
        else:
            db.session.commit()
            flash(_("Order %(reference)s is paused. %(amount)s has gone back to the budget.",
                    reference=found.reference, amount=format_pence(held.released_pence)),
                  "success")
            return _back(found)
    return render_template("ordering/pause.html", order=found, form=form), _status(form)


@bp.post("/<int:order_id>/resume")
@person(Scope.ORDER)
def resume(order_id: int):
    found = buyers_order(order_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        changes.resume(db.session, found, actor=Actor.BUYER, user=current_user,
                       acting_for=g.acting_for, today=today())
    except ChangeProblem as problem:
        db.session.rollback()
        flash(" ".join(str(m) for m in problem.messages), "info")
    except StaleOrder:
        db.session.rollback()
        flash(_("The order changed while you were looking at it."), "info")
    else:
        db.session.commit()
        flash(_("Support from order %(reference)s starts again today.",
                reference=found.reference), "success")
    return _back(found)


@bp.route("/<int:order_id>/move", methods=["GET", "POST"])
@person(Scope.ORDER)
def move(order_id: int):
    found = buyers_order(order_id)
    if found.status not in CHANGEABLE or found.ends_on is not None:
        flash(_("This order cannot be moved to another provider."), "info")
        return _back(found)
    candidates = changes.move_candidates(db.session, found, g.person, today())
    form = MoveForm()
    form.service.choices = [SelectChoice(str(s.id), _("%(service)s, %(provider)s",
                                                      service=s.name,
                                                      provider=s.provider.name))
                            for s in candidates]
    if form.validate_on_submit():
        service = next(s for s in candidates if str(s.id) == form.service.data)
        try:
            new = changes.move(db.session, found, service=service,
                               last_day=form.last_day.data, user=current_user,
                               acting_for=g.acting_for, today=today())
        except ChangeProblem as problem:
            db.session.rollback()
            _show_problem(form, problem, "last_day")
        except StaleOrder:
            db.session.rollback()
            flash(_("The order changed while you were looking at it."), "info")
            return _back(found)
        else:
            db.session.commit()
            flash(_("Order %(new)s with %(provider)s continues order %(old)s.",
                    new=new.reference, provider=service.provider.name, old=found.reference),
                  "success")
            return redirect(url_for("ordering.order", order_id=new.id))
    return render_template("ordering/move.html", order=found, form=form,
                           candidates=candidates), _status(form)


# --- the provider's answer to a change ------------------------------------------------

DECISIONS = [SelectChoice("accept", _l("Confirm the change")),
             SelectChoice("decline", _l("Decline the change"))]


@provider_bp.route("/changes/<int:change_id>", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def answer_change(change_id: int):
    found = db.session.get(OrderChange, change_id)
    if found is None:
        abort(404)
    order = providers_order(found.order_id)
    waiting = found.status is ChangeStatus.PENDING
    form = DecisionForm(choices=DECISIONS, refuse_value="decline")
    if waiting and form.validate_on_submit():
        try:
            changes.decide_change(db.session, found, accept=form.decision.data == "accept",
                                  reason=form.reason.data, user=current_user, today=today())
        except ChangeProblem as problem:
            db.session.rollback()
            form.decision.errors = [str(m) for m in problem.messages]
        else:
            db.session.commit()
            flash(_("Your answer about order %(reference)s has been sent.",
                    reference=order.reference), "success")
            return redirect(url_for("provider_orders.order", order_id=order.id))
    return render_template("ordering/answer_change.html", change=found, order=order,
                           form=form, waiting=waiting,
                           summary=changes.change_summary(found)), _status(form)
