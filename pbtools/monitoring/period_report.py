"""The monitoring report of a period, for the assembly and the council: projects by status, plan against actual
(cost and dates), overdue items, the acts of the period with the municipality's responses, and whether the budget
followed the hearing. One ``Period`` of plain figures (``gather``), written as a ``Document`` (DOCX, PDF) or as
sheets (XLSX, ``period_sheets.py``), so that every file says the same thing.

A project belongs to the period unless it finished before it or had not started by its end (so a report of one
quarter lists what was under way in it); the acts are those visited in the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pbtools.dates import long_day, shown_day
from pbtools.fmt import money, number, percent
from pbtools.monitoring.follow.blocks import follow_blocks
from pbtools.monitoring.follow.compare import FollowUp
from pbtools.i18n import check_lang, translator
from pbtools.monitoring.places import project_village
from pbtools.monitoring.model import CANCELLED, COMPLETED, STATUSES, Act, Project, is_overdue, status_label
from pbtools.monitoring.print_act import municipality_title
from pbtools.reports.document import Document, Heading, Items, Paragraph, Table

ZERO = Decimal(0)


@dataclass
class Period:
    start: date | None
    end: date | None
    today: date
    projects: list[Project]
    acts: list[Act]
    overdue_acts: list[Act]
    late_projects: list[Project]  # past their planned finish, neither completed nor cancelled
    follow: FollowUp | None = None
    members: dict[str, str] = field(default_factory=dict)  # member id -> name

    def by_status(self) -> list[tuple[str, int, Decimal, Decimal]]:
        """(status, projects, planned cost, actual cost) for every status, in STATUSES order."""
        return [(s, len(ps), sum((p.planned.total for p in ps), ZERO), sum((p.actual.total for p in ps), ZERO))
                for s in STATUSES for ps in [[p for p in self.projects if p.status == s]]]

    @property
    def planned_total(self) -> Decimal:
        return sum((p.planned.total for p in self.projects), ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum((p.actual.total for p in self.projects), ZERO)


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def in_period(p: Project, start: date | None, end: date | None) -> bool:
    finished = _day(p.actual_finish)
    started = _day(p.actual_start) or _day(p.planned_start)
    if start is not None and finished is not None and finished < start:
        return False
    return not (end is not None and started is not None and started > end)


def is_late(p: Project, today: date) -> bool:
    return p.status not in (COMPLETED, CANCELLED) and bool(p.planned_finish) and date.fromisoformat(p.planned_finish) < today


def gather(service: Any, start: date | None = None, end: date | None = None, today: date | None = None,
           follow: FollowUp | None = None) -> Period:
    """The figures of the period from ``service`` (a ``MonitoringService``); ``today``: the day overdue is judged
    (default: the period's end when it is in the past, else today)."""
    today = today or min(filter(None, (end, date.today())))
    projects = [p for p in service.projects() if in_period(p, start, end)]
    acts = [a for a in service.acts() if (start is None or _day(a.date) >= start) and (end is None or _day(a.date) <= end)]
    members = {m.id: m.name for m in service.members(include_removed=True)}
    return Period(start, end, today, projects, acts, [a for a in service.acts() if is_overdue(a, today)],
                  [p for p in projects if is_late(p, today)], follow, members)


def period_text(period: Period, lang: str) -> str:
    _ = translator(lang)
    if period.start is None and period.end is None:
        return _("All records up to {date}", date=long_day(period.today.isoformat(), lang))
    return _("From {start} to {end}", start=long_day(period.start.isoformat(), lang) if period.start else "…",
             end=long_day(period.end.isoformat(), lang) if period.end else "…")


def status_table(period: Period, lang: str) -> Table:
    _ = translator(lang)
    rows = [(status_label(s, lang), number(n, lang), money(planned, lang), money(actual, lang)) for s, n, planned, actual in period.by_status()]
    rows.append((_("Total"), number(len(period.projects), lang), money(period.planned_total, lang), money(period.actual_total, lang)))
    return Table((_("Status"), _("Projects"), _("Planned cost"), _("Actual cost")), tuple(rows),
                 (False, True, True, True), (4, 2, 3, 3), total=True, id="by-status")


def done_text(p: Project, lang: str) -> str:
    """The project's percent complete, written by ``pbtools.fmt`` as every percent of the report."""
    return percent(Decimal(p.percent) / 100, lang, 0)


def project_rows(period: Period, lang: str, municipality: Any) -> tuple[tuple[str, ...], ...]:
    return tuple((p.title(lang), project_village(p, municipality, lang), status_label(p.status, lang), done_text(p, lang),
                  money(p.planned.total, lang), money(p.actual.total, lang) if p.actual.total else "—",
                  shown_day(p.planned_finish, lang), shown_day(p.actual_finish, lang)) for p in period.projects)


def act_rows(period: Period, lang: str, sheet: bool = False) -> tuple[tuple[str, ...], ...]:
    """The acts of the period, their days as ``lang`` writes them; a ``sheet``'s visit and deadline stay ISO, for the
    workbook's date cells (shown as the language writes days)."""
    _ = translator(lang)
    day = (lambda d: d or "—") if sheet else (lambda d: shown_day(d, lang))  # noqa: E731
    titles = {p.id: p.title(lang) for p in period.projects}
    rows = []
    for a in period.acts:
        # an act corrected by a later one is marked so (as on the published site): its correction is what counts
        corrected = [_("Corrected by act {act}", act=a.corrected_by)] if a.corrected_by else []
        response = "; ".join(corrected + [f"{shown_day(r.date, lang)}: {r.text}" for r in a.responses]) or (
            _("overdue") if is_overdue(a, period.today) else _("not yet"))
        rows.append((a.id, day(a.date), titles.get(a.project_id, a.project_id), a.findings, a.recommendations or "—",
                     day(a.response_due), response))
    return tuple(rows)


def build_report(service: Any, period: Period, lang: str) -> Document:
    lang = check_lang(lang)
    _ = translator(lang)
    municipality = service.ws.municipality()
    doc = Document(lang, _("Monitoring report"), municipality_title(service.ws, lang))
    doc.add(Paragraph(period_text(period, lang), bold=True))
    doc.add(Heading(_("Projects by status")), status_table(period, lang))
    doc.add(Heading(_("Projects: plan and actual")))
    if period.projects:
        doc.add(Table((_("Project"), _("Village"), _("Status"), _("Done"), _("Planned cost"), _("Actual cost"),
                       _("Planned finish"), _("Actual finish")), project_rows(period, lang, municipality),
                      (False, False, False, True, True, True, False, False), (5, 3, 3, 2, 3, 3, 3, 3), id="projects"))
    else:
        doc.add(Paragraph(_("No project was under way in this period.")))
    doc.add(Heading(_("Overdue")))
    late = [f"{p.title(lang)}: " + _("planned to finish by {date}, now {status} ({done})", date=shown_day(p.planned_finish, lang),
                                      status=status_label(p.status, lang).lower(), done=done_text(p, lang))
            for p in period.late_projects]
    late += [_("Act {act}: the municipality's response was due by {date}", act=a.id, date=shown_day(a.response_due, lang))
             for a in period.overdue_acts]
    doc.add(Items(tuple(late)) if late else Paragraph(_("Nothing is overdue.")))
    doc.add(Heading(_("Monitoring acts and responses")))
    if period.acts:
        doc.add(Table((_("Act"), _("Date"), _("Object visited"), _("Findings"), _("Recommendations"), _("Response due by"),
                       _("Response")), act_rows(period, lang), widths=(2, 2, 3, 5, 4, 2, 4), id="acts"))
    else:
        doc.add(Paragraph(_("No act was filed in this period.")))
    if period.follow is not None:
        doc.add(*follow_blocks(period.follow, lang))
    return doc
