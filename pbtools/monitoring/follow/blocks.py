"""The follow-up in words, in ky/ru/en: document blocks for the monitoring report (``follow_blocks``) and the plain
statements the CLI prints (``follow_lines``). What was promised and not funded is said plainly, by name and amount."""

from __future__ import annotations

from typing import Any

from pbtools.budget.model import EXPENDITURE, REVENUE
from pbtools.dates import shown_day
from pbtools.fmt import money, percent
from pbtools.monitoring.follow.compare import (
    BY_CODE, BY_NAME, BY_PERSON, BY_SECTOR, FUNDED, NO_BUDGET, NOT_FUNDED, NOT_SEEN, PARTLY, SECTOR_GROWS, Followed,
    FollowUp,
)
from pbtools.hearings.model import label
from pbtools.i18n import N_, gettext, translator
from pbtools.reports.document import Heading, Items, Paragraph, Table

STATUS_NAMES = {
    FUNDED: N_("funded"),
    PARTLY: N_("partly funded"),
    NOT_FUNDED: N_("not funded"),
    SECTOR_GROWS: N_("not matched: the sector's money grew enough"),
    NOT_SEEN: N_("not seen in the budget"),
    NO_BUDGET: N_("the adopted budget is not imported"),
}
HOW_NAMES = {
    BY_PERSON: N_("matched by a person"),
    BY_CODE: N_("by budget code"),
    BY_NAME: N_("by the line's name"),
    BY_SECTOR: N_("by sector only"),
}
EXECUTION_ROWS = 12  # the report lists the biggest shortfalls; the CLI's --json has every line


def status_name(status: str, lang: str) -> str:
    return gettext(lang, STATUS_NAMES[status])


def line_text(row: Followed, lang: str) -> str:
    """The budget line or sector a priority was compared with, e.g. "7061 Drinking water… (by the line's name)"."""
    _ = translator(lang)
    if row.line is not None:
        how = gettext(lang, HOW_NAMES[row.how])
        return f"{row.line.code} {row.line.name(lang)} ({how})"
    if row.how == BY_PERSON:
        return _("no line (matched by a person)")
    if row.how == BY_SECTOR:
        return _("sector {code}: {amount} this year, {growth} more than the year before",
                 code=row.function, amount=money(row.sector_amount or 0, lang), growth=money(row.amount, lang))
    return "—"


def promise_text(row: Followed, lang: str) -> str:
    """One promise not kept, said plainly."""
    _ = translator(lang)
    p = row.priority
    what = _("{title} (hearing of {date}, cost {cost})", title=p.title(lang), date=shown_day(p.hearing.date, lang), cost=money(row.cost, lang))
    if row.status == PARTLY:
        return _("{what}: the budget gives {amount}; {missing} is missing", what=what, amount=money(row.amount, lang),
                 missing=money(row.missing, lang))
    if row.status == NOT_SEEN:
        return _("{what}: no money for it can be seen in the adopted budget", what=what)
    return _("{what}: the adopted budget gives it nothing", what=what)


def follow_table(follow: FollowUp, lang: str) -> Table:
    _ = translator(lang)
    rows = tuple((str(i), r.priority.title(lang), label(r.priority.option.sector, lang), money(r.cost, lang),
                  line_text(r, lang), money(r.amount, lang) if r.line is not None else "—", status_name(r.status, lang))
                 for i, r in enumerate(follow.rows, start=1))
    return Table((_("No."), _("Priority"), _("Sector"), _("Cost"), _("Budget line"), _("In the budget"), _("Status")),
                 rows, (True, False, False, True, False, True, False), (1, 5, 3, 3, 6, 3, 3), id="follow")


def execution_table(follow: FollowUp, lang: str, limit: int = EXECUTION_ROWS) -> Table:
    _ = translator(lang)
    sides = {REVENUE: _("Revenue"), EXPENDITURE: _("Expenditure")}
    rows = tuple((f"{e.code} {e.name(lang)}", sides.get(e.side, e.side), money(e.planned, lang), money(e.executed, lang),
                  money(e.shortfall, lang), percent(e.rate, lang) if e.rate is not None else "—")
                 for e in follow.execution[:limit])
    return Table((_("Budget line"), _("Side"), _("Plan"), _("Actual"), _("Shortfall"), _("Executed")), rows,
                 (False, False, True, True, True, True), (6, 3, 3, 3, 3, 2), id="execution")


def summary_text(follow: FollowUp, lang: str) -> str:
    _ = translator(lang)
    n = len(follow.rows)
    funded = [r for r in follow.rows if r.status == FUNDED]
    return _("The hearings asked for {n} priorities for {year} costing {cost}; the adopted budget funds {funded} of them "
             "({funded_cost}); {missing} promised is not funded.", n=n, year=follow.year,
             cost=money(sum((r.cost for r in follow.rows), 0), lang), funded=len(funded),
             funded_cost=money(sum((r.cost for r in funded), 0), lang),
             missing=money(sum((r.missing for r in follow.not_funded), 0), lang))


def follow_blocks(follow: FollowUp, lang: str) -> list[Any]:
    """The report's section "Did the budget follow the hearing?"."""
    _ = translator(lang)
    blocks: list[Any] = [Heading(_("Did the budget follow the hearing?"))]
    if not follow.rows:
        blocks.append(Paragraph(_("No closed hearing funded a priority for the budget of {year}.", year=follow.year or "—")))
    elif follow.adopted is None:
        # a document for the council and citizens: what is not known yet, never how to run a command
        blocks.append(Paragraph(_("The adopted budget of {year} is not yet in the monitoring records: whether it funds the "
                                  "hearings' priorities cannot be said yet.", year=follow.year), bold=True))
        blocks.append(follow_table(follow, lang))
    else:
        blocks += [Paragraph(summary_text(follow, lang), bold=True), follow_table(follow, lang),
                   Heading(_("Promised and not funded"), level=2)]
        blocks.append(Items(tuple(promise_text(r, lang) for r in follow.not_funded)) if follow.not_funded
                      else Paragraph(_("Every priority of the hearings has money in the adopted budget.")))
        if follow.to_match:
            blocks += [Heading(_("To be matched by a person"), level=2),
                       Paragraph(_("No budget line has been matched to these priorities yet; the sector's money shown is "
                                   "only a hint.")),
                       Items(tuple(f"{r.priority.key}: {r.priority.title(lang)} — {line_text(r, lang)}" for r in follow.to_match))]
    if follow.execution:
        blocks += [Heading(_("Execution of {year}: plan and actual, biggest shortfalls first", year=follow.execution_year), level=2),
                   execution_table(follow, lang)]
    return blocks


def follow_lines(follow: FollowUp, lang: str) -> list[str]:
    """The follow-up as lines of text for a terminal."""
    _ = translator(lang)
    if not follow.rows:
        return [_("No closed hearing funded a priority for the budget of {year}.", year=follow.year or "—")]
    lines = []
    if follow.adopted is None:
        lines.append(_("The adopted budget of {year} is not in the workspace: import it with pbtools budget import FILE", year=follow.year))
    else:
        lines.append(summary_text(follow, lang))
    for r in follow.rows:
        lines.append(f"  [{r.priority.key}] {r.priority.title(lang)} — {money(r.cost, lang)}: {status_name(r.status, lang)}; {line_text(r, lang)}")
    if follow.not_funded:
        lines.append(_("Promised and not funded") + ":")
        lines += [f"  - {promise_text(r, lang)}" for r in follow.not_funded]
    if follow.execution:
        lines.append(_("Execution of {year}: plan and actual, biggest shortfalls first", year=follow.execution_year) + ":")
        lines += [f"  {e.code} {e.name(lang)}: {money(e.planned, lang)} / {money(e.executed, lang)} (−{money(e.shortfall, lang)})"
                  for e in follow.execution[:EXECUTION_ROWS] if e.shortfall > 0]
    return lines
