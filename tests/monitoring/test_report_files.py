"""The monitoring report (DOCX, PDF, XLSX) and a monitoring act (DOCX, PDF), read back: Kyrgyz text with ө ү ң,
figures computed here from the workspace, places to sign for the members present, the period filter, and bad input
refused with exit 1 and nothing written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as read_docx
from openpyxl import load_workbook
from pypdf import PdfReader

from pbtools.fmt import money, number
from pbtools.monitoring.follow.blocks import status_name
from pbtools.monitoring.follow.service import FollowService
from pbtools.monitoring import STATUSES, MonitoringService, is_overdue, status_label
from pbtools.monitoring.period_files import write_act, write_monitoring_report
from pbtools.storage import open_workspace

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 1)


def pdf_text(path: Path) -> str:
    """The PDF's text, no-break spaces as plain ones (as the extraction gives them)."""
    return "\n".join(page.extract_text() for page in PdfReader(path).pages).replace("\xa0", " ")


def flat(text: str) -> str:
    return text.replace("\xa0", " ")


def docx_tables(path: Path) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in read_docx(str(path)).tables]


def docx_text(path: Path) -> str:
    doc = read_docx(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def figures(monitoring_year):
    with open_workspace(monitoring_year) as ws:
        svc = MonitoringService(ws)
        return {"projects": svc.projects(), "acts": svc.acts(), "members": {m.id: m.name for m in svc.members(True)},
                "follow": FollowService(ws).follow()}


def test_report_pdf_in_kyrgyz_has_the_workspace_figures(monitoring_year, figures, tmp_path):
    out = tmp_path / "report.pdf"
    with open_workspace(monitoring_year) as ws:
        write_monitoring_report(ws, "pdf", "ky", out, today=TODAY)
    text = pdf_text(out)
    assert "Мониторинг боюнча отчет" in text and all(letter in text for letter in "өүң")
    projects = figures["projects"]
    planned = sum((p.planned.total for p in projects), Decimal(0))
    assert flat(money(planned, "ky")) in text
    for status in STATUSES:
        count = sum(p.status == status for p in projects)
        assert f"{status_label(status, 'ky')} {flat(number(count, 'ky'))} " in text
    for act in figures["acts"]:
        assert act.id in text
    late = [a for a in figures["acts"] if is_overdue(a, TODAY)]
    assert late and all(f"{a.id} актысы: айыл өкмөтүнүн жообу" in text for a in late)
    assert "Бюджет угуунун чечимин аткардыбы?" in text
    missing = sum((r.missing for r in figures["follow"].not_funded), Decimal(0))
    assert flat(money(missing, "ky")) in text


def test_report_docx_tables_add_up(monitoring_year, figures, tmp_path):
    out = tmp_path / "report.docx"
    with open_workspace(monitoring_year) as ws:
        write_monitoring_report(ws, "docx", "ru", out, today=TODAY)
    tables = docx_tables(out)
    by_status = tables[0]
    assert by_status[0] == ["Статус", "Проекты", "Плановая стоимость", "Фактическая стоимость"]
    projects = figures["projects"]
    for status, row in zip(STATUSES, by_status[1:]):
        ps = [p for p in projects if p.status == status]
        assert row == [status_label(status, "ru"), number(len(ps), "ru"), money(sum((p.planned.total for p in ps), Decimal(0)), "ru"),
                       money(sum((p.actual.total for p in ps), Decimal(0)), "ru")]
    assert by_status[-1][1] == number(len(projects), "ru")
    follow_table = next(t for t in tables if t[0][1] == "Приоритет")
    assert len(follow_table) - 1 == len(figures["follow"].rows)


def test_report_xlsx_holds_the_raw_figures(monitoring_year, figures, tmp_path):
    out = tmp_path / "report.xlsx"
    with open_workspace(monitoring_year) as ws:
        write_monitoring_report(ws, "xlsx", "en", out, today=TODAY)
    book = load_workbook(out)
    *rows, total = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert sum(r[1] for r in rows) == len(figures["projects"]) == total[1] and total[0] == "Total"  # as the PDF's
    assert Decimal(str(sum(r[2] for r in rows))) == sum((p.planned.total for p in figures["projects"]), Decimal(0)) == Decimal(str(total[2]))
    assert len(list(book.worksheets[3].iter_rows(min_row=2))) == len(figures["acts"])
    follow = list(book.worksheets[4].iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[6]) for r in follow] == [(float(r.cost), status_name(r.status, "en")) for r in figures["follow"].rows]


def test_report_xlsx_has_real_money_and_day_cells(monitoring_year, tmp_path):
    """The trial: «2,350,000.5» (format #,##0.##) and days as text."""
    from datetime import datetime

    with open_workspace(monitoring_year) as ws:
        svc = MonitoringService(ws)
        p = svc.projects()[1]
        svc.update(svc_actor(), p.id, actual=type(p.actual)(Decimal("1300000.50")))
        write_monitoring_report(ws, "xlsx", "ru", tmp_path / "report.xlsx", today=TODAY)
    sheet = load_workbook(tmp_path / "report.xlsx").worksheets[1]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == p.title("ru"))
    cost = row[header.index("Фактическая стоимость")]
    assert Decimal(str(cost.value)) == Decimal("1300000.50") and cost.number_format == "#,##0.00"
    assert row[header.index("Плановая стоимость")].number_format == "#,##0"  # whole som: no fraction shown
    start = row[header.index("Плановое начало")]
    assert isinstance(start.value, datetime) and start.value.date().isoformat() == p.planned_start
    assert start.number_format == "dd.mm.yyyy"  # a real date, shown as a Russian screen writes days


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_workbook_keeps_real_date_cells_shown_as_the_language_writes_days(monitoring_year, figures, tmp_path, lang):
    """The leftover: the report's days were ISO in every language (2026-12-07 on a ky/ru report)."""
    from datetime import datetime

    from pbtools.dates import shown_day

    with open_workspace(monitoring_year) as ws:
        write_monitoring_report(ws, "xlsx", lang, tmp_path / "report.xlsx", today=TODAY)
    book = load_workbook(tmp_path / "report.xlsx")
    wanted = {"ky": "dd.mm.yyyy", "ru": "dd.mm.yyyy", "en": "yyyy-mm-dd"}[lang]
    days = [c for sheet in book.worksheets for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, datetime)]
    projects, acts = book.worksheets[1], book.worksheets[3]
    assert {c.value.date().isoformat() for c in next(acts.iter_cols(min_col=2, max_col=2, min_row=2))} == {a.date for a in figures["acts"]}
    assert len(days) > len(figures["acts"]) + len(figures["projects"]) and {c.number_format for c in days} == {wanted}
    assert not [c.value for row in projects.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and ISO_DAY.search(c.value)]
    # a day inside a text (an overdue act's sentence, a response's day) is written as the language writes days
    overdue = [a for a in figures["acts"] if is_overdue(a, TODAY)]
    said = [r[0] for r in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    assert overdue and all(any(a.id in t and shown_day(a.response_due, lang) in t for t in said) for a in overdue)
    responded = [a for a in figures["acts"] if a.responses]
    cells = {r[0]: r[6] for r in acts.iter_rows(min_row=2, values_only=True)}
    assert responded and all(f"{shown_day(r.date, lang)}: {r.text}" in cells[a.id] for a in responded for r in a.responses)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_russian_workbook_s_days_as_russian_screens_do(monitoring_year, figures, tmp_path):
    """What a reader sees: the cell's format, applied by a real spreadsheet (the acts sheet, as CSV)."""
    from pbtools.dates import shown_day

    with open_workspace(monitoring_year) as ws:
        write_monitoring_report(ws, "xlsx", "ru", tmp_path / "report.xlsx", today=TODAY)
    subprocess.run(["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,4",
                    "--outdir", str(tmp_path), str(tmp_path / "report.xlsx")], check=True, capture_output=True, timeout=120,
                   env={**os.environ, "HOME": str(tmp_path)})
    import csv

    (acts,) = tmp_path.glob("report-*.csv")  # the sheet asked for, named after it
    header, *rows = list(csv.reader(acts.read_text(encoding="utf-8").splitlines()))
    assert header[1] == "Дата" and [r[1] for r in rows] == [shown_day(a.date, "ru") for a in figures["acts"]]
    assert [r[5] for r in rows] == [shown_day(a.response_due, "ru") for a in figures["acts"]]


@pytest.mark.parametrize("lang, fmt", [("ky", "docx"), ("ru", "docx"), ("en", "docx"), ("ru", "pdf")])  # one Document
def test_the_printed_report_writes_its_days_as_the_language_does(monitoring_year, figures, tmp_path, lang, fmt):
    from pbtools.dates import shown_day
    from pbtools.i18n import translator

    out = tmp_path / f"report.{fmt}"
    with open_workspace(monitoring_year) as ws:
        write_monitoring_report(ws, fmt, lang, out, today=TODAY)
    text, rows = _report_text_and_rows(out, fmt)
    written = text  # what the report wrote: without what the group typed (a response's text may hold an ISO day)
    for typed in sorted({t for a in figures["acts"] for t in (a.findings, a.recommendations, *(r.text for r in a.responses)) if t},
                        key=len, reverse=True):
        written = written.replace(" ".join(flat(typed).split()) if fmt == "pdf" else flat(typed), "")
    for a in figures["acts"]:
        assert shown_day(a.date, lang) in text and (not a.response_due or shown_day(a.response_due, lang) in text)
    for p in figures["projects"]:
        assert not p.planned_finish or shown_day(p.planned_finish, lang) in text
    if lang == "en":
        assert ISO_DAY.search(written)
    else:
        assert not ISO_DAY.search(written), ISO_DAY.findall(written)
    if fmt == "docx":
        (acts,) = [t for t in docx_tables(out) if t[0][:2] == [translator(lang)("Act"), translator(lang)("Date")]]
        assert [r[1] for r in acts[1:]] == [shown_day(a.date, lang) for a in figures["acts"]]


def svc_actor():
    from pbtools.roles import FACILITATOR, Actor

    return Actor("Гүлнара", FACILITATOR)


def test_the_period_keeps_its_acts(monitoring_year, figures, tmp_path):
    dates = sorted(a.date for a in figures["acts"])
    start = date.fromisoformat(dates[-1])
    out = tmp_path / "late.docx"
    with open_workspace(monitoring_year) as ws:
        write_monitoring_report(ws, "docx", "en", out, start=start, end=date(2026, 12, 31), today=TODAY)
    acts = next(t for t in docx_tables(out) if t[0][:2] == ["Act", "Date"])
    assert [row[0] for row in acts[1:]] == [a.id for a in figures["acts"] if a.date >= dates[-1]]
    assert len(acts) - 1 < len(figures["acts"])


def test_an_act_to_sign_in_each_format(monitoring_year, figures, tmp_path):
    act = next(a for a in figures["acts"] if a.photos) if any(a.photos for a in figures["acts"]) else figures["acts"][0]
    with open_workspace(monitoring_year) as ws:
        pdf = write_act(ws, act.id, "pdf", "ky", tmp_path / "act.pdf", today=TODAY)
        docx = write_act(ws, act.id, "docx", "ru", tmp_path / "act.docx", today=TODAY)
    text = pdf_text(pdf)
    assert f"{act.id} мониторинг актысы" in text and "Мониторинг тобунун мүчөсү" in text  # the id the app uses
    assert act.findings.split()[0] in text
    for member in act.members:
        assert figures["members"][member] in text
    words = docx_text(docx)
    assert f"Акт мониторинга {act.id}" in words
    signatures = [p.text for p in read_docx(str(docx)).paragraphs if p.text.startswith("Член группы мониторинга:")]
    assert len(signatures) == len(act.members) and all("______" in s for s in signatures)
    if act.photos:
        assert len(read_docx(str(docx)).inline_shapes) == len(act.photos)


def test_an_overdue_act_says_so(monitoring_year, figures, tmp_path):
    late = next(a for a in figures["acts"] if is_overdue(a, TODAY))
    with open_workspace(monitoring_year) as ws:
        out = write_act(ws, late.id, "pdf", "en", tmp_path / "late.pdf", today=TODAY)
    assert "The response is overdue" in pdf_text(out)


@pytest.mark.parametrize("args, words", [
    (("--from", "2026-13-01"), "2026-13-01"),
    (("--from", "2026-09-01", "--to", "2026-08-01"), "01.09.2026"),  # said as the language writes days
    (("--format", "xlsx", "--out", "/no/such/folder/r.xlsx"), "/no/such/folder"),
])
def test_cli_report_refuses_bad_input(monitoring_year, tmp_path, args, words):
    out = tmp_path / "r.pdf"
    result = run("monitoring", "report", "--out", str(out), "--workspace", str(monitoring_year), "--lang", "ru", *args)
    assert result.returncode == 1 and words in result.stderr
    assert not out.exists() and not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize("option", ["--from", "--to"])
def test_cli_report_says_a_bad_date_in_the_chosen_language(monitoring_year, tmp_path, lang, option):
    from pbtools.dates import not_a_date

    result = run("monitoring", "report", "--out", str(tmp_path / "r.pdf"), "--workspace", str(monitoring_year),
                 "--lang", lang, option, "2026-13-01")
    assert result.returncode == 1 and not_a_date("2026-13-01", option).render(lang) in result.stderr
    assert f"{option}: 2026-13-01" in result.stderr and "is not a date" not in result.stderr


def test_cli_report_and_act(monitoring_year, figures, tmp_path):
    out = tmp_path / "r.docx"
    result = run("monitoring", "report", "--format", "docx", "--lang", "ky", "--out", str(out), "--workspace", str(monitoring_year),
                 "--from", "2026-01-01", "--to", "2026-12-31")
    assert result.returncode == 0, result.stderr
    assert "Мониторинг боюнча отчет" in docx_text(out)
    missing = run("monitoring", "act", "A-1999-999", "--out", str(tmp_path / "a.pdf"), "--workspace", str(monitoring_year), "--lang", "ky")
    assert missing.returncode == 1 and "A-1999-999" in missing.stderr and not (tmp_path / "a.pdf").exists()
    act = figures["acts"][0]
    done = run("monitoring", "act", act.id, "--format", "docx", "--out", str(tmp_path / "a.docx"), "--workspace", str(monitoring_year))
    assert done.returncode == 0, done.stderr


def _report_text_and_rows(out: Path, fmt: str) -> tuple[str, list[list[str]]]:
    """The report's whole text and every table row (cells as text), read back from the file."""
    if fmt == "xlsx":
        rows = [[flat("" if c is None else str(c)) for c in row] for sheet in load_workbook(out) for row in sheet.iter_rows(values_only=True)]
        return "\n".join(" | ".join(r) for r in rows), rows
    if fmt == "docx":
        rows = [[flat(c) for c in row] for table in docx_tables(out) for row in table]
        return flat(docx_text(out)), rows
    return " ".join(pdf_text(out).split()), []  # cells wrap over lines: the words, one space apart


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_report_names_all_villages_marks_corrected_acts_and_writes_percents_alike(monitoring_year, figures, tmp_path, lang, fmt):
    from pbtools.fmt import percent
    from pbtools.i18n import translator

    _ = translator(lang)
    everywhere = [p for p in figures["projects"] if not p.village.strip()]
    corrected = [a for a in figures["acts"] if a.corrected_by]
    assert everywhere and corrected  # the demo has both: what is checked below is really there
    out = tmp_path / f"report.{fmt}"
    with open_workspace(monitoring_year) as ws:
        write_monitoring_report(ws, fmt, lang, out, today=TODAY)
    text, rows = _report_text_and_rows(out, fmt)
    all_villages = flat(_("All villages"))
    for a in corrected:
        assert flat(_("Corrected by act {act}", act=a.corrected_by)) in text, a.id
    if fmt == "pdf":  # a PDF has no cells to read: the words are in its text, next to the project
        assert all_villages in text
    else:
        for p in everywhere:
            (row,) = [r for r in rows if r and r[0] == p.title(lang) and len(r) >= 8]  # the projects table
            assert row[1] == all_villages
        corrected_rows = [r for r in rows if r and r[0] in {a.id for a in corrected}]
        assert len(corrected_rows) == len(corrected)
        assert all(flat(_("Corrected by act {act}", act=a.corrected_by)) in " ".join(r)
                   for a, r in zip(corrected, corrected_rows))
    if fmt != "xlsx":  # XLSX keeps raw numbers
        # every percent the report writes as pbtools.fmt does in this language ("60 %" in ky and ru, "60%" in en);
        # what the group typed (findings: the demo's are Kyrgyz, written as ky writes a percent) is left as typed
        gap = flat(percent(1, lang, 0))[len("100"):-1]
        written = text
        for typed in sorted({t for a in figures["acts"] for t in (a.findings, a.recommendations) if t}, key=len, reverse=True):
            written = written.replace(" ".join(flat(typed).split()) if fmt == "pdf" else flat(typed), "")
        assert {m for m in re.findall(r"\d( ?)%", written)} == {gap}
        if lang == "ky":  # the demo's Kyrgyz findings are written with pbtools.fmt too
            assert {m for m in re.findall(r"\d( ?)%", text)} == {gap}
        for p in figures["projects"]:
            assert flat(percent(Decimal(p.percent) / 100, lang, 0)) in text
