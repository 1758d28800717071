"""Every invoice, credit note and ISF statement as PDF and CSV, with the same lines
and figures as its page. PDF: fpdf2 with DejaVu Sans (``marketplace.pdffonts``), so
Welsh text keeps its accents."""

from __future__ import annotations

import csv
import io

from flask_babel import format_date
from flask_babel import gettext as _

from marketplace.invoicing.enums import InvoiceKind
from marketplace.invoicing.models import Invoice
from marketplace.money import format_pence
from marketplace.ordering.schedule import units_text
from marketplace.pdffonts import FAMILY, a4_document


def _plain(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"


def long_day(value) -> str:
    return format_date(value, "d MMMM yyyy") if value else ""


def _safe_cell(text: str) -> str:
    """Stop spreadsheet formula injection from names and descriptions."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def title(invoice: Invoice) -> str:
    return _("%(kind)s %(reference)s", kind=invoice.kind.label, reference=invoice.reference)


def header(invoice: Invoice, council_name: str) -> list[tuple[str, str]]:
    """(label, value) pairs shown above the lines."""
    rows = [
        (_("From"), invoice.provider_name),
        (_("Provider's address"), invoice.provider_address or "-"),
        (_("To"), invoice.payer_name),
        (_("Period"), _("%(start)s to %(end)s", start=long_day(invoice.period_start),
                        end=long_day(invoice.period_end))),
        (_("Issued on"), long_day(invoice.issued_on)),
    ]
    if invoice.provider_email:
        rows.insert(2, (_("Provider's e-mail"), invoice.provider_email))
    if invoice.kind is InvoiceKind.INVOICE:
        rows.append((_("Due on"), long_day(invoice.due_on)))
    if invoice.kind is InvoiceKind.CREDIT_NOTE and invoice.credits_invoice is not None:
        rows.append((_("Credits invoice"), invoice.credits_invoice.reference))
        rows.append((_("Reason"), invoice.reason or ""))
    if invoice.kind is InvoiceKind.STATEMENT:
        rows.append((_("Copy to"), council_name))
    return rows


def columns() -> list[str]:
    return [_("Date"), _("Description"), _("Quantity"), _("Unit price"), _("VAT rate"),
            _("Net"), _("VAT"), _("Total")]


def to_csv(invoice: Invoice, council_name: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_safe_cell(title(invoice))])
    for label, value in header(invoice, council_name):
        writer.writerow([label, _safe_cell(value)])
    writer.writerow([])
    writer.writerow([*columns(), _("Order"), _("Delivery record"), _("Budget"),
                     _("Funding stream")])
    for line in invoice.lines:
        writer.writerow([
            line.occurred_on.isoformat() if line.occurred_on else "",
            _safe_cell(line.description), units_text(line.quantity_hundredths),
            _plain(line.unit_price_pence), line.vat_rate.label, _plain(line.net_pence),
            _plain(line.vat_pence), _plain(line.gross_pence), line.order_id or "",
            line.delivery_record_id or "", line.budget_id or "", line.funding_stream or ""])
    writer.writerow([])
    writer.writerow([_("Net"), _plain(invoice.net_pence)])
    writer.writerow([_("VAT"), _plain(invoice.vat_pence)])
    writer.writerow([_("Total"), _plain(invoice.gross_pence)])
    return out.getvalue()


def to_pdf(invoice: Invoice, council_name: str) -> bytes:
    pdf = a4_document(title(invoice), invoice.provider_name)
    pdf.set_font(FAMILY, "B", 16)
    pdf.cell(0, 10, title(invoice), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    for label, value in header(invoice, council_name):
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(45, 6, label)
        pdf.set_font(FAMILY, "", 10)
        pdf.multi_cell(0, 6, value or "-", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (22, 62, 16, 20, 20, 17, 15, 18)
    pdf.set_font(FAMILY, "B", 8)
    for width, heading in zip(widths, columns(), strict=True):
        pdf.cell(width, 7, heading, border="B")
    pdf.ln()
    pdf.set_font(FAMILY, "", 8)
    for line in invoice.lines:
        values = (line.occurred_on.strftime("%d/%m/%Y") if line.occurred_on else "",
                  line.description[:44], units_text(line.quantity_hundredths),
                  format_pence(line.unit_price_pence), line.vat_rate.label[:14],
                  format_pence(line.net_pence), format_pence(line.vat_pence),
                  format_pence(line.gross_pence))
        for n, (width, value) in enumerate(zip(widths, values, strict=True)):
            pdf.cell(width, 6, str(value), align="R" if n >= 5 else "L")
        pdf.ln()
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 10)
    for label, pence in ((_("Net"), invoice.net_pence), (_("VAT"), invoice.vat_pence),
                         (_("Total"), invoice.gross_pence)):
        pdf.cell(150, 7, label, align="R")
        pdf.cell(40, 7, format_pence(pence), align="R", new_x="LMARGIN", new_y="NEXT")
    if invoice.vat_pence == 0:
        pdf.set_font(FAMILY, "", 9)
        pdf.multi_cell(0, 6, _("Care and support services are exempt from VAT."),
                       new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
