"""A project as text in one language: its fields, status changes, milestones, files, history and acts (for
``pbtools projects show``; reports and screens draw the same dataclasses their own way)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Mapping, Sequence

from pbtools.dates import shown_day
from pbtools.fmt import money, percent
from pbtools.hearings.model import label
from pbtools.i18n import translator
from pbtools.moments import moment_text
from pbtools.monitoring.model import Act, HistoryEntry, Member, Project, status_label
from pbtools.monitoring.places import project_village


def _funding(f, lang: str) -> str:
    _ = translator(lang)
    text = money(f.total, lang)
    if f.is_split:
        text += " (" + _("local budget {a}, grant {b}, community: money {c}, in kind {d}",
                          a=money(f.local_budget, lang), b=money(f.grant, lang), c=money(f.community_money, lang),
                          d=money(f.community_in_kind, lang)) + ")"
    return text


def project_lines(p: Project, history: Sequence[HistoryEntry], acts: Sequence[Act], members: Mapping[str, Member],
                  lang: str, municipality: Any = None, zone: Any = None) -> list[str]:
    """``municipality``: the workspace's, whose list of villages names the project's village in ``lang``; ``zone``:
    the workspace's time zone, in which the history's times are shown (``pbtools.moments``). Days as ``lang`` writes
    them (31.10.2026 in ky/ru); a change's values stay as the record keeps them."""
    _ = translator(lang)

    def day(value: str) -> str:
        return shown_day(value, lang)
    lines = [f"{p.id}: {p.title(lang)}",
             _("Village: {v}; sector: {s}", v=project_village(p, municipality, lang), s=label(p.sector, lang)),
             _("Responsible person: {r}; contractor: {c}", r=p.responsible or "—", c=p.contractor or "—"),
             _("Planned cost: {x}", x=_funding(p.planned, lang)),
             _("Actual cost: {x}", x=_funding(p.actual, lang)),
             _("Planned: {start} – {finish}; actual: {astart} – {afinish}", start=day(p.planned_start),
               finish=day(p.planned_finish), astart=day(p.actual_start), afinish=day(p.actual_finish)),
             _("Status: {status} since {date}; {percent} complete", status=status_label(p.status, lang),
               date=day(p.status_date), percent=percent(Decimal(p.percent) / 100, lang, 0))]
    if p.link:
        lines.append(_("From hearing {hearing}, question {question}, option №{number} ({votes} votes)",
                       hearing=p.link.hearing_id, question=p.link.question_id, number=p.link.option_number,
                       votes=p.link.votes))
    if p.plan_ref:
        lines.append(_("Action plan item: {ref}", ref=p.plan_ref))
    if p.budget_code:
        lines.append(_("Budget code: {code}", code=p.budget_code))
    lines.append(_("Status changes:"))
    for s in p.statuses:
        lines.append(f"  {day(s.date)}  {status_label(s.status, lang)}  {s.reason}  ({s.actor})")
    if p.milestones:
        lines.append(_("Milestones:"))
        lines += [f"  {m.id}  {m.title}  {day(m.planned)}  {day(m.done)}" for m in p.milestones]
    if p.attachments:
        lines.append(_("Photos and documents:"))
        for a in p.attachments:
            where = f"  GPS {a.latitude:.5f}, {a.longitude:.5f}" if a.has_location else ""
            lines.append(f"  {status_label(a.kind, lang)}  {a.name}  {a.stored}{where}")
    lines.append(_("History:"))
    for e in history:
        change = json.dumps(e.after, ensure_ascii=False, sort_keys=True)
        if e.before:
            change = json.dumps(e.before, ensure_ascii=False, sort_keys=True) + " → " + change
        lines.append(f"  #{e.seq}  {moment_text(e.at, zone, lang)}  {e.actor or '—'}  {e.kind}  {change}" + (f"  ({e.reason})" if e.reason else ""))
    lines.append(_("Monitoring acts:") if acts else _("No monitoring acts yet."))
    for a in acts:
        names = ", ".join(members[m].name if m in members else m for m in a.members)
        lines.append(f"  {a.id}  {day(a.date)}  {names}")
        lines.append("    " + _("Findings: {text}", text=a.findings))
        if a.recommendations:
            lines.append("    " + _("Recommendations: {text}", text=a.recommendations))
        if a.corrects:
            lines.append("    " + _("Corrects act {id}", id=a.corrects))
        if a.corrected:
            lines.append("    " + _("Corrected by act {id}", id=a.corrected_by))
        if a.response_due:
            lines.append("    " + _("Response due: {date}", date=day(a.response_due)))
        for r in a.responses:
            lines.append("    " + _("Response of {date}: {text}", date=day(r.date), text=r.text))
    return lines
