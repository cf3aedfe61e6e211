"""Writing a hearing's protocol or an export from a workspace: what ``pbtools report``/``pbtools export`` and the
console's Reports tab call. ``progress(done, total, message)`` is told before each step (``message`` is a ``Msg``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Callable

from pbtools.budget.summary import citizens_budget
from pbtools.hearings import records as R
from pbtools.hearings.decisions import minutes
from pbtools.hearings.fold import HearingState, fold
from pbtools.hearings.hand_in_log import hand_ins
from pbtools.hearings.model import DRAFT_BUDGET, EXECUTION
from pbtools.i18n import N_, Msg, check_lang
from pbtools.paths import UnsafeName, file_in
from pbtools.reports.audit import write_audit
from pbtools.reports.errors import ReportError
from pbtools.reports.pb import write_pb_export
from pbtools.reports.protocol import build_protocol
from pbtools.reports.workbook import workbook_sheets, write_csv_zip, write_xlsx
from pbtools.storage.chain import ChainBroken, check_chain

REPORT_FORMATS = ("docx", "pdf")
EXPORT_FORMATS = ("xlsx", "csv", "pb", "audit")
EXTENSIONS = {"docx": ".docx", "pdf": ".pdf", "xlsx": ".xlsx", "csv": ".zip", "pb": ".pb", "audit": ".jsonl"}

Progress = Callable[[int, int, Msg], None]


def _quiet(done: int, total: int, message: Msg) -> None:
    pass


def file_name(hearing_id: str, fmt: str, lang: str | None = None, question: str | None = None) -> str:
    """A default file name: ``protocol-<hearing>-ky.pdf``, ``hearing-<hearing>.xlsx``, ``<hearing>-q1.pb``..."""
    if fmt in REPORT_FORMATS:
        return f"protocol-{hearing_id}-{lang}{EXTENSIONS[fmt]}"
    if fmt == "pb":
        return f"{hearing_id}{'-' + question if question else ''}.pb"
    return f"{'audit' if fmt == 'audit' else 'hearing'}-{hearing_id}{EXTENSIONS[fmt]}"


def default_path(folder: Path | str, hearing_id: str, fmt: str, lang: str | None = None,
                 question: str | None = None) -> Path:
    """``file_name`` in ``folder``; ``ReportError`` for an id pbtools does not make, or a name that would leave it."""
    if not R.is_hearing_id(hearing_id):
        raise ReportError(R.check_hearing_id(hearing_id)[0])
    try:
        return file_in(folder, file_name(hearing_id, fmt, lang, question))
    except UnsafeName as e:
        raise ReportError(e.message) from None


def load(ws: Any, hearing_id: str) -> tuple[HearingState, list]:
    """The folded state and the ledger records of one hearing; ``ReportError`` when there is none, or when its
    record does not verify (nothing is written from a chain that was changed)."""
    if not R.is_hearing_id(hearing_id):
        raise ReportError(R.check_hearing_id(hearing_id)[0])
    try:
        check_chain(ws.ledger, R.stream_of(hearing_id))
    except ChainBroken as e:
        raise ReportError(e.message) from None
    records = ws.ledger.records(R.stream_of(hearing_id))
    st = fold(records, hearing_id=hearing_id)
    if st.hearing is None:
        raise ReportError(Msg(N_("There is no hearing {id}"), id=hearing_id))
    return st, records


def presented_budget(ws: Any, st: HearingState) -> Any:
    """The citizens' budget of the stored budget this hearing is about, or None: next year's for a hearing on the
    draft budget, last year's for one on execution (else the hearing's year), the latest import of that year."""
    year = date.fromisoformat(st.hearing.date).year
    wanted = {DRAFT_BUDGET: [year + 1, year], EXECUTION: [year - 1, year]}.get(st.hearing.type, [year + 1, year])
    stored = ws.list_budgets()
    for target in wanted:
        ids = [budget_id for budget_id, budget_year, *_ in stored if budget_year == target]
        if ids:
            return citizens_budget(ws.load_budget(ids[-1]), ws.municipality())
    return None


def protocol_document(ws: Any, hearing_id: str, lang: str, loaded: Callable[[], None] = lambda: None,
                      charts: bool = True) -> Any:
    """The protocol of ``hearing_id`` as a ``Document`` (``loaded`` is called once the hearing is read)."""
    st, records = load(ws, hearing_id)
    loaded()
    return build_protocol(st, lang, citizens=presented_budget(ws, st), head_hash=records[-1].hash, records=len(records),
                          minutes=minutes(records), municipality=ws.municipality(), charts=charts,
                          handed_in=bool(hand_ins(ws, hearing_id)))


def _check_out(out: Path) -> None:
    if not out.parent.is_dir():
        raise ReportError(Msg(N_("There is no folder {path}"), path=str(out.parent)))


def write_report(ws: Any, hearing_id: str, fmt: str, lang: str, out: Path | str, progress: Progress = _quiet) -> Path:
    """The protocol of ``hearing_id`` as ``fmt`` (docx, pdf) in ``lang`` at ``out``."""
    lang, out = check_lang(lang), Path(out)
    if fmt not in REPORT_FORMATS:
        raise ReportError(Msg(N_("Unknown report format {format}; choose one of: {formats}"), format=fmt,
                              formats=", ".join(REPORT_FORMATS)))
    _check_out(out)
    progress(0, 3, Msg(N_("Reading the hearing")))
    doc = protocol_document(ws, hearing_id, lang, lambda: progress(1, 3, Msg(N_("Counting and drawing the charts"))))
    progress(2, 3, Msg(N_("Writing the file")))
    # the writer here, not at the top: fpdf2 costs ~0.9 s to import and python-docx ~0.1 s; a report needs one
    if fmt == "docx":
        from pbtools.reports.docx import write_docx

        write_docx(doc, out)
    else:
        from pbtools.reports.pdf import write_pdf

        write_pdf(doc, out)
    progress(3, 3, Msg(N_("Done")))
    return out


def write_export(ws: Any, hearing_id: str, fmt: str, out: Path | str, lang: str = "en", question: str | None = None,
                 progress: Progress = _quiet) -> Path:
    """``hearing_id`` exported as ``fmt``: xlsx, csv (a zip of CSV files), pb (one question) or audit."""
    lang, out = check_lang(lang), Path(out)
    if fmt not in EXPORT_FORMATS:
        raise ReportError(Msg(N_("Unknown export format {format}; choose one of: {formats}"), format=fmt,
                              formats=", ".join(EXPORT_FORMATS)))
    _check_out(out)
    progress(0, 2, Msg(N_("Reading the hearing")))
    st, _records = load(ws, hearing_id)
    progress(1, 2, Msg(N_("Writing the file")))
    if fmt == "audit":
        write_audit(ws, hearing_id, out)
    elif fmt == "pb":
        write_pb_export(st, out, question, ws.municipality())
    else:
        sheets = workbook_sheets(st, lang, ws.municipality())
        write_xlsx(sheets, out, lang) if fmt == "xlsx" else write_csv_zip(sheets, out)
    progress(2, 2, Msg(N_("Done")))
    return out
