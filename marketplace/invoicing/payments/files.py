"""The payment file for the bank and the remittance advice for each provider (CSV, and
PDF: fpdf2 with DejaVu Sans, as invoices are made by ``invoicing.documents``).

The payment file has one line per payee (a provider's invoices in a run are paid
together, as a remittance advice lists them): payee name, sort code, account number,
amount and the run's reference, in the plain CSV that bank bulk-payment uploads take.
Names are cut to BACS's 18 characters of A-Z, 0-9, space and . & / -.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from marketplace.invoicing.documents import long_day
from marketplace.invoicing.payments.models import ItemStatus, PaymentRun, PaymentRunItem
from marketplace.money import format_pence
from marketplace.pdffonts import FAMILY, a4_document

_NOT_BACS = re.compile(r"[^A-Z0-9 .&/-]")


def bacs_name(name: str) -> str:
    return _NOT_BACS.sub("", name.upper().replace("'", ""))[:18].strip() or "PAYEE"


def pounds(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


def _safe(value: str) -> str:
    """No spreadsheet formulas from data (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@dataclass(frozen=True)
class Payee:
    provider_id: int
    name: str
    sort_code: str
    account_number: str
    amount_pence: int
    items: tuple[PaymentRunItem, ...]


def payees(run: PaymentRun) -> list[Payee]:
    grouped: dict[tuple, list[PaymentRunItem]] = {}
    for item in run.items:
        if item.status is ItemStatus.PAID:
            key = (item.provider_id, item.payee_name, item.sort_code, item.account_number)
            grouped.setdefault(key, []).append(item)
    return [Payee(pid, name, sort, number, sum(i.amount_pence for i in items), tuple(items))
            for (pid, name, sort, number), items in sorted(grouped.items(),
                                                           key=lambda kv: kv[0][1])]


def payment_file(run: PaymentRun) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Payee name", "Sort code", "Account number", "Amount", "Reference"])
    for payee in payees(run):
        writer.writerow([bacs_name(payee.name), payee.sort_code, payee.account_number,
                         pounds(payee.amount_pence), run.reference])
    return out.getvalue()


def remittance_items(run: PaymentRun, provider_id: int) -> list[PaymentRunItem]:
    return [i for i in run.items if i.provider_id == provider_id
            and i.status is ItemStatus.PAID]


def remittance_csv(run: PaymentRun, provider_id: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Payment reference", "Paid on", "Invoice", "Invoice date", "Period",
                     "Amount paid"])
    for item in remittance_items(run, provider_id):
        invoice = item.invoice
        writer.writerow([run.reference, run.pay_on.isoformat(), _safe(invoice.reference),
                         invoice.issued_on.isoformat(),
                         f"{invoice.period_start.isoformat()} to "
                         f"{invoice.period_end.isoformat()}", pounds(item.amount_pence)])
    return out.getvalue()


def remittance_pdf(run: PaymentRun, provider_id: int) -> bytes:
    """The provider's remittance advice as a PDF: the same figures as its page."""
    items = remittance_items(run, provider_id)
    provider = items[0].provider
    heading = _("Remittance advice %(ref)s", ref=run.reference)
    pdf = a4_document(heading, run.council.name)
    pdf.set_font(FAMILY, "B", 16)
    pdf.cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(0, 6, run.council.name, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, value in (
            (_("Paid to"), provider.name),
            (_("Into the account ending"), items[0].account_number[-4:]),
            (_("Payment date"), long_day(run.pay_on)),
            (_("Payment reference"), run.reference),
            (_("Total paid"), format_pence(sum(i.amount_pence for i in items)))):
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(55, 6, label)
        pdf.set_font(FAMILY, "", 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(0, 8, _("Invoices paid"), new_x="LMARGIN", new_y="NEXT")
    widths = (35, 40, 80, 35)
    pdf.set_font(FAMILY, "B", 9)
    for n, (width, title) in enumerate(zip(widths, (_("Invoice"), _("Issued"), _("Period"),
                                                    _("Amount paid")), strict=True)):
        pdf.cell(width, 7, title, border="B", align="R" if n == 3 else "L")
    pdf.ln()
    pdf.set_font(FAMILY, "", 9)
    for item in items:
        invoice = item.invoice
        period = f"{long_day(invoice.period_start)} – {long_day(invoice.period_end)}"
        for n, (width, value) in enumerate(zip(widths, (
                invoice.reference, long_day(invoice.issued_on), period,
                format_pence(item.amount_pence)), strict=True)):
            pdf.cell(width, 6, value, align="R" if n == 3 else "L")
        pdf.ln()
    return bytes(pdf.output())
