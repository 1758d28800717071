"""Council officers and administrators moderate reviews against the published rules;
council officers work the safeguarding queue of their own councils."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.ratings import council_bp, safeguarding_bp
from marketplace.ratings.forms import CloseConcernForm, ModerationForm
from marketplace.ratings.models import ASPECTS, Rating, ReviewStatus, SafeguardingConcern
from marketplace.ratings.moderation import (
    Decision,
    NothingToDecide,
    Rule,
    close_concern,
    decide,
    may_moderate,
    may_see_concern,
    moderation_queue,
    safeguarding_queue,
)
from marketplace.ratings.views import _tell_safeguarding
from marketplace.security import roles


@council_bp.get("")
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def queue():
    pending, reports = moderation_queue(db.session, current_user)
    return render_template("ratings/moderation_queue.html", pending=pending, reports=reports,
                           is_officer=current_user.has_role(Role.COUNCIL_OFFICER))


@council_bp.route("/<int:rating_id>", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
def moderate(rating_id: int):
    rating = db.session.get(Rating, rating_id)
    if rating is None:
        abort(404)
    if not may_moderate(current_user, rating):
        abort(403)
    # A review with the safeguarding team is not for moderators to read again.
    if rating.review_status is ReviewStatus.SAFEGUARDING:
        return render_template("ratings/moderate_closed.html", rating=rating)
    form = ModerationForm()
    if form.validate_on_submit():
        decision = Decision(form.decision.data)
        try:
            concern = decide(db.session, rating, decision=decision,
                             rule=Rule(form.rule.data) if form.rule.data else None,
                             moderator=current_user._get_current_object(),
                             note=form.note.data)
        except NothingToDecide:
            flash(_("This review has no text waiting for a decision."), "info")
            return redirect(url_for("council_reviews.queue"))
        db.session.commit()
        if concern is not None:
            _tell_safeguarding(rating)
        flash({Decision.PUBLISH: _("The review is published."),
               Decision.REJECT: _("The review will not be published. The stars still count."),
               Decision.SAFEGUARDING: _("The review has gone to the safeguarding team and "
                                        "will never be published.")}[decision], "success")
        return redirect(url_for("council_reviews.queue"))
    status = 200 if request.method == "GET" else 400
    return render_template("ratings/moderate.html", form=form, rating=rating,
                           aspects=ASPECTS), status


@safeguarding_bp.get("")
@roles(Role.COUNCIL_OFFICER)
def concerns():
    return render_template("ratings/safeguarding_queue.html",
                           concerns=safeguarding_queue(db.session, current_user),
                           closed=safeguarding_queue(db.session, current_user, closed=True))


@safeguarding_bp.route("/<int:concern_id>", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER)
def concern(concern_id: int):
    found = db.session.get(SafeguardingConcern, concern_id)
    if found is None:
        abort(404)
    if not may_see_concern(current_user, found):
        abort(403)
    form = CloseConcernForm()
    if found.closed_at is None and form.validate_on_submit():
        close_concern(db.session, found, officer=current_user._get_current_object(),
                      action_taken=form.resolution.data)
        db.session.commit()
        flash(_("The concern is closed."), "success")
        return redirect(url_for("safeguarding.concerns"))
    status = 200 if request.method == "GET" or found.closed_at is not None else 400
    if found.rating_id is None:  # a "what works for me" post, a question or an answer
        from marketplace.ratings.board.concerns import subject_of

        return render_template("ratings/board/concern.html", form=form, concern=found,
                               subject=subject_of(db.session, found)), status
    return render_template("ratings/concern.html", form=form, concern=found,
                           rating=found.rating, aspects=ASPECTS), status
