"""The person's side: the basket, its lines, checkout, check answers and confirmation.

Every view is ``person(Scope.ORDER)``: the budget holder or self-funder themself, or a
representative acting for them with authority to order (``g.person``)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalogue import browse
from catalogue.models import Service
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.roles import Role, Scope
from marketplace.db import db
from marketplace.ordering import bp, checkout
from marketplace.ordering.basket import (
    add_line,
    basket_of,
    confirm_prices,
    line_of,
    quote_for,
    set_schedule,
    view_line,
)
from marketplace.ordering.forms import LineForm, line_message
from marketplace.ordering.rules import line_problems
from marketplace.ordering.schedule import Schedule, ScheduleKind
from marketplace.security import person, today


def current_lines():
    basket = basket_of(db.session, g.person)
    if basket is None:
        return []
    on = today()
    return [view_line(line, g.person, on, browse.state_of(line.service))
            for line in basket.lines]


@bp.app_context_processor
def _service_page_hook():
    """The catalogue's service page shows the partials in ``service_page_actions``
    (the catalogue never imports ordering): "Add to basket" and "Ask a question"."""
    return {"service_page_actions": ["ordering/_add_to_basket.html",
                                     "ordering/messages/_ask_provider.html"],
            "may_order_here": _may_order_here}


def _may_order_here() -> bool:
    if not current_user.is_authenticated:
        return False
    authority = g.get("acting_authority")
    if authority is not None:
        return authority.scope.covers(Scope.ORDER)
    return current_user.has_role(Role.BUDGET_HOLDER, Role.SELF_FUNDER)


def _status(form) -> int:
    return 200 if request.method == "GET" or not form.errors else 400


def _check_line(form: LineForm, service: Service) -> Schedule | None:
    """The schedule the form describes, or None after adding messages to its fields."""
    if not form.validate_on_submit():
        return None
    recurring = form.recurring
    problems = line_problems(
        unit=service.unit, recurring=recurring, quantity_hundredths=form.quantity.hundredths,
        starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        weekdays=form.weekday_numbers, start_time=form.start_time.data,
        end_time=form.end_time.data, today=today(),
        min_booking_units=service.min_booking_units)
    for name, problem in problems.items():
        form[name].errors = [*form[name].errors,
                             line_message(problem, service.unit, service.min_booking_units)]
    if problems:
        return None
    return Schedule(kind=ScheduleKind(form.kind.data), starts_on=form.starts_on.data,
                    quantity_hundredths=form.quantity.hundredths,
                    ends_on=form.ends_on.data if recurring else None,
                    weekdays=frozenset(form.weekday_numbers) if recurring else frozenset(),
                    start_time=form.start_time.data, end_time=form.end_time.data)


def _orderable_service_or_404(service_id: int) -> Service:
    service = db.session.get(Service, service_id)
    if service is None or not browse.state_of(service).public:
        abort(404)
    return service


@bp.get("/basket")
@person(Scope.ORDER)
def basket():
    lines = current_lines()
    return render_template("ordering/basket.html", groups=checkout.group_by_provider(lines),
                           problems=checkout.problems_with(lines, today()), lines=lines,
                           form=ActionForm())


@bp.route("/basket/add/<int:service_id>", methods=["GET", "POST"])
@person(Scope.ORDER)
def add(service_id: int):
    service = _orderable_service_or_404(service_id)
    quote = quote_for(service, g.person, today())
    form = LineForm(unit=service.unit)
    if request.method == "GET":
        form.kind.data = ScheduleKind.RECURRING.value
    schedule = _check_line(form, service)
    if schedule is not None:
        add_line(db.session, g.person, service, schedule, quote.pence)
        db.session.commit()
        flash(_("%(service)s has been added to the basket.", service=service.name), "success")
        return redirect(url_for("ordering.basket"))
    return render_template("ordering/line_form.html", form=form, service=service, quote=quote,
                           line=None), _status(form)


@bp.route("/basket/lines/<int:line_id>", methods=["GET", "POST"])
@person(Scope.ORDER)
def edit_line(line_id: int):
    line = line_of(db.session, g.person, line_id)
    if line is None:
        abort(404)
    service = line.service
    quote = quote_for(service, g.person, today())
    form = LineForm(unit=service.unit)
    if request.method == "GET":
        form.kind.data = line.kind.value
        form.starts_on.data, form.ends_on.data = line.starts_on, line.ends_on
        form.weekdays.data = [str(d) for d in line.weekdays or []]
        form.start_time.data, form.end_time.data = line.start_time, line.end_time
        form.quantity.data = f"{line.quantity_hundredths / 100:g}"
    schedule = _check_line(form, service)
    if schedule is not None:
        set_schedule(line, schedule)
        db.session.commit()
        flash(_("The basket has been updated."), "success")
        return redirect(url_for("ordering.basket"))
    return render_template("ordering/line_form.html", form=form, service=service, quote=quote,
                           line=line), _status(form)


@bp.post("/basket/lines/<int:line_id>/remove")
@person(Scope.ORDER)
def remove_line(line_id: int):
    line = line_of(db.session, g.person, line_id)
    if line is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    name = line.service.name
    db.session.delete(line)
    db.session.commit()
    flash(_("%(service)s has been removed from the basket.", service=name), "success")
    return redirect(url_for("ordering.basket"))


@bp.post("/basket/confirm-prices")
@person(Scope.ORDER)
def confirm_new_prices():
    if not ActionForm().validate_on_submit():
        abort(400)
    changed = confirm_prices(current_lines())
    db.session.commit()
    if changed:
        flash(_("You have confirmed the new prices."), "success")
    return redirect(url_for("ordering.basket"))
