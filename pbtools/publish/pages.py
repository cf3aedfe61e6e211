"""What each page of the citizens' website shows, in one language, as plain data for the templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


from pbtools.dates import long_day
from pbtools.fmt import money, number, percent
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import ALL_VILLAGES, ANSWERS, MOTION, POINTS, label, municipality_name, village_name
from pbtools.i18n import translator
from pbtools.monitoring.model import Act, Project, is_overdue, status_label
from pbtools.reports.voting import question_reports
from pbtools.results.count import how_counted


@dataclass
class Table:
    head: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)
    marked: list[bool] = field(default_factory=list)  # rows to highlight (funded options, overdue acts)


def words(lang: str) -> dict[str, str]:
    """Every fixed word the templates show."""
    _ = translator(lang)
    return {
        "site": _("Citizens' budget and public hearings"), "home": _("Home"), "budget": _("The budget"),
        "hearings": _("Public hearings"), "projects": _("Projects under monitoring"), "follow": _("Did the budget follow the hearing?"),
        "protocol": _("Protocol (PDF)"), "results": _("Results of the voting"), "acts": _("Monitoring acts"),
        "photos": _("Photos"), "status": _("Status"), "languages": _("Languages"), "no_hearings": _("No hearing is closed yet."),
        "no_projects": _("No project is under monitoring yet."), "no_budget": _("No budget is published yet."),
        "no_acts": _("No monitoring act was filed for this project yet."),
        "findings": _("Findings"), "recommendations": _("Recommendations"), "response": _("Response of the municipality"),
        "no_response": _("No response recorded yet."), "overdue": _("The response is overdue."),
        "none_asked": _("none was asked (no deadline was set)"),
        "made": _("Made with pbtools from the municipality's own records."), "back": _("Back to the home page"),
        "history": _("Status changes"), "participants": _("Participants"), "question": _("Question"),
    }


def budget_part(citizens: Any, lang: str) -> dict[str, Any]:
    _ = translator(lang)
    rows = [[_("Revenue"), money(citizens.revenue, lang)], [_("Own revenue"), money(citizens.own_revenue, lang)],
            [_("Equalisation grant"), money(citizens.grant, lang)], [_("Expenditure"), money(citizens.expenditure, lang)]]
    if citizens.spending_per_resident is not None:
        rows.append([_("Spending per resident"), money(citizens.spending_per_resident, lang)])
    return {"title": _("The budget of {year}", year=citizens.year), "table": Table([_("What"), _("Amount")], rows, [False, True])}


def hearing_summary(st: HearingState, lang: str, municipality: Any) -> dict[str, str]:
    h = st.hearing
    return {"title": h.title_in(lang) or municipality_name(h.municipality, municipality, lang), "date": long_day(h.date, lang),
            "type": label(h.type, lang), "venue": h.venue_in(lang)}


def question_tables(st: HearingState, lang: str) -> list[dict[str, Any]]:
    """Each question's results: the one number per option (as the board and the protocol), cost, funded."""
    _ = translator(lang)
    out = []
    for r in question_reports(st):
        q = r.question
        if q.kind == MOTION:
            rows = [[label(a, lang), number(r.votes.get(a, 0), lang)] for a in ANSWERS]
            verdict = {True: _("Adopted"), False: _("Not adopted"), None: "—"}[r.motion_adopted]
            out.append({"title": q.title(lang), "note": verdict, "table": Table([_("Answer"), _("Votes")], rows, [False, True])})
            continue
        selected = set(r.result.selected) if r.result is not None else set()
        votes = _("Points") if q.kind == POINTS else _("Votes")
        if q.choose_one:  # alternatives (tariffs): one is chosen by the most votes; none is a cost, nothing is funded
            rows = [[str(o.number), o.title(lang), number(r.votes.get(o.id, 0), lang), _("chosen") if o.id in selected else "—"]
                    for o in r.options.values()]
            out.append({"title": q.title(lang), "note": how_counted(q, q.rule).render(lang),
                        "table": Table([_("No."), _("Option"), votes, _("Chosen")], rows, [True, False, True, False],
                                       [o.id in selected for o in r.options.values()])})
            continue
        rows, marked = [], []
        for o in r.options.values():
            rows.append([str(o.number), o.title(lang), number(r.votes.get(o.id, 0), lang), money(o.cost, lang),
                         _("funded") if o.id in selected else "—"])
            marked.append(o.id in selected)
        note = ""
        if r.result is not None:
            note = _("Budget {budget}; funded {total}", budget=money(r.result.budget, lang), total=money(r.result.total_cost, lang))
        out.append({"title": q.title(lang), "note": note, "table": Table([_("No."), _("Option"), votes, _("Cost"), _("Funded")],
                                                                          rows, [True, False, True, True, False], marked)})
    return out


def participants_line(st: HearingState, lang: str) -> str:
    _ = translator(lang)
    c = st.counters
    return _("{total} participants: {women} women, {men} men", total=number(c.total, lang), women=number(c.women, lang), men=number(c.men, lang))


def project_row(p: Project, lang: str, municipality: Any) -> list[str]:
    return [p.title(lang), village_name(p.village or ALL_VILLAGES, municipality, lang), status_label(p.status, lang),
            percent(Decimal(p.percent) / 100, lang, 0), money(p.planned.total, lang),
            money(p.actual.total, lang) if p.actual.total else "—"]


def project_head(lang: str) -> list[str]:
    _ = translator(lang)
    return [_("Project"), _("Village"), _("Status"), _("Done"), _("Planned cost"), _("Actual cost")]


def project_facts(p: Project, lang: str, municipality: Any) -> list[list[str]]:
    _ = translator(lang)
    rows = [[_("Village"), village_name(p.village or ALL_VILLAGES, municipality, lang)], [_("Sector"), label(p.sector, lang)],
            [_("Status"), status_label(p.status, lang)], [_("Done"), percent(Decimal(p.percent) / 100, lang, 0)],
            [_("Contractor"), p.contractor], [_("Planned cost"), money(p.planned.total, lang)],
            [_("Actual cost"), money(p.actual.total, lang) if p.actual.total else ""],
            [_("Planned start"), long_day(p.planned_start, lang) if p.planned_start else ""],
            [_("Actual start"), long_day(p.actual_start, lang) if p.actual_start else ""],
            [_("Planned finish"), long_day(p.planned_finish, lang) if p.planned_finish else ""],
            [_("Actual finish"), long_day(p.actual_finish, lang) if p.actual_finish else ""]]
    if p.link is not None:
        rows.append([_("Chosen at the hearing of"), long_day(p.link.hearing_date, lang)])
    return [r for r in rows if r[1]]


def status_history(p: Project, lang: str) -> Table:
    """The status changes (date, status, reason), without who recorded them."""
    _ = translator(lang)
    return Table([_("Date"), _("Status"), _("Reason")],
                 [[long_day(s.date, lang), status_label(s.status, lang), s.reason or "—"] for s in p.statuses])


def act_view(a: Act, lang: str, today: date) -> dict[str, Any]:
    """An act as the public sees it: no names of the members present (they sign the printed act)."""
    _ = translator(lang)
    return {"title": _("Monitoring act {id} of {date}", id=a.id, date=long_day(a.date, lang)),  # the id the app prints
            "findings": a.findings, "recommendations": a.recommendations,
            "due": _("Response due by {date}", date=long_day(a.response_due, lang)) if a.response_due else "",
            "responses": [f"{long_day(r.date, lang)}: {r.text}" for r in a.responses],
            "overdue": is_overdue(a, today), "corrected": bool(a.corrected_by),
            "corrected_text": _("Corrected by act {act}", act=a.corrected_by) if a.corrected_by else ""}
