"""Invoicing: invoice runs from delivered support, invoices, credit notes and ISF
statements, settlement on the budget ledger, payments received, and reconciliation.

For other packages (e.g. ``invoicing.payments``), the stable names are:

- models (``marketplace.invoicing.models``): ``Invoice`` (kind invoice / credit_note /
  statement; ``payer_kind`` council / managed_account / person; ``status`` issued,
  approved, part_paid, paid, credited, drawn; ``net_pence``/``vat_pence``/
  ``gross_pence``, ``credited_pence``, ``paid_pence``, ``balance_pence``),
  ``InvoiceLine``, ``InvoicePayment``, ``InvoiceQuery``; ``ProviderBillingTerms``,
  ``ServiceVatRate``, ``InvoiceNumberCounter`` (in ``terms``);
- services (``marketplace.invoicing.services``): ``approve(session, invoice, actor)``,
  ``issue_credit_note(session, invoice, lines_or_amount, reason, actor)``,
  ``record_payment(session, invoice, amount_pence, *, method, reference, key,
  paid_on)``, ``record_refund(session, invoice, amount_pence, *, method, reference,
  key, refunded_on)``; errors are ``InvoicingError`` (``.message`` to show);
- runs (``marketplace.invoicing.runs``): ``run_invoices(session, provider,
  period_start, period_end, *, actor=None) -> RunResult`` and ``run_due``;
- access (``marketplace.invoicing.access``): who may see an invoice.
"""

from flask import Blueprint

bp = Blueprint("invoicing", __name__, url_prefix="/invoices")


def init_app(app) -> None:
    from marketplace.invoicing import cli, views  # noqa: F401 - the modules add routes
    from marketplace.invoicing.minder import budget_documents

    app.register_blueprint(bp)
    cli.init_cli(app)
    # The Budget Minder's "Invoices and payments" (templates/invoicing/_budget_documents.html)
    app.add_template_global(budget_documents, "budget_documents")
