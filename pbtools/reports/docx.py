"""A ``Document`` as an editable Word file (.docx), A4, in a font every Word has with Cyrillic (ң ө ү included)."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

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


def _table(doc, block: Table) -> None:
    t = doc.add_table(rows=1, cols=len(block.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = block.widths or (1,) * len(block.header)
    unit = TEXT_WIDTH / sum(widths)
    rows = [block.header, *block.rows]
    for r, values in enumerate(rows):
        cells = t.rows[0].cells if r == 0 else t.add_row().cells
        for c, value in enumerate(values):
            cell = cells[c]
            cell.width = int(unit * widths[c])
            para = cell.paragraphs[0]
            run = para.add_run(value)
            run.bold = r == 0 or (block.total and r == len(rows) - 1)
            run.font.size = Pt(10)
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
    tmp = out.with_name(out.name + ".part")
    doc.save(str(tmp))
    tmp.replace(out)
    return out
