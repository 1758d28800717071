"""Questions and answers on service pages: anyone signed in asks; once a moderator
has published the question, a member of the provider organisation answers in public
(once, then only changes the answer); anyone signed in reports a question or an
answer. Also the catalogue's hook: the service page includes the questions partial
named in ``service_page_questions``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from catalogue.models import ProviderMember, ProviderOrganisation, Service
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.mail import email_user
from marketplace.ratings import questions
from marketplace.ratings.board.forms import AnswerForm, ContributionReportForm, QuestionForm
from marketplace.ratings.board.services import report
from marketplace.ratings.board.views import tell_safeguarding, viewer_id, writer
from marketplace.ratings.models import ReportReason
from marketplace.ratings.questions_models import ServiceAnswer, ServiceQuestion
from marketplace.ratings.views import _public_service
from marketplace.security import public, roles, signed_in

bp = Blueprint("questions", __name__)
SHOWN_ON_SERVICE_PAGE = 5


@bp.app_context_processor
def _catalogue_hook():
    return {"service_page_questions": ["ratings/questions/_service_questions.html"],
            "questions_for_service": questions_for_service}


def questions_for_service(service: Service) -> dict:
    shown = questions.for_service(db.session, service.id, viewer_id(),
                                  limit=SHOWN_ON_SERVICE_PAGE + 1)
    return {"questions": shown[:SHOWN_ON_SERVICE_PAGE], "more": len(shown) > SHOWN_ON_SERVICE_PAGE,
            "viewer_id": viewer_id(),
            "may_answer": questions.is_member(db.session, viewer_id(), service.provider_id)}


@bp.get("/services/<int:service_id>/questions")
@public
def service_questions(service_id: int):
    service = _public_service(service_id)
    return render_template(
        "ratings/questions/all.html", service=service, viewer_id=viewer_id(),
        questions=questions.for_service(db.session, service.id, viewer_id(), limit=200),
        may_answer=questions.is_member(db.session, viewer_id(), service.provider_id))


@bp.route("/services/<int:service_id>/questions/ask", methods=["GET", "POST"])
@signed_in
def ask(service_id: int):
    service = _public_service(service_id)
    form = QuestionForm()
    if form.validate_on_submit():
        _question, made = questions.ask(db.session, writer(), service, text=form.text.data,
                                        form_key=form.form_key.data)
        db.session.commit()
        flash(_("Thank you. Your question will be published once it has been checked "
                "against the rules. Until then only you can see it.") if made else
              _("You had already sent this. It has been saved once."),
              "success" if made else "info")
        return redirect(url_for("catalogue.service", service_id=service.id,
                                _anchor="questions"))
    status = 200 if request.method == "GET" else 400
    return render_template("ratings/questions/ask.html", form=form, service=service), status


def _users(query) -> list[User]:
    return list(db.session.scalars(query.where(User.is_active_account.is_(True))
                                   .order_by(User.id)))


def tell_provider(question: ServiceQuestion) -> None:
    """After a moderator publishes a question: e-mail the provider's members."""
    members = _users(select(User).join(ProviderMember, ProviderMember.user_id == User.id)
                     .where(ProviderMember.provider_id == question.provider_id))
    link = url_for("questions.answer", question_id=question.id, _external=True)
    for member in members:
        email_user(db.session, member, _l("A question about one of your services"),
                   "ratings/questions/email/question.txt", service=question.service, link=link)
    if members:
        db.session.commit()


def _tell_asker(question: ServiceQuestion) -> None:
    asker = db.session.get(User, question.asker_id)
    if asker is None or not asker.is_active_account:
        return
    link = url_for("catalogue.service", service_id=question.service_id, _anchor="questions",
                   _external=True)
    email_user(db.session, asker, _l("Your question has been answered"),
               "ratings/questions/email/answered.txt", service=question.service, link=link)
    db.session.commit()


@bp.route("/questions/<int:question_id>/answer", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def answer(question_id: int):
    question = db.session.get(ServiceQuestion, question_id)
    if question is None:
        abort(404)
    if not questions.is_member(db.session, current_user.id, question.provider_id):
        g.forbidden_reason = _("Only the provider of this service can answer questions "
                               "about it.")
        abort(403)
    if not question.published:
        abort(404)
    editing = question.answer is not None
    form = AnswerForm()
    if request.method == "GET" and editing:
        form.text.data = question.answer.text
    if form.validate_on_submit():
        as_edit = request.args.get("edit") == "1"
        try:
            questions.answer(db.session, question, text=form.text.data,
                             author=current_user._get_current_object(), editing=as_edit)
        except questions.AlreadyAnswered:
            db.session.rollback()
            form.text.errors = [*form.text.errors, _(
                "You have already answered this question. You can change your answer "
                "instead: your answer is shown below.")]
            form.text.data = question.answer.text
            return render_template("ratings/questions/answer.html", form=form,
                                   question=question, editing=True), 400
        db.session.commit()
        flash(_("Your answer has been changed.") if as_edit else _("Your answer is published."),
              "success")
        if not as_edit:
            _tell_asker(question)
        return redirect(url_for("questions.provider_index"))
    status = 200 if request.method == "GET" else 400
    return render_template("ratings/questions/answer.html", form=form, question=question,
                           editing=editing), status


def _report(item, service: Service, what: str):
    if not item.published:
        abort(404)
    form = ContributionReportForm()
    back = url_for("questions.service_questions", service_id=service.id)
    if form.validate_on_submit():
        reporter = current_user._get_current_object()
        reason = ReportReason(form.reason.data)
        report(db.session, item, reason=reason, details=form.details.data, reporter=reporter,
               from_provider=questions.is_member(db.session, reporter.id, service.provider_id))
        db.session.commit()
        if reason is ReportReason.SAFETY:
            tell_safeguarding(item)
        flash(_("Thank you. A moderator at the council will check it."), "success")
        return redirect(back)
    status = 200 if request.method == "GET" else 400
    return render_template("ratings/board/report.html", form=form, text=item.text,
                           what=what, caption=service.name, back=back), status


@bp.route("/questions/<int:question_id>/report", methods=["GET", "POST"])
@signed_in
def report_question(question_id: int):
    question = db.session.get(ServiceQuestion, question_id)
    if question is None:
        abort(404)
    return _report(question, question.service, _("Report a question"))


@bp.route("/answers/<int:answer_id>/report", methods=["GET", "POST"])
@signed_in
def report_answer(answer_id: int):
    found = db.session.get(ServiceAnswer, answer_id)
    if found is None or not found.question.published:
        abort(404)
    return _report(found, found.question.service, _("Report an answer"))


@bp.get("/provider/questions")
@roles(Role.PROVIDER_STAFF)
def provider_index():
    ids = questions.provider_ids_of(db.session, current_user.id)
    providers = [db.session.get(ProviderOrganisation, pid) for pid in ids]
    return render_template("ratings/questions/provider.html", providers=providers,
                           questions=questions.for_providers(db.session, ids))
