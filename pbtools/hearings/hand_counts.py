"""A show-of-hands or sticker count checked before it is stored: the record's payload, or every problem at once."""

from __future__ import annotations

from typing import Any, Mapping

from pbtools.hearings.errors import HearingError
from pbtools.hearings.model import ANSWERS, LABELS, MOTION, SEXES
from pbtools.i18n import N_, Msg


def count_payload(st: Any, question_id: str, counts: Mapping[str, Mapping[str, int]], group_by: str, method: str,
                  replaces: int | None) -> dict:
    """The ``count.entered`` payload of ``counts`` (see ``HearingStore.enter_count``); a ``HearingError`` naming
    every problem when the question, a group, an option or a figure is wrong, or ``replaces`` is no saved count of
    the question."""
    question = st.questions.get(question_id)
    if question is None:
        raise HearingError(Msg(N_("There is no question {id}"), id=question_id))
    if replaces is not None and (replaces not in st.counts or st.counts[replaces].question != question_id):
        raise HearingError(Msg(N_("Record {seq} is not a saved count of this question"), seq=replaces))
    allowed = set(ANSWERS) if question.kind == MOTION else set(question.options)
    groups = {"": {"all"}, "sex": set(SEXES), "village": set(st.hearing.villages) or None}.get(group_by, set())
    problems = []
    if method not in ("hands", "stickers"):
        problems.append(Msg(N_("Unknown way of counting {value}"), value=method))
    if not counts:
        problems.append(Msg(N_("No counts were entered")))
    for group, per_option in counts.items():
        if groups is not None and group not in groups:
            problems.append(Msg(N_("Unknown group {group}"), group=group))
        for key, n in per_option.items():
            if key not in allowed:
                ref = f"№{st.options[key].number}" if key in st.options else key
                problems.append(Msg(N_("Option {option} is not on this ballot"), option=ref))
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                problems.append(Msg(N_("Group {group}: {value} is not a count (a whole number, 0 or more)"), group=group, value=n))
    if problems:
        raise HearingError(problems)
    return {"question": question_id, "method": method, "group_by": group_by, "counts": {g: dict(c) for g, c in counts.items()}}


def _group(group: str) -> Msg | str:
    return Msg(N_("All")) if group == "all" else Msg(LABELS[group]) if group in LABELS else group


def over_registered(st: Any, count: Any) -> list[Msg]:
    """Groups of a saved count in which more hands went up for one option (or one answer) than people of that
    group are registered: a warning (people may come without registering), never a refusal."""
    c = st.counters
    registered = {"all": c.total, "f": c.women, "m": c.men, **dict(c.by_village)}
    problems = []
    for group, per_option in count.counts.items():
        most = max(per_option.values(), default=0)
        if group in registered and most > registered[group]:
            problems.append(Msg(N_("Count {seq}, group {group}: {n} hands for one option, but {registered} registered"),
                                seq=count.seq, group=_group(group), n=most, registered=registered[group]))
    return problems
