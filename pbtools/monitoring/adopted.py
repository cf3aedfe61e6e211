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

from collections import abc
from dataclasses import fields, is_dataclass
from decimal import Decimal
from types import UnionType
from typing import Any, Callable, Mapping, Sequence, Union, get_args, get_origin, get_type_hints

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
    from pbtools.monitoring.follow.records import first_bad_match

    for r in records:  # no database keeps a NUL in a text
        if any("\0" in (text or "") for text in (r.kind, r.actor, r.key, r.reason)):
            return [_record(r, Msg(N_("its kind, actor, key or reason holds a NUL character, which pbtools never "
                                      "writes")))]
    if stream == M.BUDGET_FOLLOW:
        bad = first_bad_match(records)
        return [] if bad is None else [_record(*bad)]
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
    """``records`` fold, into objects whose every field holds what its type says (a member whose name is a number
    folds, then breaks every act filed on the server at ``name.casefold()``)."""
    try:
        folded = fold(records)
    except UNREADABLE:
        return False
    found = folded.values() if isinstance(folded, Mapping) else [folded]
    return all(x is None or _typed(x) for x in found)


def _typed(obj: Any) -> bool:
    """Every field of dataclass ``obj`` holds a value of its declared type (nested dataclasses too)."""
    hints = get_type_hints(type(obj))
    return all(_is(getattr(obj, f.name), hints.get(f.name, Any)) for f in fields(obj))


def _is(value: Any, hint: Any) -> bool:
    if hint is Any:
        return True
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, UnionType):
        return any(_is(value, a) for a in args)
    if origin in (Mapping, dict, abc.Mapping):
        return isinstance(value, Mapping) and all(_is(k, args[0]) and _is(v, args[1]) for k, v in value.items())
    if origin is tuple:
        return isinstance(value, tuple) and (all(_is(v, args[0]) for v in value) if len(args) == 2 and args[1] is Ellipsis
                                             else len(value) == len(args) and all(map(_is, value, args)))
    if origin is not None:  # another generic: its outer type only
        return isinstance(value, origin)
    if hint is type(None):
        return value is None
    if not isinstance(hint, type):
        return True
    if hint in (int, float, Decimal) and isinstance(value, bool):
        return False
    if hint is float:
        return isinstance(value, (int, float))
    return isinstance(value, hint) and (not is_dataclass(hint) or _typed(value))


def _record(r: Any, problem: Msg) -> Msg:
    return Msg(RECORD, seq=r.seq, kind=shown(r.kind), problem=problem)
