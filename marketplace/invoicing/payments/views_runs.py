"""Payment runs for finance officers (their own council's only), the payment file and
the remittance advice (also open to the provider's own members)."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from catalogue.models import ProviderMember
from marketplace.accounts.models import Council
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.invoicing.payments import bank, files, runs, runs_bp
from marketplace.invoicing.payments.forms import CancelRunForm, ConfirmRunForm, NewRunForm
from marketplace.invoicing.payments.models import PaymentRun, RunStatus
from marketplace.mail import email_user
from marketplace.security import roles, today

log = logging.getLogger(__name__)


def _council() -> Council:
    ids = sorted(current_user.council_ids_for(Role.FINANCE_OFFICER))
    if not ids:
        g.forbidden_reason = _("You are not a finance officer of any council.")
        abort(403)
    return db.session.get(Council, ids[0])


def _run(run_id: int) -> PaymentRun:
    run = db.session.get(PaymentRun, run_id)
    if run is None:
        abort(404)
    if run.council_id not in current_user.council_ids_for(Role.FINANCE_OFFICER):
        abort(403)
    return run


@runs_bp.get("")
@roles(Role.FINANCE_OFFICER)
def index():
    council = _council()
    return render_template("invoicing/payments/runs.html", council=council,
                           runs=runs.runs_for(db.session, {council.id}))


def _due_by():
    from datetime import date

    raw = request.args.get("due_by", "")
    try:
        return date.fromisoformat(raw) if raw else today()
    except ValueError:
        return today()


@runs_bp.route("/new", methods=["GET", "POST"])
@roles(Role.FINANCE_OFFICER)
def new_run():
    council = _council()
    due_by = _due_by()
    invoices = runs.candidates(db.session, council.id, due_by)
    banks = runs.bank_details_by_provider(db.session, (i.provider_id for i in invoices))
    form = NewRunForm()
    form.invoice_ids.choices = [SelectChoice(str(i.id), i.reference) for i in invoices
                                if i.provider_id in banks]
    if request.method == "GET":
        form.invoice_ids.data = [c.value for c in form.invoice_ids.choices]
        form.pay_on.data = today() + timedelta(days=3)
    error = None
    if form.validate_on_submit():
        if form.pay_on.data < today():
            form.pay_on.errors = [str(_l("The payment date must be today or later"))]
        else:
            try:
                run = runs.create_run(db.session, council.id, current_user, form.chosen_ids,
                                      due_by=due_by, pay_on=form.pay_on.data)
                db.session.commit()
            except runs.PaymentRunError as exc:
                db.session.rollback()
                error = str(exc.message)
            except IntegrityError:
                db.session.rollback()
                error = _("Some of the invoices you chose were added to another payment run "
                          "just now. Nothing was saved: choose again.")
            else:
                flash(_("Payment run %(ref)s is ready. Check the totals, then confirm it.",
                        ref=run.reference), "success")
                return redirect(url_for("payment_runs.show", run_id=run.id))
    status = 400 if request.method == "POST" else 200
    return render_template("invoicing/payments/new_run.html", council=council, form=form,
                           invoices=invoices, banks=banks, due_by=due_by, error=error,
                           totals=runs.totals_by_provider(
                               [i for i in invoices if i.provider_id in banks])), status


@runs_bp.get("/<int:run_id>")
@roles(Role.FINANCE_OFFICER)
def show(run_id: int):
    run = _run(run_id)
    return render_template("invoicing/payments/run.html", run=run,
                           totals=runs.totals_by_provider(run.items),
                           payees=files.payees(run), confirm_form=ConfirmRunForm(),
                           cancel_form=CancelRunForm())


@runs_bp.post("/<int:run_id>/confirm")
@roles(Role.FINANCE_OFFICER)
def confirm(run_id: int):
    run = _run(run_id)
    if not ConfirmRunForm().validate_on_submit():
        abort(400)
    was_paid = run.status is RunStatus.PAID
    try:
        runs.confirm_run(db.session, run, current_user)
        db.session.commit()
    except runs.PaymentRunError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("payment_runs.show", run_id=run.id))
    if run.status is RunStatus.PAID and not was_paid:
        _send_remittances(run)
        db.session.commit()
        flash(ngettext("Payment run %(ref)s is confirmed: %(num)d invoice is marked paid. "
                       "Download the payment file for the bank.",
                       "Payment run %(ref)s is confirmed: %(num)d invoices are marked paid. "
                       "Download the payment file for the bank.",
                       sum(1 for i in run.items if i.status.value == "paid"),
                       ref=run.reference), "success")
    return redirect(url_for("payment_runs.show", run_id=run.id))


def _send_remittances(run: PaymentRun) -> None:
    for payee in files.payees(run):
        provider = payee.items[0].provider
        for owner in bank._owner_users(db.session, provider):
            email_user(db.session, owner, _l("Remittance advice: %(council)s has paid "
                                             "%(name)s", council=run.council.name,
                                             name=provider.name),
                       "invoicing/payments/email/remittance.txt", run=run, payee=payee,
                       provider=provider, link=url_for(
                           "payment_runs.remittance", run_id=run.id,
                           provider_id=provider.id, _external=True))


@runs_bp.post("/<int:run_id>/cancel")
@roles(Role.FINANCE_OFFICER)
def cancel(run_id: int):
    run = _run(run_id)
    if not CancelRunForm().validate_on_submit():
        abort(400)
    try:
        runs.cancel_run(db.session, run)
        db.session.commit()
    except runs.PaymentRunError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("payment_runs.show", run_id=run.id))
    flash(_("Payment run %(ref)s was cancelled. Its invoices can go in another run.",
            ref=run.reference), "success")
    return redirect(url_for("payment_runs.index"))


@runs_bp.get("/<int:run_id>/payment-file.csv")
@roles(Role.FINANCE_OFFICER)
def payment_file(run_id: int):
    run = _run(run_id)
    if run.status is not RunStatus.PAID:
        abort(404)
    return Response(files.payment_file(run), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{run.reference}-payments.csv"'})


def _remittance_run(run_id: int, provider_id: int) -> PaymentRun:
    """Finance officers of the run's council, or members of the provider."""
    run = db.session.get(PaymentRun, run_id)
    if run is None or run.status is not RunStatus.PAID:
        abort(404)
    finance = run.council_id in current_user.council_ids_for(Role.FINANCE_OFFICER)
    member = db.session.scalar(select(exists().where(
        ProviderMember.provider_id == provider_id, ProviderMember.user_id == current_user.id)))
    if not (finance or member):
        abort(403)
    if not files.remittance_items(run, provider_id):
        abort(404)
    return run


@runs_bp.get("/<int:run_id>/remittance/<int:provider_id>")
@roles(Role.FINANCE_OFFICER, Role.PROVIDER_STAFF)
def remittance(run_id: int, provider_id: int):
    run = _remittance_run(run_id, provider_id)
    items = files.remittance_items(run, provider_id)
    details = bank.details_for(db.session, provider_id)
    return render_template("invoicing/payments/remittance.html", run=run, items=items,
                           provider=items[0].provider, details=details,
                           account_ending=items[0].account_number[-4:],
                           total=sum(i.amount_pence for i in items))


@runs_bp.get("/<int:run_id>/remittance/<int:provider_id>.csv")
@roles(Role.FINANCE_OFFICER, Role.PROVIDER_STAFF)
def remittance_csv(run_id: int, provider_id: int):
    run = _remittance_run(run_id, provider_id)
    return _remittance_file(run, provider_id, files.remittance_csv(run, provider_id), "csv")


@runs_bp.get("/<int:run_id>/remittance/<int:provider_id>.pdf")
@roles(Role.FINANCE_OFFICER, Role.PROVIDER_STAFF)
def remittance_pdf(run_id: int, provider_id: int):
    run = _remittance_run(run_id, provider_id)
    return _remittance_file(run, provider_id, files.remittance_pdf(run, provider_id), "pdf")


def _remittance_file(run: PaymentRun, provider_id: int, body, fmt: str) -> Response:
    return Response(body, mimetype="application/pdf" if fmt == "pdf" else "text/csv",
                    headers={"Content-Disposition": 'attachment; filename='
                             f'"{run.reference}-remittance-{provider_id}.{fmt}"'})
