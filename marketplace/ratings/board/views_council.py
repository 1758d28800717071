"""Administrators and council officers moderate "what works for me" posts and
questions and answers about services, with the rules, decisions and safeguarding
route of reviews (``marketplace.ratings.moderation``)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.ratings import questions
from marketplace.ratings.board import council_bp
from marketplace.ratings.board import services as board
from marketplace.ratings.board.models import BoardPost
from marketplace.ratings.board.views import tell_safeguarding
from marketplace.ratings.forms import ModerationForm
from marketplace.ratings.models import ReviewStatus
from marketplace.ratings.moderation import Decision, NothingToDecide, Rule, decide, may_moderate
from marketplace.ratings.questions_models import ServiceAnswer, ServiceQuestion
from marketplace.ratings.questions_views import tell_provider
from marketplace.security import roles

MODERATORS = (Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
DONE = {Decision.PUBLISH: _l("It is published."),
        Decision.REJECT: _l("It will not be published."),
        Decision.SAFEGUARDING: _l("It has gone to the safeguarding team and will never be "
                                  "published.")}


@council_bp.get("")
@roles(*MODERATORS)
def queue():
    posts, post_reports = board.to_moderate(db.session, current_user)
    asked, question_reports = questions.to_moderate(db.session, current_user)
    return render_template("ratings/board/moderation_queue.html", posts=posts, asked=asked,
                           reports=[*post_reports, *question_reports],
                           is_officer=current_user.has_role(Role.COUNCIL_OFFICER))


def _moderate(item, kind: str):
    if item is None:
        abort(404)
    if not may_moderate(current_user, item):
        abort(403)
    if item.review_status is ReviewStatus.SAFEGUARDING:
        return render_template("ratings/board/moderate.html", item=item, kind=kind, form=None)
    form = ModerationForm()
    if form.validate_on_submit():
        decision = Decision(form.decision.data)
        was_public = item.published
        try:
            concern = decide(db.session, item, decision=decision,
                             rule=Rule(form.rule.data) if form.rule.data else None,
                             moderator=current_user._get_current_object(), note=form.note.data)
        except NothingToDecide:
            flash(_("There is nothing waiting for a decision here."), "info")
            return redirect(url_for("council_posts.queue"))
        db.session.commit()
        if concern is not None:
            tell_safeguarding(item)
        if isinstance(item, ServiceQuestion) and item.published and not was_public:
            tell_provider(item)
        flash(str(DONE[decision]), "success")
        return redirect(url_for("council_posts.queue"))
    status = 200 if request.method == "GET" else 400
    return render_template("ratings/board/moderate.html", item=item, kind=kind,
                           form=form), status


@council_bp.route("/board/<int:post_id>", methods=["GET", "POST"])
@roles(*MODERATORS)
def moderate_post(post_id: int):
    return _moderate(db.session.get(BoardPost, post_id), "post")


@council_bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@roles(*MODERATORS)
def moderate_question(question_id: int):
    return _moderate(db.session.get(ServiceQuestion, question_id), "question")


@council_bp.route("/answers/<int:answer_id>", methods=["GET", "POST"])
@roles(*MODERATORS)
def moderate_answer(answer_id: int):
    return _moderate(db.session.get(ServiceAnswer, answer_id), "answer")
