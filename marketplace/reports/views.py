"""The reports' pages: an index, one page per report (filters, charts, tables,
CSV downloads) and the printable pack. Commissioners, council officers, finance
officers and administrators see aggregates for the councils they work for."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.models import Council
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.reports import bp
from marketplace.reports.charts import chart_for
from marketplace.reports.filters import category_label, read_filters
from marketplace.reports.registry import REPORTS, ordered
from marketplace.reports.tables import table_csv
from marketplace.security import roles, today

AUDITOR_ROLES = (Role.COUNCIL_OFFICER, Role.FINANCE_OFFICER, Role.ADMINISTRATOR)
REPORT_ROLES = (Role.COMMISSIONER, Role.COUNCIL_OFFICER, Role.FINANCE_OFFICER,
                Role.ADMINISTRATOR)


def report_councils() -> list[Council]:
    """The councils the signed-in person may see reports for; 403 if none."""
    query = select(Council).order_by(Council.name)
    if not current_user.has_role(Role.ADMINISTRATOR):
        ids = current_user.council_ids_for(Role.COMMISSIONER, Role.COUNCIL_OFFICER,
                                           Role.FINANCE_OFFICER)
        if not ids:
            abort(403)
        query = query.where(Council.id.in_(ids))
    councils = list(db.session.scalars(query))
    if not councils:
        abort(403)
    return councils


@bp.get("/")
@roles(*REPORT_ROLES)
def index():
    return render_template("reports/index.html", reports=ordered(),
                           councils=report_councils(),
                           auditor=current_user.has_role(*AUDITOR_ROLES))


def _filtered(slug: str | None = None):
    spec = REPORTS.get(slug) if slug else None
    if slug and spec is None:
        abort(404)
    form, filters = read_filters(db.session, request.args, report_councils(), today())
    return spec, form, filters


@bp.get("/<slug>")
@roles(*REPORT_ROLES)
def report(slug: str):
    spec, form, filters = _filtered(slug)
    if filters is None:
        return render_template("reports/report.html", spec=spec, form=form, report=None,
                               filters=None, charts={}, category_name=category_label), 400
    built = spec.build(db.session, filters)
    wanted = request.args.get("download")
    if wanted is not None:
        table = built.table(wanted)
        if table is None:
            abort(404)
        name = f"{spec.slug}-{table.key}-{filters.starts_on}-{filters.ends_on}.csv"
        return Response(table_csv(table), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    charts = {t.key: chart_for(t) for t in built.tables if t.chart}
    return render_template("reports/report.html", spec=spec, form=form, report=built,
                           filters=filters, charts=charts, category_name=category_label)


@bp.get("/pack.pdf")
@roles(*REPORT_ROLES)
def pack():
    from marketplace.reports.pack import market_position_pdf

    _spec, form, filters = _filtered()
    if filters is None:
        return render_template("reports/report.html", spec=None, form=form, report=None,
                               filters=None, charts={}, category_name=category_label), 400
    built = [spec.build(db.session, filters) for spec in ordered() if spec.in_pack]
    name = f"market-position-{filters.starts_on}-{filters.ends_on}.pdf"
    return Response(market_position_pdf(filters, built), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
