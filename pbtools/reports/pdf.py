"""A ``Document`` as PDF (A4), typeset in DejaVu Sans (shipped with matplotlib) so ң ө ү print on any machine."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from pbtools.hearings.cards import font_path
from pbtools.paths import private_file
from pbtools.reports.columns import fit_columns
from pbtools.reports.document import Document, Fields, Heading, Image, Items, Paragraph, Signatures, Table

FONT = "DejaVu"
WIDTH = 180.0  # mm of text on A4 with 15 mm margins


class _PDF(FPDF):
    page_label = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.page_label} — {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


KEEP_WITH_HEADING = 30  # mm: a heading and the first lines of its section


def _text(pdf: FPDF, text: str, size: float = 10, bold: bool = False, align: str = "L", height: float = 5) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(WIDTH, height, text, align=align, new_x="LMARGIN", new_y="NEXT")


TABLE_SIZE = 8.5  # pt; smaller (down to SMALLEST) only when the longest words do not fit otherwise
SMALLEST = 6.5


def column_widths(pdf: FPDF, block: Table, size: float) -> list[float] | None:
    """Widths in mm that give every column at least the room of its longest word (so "финансируется" is never cut
    into "финансируе/тся") and share the rest as ``block.widths`` ask; None when the words do not fit at ``size``."""

    def measure(word: str, bold: bool) -> float:
        pdf.set_font(FONT, "B" if bold else "", size)
        return pdf.get_string_width(word)

    # the cell's inner margins, and a little room for rounding
    return fit_columns(block, measure, 2 * pdf.c_margin + 1.0, WIDTH)


def _table(pdf: FPDF, block: Table) -> None:
    size, widths = TABLE_SIZE, None
    while widths is None:
        widths = column_widths(pdf, block, size)
        if widths is None and size <= SMALLEST:  # words too long for A4 at any size: let fpdf break them
            widths = list(block.widths or (1,) * len(block.header))
        elif widths is None:
            size -= 0.5
    pdf.set_font(FONT, size=size)
    aligns = tuple("RIGHT" if block.numeric and block.numeric[i] else "LEFT" for i in range(len(block.header)))
    with pdf.table(col_widths=widths, width=WIDTH, text_align=aligns, line_height=4.6,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 242)), first_row_as_headings=True) as t:
        for r, values in enumerate((block.header, *block.rows)):
            bold = block.total and r == len(block.rows)
            row = t.row(style=FontFace(emphasis="BOLD") if bold else None)
            for value in values:
                row.cell(value)
    pdf.ln(3)


def write_pdf(document: Document, out: Path | str) -> Path:
    pdf = _PDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FONT, "", str(font_path()))
    pdf.add_font(FONT, "B", str(font_path().with_name("DejaVuSans-Bold.ttf")))
    pdf.set_title(document.title)
    pdf.set_lang(document.lang)
    pdf.set_creator("pbtools")
    pdf.page_label = document.subtitle or document.title
    pdf.add_page()
    _text(pdf, document.title, 15, bold=True, align="C", height=7)
    if document.subtitle:
        _text(pdf, document.subtitle, 11, align="C")
    pdf.ln(4)
    section_number = 0
    for block in document.blocks:
        if isinstance(block, Heading):
            if pdf.will_page_break(KEEP_WITH_HEADING):  # a heading never ends a page: it goes over with what follows
                pdf.add_page()
            if block.level == 1:
                section_number += 1
                pdf.ln(3)
                _text(pdf, f"{section_number}. {block.text}", 12.5, bold=True, height=6.5)
            else:
                pdf.ln(2)
                _text(pdf, block.text, 11, bold=True, height=6)
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            _text(pdf, block.text, bold=block.bold)
        elif isinstance(block, Items):
            for i, item in enumerate(block.items, start=1):
                _text(pdf, f"{i}. {item}")
        elif isinstance(block, Fields):
            for label, value in block.rows:
                pdf.set_font(FONT, "B", 10)
                head = f"{label}: "
                width = min(pdf.get_string_width(head) + 1, WIDTH / 2)
                pdf.multi_cell(width, 5, head, new_x="RIGHT", new_y="TOP")
                pdf.set_font(FONT, "", 10)
                pdf.multi_cell(WIDTH - width, 5, value, new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Image):
            pdf.image(io.BytesIO(block.png), w=WIDTH)
            if block.caption:
                _text(pdf, block.caption, 9, align="C")
            pdf.ln(2)
        elif isinstance(block, Signatures):
            for role, name in block.lines:
                pdf.ln(6)
                pdf.set_font(FONT, "B", 10)
                pdf.cell(70, 6, role)
                pdf.set_font(FONT, "", 10)
                pdf.cell(55, 6, "", border="B")
                pdf.cell(55, 6, f"  {name}", new_x="LMARGIN", new_y="NEXT")
    if document.footer:
        pdf.ln(8)
        pdf.set_text_color(90)
        _text(pdf, document.footer, 7, height=3.6)
        pdf.set_text_color(0)
    out = Path(out)
    with private_file(out) as tmp:
        pdf.output(str(tmp))
    return out
