"""A ``Document`` as an editable Word file (.docx), A4, in a font every Word has with Cyrillic (ң ө ү included)."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from pbtools.paths import private_file
from pbtools.reports.columns import fit_columns
from pbtools.reports.document import Document, Fields, Heading, Image, Items, Paragraph, Signatures, Table

FONT = "Times New Roman"  # has the Kyrgyz letters in every Word since 2007; LibreOffice substitutes Liberation Serif
TEXT_WIDTH = Cm(17)


def _font(style, size: float, bold: bool = False) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)  # Word picks the font by script: set it for Cyrillic too


TABLE_SIZE, SMALLEST = 10.0, 7.0  # pt of a table's text; smaller only when the longest words do not fit otherwise
CELL_MARGIN = 1.0  # mm each side of a table's cell (Word's 1.9 mm leave too little room for eight columns)
CELL_PAD = 2 * CELL_MARGIN + 0.8  # and a little room for rounding
PT = 25.4 / 72  # mm


def _widths(block: Table) -> tuple[list[float], float]:
    """(column widths in mm, font size in pt) that give each column its longest word. Measured in DejaVu Serif:
    what LibreOffice sets Times New Roman in where it lacks it, and wider than Times New Roman, so the words fit in
    Word and in LibreOffice alike."""
    from PIL import ImageFont

    from pbtools.hearings.cards import font_path

    fonts = {False: ImageFont.truetype(str(font_path().with_name("DejaVuSerif.ttf")), 100),
             True: ImageFont.truetype(str(font_path().with_name("DejaVuSerif-Bold.ttf")), 100)}
    size = TABLE_SIZE
    while True:
        widths = fit_columns(block, lambda word, bold: fonts[bold].getlength(word) / 100 * size * PT, CELL_PAD, TEXT_WIDTH.mm)
        if widths is not None:
            return widths, size
        if size <= SMALLEST:  # words too long for A4 at any size: the columns as the table asks, Word breaks them
            weights = block.widths or (1,) * len(block.header)
            return [TEXT_WIDTH.mm * w / sum(weights) for w in weights], size
        size -= 0.5


def _table(doc, block: Table) -> None:
    t = doc.add_table(rows=1, cols=len(block.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths, size = _widths(block)
    # fixed layout, and the widths in the table's grid as well as in each cell: LibreOffice lays a table out by its
    # grid (python-docx makes its columns equal), Word by the cells
    t.autofit = False
    for column, width in zip(t.columns, widths):
        column.width = Mm(width)
    margins = OxmlElement("w:tblCellMar")  # python-docx has no word for the table's cell margins
    t._tbl.tblPr.append(margins)
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN / 25.4 * 1440)))  # twips
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    rows = [block.header, *block.rows]
    for r, values in enumerate(rows):
        cells = t.rows[0].cells if r == 0 else t.add_row().cells
        for c, value in enumerate(values):
            cell = cells[c]
            cell.width = Mm(widths[c])
            para = cell.paragraphs[0]
            run = para.add_run(value)
            run.bold = r == 0 or (block.total and r == len(rows) - 1)
            run.font.size = Pt(size)
            if r > 0 and block.numeric and block.numeric[c]:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def write_docx(document: Document, out: Path | str) -> Path:
    doc = new_docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    _font(doc.styles["Normal"], 11)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12)):
        _font(doc.styles[name], size, bold=True)
    doc.core_properties.title = document.title
    doc.core_properties.language = document.lang

    doc.add_paragraph(document.title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    if document.subtitle:
        doc.add_paragraph(document.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    section_number = 0
    for block in document.blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                section_number += 1
                doc.add_heading(f"{section_number}. {block.text}", level=1)
            else:
                doc.add_heading(block.text, level=2)
        elif isinstance(block, Paragraph):
            doc.add_paragraph().add_run(block.text).bold = block.bold
        elif isinstance(block, Items):
            for i, item in enumerate(block.items, start=1):
                doc.add_paragraph(f"{i}. {item}").paragraph_format.left_indent = Cm(0.6)
        elif isinstance(block, Fields):
            for label, value in block.rows:
                para = doc.add_paragraph()
                para.paragraph_format.space_after = Pt(2)
                para.add_run(f"{label}: ").bold = True
                para.add_run(value)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Image):
            doc.add_picture(io.BytesIO(block.png), width=TEXT_WIDTH)
            if block.caption:
                doc.add_paragraph(block.caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Signatures):
            for role, name in block.lines:
                para = doc.add_paragraph()
                para.paragraph_format.space_before = Pt(14)
                para.add_run(f"{role}: ").bold = True
                para.add_run(f"______________________  {name}")
    if document.footer:
        para = doc.add_paragraph()
        para.paragraph_format.space_before = Pt(18)
        run = para.add_run(document.footer)
        run.font.size = Pt(8)
    out = Path(out)
    with private_file(out) as tmp:
        doc.save(str(tmp))
    return out
