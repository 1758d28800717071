"""Council officers: plans waiting to be agreed, reviews due, a decision, a review.

Officers see only the plans of people their council funds (administrators every
council's): 404 if there is no such plan, 403 if it is another council's.
"""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.roles import Role
from marketplace.budgets.plans import council_bp, services
from marketplace.budgets.plans.access import council_plan, officer_councils
from marketplace.budgets.plans.forms import DecisionForm, review_form_class
from marketplace.budgets.plans.models import Decision, PlanStatus, SupportPlan
from marketplace.budgets.plans.rules import DECIDABLE, default_first_review
from marketplace.db import db
from marketplace.security import roles, today

REVIEW_SOON_DAYS = 30
LIST_LIMIT = 100


def _status(form) -> int:
    return 200 if request.method == "GET" or not form.errors else 400


def _scoped(query):
    councils = officer_councils()
    if councils is not None:
        query = query.where(SupportPlan.council_id.in_(councils))
    return query


@council_bp.get("/")
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def queue():
    waiting = db.session.scalars(_scoped(
        select(SupportPlan).where(SupportPlan.status == PlanStatus.SUBMITTED)
        .order_by(SupportPlan.id).limit(LIST_LIMIT))).all()
    due = db.session.scalars(_scoped(
        select(SupportPlan).where(
            SupportPlan.next_review_on.is_not(None),
            SupportPlan.next_review_on <= today() + timedelta(days=REVIEW_SOON_DAYS))
        .order_by(SupportPlan.next_review_on).limit(LIST_LIMIT))).all()
    return render_template("plans/council/queue.html", waiting=waiting, due=due,
                           today=today())


@council_bp.route("/<int:plan_id>", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def decide(plan_id: int):
    plan = council_plan(plan_id)
    form = DecisionForm()
    decidable = plan.latest.status in DECIDABLE
    if decidable and form.validate_on_submit():
        try:
            services.decide(db.session, plan, current_user,
                            decision=Decision(form.decision.data), reason=form.reason.data,
                            today=today(), first_review_on=form.first_review_on.data)
        except services.PlanError as exc:
            db.session.rollback()
            form.first_review_on.errors = [*form.first_review_on.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("Your decision on %(name)s's plan has been recorded.",
                    name=plan.holder.full_name), "success")
            return redirect(url_for("council_plans.queue"))
    return render_template("plans/council/decide.html", plan=plan, version=plan.latest,
                           form=form, decidable=decidable,
                           default_review=default_first_review(today())), _status(form)


@council_bp.route("/<int:plan_id>/review", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def review(plan_id: int):
    plan = council_plan(plan_id)
    agreed = plan.agreed_version
    if agreed is None:
        flash(_("Only an agreed plan can be reviewed."), "error")
        return redirect(url_for("council_plans.decide", plan_id=plan.id))
    domains = sorted({o.domain for o in agreed.outcomes})
    form = review_form_class(domains)()
    if request.method == "GET":
        form.reviewed_on.data = today()
    if form.validate_on_submit():
        try:
            services.record_review(db.session, plan, current_user,
                                   reviewed_on=form.reviewed_on.data, results=form.results(),
                                   notes=form.notes.data, today=today())
        except services.PlanError as exc:
            db.session.rollback()
            form.reviewed_on.errors = [*form.reviewed_on.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("The review has been recorded. The next review is due on %(date)s.",
                    date=format_date(plan.next_review_on, "d MMMM yyyy")), "success")
            return redirect(url_for("council_plans.decide", plan_id=plan.id))
    return render_template("plans/council/review.html", plan=plan, version=agreed,
                           form=form), _status(form)
