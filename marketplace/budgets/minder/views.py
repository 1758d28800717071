"""Budget Minder pages and statements."""

from __future__ import annotations

from datetime import date, timedelta

from flask import (
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField
from wtforms.validators import InputRequired

from catalogue.taxonomy import CATEGORIES, Outcome
from marketplace.accounts.roles import Scope
from marketplace.budgets.minder import bp, exports
from marketplace.budgets.minder.chart import build_chart
from marketplace.budgets.minder.services import UNPLANNED, minder_view
from marketplace.budgets.minder.statement import StatementError, statement_for
from marketplace.budgets.models import Budget
from marketplace.budgets.plans.access import budgets_of
from marketplace.budgets.pools import pools_for
from marketplace.db import db
from marketplace.forms import RealDateField
from marketplace.ledger.services import balances_for_budgets
from marketplace.security import person, today

PERIOD_MESSAGES = {
    "missing": _l("Enter the first and last day of the statement"),
    "order": _l("The last day must be the same as or after the first day"),
    "too_long": _l("A statement can cover up to 3 years: choose a shorter period"),
}


@bp.app_template_filter("month_short")
def month_short(day: date) -> str:
    return format_date(day, "MMM yy")


def own_budget(budget_id: int) -> Budget:
    """404 if there is no such budget, 403 if it is not the person's."""
    budget = db.session.get(Budget, budget_id)
    if budget is None:
        abort(404)
    if budget.holder_id != g.person.id:
        abort(403)
    return budget


@bp.get("/")
@person(Scope.VIEW)
def index():
    budgets = budgets_of(g.person.id)
    if len(budgets) == 1:
        return redirect(url_for("minder.budget", budget_id=budgets[0].id))
    figures = balances_for_budgets(db.session, [b.id for b in budgets])
    return render_template("minder/index.html", budgets=budgets, figures=figures,
                           holder=g.person, pools=pools_for(db.session, g.person, today()))


def label_for(key: str) -> str:
    if key == UNPLANNED:
        return _("Not in the plan or no category")
    if key in CATEGORIES:
        return str(CATEGORIES[key].name)
    return str(Outcome(key).label)


@bp.get("/<int:budget_id>")
@person(Scope.VIEW)
def budget(budget_id: int):
    found = own_budget(budget_id)
    with_streams = request.args.get("detail") == "streams"
    view = minder_view(db.session, found, today(), with_streams=with_streams)
    return render_template(
        "minder/budget.html", view=view, budget=found, holder=g.person,
        chart=build_chart(view.months, found.allocation_pence, today()),
        label_for=label_for, with_streams=with_streams, today=today(),
        pools=[p for p in pools_for(db.session, g.person, today())
               if any(m.budget_id == found.id for m in p.members)])


class StatementForm(FlaskForm):
    class Meta:
        csrf = False

    start = RealDateField(_l("First day"), validators=[InputRequired(
        message=_l("Enter the first day of the statement"))])
    end = RealDateField(_l("Last day"), validators=[InputRequired(
        message=_l("Enter the last day of the statement"))])
    submit = SubmitField(_l("Show the statement"), widget=GovSubmitInput())


def _quarters(found: Budget, until: date) -> list[tuple[date, date]]:
    """The budget period in quarters (3 months from its first day), up to ``until``."""
    quarters, start = [], found.period_starts_on
    while start <= min(until, found.period_ends_on):
        month = start.month - 1 + 3
        nxt = date(start.year + month // 12, month % 12 + 1, 1) if start.day == 1 else \
            start + timedelta(days=91)
        quarters.append((start, min(nxt - timedelta(days=1), found.period_ends_on)))
        start = nxt
    return quarters


def _date_args(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _read_period(found: Budget):
    """(form, start, end, error message) from the query string; defaults to the
    period so far when nothing is given."""
    if "start" not in request.args and "end" not in request.args:
        form = StatementForm(formdata=None)
        form.start.data = found.period_starts_on
        form.end.data = min(today(), found.period_ends_on)
        if form.end.data < form.start.data:
            form.end.data = found.period_ends_on
        return form, form.start.data, form.end.data, None
    form = StatementForm(request.args)
    if not form.validate():
        return form, None, None, None
    try:
        from marketplace.budgets.minder.statement import check_period

        check_period(form.start.data, form.end.data)
    except StatementError as exc:
        message = PERIOD_MESSAGES[str(exc)]
        form.end.errors = [*form.end.errors, message]
        return form, None, None, message
    return form, form.start.data, form.end.data, None


def _export_args(start: date, end: date) -> dict:
    return {"start": _date_args(start), "end": _date_args(end)}


@bp.get("/<int:budget_id>/statement")
@person(Scope.VIEW)
def statement(budget_id: int):
    found = own_budget(budget_id)
    form, start, end, _message = _read_period(found)
    statement = statement_for(db.session, found, start, end) if start else None
    rows = exports.lines(statement, found, g.person) if statement else []
    quarters = [(s, e, _export_args(s, e)) for s, e in _quarters(found, today())]
    return render_template(
        "minder/statement.html", form=form, budget=found, holder=g.person,
        statement=statement, rows=rows, quarters=quarters,
        export_args=_export_args(start, end) if statement else None,
    ), (400 if form.errors else 200)


def _statement_or_400(found: Budget):
    form, start, end, message = _read_period(found)
    if start is None:
        errors = [str(e) for field in form for e in field.errors]
        g.bad_request_message = message or (errors[0] if errors else str(
            PERIOD_MESSAGES["missing"]))
        abort(400)
    return statement_for(db.session, found, start, end)


def _filename(found: Budget, statement, ext: str) -> str:
    return f"statement-{found.id}-{statement.starts_on}-{statement.ends_on}.{ext}"


@bp.get("/<int:budget_id>/statement.csv")
@person(Scope.VIEW)
def statement_csv(budget_id: int):
    found = own_budget(budget_id)
    statement = _statement_or_400(found)
    body = exports.to_csv(statement, found, g.person)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{_filename(found, statement, "csv")}"'})


@bp.get("/<int:budget_id>/statement.pdf")
@person(Scope.VIEW)
def statement_pdf(budget_id: int):
    found = own_budget(budget_id)
    statement = _statement_or_400(found)
    body = exports.to_pdf(statement, found, g.person, current_app.config["COUNCIL_NAME"])
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{_filename(found, statement, "pdf")}"'})
