"""The budget matches' records (stream ``budget-follow``), and how a laptop's handed-in ones are checked.

A match is one ``follow.matched`` record: ``{"year", "priority": "<hearing>/<option>", "code", "before", "role"}``
(``FollowService.match``: ``code`` "" is "no line"). A hand-in's hashes prove only that nobody changed the records
after they were written, not that pbtools wrote them, so each is checked to be one ``match`` could have written
before the server stores it: a record the follow view could not read (a missing priority, a year as text) would
break that view for the whole municipality.
"""

from __future__ import annotations

from typing import Any, Sequence

from pbtools.hearings import records as R
from pbtools.i18n import N_, Msg
from pbtools.monitoring.records import BUDGET_FOLLOW as STREAM

MATCHED = "follow.matched"
MAX_TEXT = 200  # characters of a budget line's code or an option's id in a match (the codes are a few digits)

__all__ = ["MATCHED", "STREAM", "first_bad_match", "hearing_of", "priority_key", "split_priority"]


def priority_key(hearing_id: str, option_id: str) -> str:
    """How a match names the hearing's priority it is about: ``hearing/option``."""
    return f"{hearing_id}/{option_id}"


def split_priority(key: Any) -> tuple[str, str]:
    """(hearing, option) of a priority key (("", "") for what is not a text)."""
    hearing, _, option = key.partition("/") if isinstance(key, str) else ("", "", "")
    return hearing, option


def hearing_of(record: Any) -> str:
    """The hearing whose priority a match record is about."""
    return split_priority(str(record.payload.get("priority", "")))[0]


def first_bad_match(records: Sequence[Any]) -> tuple[Any, Msg] | None:
    """None when every record of ``records`` is one ``FollowService.match`` writes; else the first that is not, and
    why (what follows it is not read: one forged record refuses the stream). The NULs every stream is checked for,
    and the message naming the record: ``monitoring.adopted.stream_problems``, which calls this."""
    for r in records:
        problem = _problem(r)
        if problem is not None:
            return r, problem
    return None


def _problem(r: Any) -> Msg | None:
    if r.kind != MATCHED or r.key or r.voids or r.reason:
        return Msg(N_("pbtools writes no record of this kind in the budget matches"))
    p = r.payload
    if not isinstance(p, dict):
        return Msg(N_("its content is not what pbtools writes in such a record"))
    year, priority = p.get("year"), p.get("priority")
    if type(year) is not int or not 1900 <= year <= 2200:  # bool is an int: type(), not isinstance
        return _field("year", year)
    hearing, option = split_priority(priority)
    if not R.is_hearing_id(hearing) or not _text(option) or not option:
        return _field("priority", priority)
    for name in ("code", "before"):
        if not (_text(p.get(name)) or (name == "before" and p.get(name) is None)):
            return _field(name, p.get(name))
    if not isinstance(p.get("role", ""), str):
        return _field("role", p.get("role"))
    return None


def _text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT and value.isprintable()


def _field(name: str, value: Any) -> Msg:
    return Msg(N_("field {field}: {value} is not what pbtools writes there"), field=name, value=R.shown(value))
