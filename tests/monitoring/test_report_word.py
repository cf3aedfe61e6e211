"""The Word monitoring report keeps its words whole: each table's columns are as wide as their longest words (a sum
such as "1 150 000 сом" is one word), in the table's grid (what LibreOffice lays out by) as in its cells (Word)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from PIL import ImageFont

from pbtools.fmt import money
from pbtools.hearings.cards import font_path
from pbtools.monitoring import MonitoringService, status_label
from pbtools.monitoring.period_files import write_monitoring_report
from pbtools.storage import open_workspace

TODAY = date(2026, 12, 1)
TWIP = 25.4 / 1440  # mm


def grid_and_cells(table) -> tuple[list[float], list[list[float]]]:
    grid = [int(g.get(qn("w:w"))) * TWIP for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    cells = [[int(c._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) * TWIP for c in row.cells] for row in table.rows]
    return grid, cells


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_each_column_of_the_word_report_holds_its_longest_word(monitoring_year, tmp_path, lang):
    with open_workspace(monitoring_year) as ws:
        out = write_monitoring_report(ws, "docx", lang, tmp_path / "r.docx", today=TODAY)
    doc = read_docx(str(out))
    serif = {False: ImageFont.truetype(str(font_path().with_name("DejaVuSerif.ttf")), 100),
             True: ImageFont.truetype(str(font_path().with_name("DejaVuSerif-Bold.ttf")), 100)}
    assert len(doc.tables) >= 3
    for table in doc.tables:
        grid, cells = grid_and_cells(table)
        assert all(row == pytest.approx(grid, abs=0.1) for row in cells)  # LibreOffice's grid is Word's cells
        assert sum(grid) == pytest.approx(170, abs=1)  # the A4 page's text width
        size = float(table.rows[1].cells[0].paragraphs[0].runs[0].font.size.pt)
        for c, width in enumerate(grid):
            words = [(w, r == 0) for r, row in enumerate(table.rows) for w in row.cells[c].text.split(" ")]
            widest = max(serif[bold].getlength(w) / 100 * size * 25.4 / 72 for w, bold in words)
            assert widest + 2 <= width, (lang, table.rows[0].cells[c].text, widest, width)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler-utils is not installed")
def test_libreoffice_prints_the_statuses_and_sums_of_the_word_report_whole(monitoring_year, tmp_path):
    """The trial opened the Word report in LibreOffice: «Заверше|н», «1 150 00|0 сом»."""
    with open_workspace(monitoring_year) as ws:
        out = write_monitoring_report(ws, "docx", "ru", tmp_path / "report.docx", today=TODAY)
        projects = MonitoringService(ws).projects()
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)], check=True,
                   capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\xa0", " ")
    table = text[text.index("Проекты: план и факт"):text.index("Просроченное")]  # the table of the trial's shot
    for p in projects:
        assert status_label(p.status, "ru") in table
        assert money(p.planned.total, "ru").replace("\xa0", " ") in table
    for word in ("Плановая", "Фактическая", "стоимость", "окончание"):
        assert word in table


@pytest.mark.parametrize("with_budget", [False, True])
def test_the_printed_report_tells_the_council_no_command_to_run(request, tmp_path, with_budget):
    """The trial: the report for the assembly said «загрузите его командой pbtools budget import FILE»; with the budget,
    its «to be matched» part said «pbtools monitoring match PRIORITY CODE»."""
    from pypdf import PdfReader

    from pbtools.i18n import translator

    folder = request.getfixturevalue("monitoring_year" if with_budget else "demo_copy")
    wanted = ("No budget line has been matched to these priorities yet; the sector's money shown is only a hint." if with_budget
              else "The adopted budget of {year} is not yet in the monitoring records: whether it funds the hearings' priorities cannot be said yet.")
    for lang in ("ky", "ru", "en"):
        with open_workspace(folder) as ws:
            docx = write_monitoring_report(ws, "docx", lang, tmp_path / f"r-{lang}.docx", today=TODAY)
            pdf = write_monitoring_report(ws, "pdf", lang, tmp_path / f"r-{lang}.pdf", today=TODAY)
        doc = read_docx(str(docx))
        text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
        printed = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
        for shown in (text, printed):
            assert "pbtools budget" not in shown and "pbtools monitoring" not in shown and "FILE" not in shown
        assert translator(lang)(wanted, year=2027) in text
