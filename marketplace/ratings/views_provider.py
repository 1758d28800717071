"""Provider staff: the ratings and reviews of their services, and one public reply to
each published review (editable). Providers can report a review (on the public report
page) but never remove one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from catalogue.models import ProviderMember, ProviderOrganisation
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.ratings import provider_bp
from marketplace.ratings.forms import ReplyForm
from marketplace.ratings.models import ASPECTS, Rating
from marketplace.ratings.services import AlreadyReplied, provider_summary, reply
from marketplace.security import roles


def _my_provider_ids() -> list[int]:
    return list(db.session.scalars(select(ProviderMember.provider_id)
                                   .where(ProviderMember.user_id == current_user.id)
                                   .order_by(ProviderMember.provider_id)))


@provider_bp.get("")
@roles(Role.PROVIDER_STAFF)
def index():
    ids = _my_provider_ids()
    providers = [db.session.get(ProviderOrganisation, pid) for pid in ids]
    ratings = list(db.session.scalars(
        select(Rating).where(Rating.provider_id.in_(ids))
        .order_by(Rating.updated_at.desc(), Rating.id.desc()).limit(200))) if ids else []
    summaries = {p.id: provider_summary(db.session, p.id) for p in providers}
    return render_template("ratings/provider_index.html", providers=providers,
                           ratings=ratings, summaries=summaries, aspects=ASPECTS)


def _my_published_review(rating_id: int) -> Rating:
    rating = db.session.get(Rating, rating_id)
    if rating is None:
        abort(404)
    if rating.provider_id not in _my_provider_ids():
        abort(403)
    if not rating.published:
        abort(404)
    return rating


@provider_bp.route("/<int:rating_id>/reply", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def reply_to(rating_id: int):
    rating = _my_published_review(rating_id)
    editing = rating.reply is not None
    form = ReplyForm()
    if request.method == "GET" and editing:
        form.text.data = rating.reply.text
    if form.validate_on_submit():
        # The form says whether it was made to edit: a second "new reply" (an old tab,
        # a double click) is refused rather than silently overwriting the first.
        as_edit = request.args.get("edit") == "1"
        try:
            reply(db.session, rating, text=form.text.data,
                  author=current_user._get_current_object(), editing=as_edit)
        except AlreadyReplied:
            db.session.rollback()
            form.text.errors = [*form.text.errors, _(
                "You have already replied to this review. You can change your reply "
                "instead: your first reply is shown below.")]
            form.text.data = rating.reply.text
            return render_template("ratings/reply.html", form=form, rating=rating,
                                   editing=True), 400
        db.session.commit()
        flash(_("Your reply has been changed.") if as_edit else _("Your reply is published."),
              "success")
        return redirect(url_for("provider_reviews.index"))
    status = 200 if request.method == "GET" else 400
    return render_template("ratings/reply.html", form=form, rating=rating,
                           editing=editing), status
