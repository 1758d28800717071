"""A Unicode font for PDFs made with fpdf2: DejaVu Sans, vendored in static/fonts/
with its licence (free: the Bitstream Vera licence; DejaVu changes are public
domain). fpdf2's built-in Helvetica covers Latin-1 only and would lose Welsh ŵ and ŷ;
DejaVu Sans has them, and fpdf2 embeds only the glyphs a document uses."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FAMILY = "DejaVu"


def unicode_pdf(**kwargs) -> FPDF:
    """An FPDF document with DejaVu Sans (regular and bold) as family ``FAMILY``."""
    pdf = FPDF(**kwargs)
    pdf.add_font(FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_font(FAMILY, "", 11)
    return pdf


def a4_document(title: str, author: str) -> FPDF:
    """An A4 ``unicode_pdf`` with its title, author and language (the page's) set, page
    breaks 15 mm from the foot, and its first page added: ready to write on."""
    from flask_babel import get_locale

    pdf = unicode_pdf(format="A4")
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_lang(str(get_locale() or "en"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    return pdf
