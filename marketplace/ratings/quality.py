"""Council quality scores: a council officer sets, changes or removes their own
council's quality score of a provider (its contract monitoring, say). The score is
shown beside buyers' ratings and the CQC rating, labelled as a different thing.
Every change is in the audit log (the request's audit rows, and an explicit row
saying what was set)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, ValidationError

from catalogue.fields import ChoiceRadios, WholeNumberField
from catalogue.models import ProviderOrganisation, VettingStatus
from marketplace.accounts.models import Council
from marketplace.accounts.roles import Role
from marketplace.audit import record
from marketplace.db import db
from marketplace.forms import RealDateField
from marketplace.ratings.models import CouncilQualityScore
from marketplace.security import roles, today

bp = Blueprint("quality_scores", __name__, url_prefix="/council/quality-scores")
FOUND_AT_MOST = 50


class QualityScoreForm(FlaskForm):
    council = ChoiceRadios(_l("Which council's score is this?"),
                           validators=[InputRequired(message=_l("Choose your council"))],
                           message=_l("Choose your council"), choices=[])
    score = WholeNumberField(
        _l("Quality score, from 0 to 100"),
        invalid_message=_l("Enter the score as a whole number from 0 to 100, like 75"),
        validators=[InputRequired(message=_l("Enter the score, a whole number from 0 to 100")),
                    NumberRange(min=0, max=100, message=_l(
                        "Enter the score as a whole number from 0 to 100, like 75"))])
    assessed_on = RealDateField(_l("When was the provider checked?"),
                                validators=[InputRequired(message=_l(
                                    "Enter the date of the check"))])

    def validate_assessed_on(self, field):
        if field.data and field.data > today():
            raise ValidationError(str(_l("The date of the check must be today or in the "
                                         "past")))


def _councils() -> list[Council]:
    ids = current_user.council_ids_for(Role.COUNCIL_OFFICER)
    return list(db.session.scalars(select(Council).where(Council.id.in_(ids))
                                   .order_by(Council.name))) if ids else []


def _scores(councils: list[Council]) -> list[CouncilQualityScore]:
    ids = [c.id for c in councils]
    return list(db.session.scalars(
        select(CouncilQualityScore).where(CouncilQualityScore.council_id.in_(ids))
        .join(ProviderOrganisation, ProviderOrganisation.id == CouncilQualityScore.provider_id)
        .order_by(ProviderOrganisation.name, CouncilQualityScore.id))) if ids else []


@bp.get("")
@roles(Role.COUNCIL_OFFICER)
def index():
    councils = _councils()
    words = (request.args.get("q") or "").strip()[:100]
    found = []
    if words:
        found = list(db.session.scalars(
            select(ProviderOrganisation).where(
                ProviderOrganisation.status == VettingStatus.APPROVED,
                func.lower(ProviderOrganisation.name).contains(words.lower(), autoescape=True))
            .order_by(ProviderOrganisation.name).limit(FOUND_AT_MOST)))
    scores = _scores(councils)
    names = dict(db.session.execute(select(ProviderOrganisation.id, ProviderOrganisation.name)
                                    .where(ProviderOrganisation.id.in_(
                                        [s.provider_id for s in scores]))).all())
    return render_template("ratings/quality/index.html", councils=councils, words=words,
                           found=found, scores=scores, provider_names=names)


@bp.route("/<int:provider_id>", methods=["GET", "POST"])
@roles(Role.COUNCIL_OFFICER)
def edit(provider_id: int):
    provider = db.session.get(ProviderOrganisation, provider_id)
    if provider is None or provider.status is not VettingStatus.APPROVED:
        abort(404)
    councils = _councils()
    if not councils:
        abort(403)
    existing = {s.council_id: s for s in db.session.scalars(
        select(CouncilQualityScore).where(CouncilQualityScore.provider_id == provider.id,
                                          CouncilQualityScore.council_id.in_(
                                              [c.id for c in councils])))}
    form = QualityScoreForm()
    form.council.choices = [SelectChoice(str(c.id), c.name) for c in councils]
    if request.method == "GET":
        form.council.data = str(councils[0].id)
        current = existing.get(councils[0].id)
        if current is not None:
            form.score.data, form.assessed_on.data = current.score, current.assessed_on
    if form.validate_on_submit():
        council_id = int(form.council.data)
        score = existing.get(council_id)
        before = None if score is None else {"score": score.score,
                                             "assessed_on": score.assessed_on.isoformat()}
        if score is None:
            score = CouncilQualityScore(council_id=council_id, provider_id=provider.id)
            db.session.add(score)
        score.score, score.assessed_on = form.score.data, form.assessed_on.data
        db.session.flush()
        record(db.session, "quality_score.set", "council_quality_score", score.id,
               {"provider_id": provider.id, "council_id": council_id, "before": before,
                "score": score.score, "assessed_on": score.assessed_on.isoformat()})
        db.session.commit()
        flash(_("The quality score of %(provider)s is saved.", provider=provider.name),
              "success")
        return redirect(url_for("quality_scores.index"))
    status = 200 if request.method == "GET" else 400
    return render_template("ratings/quality/edit.html", form=form, provider=provider,
                           existing=existing, councils=councils,
                           remove_form=RemoveScoreForm()), status


class RemoveScoreForm(FlaskForm):
    council = HiddenField()


@bp.post("/<int:provider_id>/remove")
@roles(Role.COUNCIL_OFFICER)
def remove(provider_id: int):
    """Remove this officer's council's score of the provider (the form on the edit
    page names the council; only the officer's own councils' scores can go)."""
    provider = db.session.get(ProviderOrganisation, provider_id)
    if provider is None:
        abort(404)
    form = RemoveScoreForm()
    mine = {c.id for c in _councils()}
    chosen = form.council.data or ""
    if not form.validate_on_submit() or not chosen.isdigit() or int(chosen) not in mine:
        flash(_("Choose one of your councils' scores to remove."), "error")
        return redirect(url_for("quality_scores.edit", provider_id=provider.id))
    score = db.session.scalar(select(CouncilQualityScore).where(
        CouncilQualityScore.provider_id == provider.id,
        CouncilQualityScore.council_id == int(chosen)))
    if score is None:
        flash(_("There was no score to remove."), "info")
        return redirect(url_for("quality_scores.index"))
    record(db.session, "quality_score.removed", "council_quality_score", score.id,
           {"provider_id": provider.id, "council_id": score.council_id, "score": score.score,
            "assessed_on": score.assessed_on.isoformat()})
    db.session.delete(score)
    db.session.commit()
    flash(_("The quality score of %(provider)s is removed.", provider=provider.name), "success")
    return redirect(url_for("quality_scores.index"))


def init_app(app) -> None:
    app.register_blueprint(bp)
