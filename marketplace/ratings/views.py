"""The buyer rating a service, and the public side: the review pages, the rules and
reporting a review; plus the service and provider pages' ratings hook."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from catalogue import browse
from catalogue.models import ProviderMember, ProviderOrganisation, Service, VettingStatus
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role, Scope
from marketplace.db import db
from marketplace.mail import email_user
from marketplace.ratings import bp, rules
from marketplace.ratings.forms import RatingForm, ReportForm
from marketplace.ratings.models import (
    ASPECTS,
    CouncilQualityScore,
    Helped,
    Rating,
    ReportReason,
    ReviewStatus,
)
from marketplace.ratings.moderation import RULES
from marketplace.ratings.services import (
    NotEligible,
    RatingInput,
    eligibility_for,
    provider_summary,
    published_reviews,
    rate,
    rateable_services,
    rating_of,
    report,
    service_summaries,
)
from marketplace.security import person, public

REVIEWS_SHOWN = 3
REVIEWS_PER_PAGE = 50

REASON_MESSAGES = {
    rules.Reason.NOT_SIGNED_IN: _l("Sign in to rate a service."),
    rules.Reason.NO_ORDER: _l("You can rate a service once you have bought it through this "
                              "marketplace. There is no order for this service in your name."),
    rules.Reason.TOO_FEW_VISITS: _l("You can rate this service when the order is completed, or "
                                    "once at least 3 visits or sessions have been delivered."),
    rules.Reason.SCOPE_TOO_NARROW: _l("Your authority lets you view, but not act, for this "
                                      "person, so you cannot rate services for them."),
}


def viewer() -> rules.Viewer:
    if not current_user.is_authenticated:
        return rules.Viewer(None)
    authority = g.get("acting_authority")
    if authority is not None:
        return rules.Viewer(current_user.id, authority.holder_id, authority.scope)
    return rules.Viewer(current_user.id)


# --- the catalogue's hooks ---------------------------------------------------------


@bp.app_context_processor
def _catalogue_hooks():
    """The service and provider pages include these partials (the catalogue does not
    import this package)."""
    return {"service_page_ratings": ["ratings/_service_ratings.html"],
            "provider_page_ratings": ["ratings/_provider_ratings.html"],
            "ratings_for_service": ratings_for_service,
            "ratings_for_provider": ratings_for_provider,
            "council_quality_scores": council_quality_scores}


def council_quality_scores(provider: ProviderOrganisation) -> list[CouncilQualityScore]:
    return list(db.session.scalars(
        select(CouncilQualityScore).where(CouncilQualityScore.provider_id == provider.id)
        .order_by(CouncilQualityScore.council_id)))


def _may_try_to_rate() -> bool:
    if not current_user.is_authenticated:
        return False
    if g.get("acting_authority") is not None:
        return True
    return current_user.has_role(Role.BUDGET_HOLDER, Role.SELF_FUNDER)


def ratings_for_service(service: Service) -> dict:
    summary = service_summaries(db.session, [service])[service.id]
    may_rate = False
    if _may_try_to_rate():
        may_rate = eligibility_for(db.session, viewer(), service.id).allowed
    return {"summary": summary, "reviews": published_reviews(
        db.session, service_id=service.id, limit=REVIEWS_SHOWN), "may_rate": may_rate,
        "aspects": ASPECTS}


def ratings_for_provider(provider: ProviderOrganisation) -> dict:
    return {"summary": provider_summary(db.session, provider.id),
            "reviews": published_reviews(db.session, provider_id=provider.id,
                                         limit=REVIEWS_SHOWN)}


# --- the buyer -------------------------------------------------------------------


@bp.get("/my/ratings")
@person(Scope.VIEW)
def mine():
    found = rateable_services(db.session, viewer())
    ratings = {r.service_id: r for r in db.session.scalars(
        select(Rating).where(Rating.buyer_id == g.person.id))}
    return render_template("ratings/mine.html", found=found, ratings=ratings,
                           messages=REASON_MESSAGES)


def _plan_outcomes(holder: User) -> list:
    """The outcomes of the person's agreed support plan(s), labelled for the form."""
    from marketplace.budgets.plans.services import plans_of

    outcomes = []
    for plan in plans_of(db.session, holder):
        version = plan.agreed_version
        for outcome in version.outcomes if version else []:
            if all(o.domain != outcome.domain for o in outcomes):
                outcome.label = f"{outcome.domain.label}: {outcome.what_i_want}"
                outcomes.append(outcome)
    return outcomes


def _int(value):
    return int(value) if value else None


@bp.route("/services/<int:service_id>/rate", methods=["GET", "POST"])
@person(Scope.ORDER)
def rate_service(service_id: int):
    service = db.session.get(Service, service_id)
    if service is None:
        abort(404)
    allowed = eligibility_for(db.session, viewer(), service.id)
    if not allowed.allowed:
        g.forbidden_reason = str(REASON_MESSAGES[allowed.reason])
        abort(403)
    existing = rating_of(db.session, g.person.id, service.id)
    form = RatingForm(obj=existing if request.method == "GET" else None)
    if request.method == "GET" and existing is not None:
        for name in ("stars", "on_time", "kindness", "communication", "value"):
            value = getattr(existing, name)
            form[name].data = str(value) if value else None
        form.helped.data = existing.helped.value if existing.helped else None
    outcomes = _plan_outcomes(g.person)
    form.set_outcomes(outcomes)
    if form.validate_on_submit():
        given = RatingInput(
            stars=int(form.stars.data), on_time=_int(form.on_time.data),
            kindness=_int(form.kindness.data), communication=_int(form.communication.data),
            value=_int(form.value.data),
            helped=Helped(form.helped.data) if form.helped.data else None,
            outcomes=tuple(form.outcomes.data or ()), text=form.text.data,
            worried=bool(form.worried.data))
        try:
            rating = rate(db.session, viewer=viewer(), service=service, given=given,
                          rated_by=current_user._get_current_object())
        except NotEligible as refused:  # an order changed while the form was open
            g.forbidden_reason = str(REASON_MESSAGES[refused.eligibility.reason])
            abort(403)
        concern = rating.review_status is ReviewStatus.SAFEGUARDING and given.worried
        db.session.commit()
        if concern:
            _tell_safeguarding(rating)
            flash(_("Thank you. Your rating counts now. Because you are worried about "
                    "someone's safety, your review will not be published: it has gone to "
                    "the council's safeguarding team, who may contact you. If someone is "
                    "in danger now, call 999."), "success")
        elif rating.review_status is ReviewStatus.PENDING:
            flash(_("Thank you. Your stars count now; your review will be published once "
                    "it has been checked against the rules."), "success")
        else:
            flash(_("Thank you. Your rating has been saved."), "success")
        return redirect(url_for("ratings.mine"))
    status = 200 if request.method == "GET" else 400
    return render_template("ratings/rate.html", form=form, service=service, existing=existing,
                           by_representative=allowed.by_representative,
                           has_outcomes=bool(outcomes)), status


def _tell_safeguarding(rating: Rating) -> None:
    """E-mail the council's officers that a concern is waiting (never its text)."""
    if rating.council_id is None:
        return
    from marketplace.accounts.models import RoleGrant

    officers = db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.COUNCIL_OFFICER, RoleGrant.council_id == rating.council_id,
               User.is_active_account.is_(True)))
    link = url_for("safeguarding.concerns", _external=True)
    for officer in officers:
        email_user(db.session, officer, _l("A safeguarding concern is waiting"),
                   "ratings/email/concern.txt", link=link)
    db.session.commit()


@bp.get("/my/ratings/<int:rating_id>")
@person(Scope.VIEW)
def history(rating_id: int):
    rating = db.session.get(Rating, rating_id)
    if rating is None or rating.buyer_id != g.person.id:
        abort(404)  # never confirm that someone else's rating exists
    return render_template("ratings/history.html", rating=rating, aspects=ASPECTS,
                           rules=RULES)


# --- public ----------------------------------------------------------------------


def _public_service(service_id: int) -> Service:
    service = db.session.get(Service, service_id)
    if service is None or not browse.state_of(service).public:
        abort(404)
    return service


@bp.get("/services/<int:service_id>/reviews")
@public
def service_reviews(service_id: int):
    service = _public_service(service_id)
    summary = service_summaries(db.session, [service])[service.id]
    reviews = published_reviews(db.session, service_id=service.id, limit=REVIEWS_PER_PAGE)
    return render_template("ratings/service_reviews.html", service=service, summary=summary,
                           reviews=reviews)


@bp.get("/providers/<int:provider_id>/reviews")
@public
def provider_reviews(provider_id: int):
    provider = db.session.get(ProviderOrganisation, provider_id)
    if provider is None or provider.status is not VettingStatus.APPROVED:
        abort(404)
    reviews = published_reviews(db.session, provider_id=provider.id, limit=REVIEWS_PER_PAGE)
    return render_template("ratings/provider_reviews.html", provider=provider,
                           summary=provider_summary(db.session, provider.id), reviews=reviews)


@bp.get("/reviews/rules")
@public
def review_rules():
    return render_template("ratings/rules.html", rules=RULES)


def _published(rating_id: int) -> Rating:
    rating = db.session.get(Rating, rating_id)
    if rating is None or not rating.published:
        abort(404)
    return rating


@bp.route("/reviews/<int:rating_id>/report", methods=["GET", "POST"])
@public
def report_review(rating_id: int):
    rating = _published(rating_id)
    form = ReportForm()
    if form.validate_on_submit():
        reporter = current_user._get_current_object() if current_user.is_authenticated else None
        from_provider = reporter is not None and db.session.scalar(
            select(ProviderMember.id).where(ProviderMember.provider_id == rating.provider_id,
                                            ProviderMember.user_id == reporter.id)) is not None
        reason = ReportReason(form.reason.data)
        report(db.session, rating, reason=reason, details=form.details.data,
               reporter=reporter, from_provider=from_provider)
        db.session.commit()
        if reason is ReportReason.SAFETY:
            _tell_safeguarding(rating)
        return redirect(url_for("ratings.report_sent", rating_id=rating.id))
    status = 200 if request.method == "GET" else 400
    return render_template("ratings/report.html", form=form, rating=rating), status


@bp.get("/reviews/<int:rating_id>/report/sent")
@public
def report_sent(rating_id: int):
    rating = db.session.get(Rating, rating_id)
    if rating is None:
        abort(404)
    return render_template("ratings/report_sent.html", rating=rating)
