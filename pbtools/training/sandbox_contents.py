"""What a reset would take out of a sandbox, counted and said before the trainer confirms it.

    seen = contents(ws, sandbox)        # Contents(voters, ballots, hearings, needs)
    reset_question(sandbox.name, seen)  # a Msg: "Reset sandbox workshop-1? Everything done in it goes: ..."

Counted: what a workshop makes in a sandbox after it was made. The ballots and the people registered in its
hearings (the closed sample hearing left out: it is part of every new sandbox), the hearings made in it besides the
sample and the mock hearing (a draft for the needs assessment's top problems), and the entries of its needs
assessments (problems, sessions, rankings).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pbtools.hearings.store import hearing_ids, state
from pbtools.i18n import N_, Msg, NMsg
from pbtools.needs.records import STREAM_PREFIX as NEEDS_PREFIX, fold as fold_needs
from pbtools.needs.model import NeedsState


@dataclass(frozen=True)
class Contents:
    voters: int  # people registered in its hearings (the sample hearing's left out)
    ballots: int  # ballots stored in them, every question (spoiled and blank ones too)
    hearings: int  # hearings made in it besides the sample and the mock hearing
    needs: int  # needs assessment entries: problems, sessions and rankings

    @property
    def empty(self) -> bool:
        return not (self.voters or self.ballots or self.hearings or self.needs)


def contents(ws: Any, sandbox: Any) -> Contents:
    """What sandbox ``sandbox`` (open as ``ws``) holds beyond a new one (see the module's text)."""
    voters = ballots = made = 0
    for hearing_id in hearing_ids(ws):
        if hearing_id == sandbox.closed_hearing:
            continue
        st = state(ws, hearing_id)
        voters += len(st.participants)
        ballots += len(st.ballots) + len(st.invalid)
        made += hearing_id != sandbox.open_hearing
    needs = 0
    for stream in ws.ledger.streams():
        if stream.startswith(NEEDS_PREFIX):
            st = fold_needs(ws.ledger.records(stream), NeedsState(stream[len(NEEDS_PREFIX):]))
            needs += len(st.problems) + len(st.sessions) + len(st.rankings)
    return Contents(voters, ballots, made, needs)


def all_ballots(n: int) -> NMsg:
    """Ballots of every question counted together, said so: a voter's paper answers each question on a ballot of
    its own, so this is several times ``question_ballots`` (905 beside 153 read as two counts of one thing)."""
    return NMsg("{n} ballot (all questions together)", "{n} ballots (all questions together)", n)


def question_ballots(n: int) -> NMsg:
    """The mock hearing's ballots on question 1 (the approval vote "what if" and the rounds count), said so."""
    return NMsg("{n} ballot on question 1", "{n} ballots on question 1", n)


def _counts(seen: Contents) -> dict:
    return dict(ballots=all_ballots(seen.ballots),
                voters=NMsg("from {n} registered voter", "from {n} registered voters", seen.voters),
                hearings=NMsg("{n} hearing made in it", "{n} hearings made in it", seen.hearings),
                needs=NMsg("{n} needs assessment entry (problems, sessions, rankings)",
                           "{n} needs assessment entries (problems, sessions, rankings)", seen.needs))


def remove_question(name: str, seen: Contents) -> Msg:
    """What the trainer is asked before sandbox ``name`` is removed for good (its kept copy too)."""
    if seen.empty:
        return Msg(N_("Remove sandbox {name} for good? Nothing has been done in it yet; the copy kept at its last "
                      "reset goes with it."), name=name)
    return Msg(N_("Remove sandbox {name} for good? Everything in it goes, with the copy kept at its last reset: "
                  "{ballots} {voters}, {hearings}, {needs}. This cannot be undone."), name=name, **_counts(seen))


def reset_question(name: str, seen: Contents) -> Msg:
    """What the trainer is asked before sandbox ``name`` is reset: every count of what goes, and that it is kept."""
    if seen.empty:
        return Msg(N_("Reset sandbox {name}? Nothing has been done in it yet: no ballots, no hearings made in it, no "
                      "needs assessment entries."), name=name)
    return Msg(N_("Reset sandbox {name}? Everything done in it goes: {ballots} {voters}, {hearings}, {needs}. "
                  "The sandbox as it is now is kept aside until the next reset, and can be brought back."),
               name=name, **_counts(seen))
