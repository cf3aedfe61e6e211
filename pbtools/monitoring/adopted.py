"""A monitoring stream made elsewhere (a laptop's, handed in) checked to be one this core could have written, before
the server stores it: a hand-in's hashes prove only that nobody changed the records after they were written, and
anyone can write a file with correct hashes. The server's screens read these streams for the whole municipality: a
record they cannot read (a member without an id, an act of no project) would break them for everyone.

    problems = stream_problems(stream, records)   # [] : every record of the stream is one the core writes

Each record must be of a kind the core writes in that stream (a project's, the group's, the acts'), and the stream
must fold as the core folds it (``monitoring.fold``); the budget matches are checked field by field
(``follow.records``).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from pbtools.hearings.records import shown
from pbtools.i18n import N_, Msg
from pbtools.monitoring import records as M

PROJECT_KINDS = frozenset({M.PROJECT_CREATED, M.PROJECT_CHANGED, M.MILESTONE_ADDED, M.MILESTONE_DONE, M.FILE_ADDED})
GROUP_KINDS = frozenset({M.MEMBER_ADDED, M.MEMBER_REMOVED})
ACT_KINDS = frozenset({M.ACT_FILED, M.RESPONSE_RECORDED})
RECORD = N_("Record {seq} ({kind}): {problem}")
# what folding a record the core did not write raises (a missing field, a list where a text goes, ...)
UNREADABLE = (KeyError, TypeError, ValueError, AttributeError, ArithmeticError, IndexError)


def stream_problems(stream: str, records: Sequence[Any]) -> list[Msg]:
    """[] when every record of ``records`` (a whole monitoring stream that ``records.travels``, in order) is one this
    core writes there; else the first that is not, named with its seq and kind."""
    from pbtools.monitoring.follow.records import match_problems

    for r in records:  # no database keeps a NUL in a text
        if any("\0" in (text or "") for text in (r.kind, r.actor, r.key, r.reason)):
            return [_record(r, Msg(N_("its kind, actor, key or reason holds a NUL character, which pbtools never "
                                      "writes")))]
    if stream == M.BUDGET_FOLLOW:
        return match_problems(records)
    kinds, fold = _kinds_and_fold(stream)
    for r in records:
        if r.kind not in kinds or not isinstance(r.payload, dict):
            return [_record(r, Msg(N_("pbtools writes no record of this kind in {stream}"), stream=stream))]
    if _folds(fold, records):
        return []
    low, high = 0, len(records) - 1  # the first record whose prefix no longer folds (folding goes record by record)
    while low < high:
        mid = (low + high) // 2
        low, high = (mid + 1, high) if _folds(fold, records[:mid + 1]) else (low, mid)
    return [_record(records[low], Msg(N_("its content is not what pbtools writes in such a record")))]


def _kinds_and_fold(stream: str) -> tuple[frozenset, Callable[[Sequence[Any]], Any]]:
    from pbtools.monitoring.fold import fold_acts, fold_members, fold_project

    if stream == M.GROUP:
        return GROUP_KINDS, fold_members
    if stream == M.ACTS:
        return ACT_KINDS, fold_acts
    if stream.startswith(M.PROJECT_PREFIX):
        return PROJECT_KINDS, lambda records: fold_project(stream[len(M.PROJECT_PREFIX):], records)
    return frozenset(), lambda records: None  # a stream of the prefix the core never makes: no kind is its


def _folds(fold: Callable[[Sequence[Any]], Any], records: Sequence[Any]) -> bool:
    try:
        fold(records)
    except UNREADABLE:
        return False
    return True


def _record(r: Any, problem: Msg) -> Msg:
    return Msg(RECORD, seq=r.seq, kind=shown(r.kind), problem=problem)
