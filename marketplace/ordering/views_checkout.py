"""Checkout: how to pay each provider, check answers, and the confirmation.

The choices made on the first page wait in the session until the person confirms
on the check-answers page; that page carries the checkout key, so whatever happens
to the request (a double click, back and resubmit, a retry) it places the orders once.
"""

from __future__ import annotations

import secrets

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from catalogue.search.events import note_ordered
from catalogue.taxonomy import FundingStream
from marketplace.accounts.roles import Scope
from marketplace.db import db
from marketplace.money import format_pence
from marketplace.ordering import bp, checkout, funding
from marketplace.ordering.checkout import CheckoutProblem, PaymentChoice
from marketplace.ordering.forms import ConfirmForm, checkout_form
from marketplace.ordering.models import PaymentMethod
from marketplace.ordering.views_buyer import current_lines
from marketplace.security import person, today

SESSION_KEY = "ordering_checkout"


def payment_options(group) -> dict[str, tuple[str, PaymentChoice]]:
    """value -> (label, choice) of every way this person may pay this provider."""
    on = today()
    budgets = funding.usable_budgets(db.session, g.person, on)
    options: dict[str, tuple[str, PaymentChoice]] = {}
    for budget in budgets:
        for stream in funding.streams_for(budget, group.services):
            available = funding.available_pence(db.session, budget, stream)
            where = _("%(budget)s, %(stream)s", budget=budget.name, stream=stream.label)
            if available is not None:
                where = _("%(where)s (%(amount)s available)", where=where,
                          amount=format_pence(available))
            options[f"budget-{budget.id}-{stream.value}"] = (
                where, PaymentChoice(PaymentMethod.BUDGET, budget.id, stream.value))
            options[f"split-{budget.id}-{stream.value}"] = (
                _("Part from %(where)s, part my own money", where=where),
                PaymentChoice(PaymentMethod.SPLIT, budget.id, stream.value))
    if funding.may_pay_by_card(g.person, budgets):
        options["card"] = (_("By card (you will be asked for the card details later)"),
                           PaymentChoice(PaymentMethod.CARD))
    return options


def _saved_choices() -> dict[int, PaymentChoice]:
    saved = session.get(SESSION_KEY) or {}
    if saved.get("person") != g.person.id:
        return {}
    choices = {}
    for provider_id, (method, budget_id, stream, contribution) in saved.get("choices",
                                                                             {}).items():
        choices[int(provider_id)] = PaymentChoice(PaymentMethod(method), budget_id, stream,
                                                  contribution)
    return choices


def _problems_redirect(lines):
    problems = checkout.problems_with(lines, today())
    if not lines:
        flash(_("Your basket is empty."), "info")
        return redirect(url_for("ordering.basket"))
    if problems:
        return redirect(url_for("ordering.basket"))
    return None


@bp.route("/checkout", methods=["GET", "POST"])
@person(Scope.ORDER)
def checkout_page():
    lines = current_lines()
    stop = _problems_redirect(lines)
    if stop is not None:
        return stop
    groups = checkout.group_by_provider(lines)
    options = {group.provider_id: payment_options(group) for group in groups}
    form_class = checkout_form(groups, {pid: [SelectChoice(value, label) for value, (label, _c)
                                              in opts.items()] for pid, opts in options.items()})
    form = form_class()
    if request.method == "GET":
        for provider_id, choice in _saved_choices().items():
            for value, (_label, option) in options.get(provider_id, {}).items():
                if (option.method, option.budget_id, option.stream) == (
                        choice.method, choice.budget_id, choice.stream):
                    form[f"pay_{provider_id}"].data = value
    if form.validate_on_submit():
        chosen, valid = {}, True
        for group in groups:
            option = options[group.provider_id][form[f"pay_{group.provider_id}"].data][1]
            field = form[f"contribution_{group.provider_id}"]
            contribution = 0
            if option.method is PaymentMethod.SPLIT:
                if not field.pence:
                    field.errors = [_("Enter how much you will pay yourself, like 25.00")]
                    valid = False
                contribution = field.pence or 0
            chosen[str(group.provider_id)] = [option.method.value, option.budget_id,
                                              option.stream, contribution]
        if valid:
            session[SESSION_KEY] = {"person": g.person.id, "choices": chosen,
                                    "key": secrets.token_urlsafe(24)}
            return redirect(url_for("ordering.check_answers"))
    status = 200 if request.method == "GET" else 400
    return render_template("ordering/checkout.html", form=form, groups=groups,
                           options=options), status


def _summaries(groups, choices):
    """For each provider: the group, the way to pay, the budget and the total."""
    on = today()
    rows = []
    for group in groups:
        choice = choices.get(group.provider_id)
        if choice is None:
            return None
        budget = funding.budget_of(db.session, g.person, choice.budget_id, on)
        if choice.method is not PaymentMethod.CARD and budget is None:
            return None
        total = checkout.group_total(group, budget, on)
        rows.append({"group": group, "choice": choice, "budget": budget, "total": total,
                     "stream": FundingStream(choice.stream) if choice.stream else None,
                     "horizon": checkout.horizon(group, budget, on)})
    return rows


@bp.route("/checkout/check", methods=["GET", "POST"])
@person(Scope.ORDER)
def check_answers():
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        placed = checkout.orders_for_key(db.session, form.checkout_key.data)
        if placed and all(o.buyer_id == g.person.id for o in placed):
            return redirect(url_for("ordering.placed", checkout_key=form.checkout_key.data))
    lines = current_lines()
    stop = _problems_redirect(lines)
    if stop is not None:
        return stop
    groups = checkout.group_by_provider(lines)
    saved = session.get(SESSION_KEY) or {}
    choices = _saved_choices()
    summaries = _summaries(groups, choices)
    if summaries is None:
        return redirect(url_for("ordering.checkout_page"))
    error = None
    if request.method == "POST":
        if not form.validate_on_submit() or form.checkout_key.data != saved.get("key"):
            abort(400)
        try:
            orders = checkout.place_orders(
                db.session, person=g.person, placed_by=current_user, acting_for=g.acting_for,
                lines=lines, choices=choices, checkout_key=form.checkout_key.data,
                today=today())
            note_ordered(db.session, [line.service_id for o in orders for line in o.lines])
            db.session.commit()
        except CheckoutProblem as problem:
            db.session.rollback()
            error = problem.messages
        except IntegrityError:  # the same checkout, placed by a request running alongside
            db.session.rollback()
            return redirect(url_for("ordering.placed", checkout_key=form.checkout_key.data))
        else:
            session.pop(SESSION_KEY, None)
            return redirect(url_for("ordering.placed", checkout_key=orders[0].checkout_key))
    form.checkout_key.data = saved.get("key")
    return render_template("ordering/check.html", form=form, summaries=summaries,
                           problems=error), (400 if error else 200)


@bp.get("/placed/<checkout_key>")
@person(Scope.VIEW)
def placed(checkout_key: str):
    orders = [o for o in checkout.orders_for_key(db.session, checkout_key[:64])
              if o.buyer_id == g.person.id]
    if not orders:
        abort(404)
    return render_template("ordering/placed.html", orders=orders)
