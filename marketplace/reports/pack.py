"""The "market position" pack: every published report for the chosen filters in
one PDF a council could publish. It is drawn from the same suppressed ``Report``
objects as the pages, so it can show nothing the pages hide."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from marketplace.money import format_pence
from marketplace.pdffonts import FAMILY, a4_document
from marketplace.reports.charts import chart_for
from marketplace.reports.filters import ReportFilters, category_label
from marketplace.reports.tables import Kind, Report, Table

BLUE = (29, 112, 184)
MAX_PDF_COLUMNS = 9


def _text(column, value, gone: bool) -> str:
    if gone:
        return _("fewer than 5") if column.kind is Kind.COUNT else _("not shown")
    if value is None:
        return "–"
    if column.kind is Kind.PENCE:
        return format_pence(value)
    if column.kind is Kind.PERCENT:
        return f"{value:.1f}%"
    if column.kind is Kind.NUMBER:
        return f"{value:.1f}"
    if column.kind is Kind.COUNT:
        return f"{value:,}"
    return str(value)


def _bars(pdf, table: Table) -> None:
    chart = chart_for(table)
    if chart is None or not chart.bars:
        return
    room = pdf.epw - 70 - 25
    widest = max((b.width for b in chart.bars), default=1) or 1
    pdf.set_font(FAMILY, "", 7)
    for bar in chart.bars:
        if pdf.will_page_break(5):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_x(pdf.l_margin)
        pdf.cell(68, 4.5, bar.label[:48], align="R")
        if bar.value is None:
            pdf.cell(0, 4.5, " " + _("not shown"), new_x="LMARGIN", new_y="NEXT")
            continue
        length = room * bar.width / widest
        pdf.set_fill_color(*BLUE)
        pdf.rect(pdf.l_margin + 70, y + 0.5, max(length, 0.3), 3.5, style="F")
        pdf.set_x(pdf.l_margin + 70 + length + 1)
        pdf.cell(0, 4.5, _text(chart.column, bar.value, False), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _table(pdf, table: Table) -> None:
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(0, 7, table.caption, new_x="LMARGIN", new_y="NEXT")
    if table.description:
        pdf.set_font(FAMILY, "", 9)
        pdf.multi_cell(0, 5, table.description, new_x="LMARGIN", new_y="NEXT")
    if table.chart:
        _bars(pdf, table)
    pdf.set_font(FAMILY, "", 7 if len(table.columns) > 6 else 8)
    lines = [cells for _row, cells in table.shown()]
    total = table.shown_total()
    # A wide table (a grid with many areas) is printed in slices of columns, each
    # repeating the first (label) column, so every cell has room on an A4 page.
    rest = list(range(1, len(table.columns)))
    for start in range(0, max(len(rest), 1), MAX_PDF_COLUMNS - 1):
        keep = [0] + rest[start:start + MAX_PDF_COLUMNS - 1]
        aligns = tuple("RIGHT" if table.columns[i].numeric else "LEFT" for i in keep)
        with pdf.table(text_align=aligns, line_height=4.5, first_row_as_headings=True) as out:
            out.row([table.columns[i].label for i in keep])
            for cells in lines:
                out.row([_text(*cells[i]) for i in keep])
            if total is not None:
                out.row([(total[0][1] if total[0][1] is not None else _("Total")) if i == 0
                         else _text(*total[i]) for i in keep])
            if not table.rows:
                out.row([_("Nothing in this period.")] + [""] * (len(keep) - 1))
        pdf.ln(2)
    pdf.ln(2)


def market_position_pdf(filters: ReportFilters, reports: list[Report]) -> bytes:
    title = _("Market position: %(council)s", council=filters.council_name)
    period = _("%(start)s to %(end)s", start=format_date(filters.starts_on, "d MMMM yyyy"),
               end=format_date(filters.ends_on, "d MMMM yyyy"))
    pdf = a4_document(title, filters.council_name)
    pdf.set_font(FAMILY, "B", 20)
    pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 11)
    scope = [period]
    if filters.district:
        scope.append(_("area %(district)s", district=filters.district))
    if filters.category:
        scope.append(category_label(filters.category))
    pdf.multi_cell(0, 6, " · ".join(scope), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(0, 5, _("Totals only. Any figure about fewer than 5 people is shown as "
                           "“fewer than 5” or “not shown”, and other figures are hidden where "
                           "they would let it be worked out. No part of this document names "
                           "anyone."), new_x="LMARGIN", new_y="NEXT")
    for report in reports:
        pdf.add_page()
        pdf.set_font(FAMILY, "B", 16)
        pdf.multi_cell(0, 9, report.title, new_x="LMARGIN", new_y="NEXT")
        if report.intro:
            pdf.set_font(FAMILY, "", 10)
            pdf.multi_cell(0, 5.5, report.intro, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        for headline in report.headlines:
            pdf.set_font(FAMILY, "B", 10)
            pdf.cell(110, 6, headline.label[:70])
            pdf.set_font(FAMILY, "", 10)
            pdf.cell(0, 6, _text(headline, headline.value, headline.value is None),
                     new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        for table in report.tables:
            _table(pdf, table)
    return bytes(pdf.output())
