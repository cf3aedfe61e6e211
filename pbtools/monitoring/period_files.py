"""Writing the monitoring report (DOCX, PDF, XLSX) and a monitoring act (DOCX, PDF): what ``pbtools monitoring
report``/``act`` and the Monitoring app call. Bad input is a ``ReportError`` (its message in any language) raised
before anything is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pbtools.dates import Day, shown_day
from pbtools.monitoring.follow.blocks import line_text, status_name
from pbtools.monitoring.follow.service import FollowService
from pbtools.hearings.model import label
from pbtools.i18n import N_, Msg, check_lang, translator
from pbtools.monitoring.errors import MonitoringError
from pbtools.monitoring.model import status_label
from pbtools.monitoring.period_report import Period, act_rows, build_report, gather, period_text, project_rows
from pbtools.monitoring.places import project_village
from pbtools.monitoring.print_act import ACT_FORMATS, build_act, write_document
from pbtools.monitoring.service import MonitoringService
from pbtools.reports.errors import ReportError
from pbtools.reports.workbook import Sheet, write_xlsx

REPORT_FORMATS = ("docx", "pdf", "xlsx")


def _check(fmt: str, formats: tuple[str, ...], out: Path, start: date | None, end: date | None) -> None:
    if fmt not in formats:
        raise ReportError(Msg(N_("Unknown report format {format}; choose one of: {formats}"), format=fmt, formats=", ".join(formats)))
    if not out.parent.is_dir():
        raise ReportError(Msg(N_("There is no folder {path}"), path=str(out.parent)))
    if start is not None and end is not None and start > end:
        raise ReportError(Msg(N_("The period starts ({start}) after it ends ({end})"), start=Day(start), end=Day(end)))


def period_sheets(service: Any, period: Period, lang: str) -> list:
    """The report as sheets: by status, projects, overdue, acts, budget follow-up (raw values, som as Decimal, days as
    date cells; a day inside a text as ``lang`` writes it)."""
    _ = translator(lang)
    municipality = service.ws.municipality()
    sheets = [
        Sheet("status", _("Projects by status"), (_("Status"), _("Projects"), _("Planned cost"), _("Actual cost")),
              [(status_label(s, lang), n, planned, actual) for s, n, planned, actual in period.by_status()]
              + [(_("Total"), len(period.projects), period.planned_total, period.actual_total)], money=(2, 3), total=True),
        Sheet("projects", _("Projects: plan and actual"),
              (_("Project"), _("Village"), _("Sector"), _("Status"), _("Done, %"), _("Planned cost"), _("Actual cost"),
               _("Planned start"), _("Actual start"), _("Planned finish"), _("Actual finish")),
              [(p.title(lang), project_village(p, municipality, lang), label(p.sector, lang), status_label(p.status, lang),
                p.percent, p.planned.total, p.actual.total, p.planned_start, p.actual_start, p.planned_finish, p.actual_finish)
               for p in period.projects], money=(5, 6), dates=(7, 8, 9, 10)),
        Sheet("overdue", _("Overdue"), (_("What"), _("Due by")),
              [(p.title(lang), p.planned_finish) for p in period.late_projects] +
              [(_("Act {act}: the municipality's response was due by {date}", act=a.id, date=shown_day(a.response_due, lang)), a.response_due)
               for a in period.overdue_acts], dates=(1,)),
        Sheet("acts", _("Monitoring acts and responses"), (_("Act"), _("Date"), _("Object visited"), _("Findings"),
              _("Recommendations"), _("Response due by"), _("Response")), list(act_rows(period, lang, sheet=True)), dates=(1, 5)),
    ]
    if period.follow is not None and period.follow.rows:
        f = period.follow
        sheets.append(Sheet("follow", _("Did the budget follow the hearing?"),
                            (_("Priority"), _("Hearing"), _("Cost"), _("Budget line"), _("In the budget"), _("Missing"), _("Status")),
                            [(r.priority.title(lang), r.priority.hearing.id, r.cost, line_text(r, lang),
                              r.amount if r.line is not None else None, r.missing, status_name(r.status, lang)) for r in f.rows],
                            money=(2, 4, 5)))
        sheets.append(Sheet("execution", _("Execution of {year}: plan and actual, biggest shortfalls first", year=f.execution_year),
                            (_("Code"), _("Budget line"), _("Plan"), _("Actual"), _("Shortfall")),
                            [(e.code, e.name(lang), e.planned, e.executed, e.shortfall) for e in f.execution], money=(2, 3, 4)))
    return sheets


def write_monitoring_report(ws: Any, fmt: str, lang: str, out: Path | str, start: date | None = None,
                            end: date | None = None, today: date | None = None) -> Path:
    """The monitoring report of ``start``..``end`` (either may be None) as ``fmt`` in ``lang`` at ``out``."""
    lang, out = check_lang(lang), Path(out)
    _check(fmt, REPORT_FORMATS, out, start, end)
    service = MonitoringService(ws)
    period = gather(service, start, end, today, FollowService(ws).follow())
    if fmt == "xlsx":
        return write_xlsx(period_sheets(service, period, lang), out, lang)
    return write_document(build_report(service, period, lang), fmt, out)


def write_act(ws: Any, act_id: str, fmt: str, lang: str, out: Path | str, today: date | None = None) -> Path:
    """Monitoring act ``act_id`` as ``fmt`` (docx, pdf) in ``lang`` at ``out``; ``ReportError`` if there is none."""
    lang, out = check_lang(lang), Path(out)
    _check(fmt, ACT_FORMATS, out, None, None)
    service = MonitoringService(ws)
    try:
        act = service.act(act_id)
    except MonitoringError as e:
        raise ReportError(Msg(N_("There is no monitoring act {id}"), id=act_id)) from e
    return write_document(build_act(service, act, lang, today), fmt, out)


__all__ = ["write_monitoring_report", "write_act", "period_sheets", "period_text", "project_rows", "REPORT_FORMATS"]
