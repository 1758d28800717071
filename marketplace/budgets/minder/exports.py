"""A statement as CSV and as PDF, with the same lines and figures as the page.

PDF: fpdf2 (pure Python, installs with pip alone, no system libraries), with the
DejaVu Sans font vendored in static/fonts (``marketplace.pdffonts``), so Welsh ŵ
and ŷ keep their accents.
"""

from __future__ import annotations

import csv
import io

from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from marketplace.budgets.minder.statement import Statement
from marketplace.money import format_pence
from marketplace.pdffonts import FAMILY, unicode_pdf


def _plain(pence: int) -> str:
    """Pence as pounds for a spreadsheet: -1234.50, no symbol or separators."""
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"


def _day(value) -> str:
    return format_date(value, "d MMMM yyyy")


def lines(statement: Statement, budget, holder) -> list[tuple[str, str, str, int | None]]:
    """(section, date, description, pence) rows: the common content of every format."""
    rows: list[tuple[str, str, str, int | None]] = []
    rows.append((_("Opening balance"), _day(statement.starts_on), "",
                 statement.opening_pence))
    for m in statement.instalments:
        rows.append((_("Payment received"), _day(m.effective_on),
                     _describe(m, _("Council payment")), m.held_pence))
    rows.append((_("Total payments received"), "", "", statement.instalments_pence))
    for m in statement.contributions:
        rows.append((_("Own contribution"), _day(m.effective_on),
                     _describe(m, _("Contribution paid in")), m.held_pence))
    rows.append((_("Total own contributions"), "", "", statement.contributions_pence))
    for m in statement.spending:
        rows.append((_("Spending"), _day(m.effective_on),
                     _describe(m, m.provider or _("No provider recorded")), -m.held_pence))
    for name, pence in statement.spend_by_provider:
        rows.append((_("Spending by provider"), "", name or _("No provider recorded"), pence))
    rows.append((_("Total spending"), "", "", statement.spent_pence))
    for m in statement.commitments:
        rows.append((_("Set aside for orders"), _day(m.effective_on),
                     _describe(m, m.provider or ""), m.committed_pence))
    rows.append((_("Set aside for orders at the end of the period"),
                 _day(statement.ends_on), "", statement.committed_at_end_pence))
    rows.append((_("Closing balance"), _day(statement.ends_on), "",
                 statement.closing_pence))
    return rows


def _describe(m, fallback: str) -> str:
    parts = [m.provider] if m.provider and m.provider != fallback else []
    parts.append(m.description or fallback)
    text = ": ".join(p for p in parts if p)
    return _("%(text)s (correction)", text=text) if m.is_correction else text


def to_csv(statement: Statement, budget, holder) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Statement"), holder.full_name, budget.name,
                     _day(statement.starts_on), _day(statement.ends_on)])
    writer.writerow([_("Section"), _("Date"), _("Description"), _("Amount (£)")])
    for section, day, text, pence in lines(statement, budget, holder):
        writer.writerow([_safe_cell(section), day, _safe_cell(text),
                         "" if pence is None else _plain(pence)])
    return out.getvalue()


def _safe_cell(text: str) -> str:
    """Stop spreadsheet formula injection from names and descriptions."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_pdf(statement: Statement, budget, holder, council_name: str) -> bytes:
    pdf = unicode_pdf(format="A4")
    pdf.set_title(_("Statement for %(name)s", name=holder.full_name))
    pdf.set_author(council_name)
    pdf.set_lang(str(get_locale() or "en"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 16)
    pdf.cell(0, 10, _("Statement for %(name)s", name=holder.full_name),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 11)
    pdf.cell(0, 7, f"{budget.name} - {council_name}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, _("From %(start)s to %(end)s", start=_day(statement.starts_on),
                     end=_day(statement.ends_on)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (52, 30, 78, 30)
    pdf.set_font(FAMILY, "B", 9)
    for width, title in zip(widths, (_("Section"), _("Date"), _("Description"), _("Amount")),
                            strict=True):
        pdf.cell(width, 7, title, border="B")
    pdf.ln()
    for section, day, text, pence in lines(statement, budget, holder):
        bold = not day or section in (_("Opening balance"), _("Closing balance"))
        pdf.set_font(FAMILY, "B" if bold else "", 9)
        pdf.cell(widths[0], 6, section[:40])
        pdf.cell(widths[1], 6, day)
        pdf.cell(widths[2], 6, text[:60])
        pdf.cell(widths[3], 6, "" if pence is None else format_pence(pence),
                 align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
