"""A needs assessment in the ledger: one stream per assessment, its records and how they fold into a state."""

from __future__ import annotations

from typing import Iterable

from pbtools.needs.model import NeedsState, Problem, Session
from pbtools.storage.record import Record

STREAM_PREFIX = "needs:"
DEFAULT = "main"  # the assessment a workspace works on unless another is named

PROBLEM_ADDED = "needs.problem"
SESSION_ADDED = "needs.session"
RANKING = "needs.ranking"  # a session's ranking; a later one for the same session replaces it (voids it)


def stream_of(assessment: str) -> str:
    return STREAM_PREFIX + assessment


def problem_json(p: Problem) -> dict:
    return {"id": p.id, "number": p.number, "titles": dict(p.titles), "key": p.key, "village": p.village, "sector": p.sector}


def session_json(s: Session) -> dict:
    return {"id": s.id, "number": s.number, "village": s.village, "group": s.group, "date": s.date,
            "people": s.people, "note": s.note}


def fold(records: Iterable[Record], st: NeedsState) -> NeedsState:
    """Apply ``records`` (those after ``st.seq``) to ``st``."""
    for r in records:
        data = r.payload
        if r.kind == PROBLEM_ADDED:
            st.problems[data["id"]] = Problem(data["id"], int(data["number"]), dict(data["titles"]), data["key"],
                                              data.get("village", ""), data.get("sector", "other"))
        elif r.kind == SESSION_ADDED:
            st.sessions[data["id"]] = Session(data["id"], int(data["number"]), data["village"], data["group"],
                                              data.get("date", ""), int(data.get("people", 0)), data.get("note", ""))
        elif r.kind == RANKING:
            st.rankings[data["session"]] = tuple(data["problems"])
            st.ranking_seq[data["session"]] = r.seq
        st.seq, st.hash = r.seq, r.hash
    return st
