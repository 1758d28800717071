"""The council's queue of "report a problem" reports about listings: open or closed,
each closed with a note of what was done. Officers see reports about the providers
they may review (``access``), concerns included, with the reporter's e-mail."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from catalogue.models import ListingReport, ProviderOrganisation, ReportStatus, Service
from catalogue.vetting import bp
from catalogue.vetting.access import may_review, reviewable_clause
from catalogue.vetting.forms import CloseReportForm
from catalogue.vetting.operations import ReportRefused, close_report
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.security import roles

PAGE_SIZE = 25


@bp.get("/reports")
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def reports():
    show = "closed" if request.args.get("status") == "closed" else "open"
    query = (select(ListingReport, Service, ProviderOrganisation)
             .join(Service, ListingReport.service_id == Service.id)
             .join(ProviderOrganisation, Service.provider_id == ProviderOrganisation.id)
             .where(ListingReport.status == ReportStatus(show)))
    clause = reviewable_clause()
    if clause is not None:
        query = query.where(clause)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    raw = request.args.get("page", "1")
    page = int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1
    order = (ListingReport.created_at.asc() if show == "open"
             else ListingReport.closed_at.desc())
    rows = db.session.execute(query.order_by(order, ListingReport.id)
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("vetting/reports.html", rows=rows, show=show, total=total,
                           page=page, page_size=PAGE_SIZE)


@bp.route("/reports/<int:report_id>", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def report(report_id: int):
    listing_report = db.session.get(ListingReport, report_id)
    if listing_report is None or listing_report.service_id is None:
        abort(404)
    service = db.session.get(Service, listing_report.service_id)
    if not may_review(service.provider):
        abort(403)
    form = CloseReportForm()
    if form.validate_on_submit():
        try:
            close_report(db.session, listing_report, current_user, form.resolution.data)
        except ReportRefused as exc:
            form.resolution.errors = [str(exc.message)]
        else:
            db.session.commit()
            flash(_("The report has been closed."), "success")
            return redirect(url_for("vetting.reports"))
    closed_by = (db.session.get(User, listing_report.closed_by_id)
                 if listing_report.closed_by_id else None)
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("vetting/report.html", form=form, report=listing_report,
                           service=service, provider=service.provider,
                           closed_by=closed_by), status
