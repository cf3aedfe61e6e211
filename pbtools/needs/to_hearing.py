"""The top problems of an assessment become options of the next hearing, in one step: titles (every language
typed), village and sector carried over; the cost is left at 0 for the facilitator to fill in on the agenda.

Written through the console's service (``ConsoleService``), so the hearing's own rules hold: refused once the
hearing's agenda is fixed (voting open) or the hearing closed. A problem already on the agenda (the same title,
matched as problems are) is not added twice.

A screen passes the point its results were drawn at (``seen``): the options are the top problems it showed, or
nothing is written (``Replaced``): when those records were replaced since (a sandbox reset in another tab), or when
rankings added since change the top problems. The hearing's write checks, under its lock, that the assessment is
still the state the problems were taken from (otherwise they are taken again)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pbtools.hearings.agenda_io import option_from_form
from pbtools.hearings.console_service import ConsoleService
from pbtools.hearings.model import Option
from pbtools.needs import aggregate as A
from pbtools.needs.errors import NeedsError, Replaced
from pbtools.needs.model import NeedsState
from pbtools.needs.names import match_key
from pbtools.needs.store import REPLACED, NeedsStore, Seen, needs_right
from pbtools.storage import Check, Locked
from pbtools.i18n import N_, Msg
from pbtools.roles import HEARING, NEEDS, Actor


@dataclass(frozen=True)
class Carried:
    added: tuple[Option, ...]
    already: tuple[str, ...]  # problem ids whose title was on the agenda already


_TRIES = 5
_CHANGED = N_("the top problems changed after this screen showed them (rankings were added or changed in another "
              "screen); the results now show them as they are")


class _Moved(Exception):
    """The assessment changed after the top problems were taken from it (read again, taken again)."""


def _still(stream: str, point: Seen) -> Check:
    """The hearing write's check: the assessment's last record is still ``point`` (no ranking came, nothing was put
    back, since the top problems were taken from it); else ``_Moved``, raised out of the write (nothing stored)."""
    def check(locked: Locked) -> None:
        needs = locked.other(stream)
        if (needs.head, needs.head_hash) != tuple(point):
            raise _Moved()
    return check


def carry_over(ws: Any, hearing_id: str, store: NeedsStore, k: int, actor: Actor, rule: str = A.BORDA,
               top_n: int = A.DEFAULT_TOP_N, seen: Seen | None = None) -> Carried:
    """Add the problems in places 1..k (all of a tie straddling place k) of ``store``'s assessment counted by
    ``rule`` to ``hearing_id``'s agenda. ``seen``: the point the screen's results were drawn at (None: the command
    line, the records as they are)."""
    right = needs_right(ws)
    actor.require(right)
    actor.require(HEARING if right == NEEDS else right)
    if k < 1:
        raise NeedsError(Msg(N_("Carry over at least one problem")))
    not_done = Msg(N_("Nothing was added to the agenda of hearing {id}: {why}"), id=hearing_id, why=Msg(REPLACED))
    for _attempt in range(_TRIES):
        shown = A.aggregate(store.state_at(seen, not_done), rule, top_n).top(k) if seen is not None else None
        st = store.refresh()
        top = A.aggregate(st, rule, top_n).top(k)
        if shown is not None and top != shown:
            raise Replaced(Msg(N_("Nothing was added to the agenda of hearing {id}: {why}"), id=hearing_id,
                               why=Msg(_CHANGED)))
        try:
            return _carry(ws, hearing_id, st, top, actor, _still(store.stream, (st.seq, st.hash)))
        except _Moved:
            continue
    raise NeedsError(Msg(N_("The needs assessment is being changed by others right now; try again")))


def _carry(ws: Any, hearing_id: str, st: NeedsState, top: list[str], actor: Actor, check: Check) -> Carried:
    service = ConsoleService(ws)
    service.choose(hearing_id)  # HearingError when there is no such hearing
    agenda = service.refresh()
    on_agenda = {match_key(t) for o in agenda.options.values() for t in o.titles.values()}
    number, taken = service.next_option_number(), set(agenda.options) | set(agenda.removed_options)
    added, already = [], []
    for pid in top:
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
    if added:  # AgendaFixed / HearingClosed / the assessment changed meanwhile (``check``): nothing stored
        service.store.add_options(added, actor=actor.name, check=check)
    return Carried(tuple(added), tuple(already))
