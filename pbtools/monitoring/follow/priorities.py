"""The hearings' priorities: every option the count funded in a closed hearing, once per hearing, with the
questions whose count funded it. Read from the ledger; nothing is stored here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import CLOSED, EXECUTION, Hearing, Option
from pbtools.hearings.store import hearing_ids, state
from pbtools.monitoring.follow.records import priority_key
from pbtools.reports.voting import question_reports


@dataclass(frozen=True)
class Priority:
    hearing: Hearing
    budget_year: int  # the year whose budget the hearing was about
    option: Option
    questions: tuple[str, ...]  # ids of the questions whose count funded it

    @property
    def key(self) -> str:
        """How a match is kept: ``hearing/option``."""
        return priority_key(self.hearing.id, self.option.id)

    def title(self, lang: str) -> str:
        return self.option.title(lang)


def budget_year(st: HearingState) -> int:
    """The year a hearing's choices are for: next year's budget, except a hearing on last year's execution."""
    year = date.fromisoformat(st.hearing.date).year
    return year if st.hearing.type == EXECUTION else year + 1


def priorities_of(st: HearingState) -> list[Priority]:
    """The funded options of one closed hearing, in ballot-number order (none when it is not closed)."""
    if st.hearing is None or st.status != CLOSED:
        return []
    funded: dict[str, list[str]] = {}
    for report in question_reports(st):
        if report.result is not None:
            for option_id in report.result.selected:
                funded.setdefault(option_id, []).append(report.question.id)
    return [Priority(st.hearing, budget_year(st), o, tuple(funded[o.id]))
            for o in st.sorted_options() if o.id in funded]


def hearing_priorities(ws: Any, year: int | None = None) -> list[Priority]:
    """The priorities of every closed hearing of ``ws`` (only those for ``year``'s budget when given)."""
    found: list[Priority] = []
    for hearing_id in hearing_ids(ws):
        found += priorities_of(state(ws, hearing_id))
    return [p for p in found if year is None or p.budget_year == year]
