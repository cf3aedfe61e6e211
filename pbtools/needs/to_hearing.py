"""The top problems of an assessment become options of the next hearing, in one step: titles (every language
typed), village and sector carried over; the cost is left at 0 for the facilitator to fill in on the agenda.

Written through the console's service (``ConsoleService``), so the hearing's own rules hold: refused once the
hearing's agenda is fixed (voting open) or the hearing closed. A problem already on the agenda (the same title,
matched as problems are) is not added twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pbtools.hearings.agenda_io import option_from_form
from pbtools.hearings.console_service import ConsoleService
from pbtools.hearings.model import Option
from pbtools.needs.aggregate import Outcome
from pbtools.needs.errors import NeedsError
from pbtools.needs.model import NeedsState
from pbtools.needs.names import match_key
from pbtools.needs.store import needs_right
from pbtools.i18n import N_, Msg
from pbtools.roles import HEARING, NEEDS, Actor


@dataclass(frozen=True)
class Carried:
    added: tuple[Option, ...]
    already: tuple[str, ...]  # problem ids whose title was on the agenda already


def carry_over(ws: Any, hearing_id: str, outcome: Outcome, st: NeedsState, k: int, actor: Actor) -> Carried:
    """Add the problems in places 1..k of ``outcome`` (all of a tie straddling place k) to ``hearing_id``'s agenda."""
    right = needs_right(ws)
    actor.require(right)
    actor.require(HEARING if right == NEEDS else right)
    if k < 1:
        raise NeedsError(Msg(N_("Carry over at least one problem")))
    service = ConsoleService(ws)
    service.choose(hearing_id)  # HearingError when there is no such hearing
    agenda = service.refresh()
    on_agenda = {match_key(t) for o in agenda.options.values() for t in o.titles.values()}
    number, taken = service.next_option_number(), set(agenda.options) | set(agenda.removed_options)
    added, already = [], []
    for pid in outcome.top(k):
        problem = st.problems[pid]
        if any(match_key(t) in on_agenda for t in problem.titles.values()):
            already.append(pid)
            continue
        option, problems = option_from_form(number, dict(problem.titles), "0", problem.village, problem.sector,
                                            "citizens", taken_ids=taken)
        if problems:
            raise NeedsError(problems)
        added.append(option)
        taken.add(option.id)
        number += 1
    if added:
        service.store.add_options(added, actor=actor.name)  # AgendaFixed / HearingClosed: nothing stored
    return Carried(tuple(added), tuple(already))
