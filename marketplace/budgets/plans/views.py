"""The person's support plan pages: the steps, the draft, sending it to the council.

Reading a plan needs ``Scope.VIEW``; writing it (drafting, adding or removing
outcomes and risks, sending it for agreement, starting a new version) needs
``Scope.ORDER``: a support plan decides how the money will be spent, which is the
same trust as ordering support, but it moves no money, so ``Scope.MONEY`` would
shut out family carers who help plan and order but do not manage the account.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from catalogue.taxonomy import CATEGORIES, Outcome
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.roles import Scope
from marketplace.budgets.plans import bp, rules, services
from marketplace.budgets.plans.access import budgets_of, own_plan
from marketplace.budgets.plans.forms import NewPlanForm, OutcomeForm, RiskForm
from marketplace.budgets.plans.models import PlanStatus
from marketplace.budgets.plans.steps import steps_for
from marketplace.db import db
from marketplace.security import person

NO_BUDGET = "none"


@bp.app_template_filter("category_name")
def category_name(slug: str | None) -> str:
    category = CATEGORIES.get(slug or "")
    return str(category.name) if category else _("Other support")


def _status(form) -> int:
    return 200 if request.method == "GET" or not form.errors else 400


def _may_write() -> bool:
    authority = g.get("acting_authority")
    return authority is None or authority.scope.covers(Scope.ORDER)


@bp.get("/")
@person(Scope.VIEW)
def index():
    plans = services.plans_of(db.session, g.person)
    return render_template("plans/index.html", plans=plans, holder=g.person,
                           may_write=_may_write())


@bp.route("/new", methods=["GET", "POST"])
@person(Scope.ORDER)
def new():
    budgets = budgets_of(g.person.id)
    form = NewPlanForm()
    form.budget.choices = [SelectChoice(str(b.id), b.name) for b in budgets] + [
        SelectChoice(NO_BUDGET, _("Not linked to a budget yet"))]
    if request.method == "GET":
        form.budget.data = str(budgets[0].id) if budgets else NO_BUDGET
    if form.validate_on_submit():
        budget_id = None if form.budget.data == NO_BUDGET else int(form.budget.data)
        budget = next((b for b in budgets if b.id == budget_id), None)
        plan = services.create_plan(
            db.session, g.person, title=form.title.data, created_by=current_user,
            budget_id=budget_id, council_id=budget.council_id if budget else None)
        db.session.commit()
        flash(_("Your plan has been started. Add what you want to achieve."), "success")
        return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/new.html", form=form, holder=g.person), _status(form)


@bp.get("/<int:plan_id>")
@person(Scope.VIEW)
def show(plan_id: int):
    plan = own_plan(plan_id)
    version = plan.latest
    return render_template(
        "plans/show.html", plan=plan, version=version, steps=steps_for(plan),
        problems=services.problems(version) if version.status is PlanStatus.DRAFT else [],
        editable=version.status in rules.EDITABLE and _may_write(),
        revisable=version.status in rules.REVISABLE and _may_write(),
        form=None, action_form=ActionForm())


@bp.get("/<int:plan_id>/versions/<int:number>")
@person(Scope.VIEW)
def version(plan_id: int, number: int):
    plan = own_plan(plan_id)
    found = next((v for v in plan.versions if v.number == number), None)
    if found is None:
        abort(404)
    return render_template("plans/version.html", plan=plan, version=found)


@bp.route("/<int:plan_id>/outcomes/new", methods=["GET", "POST"])
@person(Scope.ORDER)
def add_outcome(plan_id: int):
    plan = own_plan(plan_id)
    _editable_or_redirect(plan)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            services.add_outcome(db.session, plan, domain=Outcome(form.domain.data),
                                 what_i_want=form.what_i_want.data,
                                 what_i_will_do=form.what_i_will_do.data, spend=form.spend())
        except services.PlanError as exc:
            db.session.rollback()
            form.domain.errors = [*form.domain.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("The outcome has been added to your plan."), "success")
            return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/outcome_form.html", form=form, plan=plan), _status(form)


@bp.route("/<int:plan_id>/risks/new", methods=["GET", "POST"])
@person(Scope.ORDER)
def add_risk(plan_id: int):
    plan = own_plan(plan_id)
    _editable_or_redirect(plan)
    form = RiskForm()
    if form.validate_on_submit():
        services.add_risk(db.session, plan, risk=form.risk.data,
                          how_managed=form.how_managed.data)
        db.session.commit()
        flash(_("The risk has been added to your plan."), "success")
        return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/risk_form.html", form=form, plan=plan), _status(form)


def _editable_or_redirect(plan) -> None:
    if plan.latest.status not in rules.EDITABLE:
        abort(redirect(url_for("plans.show", plan_id=plan.id)))


def _action(plan_id: int):
    plan = own_plan(plan_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return plan


def _apply(plan, change, success: str):
    try:
        change()
    except services.PlanError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for("plans.show", plan_id=plan.id))


@bp.post("/<int:plan_id>/outcomes/<int:outcome_id>/remove")
@person(Scope.ORDER)
def remove_outcome(plan_id: int, outcome_id: int):
    plan = _action(plan_id)
    return _apply(plan, lambda: services.remove_outcome(db.session, plan, outcome_id),
                  _("The outcome has been removed."))


@bp.post("/<int:plan_id>/risks/<int:risk_id>/remove")
@person(Scope.ORDER)
def remove_risk(plan_id: int, risk_id: int):
    plan = _action(plan_id)
    return _apply(plan, lambda: services.remove_risk(db.session, plan, risk_id),
                  _("The risk has been removed."))


@bp.post("/<int:plan_id>/submit")
@person(Scope.ORDER)
def submit(plan_id: int):
    plan = _action(plan_id)
    return _apply(plan, lambda: services.submit(db.session, plan, current_user),
                  _("Your plan has been sent to the council to be agreed."))


@bp.post("/<int:plan_id>/revise")
@person(Scope.ORDER)
def revise(plan_id: int):
    plan = _action(plan_id)
    return _apply(plan, lambda: services.start_new_version(db.session, plan, current_user),
                  _("A new version of your plan has been started. The council will see it "
                    "when you send it."))
