"""Moderating the Community Catalogue, for council officers and administrators: the
queue of new organisations, new listings and changes (open or closed), each
decided with a note; and the queue of problems reported with listings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from catalogue.community import operations as ops
from catalogue.community.access import (
    home_council,
    may_moderate,
    moderated_clause,
    now,
    state_of,
)
from catalogue.community.forms import CloseCommunityReportForm, DecisionForm
from catalogue.community.schedules import next_occurrences
from catalogue.models import (
    CommunityListing,
    CommunityOrganisation,
    CommunityReport,
    CommunityReview,
    ReportStatus,
    ReviewKind,
    ReviewOutcome,
)
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.security import roles, today

bp = Blueprint("community_moderation", __name__, url_prefix="/council/community")
PAGE_SIZE = 25
MODERATORS = (Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _show() -> str:
    return "closed" if request.args.get("status") == "closed" else "open"


def _paged(query, order):
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = _page()
    rows = db.session.execute(query.order_by(*order).limit(PAGE_SIZE)
                              .offset((page - 1) * PAGE_SIZE)).all()
    return rows, total, page


@bp.get("")
@roles(*MODERATORS)
def queue():
    show = _show()
    query = (select(CommunityReview, CommunityOrganisation)
             .join(CommunityOrganisation, CommunityReview.organisation_id
                   == CommunityOrganisation.id)
             .where(CommunityReview.status == ReportStatus(show)))
    clause = moderated_clause()
    if clause is not None:
        query = query.where(clause)
    order = ((CommunityReview.created_at.asc(), CommunityReview.id) if show == "open"
             else (CommunityReview.closed_at.desc(), CommunityReview.id))
    rows, total, page = _paged(query, order)
    return render_template("community/moderation_queue.html", rows=rows, show=show,
                           total=total, page=page, page_size=PAGE_SIZE)


def _review_or_404(review_id: int) -> CommunityReview:
    review = db.session.get(CommunityReview, review_id)
    if review is None:
        abort(404)
    if not may_moderate(review.organisation):
        abort(403)
    return review


@bp.route("/reviews/<int:review_id>", methods=["GET", "POST"])
@roles(*MODERATORS)
def review(review_id: int):
    item = _review_or_404(review_id)
    form = DecisionForm()
    form.decision.choices = [SelectChoice(outcome.value, outcome.label)
                             for outcome in ops.OUTCOMES[item.kind]]
    if item.kind is ReviewKind.CHANGED_LISTING:
        form.decision.choices[1] = SelectChoice(ReviewOutcome.REJECTED.value,
                                                _("Take the listing down"))
    if form.validate_on_submit():
        try:
            ops.decide(db.session, item, current_user, ReviewOutcome(form.decision.data),
                       form.note.data, now(), council_id=home_council())
        except ops.Refused as exc:
            form.note.errors = [str(exc.message)]
        else:
            db.session.commit()
            flash(_("Your decision is saved and the organiser has been told."), "success")
            return redirect(url_for("community_moderation.queue"))
    listing = item.listing
    context = {}
    if listing is not None:
        context = {"state": state_of(listing),
                   "upcoming": next_occurrences(listing.schedules, today(), 5)}
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("community/moderation_review.html", form=form, review=item,
                           listing=listing, organisation=item.organisation, **context), status


@bp.get("/reports")
@roles(*MODERATORS)
def reports():
    show = _show()
    query = (select(CommunityReport, CommunityListing)
             .join(CommunityListing, CommunityReport.listing_id == CommunityListing.id)
             .join(CommunityOrganisation, CommunityListing.organisation_id
                   == CommunityOrganisation.id)
             .where(CommunityReport.status == ReportStatus(show)))
    clause = moderated_clause()
    if clause is not None:
        query = query.where(clause)
    order = ((CommunityReport.created_at.asc(), CommunityReport.id) if show == "open"
             else (CommunityReport.closed_at.desc(), CommunityReport.id))
    rows, total, page = _paged(query, order)
    return render_template("community/moderation_reports.html", rows=rows, show=show,
                           total=total, page=page, page_size=PAGE_SIZE)


@bp.route("/reports/<int:community_report_id>", methods=["GET", "POST"])
@roles(*MODERATORS)
def report(community_report_id: int):
    found = db.session.get(CommunityReport, community_report_id)
    if found is None:
        abort(404)
    if not may_moderate(found.listing.organisation):
        abort(403)
    form = CloseCommunityReportForm()
    if request.method == "GET":
        form.take_down.data = "no"
    if form.validate_on_submit():
        try:
            ops.close_report(db.session, found, current_user, form.resolution.data, now(),
                             take_down=form.take_down.data == "yes")
        except ops.Refused as exc:
            form.resolution.errors = [str(exc.message)]
        else:
            db.session.commit()
            flash(_("The report has been closed."), "success")
            return redirect(url_for("community_moderation.reports"))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("community/moderation_report.html", form=form, report=found,
                           listing=found.listing), status
