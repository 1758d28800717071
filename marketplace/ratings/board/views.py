""""What works for me": reading (anyone), posting and replying (people who buy
support and their representatives), "this helped me" and reporting (anyone signed
in). Also the helpers the question pages share: who is writing, and telling the
council's safeguarding officers that a concern is waiting."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from catalogue.browse import paginate
from marketplace.db import db
from marketplace.mail import email_user
from marketplace.ratings.board import bp
from marketplace.ratings.board import services as board
from marketplace.ratings.board.forms import (
    ContributionReportForm,
    HelpedForm,
    ReplyForm,
    ThreadForm,
)
from marketplace.ratings.board.models import TOPICS, BoardPost, BoardTopic
from marketplace.ratings.models import ReportReason, ReviewStatus
from marketplace.ratings.moderation import RULES, safeguarding_officers
from marketplace.security import public, roles, signed_in

POSTED = _l("Thank you. Your post will be published once it has been checked against "
            "the rules. Until then only you can see it.")
WORRIED = _l("Thank you. Because you are worried about someone's safety, what you wrote "
             "will not be published: it has gone to the council's safeguarding team, who "
             "may contact you. If someone is in danger now, call 999.")


def writer() -> board.Writer:
    return board.Writer(current_user._get_current_object(), g.get("acting_authority"))


def viewer_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def tell_safeguarding(item) -> None:
    """E-mail the council's officers that a concern is waiting (never what was
    written), after the commit."""
    officers = safeguarding_officers(db.session, item.council_id)
    link = url_for("safeguarding.concerns", _external=True)
    for officer in officers:
        email_user(db.session, officer, _l("A safeguarding concern is waiting"),
                   "ratings/board/email/concern.txt", link=link)
    if officers:
        db.session.commit()


def _topic(slug: str) -> BoardTopic:
    if slug not in BoardTopic._value2member_map_:
        abort(404)
    return BoardTopic(slug)


def _post(post_id: int) -> BoardPost:
    post = db.session.get(BoardPost, post_id)
    if post is None or not board.visible(post, viewer_id()):
        abort(404)  # never confirm that a post waiting for a moderator exists
    return post


@bp.get("")
@public
def index():
    return render_template("ratings/board/index.html", topics=TOPICS,
                           counts=board.topic_counts(db.session),
                           may_post=board.may_post(current_user))


@bp.get("/topics/<topic>")
@public
def topic(topic: str):
    chosen = _topic(topic)
    page = paginate(db.session, board.threads(chosen, viewer_id()), request.args.get("page"))
    ids = [post.id for post in page.items]
    return render_template("ratings/board/topic.html", topic=chosen, page=page,
                           replies=board.reply_counts(db.session, ids),
                           helped=board.helped_counts(db.session, ids),
                           may_post=board.may_post(current_user))


def _thread_page(thread: BoardPost, form: ReplyForm | None = None, status: int = 200):
    shown = [thread, *board.replies(thread, viewer_id())]
    ids = [post.id for post in shown]
    may_post = board.may_post(current_user)
    if form is None and may_post and thread.published:
        form = ReplyForm()
    return render_template(
        "ratings/board/thread.html", thread=thread, posts=shown, form=form,
        helped=board.helped_counts(db.session, ids),
        mine=board.helped_by(db.session, viewer_id(), ids), may_post=may_post,
        helped_form=HelpedForm(), viewer_id=viewer_id()), status


@bp.get("/posts/<int:post_id>")
@public
def thread(post_id: int):
    post = _post(post_id)
    if not post.is_thread:
        return redirect(url_for("board.thread", post_id=post.thread_id, _anchor=f"post-{post.id}"))
    return _thread_page(post)


def _after_posting(post: BoardPost, made: bool) -> None:
    if not made:
        flash(_("You had already sent this. It has been saved once."), "info")
    elif post.review_status is ReviewStatus.SAFEGUARDING:
        tell_safeguarding(post)
        flash(str(WORRIED), "success")
    else:
        flash(str(POSTED), "success")


@bp.route("/new", methods=["GET", "POST"])
@roles(*board.POSTING_ROLES)
def start():
    form = ThreadForm()
    if request.method == "GET" and request.args.get("topic") in BoardTopic._value2member_map_:
        form.topic.data = request.args["topic"]
    if form.validate_on_submit():
        post, made = board.start_thread(
            db.session, writer(), topic=BoardTopic(form.topic.data), title=form.title.data,
            text=form.text.data, worried=bool(form.worried.data), form_key=form.form_key.data)
        db.session.commit()
        _after_posting(post, made)
        return redirect(url_for("board.thread", post_id=post.id))
    status = 200 if request.method == "GET" else 400
    return render_template("ratings/board/new.html", form=form, rules=RULES), status


@bp.post("/posts/<int:post_id>/reply")
@roles(*board.POSTING_ROLES)
def reply(post_id: int):
    thread = _post(post_id)
    if not thread.is_thread or not thread.published:
        abort(404)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _thread_page(thread, form, 400)
    post, made = board.reply(db.session, writer(), thread, text=form.text.data,
                             worried=bool(form.worried.data), form_key=form.form_key.data)
    db.session.commit()
    _after_posting(post, made)
    if post.review_status is ReviewStatus.SAFEGUARDING:
        return redirect(url_for("board.thread", post_id=thread.id))
    return redirect(url_for("board.thread", post_id=thread.id, _anchor=f"post-{post.id}"))


@bp.post("/posts/<int:post_id>/helped")
@roles(*board.POSTING_ROLES)
def helped(post_id: int):
    post = _post(post_id)
    form = HelpedForm()
    back = url_for("board.thread", post_id=post.thread_id or post.id, _anchor=f"post-{post.id}")
    if not form.validate_on_submit():
        flash(_("Choose whether this helped you, using the button under the post."), "error")
        return redirect(back)
    try:
        board.set_helped(db.session, post, current_user._get_current_object(),
                         form.helped.data == "yes")
    except board.OwnPost:
        flash(_("You cannot say that your own post helped you."), "error")
        return redirect(back)
    except board.NotOpen:
        abort(404)
    db.session.commit()
    return redirect(back)


@bp.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
@signed_in
def report(post_id: int):
    post = _post(post_id)
    if not post.published:
        abort(404)
    form = ContributionReportForm()
    if form.validate_on_submit():
        reason = ReportReason(form.reason.data)
        board.report(db.session, post, reason=reason, details=form.details.data,
                     reporter=current_user._get_current_object())
        db.session.commit()
        flash(_("Thank you. A moderator at the council will check it."), "success")
        if reason is ReportReason.SAFETY:
            tell_safeguarding(post)
            return redirect(url_for("board.topic", topic=post.topic.value))
        return redirect(url_for("board.thread", post_id=post.thread_id or post.id))
    status = 200 if request.method == "GET" else 400
    return render_template(
        "ratings/board/report.html", form=form, text=post.text, what=_("Report a post"),
        caption=post.root.title, back=url_for("board.thread", post_id=post.thread_id or post.id)
    ), status


@bp.get("/mine")
@roles(*board.POSTING_ROLES)
def mine():
    return render_template("ratings/board/mine.html",
                           posts=board.posts_of(db.session, current_user.id))
