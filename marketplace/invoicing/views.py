"""Invoicing pages for provider staff (``/invoices/provider``), finance officers
(``/invoices/council``) and the person or their representative with MONEY scope
(``/invoices/mine``). Each view declares who may use it; each document is checked
against the user (``access``)."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice  # noqa: F401 - choices are SelectChoice

from catalogue.models import ProviderOrganisation
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.roles import Role, Scope
from marketplace.db import db
from marketplace.invoicing import bp, documents, services
from marketplace.invoicing.access import (
    councils_invoice,
    finance_council_ids,
    member_provider_ids,
    owned_provider_ids,
    persons_invoice,
    providers_invoice,
)
from marketplace.invoicing.enums import InvoiceKind, InvoiceStatus, PayerKind
from marketplace.invoicing.errors import InvoicingError
from marketplace.invoicing.forms import CreditNoteForm, PeriodForm, QueryForm, TermsForm
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.payments.cards import payable_by_card
from marketplace.invoicing.reconcile import reconcile
from marketplace.invoicing.runs import run_due
from marketplace.invoicing.terms import ProviderBillingTerms
from marketplace.ledger.errors import LedgerError
from marketplace.security import person, roles, today

PAGE = 200


def _status_filter(query):
    raw = request.args.get("status", "")
    status = next((s for s in InvoiceStatus if s.value == raw), None)
    if status is not None:
        query = query.where(Invoice.status == status)
    return query, status


def _list(query):
    query, status = _status_filter(query)
    invoices = db.session.scalars(query.order_by(Invoice.issued_on.desc(), Invoice.id.desc())
                                  .limit(PAGE)).all()
    return invoices, status


def _download(invoice: Invoice, fmt: str) -> Response:
    council = current_app.config["COUNCIL_NAME"]
    name = f"{invoice.reference}.{fmt}"
    if fmt == "pdf":
        body, mimetype = documents.to_pdf(invoice, council), "application/pdf"
    else:
        body, mimetype = documents.to_csv(invoice, council), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _detail(invoice: Invoice, audience: str, form: QueryForm, **extra):
    return render_template("invoicing/invoice.html", invoice=invoice, audience=audience,
                           form=form, action=ActionForm(), **extra), 400 if form.errors else 200


def _add_query(invoice: Invoice, form: QueryForm, *, from_provider: bool, endpoint: str):
    try:
        services.add_query(db.session, invoice, current_user, form.body.data,
                           from_provider=from_provider, key=form.query_key.data)
    except InvoicingError as exc:
        form.body.errors.append(str(exc.message))
        return None
    db.session.commit()
    flash(_("Your message was added to the invoice."), "success")
    return redirect(url_for(endpoint, invoice_id=invoice.id))


# --- provider staff ------------------------------------------------------------------

@bp.get("/provider/")
@roles(Role.PROVIDER_STAFF)
def provider_list():
    ids = member_provider_ids()
    invoices, status = _list(select(Invoice).where(Invoice.provider_id.in_(ids or [-1])))
    providers = db.session.scalars(select(ProviderOrganisation).where(
        ProviderOrganisation.id.in_(ids or [-1])).order_by(ProviderOrganisation.name)).all()
    terms = {t.provider_id: t for t in db.session.scalars(select(ProviderBillingTerms).where(
        ProviderBillingTerms.provider_id.in_(ids or [-1])))}
    return render_template("invoicing/list.html", invoices=invoices, status=status,
                           audience="provider", providers=providers, terms=terms,
                           owned=owned_provider_ids(), action=ActionForm(),
                           statuses=list(InvoiceStatus))


def _run(provider_ids, endpoint):
    if not ActionForm().validate_on_submit():
        abort(400)
    created, failures = 0, []
    for provider_id in sorted(provider_ids):
        result = run_due(db.session, until=today(), provider_id=provider_id, actor=current_user)
        created += result.count
        failures += result.failures
    if failures:
        flash(_("Some periods could not be invoiced: %(reason)s", reason=failures[0][2]),
              "error")
    flash(_("Invoices and statements created: %(count)d.", count=created), "success")
    return redirect(url_for(endpoint))


@bp.post("/provider/run")
@roles(Role.PROVIDER_STAFF)
def provider_run():
    return _run(member_provider_ids(), "invoicing.provider_list")


@bp.route("/provider/terms/<int:provider_id>", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def provider_terms(provider_id: int):
    if provider_id not in owned_provider_ids():
        abort(404)
    provider = db.session.get(ProviderOrganisation, provider_id)
    terms = db.session.get(ProviderBillingTerms, provider_id)
    form = TermsForm()
    if request.method == "GET":
        form.period.data = terms.period.value if terms else "four_weekly"
        form.payment_terms_days.data = str(terms.payment_terms_days) \
            if terms and terms.payment_terms_days is not None else ""
    if form.validate_on_submit():
        if terms is None:
            terms = ProviderBillingTerms(provider_id=provider_id)
            db.session.add(terms)
        terms.period = form.period.data
        terms.payment_terms_days = form.days
        db.session.commit()
        flash(_("Your invoicing terms were saved."), "success")
        return redirect(url_for("invoicing.provider_list"))
    return render_template("invoicing/terms.html", form=form, provider=provider,
                           default_days=current_app.config["INVOICE_PAYMENT_TERMS_DAYS"]), \
        400 if form.errors else 200


@bp.route("/provider/<int:invoice_id>", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def provider_invoice(invoice_id: int):
    invoice = providers_invoice(invoice_id)
    form = QueryForm()
    if form.validate_on_submit():
        done = _add_query(invoice, form, from_provider=True,
                          endpoint="invoicing.provider_invoice")
        if done:
            return done
    return _detail(invoice, "provider", form,
                   can_credit=invoice.kind is InvoiceKind.INVOICE
                   and invoice.payable_pence > 0)


@bp.route("/provider/<int:invoice_id>/credit", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def provider_credit(invoice_id: int):
    invoice = providers_invoice(invoice_id)
    if invoice.kind is not InvoiceKind.INVOICE or invoice.payable_pence <= 0:
        abort(404)
    form = CreditNoteForm(most_pence=invoice.payable_pence)
    if form.validate_on_submit():
        try:
            note = services.issue_credit_note(db.session, invoice, form.pence,
                                              form.reason.data, current_user)
        except (InvoicingError, LedgerError) as exc:
            db.session.rollback()
            form.amount.errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("Credit note %(reference)s was issued.", reference=note.reference),
                  "success")
            return redirect(url_for("invoicing.provider_invoice", invoice_id=note.id))
    return render_template("invoicing/credit.html", invoice=invoice,
                           form=form), 400 if form.errors else 200


@bp.get("/provider/<int:invoice_id>/pdf")
@roles(Role.PROVIDER_STAFF)
def provider_pdf(invoice_id: int):
    return _download(providers_invoice(invoice_id), "pdf")


@bp.get("/provider/<int:invoice_id>/csv")
@roles(Role.PROVIDER_STAFF)
def provider_csv(invoice_id: int):
    return _download(providers_invoice(invoice_id), "csv")


# --- council finance officers ---------------------------------------------------------

@bp.get("/council/")
@roles(Role.FINANCE_OFFICER)
def council_list():
    query = select(Invoice).where(Invoice.council_id.in_(finance_council_ids() or [-1]))
    raw_payer = request.args.get("payer", "")
    payer = next((p for p in PayerKind if p.value == raw_payer), None)
    if payer is not None:
        query = query.where(Invoice.payer_kind == payer)
    invoices, status = _list(query)
    return render_template("invoicing/list.html", invoices=invoices, status=status,
                           audience="council", payer=payer, payers=list(PayerKind),
                           action=ActionForm(), statuses=list(InvoiceStatus))


@bp.post("/council/run")
@roles(Role.FINANCE_OFFICER)
def council_run():
    if not ActionForm().validate_on_submit():
        abort(400)
    result = run_due(db.session, until=today(), actor=current_user)
    if result.failures:
        flash(_("Some periods could not be invoiced: %(reason)s",
                reason=result.failures[0][2]), "error")
    flash(_("Invoices and statements created: %(count)d.", count=result.count), "success")
    return redirect(url_for("invoicing.council_list"))


def _council_approvable(invoice: Invoice) -> bool:
    return (invoice.kind is InvoiceKind.INVOICE and invoice.approved_on is None
            and invoice.payer_kind in (PayerKind.COUNCIL, PayerKind.MANAGED_ACCOUNT)
            and invoice.status is InvoiceStatus.ISSUED)


@bp.route("/council/<int:invoice_id>", methods=["GET", "POST"])
@roles(Role.FINANCE_OFFICER)
def council_invoice(invoice_id: int):
    invoice = councils_invoice(invoice_id)
    form = QueryForm()
    if form.validate_on_submit():
        done = _add_query(invoice, form, from_provider=False,
                          endpoint="invoicing.council_invoice")
        if done:
            return done
    return _detail(invoice, "council", form, can_approve=_council_approvable(invoice))


def _approve(invoice: Invoice, endpoint: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.approve(db.session, invoice, current_user, on=today())
    except (InvoicingError, LedgerError) as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("Invoice %(reference)s was approved for payment.",
                reference=invoice.reference), "success")
    return redirect(url_for(endpoint, invoice_id=invoice.id))


@bp.post("/council/<int:invoice_id>/approve")
@roles(Role.FINANCE_OFFICER)
def council_approve(invoice_id: int):
    invoice = councils_invoice(invoice_id)
    if not _council_approvable(invoice):
        abort(404)
    return _approve(invoice, "invoicing.council_invoice")


@bp.get("/council/<int:invoice_id>/pdf")
@roles(Role.FINANCE_OFFICER)
def council_pdf(invoice_id: int):
    return _download(councils_invoice(invoice_id), "pdf")


@bp.get("/council/<int:invoice_id>/csv")
@roles(Role.FINANCE_OFFICER)
def council_csv(invoice_id: int):
    return _download(councils_invoice(invoice_id), "csv")


@bp.get("/council/reconcile")
@roles(Role.FINANCE_OFFICER)
def council_reconcile():
    form = PeriodForm(request.args)
    result = None
    if form.validate():
        councils = sorted(finance_council_ids())
        result = reconcile(db.session, form.start.data, form.end.data,
                           council_id=councils[0] if councils else -1)
    return render_template("invoicing/reconcile.html", form=form if form.errors else None,
                           period=form, result=result), 400 if form.errors else 200


# --- the person (or their representative with MONEY scope) ----------------------------

@bp.get("/mine/")
@person(Scope.MONEY)
def person_list():
    invoices, status = _list(select(Invoice).where(Invoice.payer_user_id == g.person.id))
    return render_template("invoicing/list.html", invoices=invoices, status=status,
                           audience="person", statuses=list(InvoiceStatus))


def _person_approvable(invoice: Invoice) -> bool:
    return (invoice.kind is InvoiceKind.INVOICE and invoice.approved_on is None
            and invoice.status is InvoiceStatus.ISSUED)


@bp.route("/mine/<int:invoice_id>", methods=["GET", "POST"])
@person(Scope.MONEY)
def person_invoice(invoice_id: int):
    invoice = persons_invoice(invoice_id)
    form = QueryForm()
    if form.validate_on_submit():
        done = _add_query(invoice, form, from_provider=False,
                          endpoint="invoicing.person_invoice")
        if done:
            return done
    return _detail(invoice, "person", form, can_approve=_person_approvable(invoice),
                   can_pay_by_card=payable_by_card(invoice))


@bp.post("/mine/<int:invoice_id>/approve")
@person(Scope.MONEY)
def person_approve(invoice_id: int):
    invoice = persons_invoice(invoice_id)
    if not _person_approvable(invoice):
        abort(404)
    return _approve(invoice, "invoicing.person_invoice")


@bp.get("/mine/<int:invoice_id>/pdf")
@person(Scope.MONEY)
def person_pdf(invoice_id: int):
    return _download(persons_invoice(invoice_id), "pdf")


@bp.get("/mine/<int:invoice_id>/csv")
@person(Scope.MONEY)
def person_csv(invoice_id: int):
    return _download(persons_invoice(invoice_id), "csv")
