"""The council back office for budgets.

Council officers (for their own council's people) list a person's budgets, create
and change them, record the indicative and agreed amounts, challenges and their
decisions, the streams and how the money is held, and money received; they see
each budget's ledger. Finance officers see the balances of all their council's
budgets and each ledger, and correct entries by reversing them with a reason.
Administrators may do all of it for any council. Nothing here holds a rule of its
own: the services in marketplace.budgets.services and marketplace.ledger do.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from catalogue.models import ProviderOrganisation, VettingStatus
from catalogue.taxonomy import FundingStream
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.models import Council, User
from marketplace.accounts.roles import Role
from marketplace.budgets import services
from marketplace.budgets.enums import (
    BudgetKind,
    BudgetStatus,
    ChallengeDecision,
    ContributionBasis,
    ContributionMethod,
    HoldingMethod,
    PaymentFrequency,
)
from marketplace.budgets.forms import (
    AmountsForm,
    BudgetDetailsForm,
    ChallengeForm,
    CorrectionForm,
    DecisionForm,
    MoneyReceivedForm,
    NewBudgetForm,
)
from marketplace.budgets.models import Budget, BudgetChallenge
from marketplace.db import db
from marketplace.ledger import services as ledger
from marketplace.ledger.models import LedgerTransfer
from marketplace.security import roles, today

bp = Blueprint("budgets_council", __name__, url_prefix="/council/budgets")

OFFICERS = (Role.COUNCIL_OFFICER, Role.ADMINISTRATOR)
MONEY_STAFF = (Role.COUNCIL_OFFICER, Role.FINANCE_OFFICER, Role.ADMINISTRATOR)
FINANCE = (Role.FINANCE_OFFICER, Role.ADMINISTRATOR)
PAGE_SIZE = 25


def _councils(*staff_roles: Role) -> set[int] | None:
    """Council ids the current person works for in these roles; None means all."""
    if current_user.has_role(Role.ADMINISTRATOR):
        return None
    return current_user.council_ids_for(*staff_roles)


def _budget(budget_id: int, *staff_roles: Role) -> Budget:
    """404 if there is no such budget; 403 if it belongs to another council."""
    budget = db.session.get(Budget, budget_id)
    if budget is None:
        abort(404)
    councils = _councils(*staff_roles)
    if councils is not None and budget.council_id not in councils:
        abort(403)
    return budget


def _holder(user_id: int) -> tuple[User, Council]:
    """A budget holder of a council this officer works for (404 / 403 otherwise)."""
    holder = db.session.get(User, user_id)
    if holder is None or not holder.has_role(Role.BUDGET_HOLDER):
        abort(404)
    theirs = holder.council_ids_for(Role.BUDGET_HOLDER)
    councils = _councils(Role.COUNCIL_OFFICER)
    shared = theirs if councils is None else theirs & councils
    if not shared:
        abort(403)
    return holder, db.session.get(Council, min(shared))


def _status(form) -> int:
    return 200 if request.method == "GET" or not form.errors else 400


def _refused(form, exc, fallback: str) -> None:
    """Show a service's refusal by the field it is about (or ``fallback``)."""
    name = getattr(exc, "field", None)
    aliases = {"streams": "share_adult_social_care", "holdings": "held_direct_payment",
               "organisation_name": "managed_by", "provider": "isf_provider",
               "indicative": "amount", "up_to": fallback}
    name = aliases.get(name, name)
    if name not in form._fields:
        name = fallback
    form[name].errors = [str(exc.message)]


def _provider_named(name: str | None) -> ProviderOrganisation | None:
    name = (name or "").strip()
    if not name:
        return None
    return db.session.scalar(select(ProviderOrganisation).where(
        func.lower(ProviderOrganisation.name) == name.lower(),
        ProviderOrganisation.status == VettingStatus.APPROVED).limit(1))


# --- a person's budgets ---------------------------------------------------------

@bp.get("/people/<int:user_id>")
@roles(*OFFICERS)
def person_budgets(user_id: int):
    holder, _council = _holder(user_id)
    councils = _councils(Role.COUNCIL_OFFICER)
    query = select(Budget).where(Budget.holder_id == holder.id)
    if councils is not None:
        query = query.where(Budget.council_id.in_(councils))
    budgets = db.session.scalars(query.order_by(Budget.period_starts_on.desc(),
                                                Budget.id)).all()
    figures = ledger.balances_for_budgets(db.session, [b.id for b in budgets])
    return render_template("budgets/council/person.html", holder=holder, budgets=budgets,
                           figures=figures)


def _detail_args(form: BudgetDetailsForm) -> dict:
    basis = ContributionBasis(form.contribution_basis.data)
    return {
        "name": form.name.data, "kind": BudgetKind(form.kind.data),
        "nhs_body": form.nhs_body.data,
        "period_starts_on": form.period_starts_on.data,
        "period_ends_on": form.period_ends_on.data,
        "payment_frequency": PaymentFrequency(form.payment_frequency.data),
        "instalment_pence": form.instalment.pence or None,
        "first_payment_on": form.first_payment_on.data,
        "contribution_basis": basis,
        "contribution_weekly_pence": form.contribution_weekly.pence,
        "contribution_basis_points": form.contribution_percent.basis_points,
        "contribution_method": ContributionMethod(form.contribution_method.data)
        if form.contribution_method.data and basis is not ContributionBasis.NONE else None,
    }


def _about_the_person(form: BudgetDetailsForm, budget: Budget) -> None:
    """The optional primary support reason and year of birth (for reports' counts)."""
    budget.client_group = form.chosen_client_group
    budget.birth_year = form.birth_year.data


@bp.route("/people/<int:user_id>/new", methods=["GET", "POST"])
@roles(*OFFICERS)
def new_budget(user_id: int):
    holder, council = _holder(user_id)
    form = NewBudgetForm()
    if request.method == "GET":
        start = today().replace(month=4, day=1)
        if start > today():
            start = start.replace(year=start.year - 1)
        form.period_starts_on.data = start
        form.period_ends_on.data = start.replace(year=start.year + 1, month=3, day=31)
        form.kind.data = BudgetKind.PERSONAL_BUDGET.value
        form.contribution_basis.data = ContributionBasis.NONE.value
        form.payment_frequency.data = PaymentFrequency.FOUR_WEEKLY.value
        form.method.data = HoldingMethod.DIRECT_PAYMENT.value
    if form.validate_on_submit():
        method = HoldingMethod(form.method.data)
        provider = _provider_named(form.held_by.data)
        spec = services.HoldingSpec(
            method, form.amount.pence or 0,
            organisation_name=form.held_by.data if method is HoldingMethod.MANAGED_ACCOUNT
            else None,
            provider_id=provider.id if provider else None)
        try:
            if method is HoldingMethod.INDIVIDUAL_SERVICE_FUND and provider is None:
                raise services.BudgetError(_("Enter the name of an approved provider"),
                                           "held_by")
            budget = services.create_budget(
                db.session, holder=holder, council=council,
                indicative_pence=form.amount.pence or 0,
                streams={FundingStream(form.stream.data): form.amount.pence or 0},
                holdings=[spec], actor=current_user, **_detail_args(form))
            _about_the_person(form, budget)
        except services.BudgetError as exc:
            db.session.rollback()
            _refused(form, exc, "held_by" if exc.field in ("organisation_name", "provider")
                     else "amount" if exc.field in ("streams", "holdings") else "name")
        else:
            db.session.commit()
            flash(_("The budget has been created."), "success")
            return redirect(url_for("budgets_council.budget", budget_id=budget.id))
    return render_template("budgets/council/new.html", form=form, holder=holder), \
        _status(form)


# --- one budget ---------------------------------------------------------------------

@bp.get("/<int:budget_id>")
@roles(*OFFICERS)
def budget(budget_id: int):
    budget = _budget(budget_id, Role.COUNCIL_OFFICER)
    return render_template(
        "budgets/council/budget.html", budget=budget,
        figures=ledger.balances(db.session, budget),
        by_stream=ledger.balances_by_stream(db.session, budget),
        recent=list(reversed(ledger.transfers(db.session, budget)))[:10],
        schedule=services.scheduled_amounts(budget), today=today(),
        pending=[c for c in budget.challenges if c.decision is ChallengeDecision.PENDING],
        action_form=ActionForm())


@bp.route("/<int:budget_id>/change", methods=["GET", "POST"])
@roles(*OFFICERS)
def change(budget_id: int):
    budget = _budget(budget_id, Role.COUNCIL_OFFICER)
    form = BudgetDetailsForm(obj=budget if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = budget.kind.value
        form.payment_frequency.data = budget.payment_frequency.value
        form.instalment.data = f"{budget.instalment_pence / 100:.2f}" \
            if budget.instalment_pence else ""
        form.contribution_basis.data = budget.contribution_basis.value
        form.contribution_weekly.data = f"{budget.contribution_weekly_pence / 100:.2f}" \
            if budget.contribution_weekly_pence else ""
        form.contribution_percent.data = str(budget.contribution_percent.normalize()) \
            if budget.contribution_basis_points else ""
        form.contribution_method.data = budget.contribution_method.value \
            if budget.contribution_method else None
        form.client_group.data = budget.client_group.value if budget.client_group else ""
    if form.validate_on_submit():
        try:
            services.change_budget(db.session, budget, actor=current_user,
                                   **_detail_args(form))
            _about_the_person(form, budget)
        except services.BudgetError as exc:
            db.session.rollback()
            _refused(form, exc, "name")
        else:
            db.session.commit()
            flash(_("The budget's details have been saved."), "success")
            return redirect(url_for("budgets_council.budget", budget_id=budget.id))
    return render_template("budgets/council/change.html", form=form, budget=budget), \
        _status(form)


def _pounds(pence: int | None) -> str:
    return f"{pence / 100:.2f}" if pence else ""


@bp.route("/<int:budget_id>/amounts", methods=["GET", "POST"])
@roles(*OFFICERS)
def amounts(budget_id: int):
    budget = _budget(budget_id, Role.COUNCIL_OFFICER)
    form = AmountsForm()
    if budget.status is not BudgetStatus.INDICATIVE:
        del form.agreed
    if request.method == "GET":
        form.amount.data = _pounds(budget.allocation_pence)
        for stream, field in form.stream_fields():
            field.data = _pounds(budget.stream_shares.get(stream))
        for holding in budget.holdings:
            form[f"held_{holding.method.value}"].data = _pounds(holding.amount_pence)
            if holding.method is HoldingMethod.MANAGED_ACCOUNT:
                form.managed_by.data = holding.organisation_name
            if holding.method is HoldingMethod.INDIVIDUAL_SERVICE_FUND and holding.provider:
                form.isf_provider.data = holding.provider.name
    if form.validate_on_submit():
        shares = {s: f.pence for s, f in form.stream_fields() if f.pence}
        isf = _provider_named(form.isf_provider.data)
        holdings = [services.HoldingSpec(
            m, f.pence, organisation_name=form.managed_by.data
            if m is HoldingMethod.MANAGED_ACCOUNT else None,
            provider_id=isf.id if isf and m is HoldingMethod.INDIVIDUAL_SERVICE_FUND else None)
            for m, f in form.holding_fields() if f.pence]
        agreed = "agreed" not in form or form.agreed.data == "yes"
        try:
            if form.isf_provider.data and isf is None:
                raise services.BudgetError(_("No approved provider has that name"),
                                           "isf_provider")
            if agreed:
                services.agree_allocation(db.session, budget, form.amount.pence or 0,
                                          streams=shares or None, holdings=holdings or None,
                                          actor=current_user)
            else:
                services.set_indicative(db.session, budget, form.amount.pence or 0,
                                        streams=shares or None, holdings=holdings or None,
                                        actor=current_user)
        except services.BudgetError as exc:
            db.session.rollback()
            _refused(form, exc, "amount")
        else:
            db.session.commit()
            flash(_("The amounts have been saved."), "success")
            return redirect(url_for("budgets_council.budget", budget_id=budget.id))
    return render_template("budgets/council/amounts.html", form=form, budget=budget), \
        _status(form)


@bp.route("/<int:budget_id>/challenges/new", methods=["GET", "POST"])
@roles(*OFFICERS)
def new_challenge(budget_id: int):
    budget = _budget(budget_id, Role.COUNCIL_OFFICER)
    form = ChallengeForm()
    if request.method == "GET":
        form.raised_on.data = today()
    if form.validate_on_submit():
        try:
            services.record_challenge(
                db.session, budget, raised_on=form.raised_on.data,
                raised_by=form.raised_by.data, grounds=form.grounds.data,
                requested_pence=form.requested.pence, actor=current_user)
        except services.BudgetError as exc:
            db.session.rollback()
            _refused(form, exc, "grounds")
        else:
            db.session.commit()
            flash(_("The challenge has been recorded."), "success")
            return redirect(url_for("budgets_council.budget", budget_id=budget.id))
    return render_template("budgets/council/challenge.html", form=form, budget=budget), \
        _status(form)


@bp.route("/challenges/<int:challenge_id>/decide", methods=["GET", "POST"])
@roles(*OFFICERS)
def decide_challenge(challenge_id: int):
    challenge = db.session.get(BudgetChallenge, challenge_id)
    if challenge is None:
        abort(404)
    budget = _budget(challenge.budget_id, Role.COUNCIL_OFFICER)
    form = DecisionForm()
    if request.method == "GET":
        form.decided_on.data = today()
    if form.validate_on_submit():
        try:
            services.decide_challenge(
                db.session, challenge, decision=ChallengeDecision(form.decision.data),
                reason=form.reason.data, decided_on=form.decided_on.data,
                new_indicative_pence=form.new_amount.pence, actor=current_user)
        except services.BudgetError as exc:
            db.session.rollback()
            _refused(form, exc, "reason")
        else:
            db.session.commit()
            flash(_("The decision has been recorded."), "success")
            return redirect(url_for("budgets_council.budget", budget_id=budget.id))
    return render_template("budgets/council/decide.html", form=form, budget=budget,
                           challenge=challenge), _status(form)


@bp.route("/<int:budget_id>/money-received", methods=["GET", "POST"])
@roles(*OFFICERS)
def money_received(budget_id: int):
    budget = _budget(budget_id, Role.COUNCIL_OFFICER)
    form = MoneyReceivedForm()
    form.stream.choices = [SelectChoice(s.stream.value, s.stream.label)
                           for s in budget.streams]
    if request.method == "GET":
        form.received_on.data = today()
        form.source.data = "instalment"
        form.submission.data = secrets.token_urlsafe(24)
    if form.validate_on_submit():
        stream = FundingStream(form.stream.data)
        # One key per form shown: sending the same form twice records the money once.
        key = f"council:{budget.id}:received:{form.submission.data}"
        try:
            if form.source.data == "instalment":
                ledger.record_instalment(db.session, budget, form.amount.pence,
                                         stream=stream, received_on=form.received_on.data,
                                         key=key, description=form.note.data or "",
                                         actor=current_user)
            else:
                ledger.record_contribution(db.session, budget, form.amount.pence,
                                           stream=stream, received_on=form.received_on.data,
                                           key=key, description=form.note.data or "",
                                           actor=current_user)
        except ledger.LedgerError as exc:
            db.session.rollback()
            form.amount.errors = [str(exc.message)]
        else:
            db.session.commit()
            flash(_("The money received has been recorded."), "success")
            return redirect(url_for("budgets_council.budget", budget_id=budget.id))
    return render_template("budgets/council/money_received.html", form=form,
                           budget=budget), _status(form)


@bp.post("/<int:budget_id>/scheduled-payments")
@roles(*OFFICERS)
def scheduled_payments(budget_id: int):
    budget = _budget(budget_id, Role.COUNCIL_OFFICER)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        posted = services.record_scheduled_instalments(db.session, budget, up_to=today(),
                                                       actor=current_user)
    except services.BudgetError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("Payments recorded: %(count)s.", count=len(posted)), "success")
    return redirect(url_for("budgets_council.budget", budget_id=budget.id))


# --- ledgers, balances and corrections -------------------------------------------

@bp.get("/<int:budget_id>/ledger")
@roles(*MONEY_STAFF)
def ledger_page(budget_id: int):
    budget = _budget(budget_id, Role.COUNCIL_OFFICER, Role.FINANCE_OFFICER)
    entries = ledger.transfers(db.session, budget)
    reversed_ids = {t.reverses_id for t in entries if t.reverses_id}
    return render_template(
        "budgets/council/ledger.html", budget=budget, entries=entries,
        reversed_ids=reversed_ids, figures=ledger.balances(db.session, budget),
        by_stream=ledger.balances_by_stream(db.session, budget),
        may_correct=current_user.has_role(*FINANCE))


@bp.route("/entries/<int:transfer_id>/correct", methods=["GET", "POST"])
@roles(*FINANCE)
def correct(transfer_id: int):
    transfer = db.session.get(LedgerTransfer, transfer_id)
    if transfer is None:
        abort(404)
    budget = _budget(transfer.budget_id, Role.FINANCE_OFFICER)
    form = CorrectionForm()
    already = db.session.scalar(select(LedgerTransfer).where(
        LedgerTransfer.reverses_id == transfer.id))
    if form.validate_on_submit():
        try:
            if already is not None:
                raise ledger.LedgerError(_("This entry was already corrected on %(date)s",
                                           date=format_date(already.effective_on,
                                                            "d MMMM yyyy")))
            ledger.correct(db.session, transfer, reason=form.reason.data, actor=current_user,
                           key=f"correction:{transfer.id}", on=max(today(),
                                                                   transfer.effective_on))
        except ledger.LedgerError as exc:
            db.session.rollback()
            form.reason.errors = [str(exc.message)]
        else:
            db.session.commit()
            flash(_("The entry has been reversed."), "success")
            return redirect(url_for("budgets_council.ledger_page", budget_id=budget.id))
    return render_template("budgets/council/correct.html", form=form, budget=budget,
                           transfer=transfer), _status(form)


@bp.get("/finance")
@roles(*FINANCE)
def finance():
    councils = _councils(Role.FINANCE_OFFICER)
    query = select(Budget, User.full_name).join(User, User.id == Budget.holder_id)
    if councils is not None:
        query = query.where(Budget.council_id.in_(councils))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    raw = request.args.get("page", "1")
    page = int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1
    rows = db.session.execute(query.order_by(User.full_name, Budget.id)
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    figures = ledger.balances_for_budgets(db.session, [b.id for b, _name in rows])
    all_ids = select(Budget.id)
    if councils is not None:
        all_ids = all_ids.where(Budget.council_id.in_(councils))
    totals = ledger.balances_for_budgets(db.session, db.session.scalars(all_ids).all())
    summed = {name: sum(getattr(f, name) for f in totals.values()) for name in (
        "allocated_pence", "received_pence", "committed_pence", "spent_pence",
        "available_pence")}
    return render_template("budgets/council/finance.html", rows=rows, figures=figures,
                           total=total, page=page, page_size=PAGE_SIZE, summed=summed)
