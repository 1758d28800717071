"""Reports about the provider's listings ("report a problem"), and resolving them.

The provider sees reports about its services except concerns about the provider
itself (those may be safeguarding matters and go to the council only), and never the
reporter's e-mail address.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from catalogue.models import ListingReport, ReportReason, ReportStatus, Service
from catalogue.storefront import bp
from catalogue.storefront.access import membership_of, provider_for_member
from catalogue.storefront.forms import ResolveReportForm
from catalogue.vetting.operations import ReportRefused, close_report
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.security import roles


@bp.get("/<int:provider_id>/reports")
@roles(Role.PROVIDER_STAFF)
def reports(provider_id: int):
    provider, _member = provider_for_member(provider_id)
    show = "closed" if request.args.get("status") == "closed" else "open"
    rows = db.session.execute(
        select(ListingReport, Service).join(Service, ListingReport.service_id == Service.id)
        .where(Service.provider_id == provider.id,
               ListingReport.reason != ReportReason.CONCERN,
               ListingReport.status == ReportStatus(show))
        .order_by(ListingReport.created_at.desc()).limit(200)).all()
    return render_template("storefront/reports.html", provider=provider, rows=rows, show=show)


def _report_for_member(report_id: int) -> tuple[ListingReport, Service]:
    report = db.session.get(ListingReport, report_id)
    if report is None or report.service_id is None:
        abort(404)
    service = db.session.get(Service, report.service_id)
    membership_of(service.provider)
    if report.reason is ReportReason.CONCERN:
        abort(403)
    return report, service


@bp.route("/reports/<int:report_id>/resolve", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def resolve_report(report_id: int):
    report, service = _report_for_member(report_id)
    form = ResolveReportForm()
    if form.validate_on_submit():
        try:
            close_report(db.session, report, current_user, form.resolution.data)
        except ReportRefused as exc:
            form.resolution.errors = [str(exc.message)]
        else:
            db.session.commit()
            flash(_("The report has been marked as resolved."), "success")
            return redirect(url_for("storefront.reports", provider_id=service.provider_id))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("storefront/resolve_report.html", form=form, report=report,
                           service=service, provider=service.provider), status
