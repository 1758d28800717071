"""Auditors' pages about individual people: a budget holder's statement (the Budget
Minder's own, as page, CSV and PDF) and the council's exceptions list (page and
CSV). For council officers, finance officers and administrators, for the councils
they work for; never for commissioners, who see aggregates only. Every look is
written to the audit log ("report.viewed_person", "report.viewed_exceptions")."""

from __future__ import annotations

from flask import Response, abort, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace import audit
from marketplace.accounts.models import Council, User
from marketplace.accounts.roles import Role
from marketplace.budgets.minder import exports
from marketplace.budgets.minder.statement import statement_for
from marketplace.budgets.minder.views import (
    _export_args,
    _filename,
    _quarters,
    _read_period,
    _statement_or_400,
)
from marketplace.budgets.models import Budget
from marketplace.db import db
from marketplace.reports import bp
from marketplace.reports.audit_exceptions import (
    SHOWN_PER_SECTION,
    Section,
    as_table,
    exceptions,
    names,
)
from marketplace.reports.filters import category_label, read_filters
from marketplace.reports.tables import table_csv
from marketplace.security import roles, today

AUDITORS = (Role.COUNCIL_OFFICER, Role.FINANCE_OFFICER, Role.ADMINISTRATOR)


def audit_council_ids() -> set[int] | None:
    """The councils whose people the signed-in auditor may look at (None: all)."""
    if current_user.has_role(Role.ADMINISTRATOR):
        return None
    return current_user.council_ids_for(Role.COUNCIL_OFFICER, Role.FINANCE_OFFICER)


def audit_councils() -> list[Council]:
    ids = audit_council_ids()
    query = select(Council).order_by(Council.name)
    if ids is not None:
        query = query.where(Council.id.in_(ids or [-1]))
    councils = list(db.session.scalars(query))
    if not councils:
        abort(403)
    return councils


# --- the exceptions list ---------------------------------------------------------------

def _exceptions(kind: str):
    form, filters = read_filters(db.session, request.args, audit_councils(), today())
    if filters is None:
        return form, None, None, None
    found = exceptions(db.session, filters)
    named = names(db.session, found)
    audit.record(db.session, "report.viewed_exceptions", "council", filters.council_id, {
        "start": filters.starts_on.isoformat(), "end": filters.ends_on.isoformat(),
        "area": filters.district, "category": filters.category, "format": kind,
        "lines": sum(len(lines) for lines in found.values())})
    db.session.commit()
    return form, filters, found, named


@bp.get("/audit/exceptions")
@roles(*AUDITORS)
def audit_exceptions():
    form, filters, found, named = _exceptions("page")
    return render_template(
        "reports/audit/exceptions.html", form=form, filters=filters, found=found or {},
        named=named or {}, sections=list(Section), shown=SHOWN_PER_SECTION,
        category_name=category_label), 200 if filters else 400


@bp.get("/audit/exceptions.csv")
@roles(*AUDITORS)
def audit_exceptions_csv():
    form, filters, found, named = _exceptions("csv")
    if filters is None:
        errors = [str(e) for field in form for e in field.errors]
        g.bad_request_message = errors[0] if errors else None
        abort(400)
    name = f"exceptions-{filters.starts_on}-{filters.ends_on}.csv"
    return Response(table_csv(as_table(found, named)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- a person's statement ----------------------------------------------------------------

def _person(user_id: int) -> tuple[User, list[Budget], Budget]:
    """The person, their budgets at the auditor's councils (newest first) and the one
    chosen (``?budget=``). 404 for no such person or budget of theirs; 403 when they
    have no budget at a council the auditor works for; 400 for a junk choice."""
    holder = db.session.get(User, user_id)
    if holder is None:
        abort(404)
    query = select(Budget).where(Budget.holder_id == holder.id)
    ids = audit_council_ids()
    if ids is not None:
        query = query.where(Budget.council_id.in_(ids or [-1]))
    budgets = list(db.session.scalars(query.order_by(Budget.period_starts_on.desc(),
                                                     Budget.id.desc())))
    if not budgets:
        abort(403)
    raw = request.args.get("budget", "").strip()
    if not raw:
        return holder, budgets, budgets[0]
    if not raw.isdigit() or len(raw) > 12:
        g.bad_request_message = _("Choose one of this person's budgets from the list")
        abort(400)
    chosen = next((b for b in budgets if b.id == int(raw)), None)
    if chosen is None:
        abort(404)
    return holder, budgets, chosen


def _record_person(holder: User, budget: Budget, statement, kind: str) -> None:
    audit.record(db.session, "report.viewed_person", "user", holder.id, {
        "budget_id": budget.id, "format": kind,
        "start": statement.starts_on.isoformat() if statement else None,
        "end": statement.ends_on.isoformat() if statement else None})
    db.session.commit()


@bp.get("/audit/people/<int:user_id>")
@roles(*AUDITORS)
def person_statement(user_id: int):
    holder, budgets, budget = _person(user_id)
    form, start, end, _message = _read_period(budget)
    statement = statement_for(db.session, budget, start, end) if start else None
    _record_person(holder, budget, statement, "page")
    return render_template(
        "reports/audit/statement.html", holder=holder, budgets=budgets, budget=budget,
        form=form, statement=statement,
        rows=exports.lines(statement, budget, holder) if statement else [],
        quarters=[(s, e, _export_args(s, e)) for s, e in _quarters(budget, today())],
        export_args=_export_args(start, end) if statement else None,
    ), (400 if form.errors else 200)


def _download(user_id: int, ext: str):
    holder, _budgets, budget = _person(user_id)
    statement = _statement_or_400(budget)
    _record_person(holder, budget, statement, ext)
    if ext == "csv":
        body, mimetype = exports.to_csv(statement, budget, holder), "text/csv"
    else:
        body = exports.to_pdf(statement, budget, holder, budget.council.name)
        mimetype = "application/pdf"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{_filename(budget, statement, ext)}"'})


@bp.get("/audit/people/<int:user_id>/statement.csv")
@roles(*AUDITORS)
def person_statement_csv(user_id: int):
    return _download(user_id, "csv")


@bp.get("/audit/people/<int:user_id>/statement.pdf")
@roles(*AUDITORS)
def person_statement_pdf(user_id: int):
    return _download(user_id, "pdf")
