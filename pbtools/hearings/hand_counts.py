"""A show-of-hands or sticker count checked before it is stored: the record's payload, or every problem at once
(a question whose rule cannot count hands among them); a count's own number (per question); what a save may do
(add a count, the default, or replace one chosen); and the warning, before saving and after, when more hands went
up than people registered."""

from __future__ import annotations

from typing import Any, Mapping

from pbtools.counting.names import RULE_NAMES
from pbtools.hearings.errors import HearingError
from pbtools.hearings.fold import Count
from pbtools.hearings.model import ANSWERS, LABELS, MOTION, SEXES, question_title, village_name
from pbtools.i18n import N_, Msg


def count_payload(st: Any, question_id: str, counts: Mapping[str, Mapping[str, int]], group_by: str, method: str,
                  replaces: int | None) -> dict:
    """The ``count.entered`` payload of ``counts`` (see ``HearingStore.enter_count``); a ``HearingError`` naming
    every problem when the question, a group, an option or a figure is wrong, or ``replaces`` is no saved count of
    the question."""
    question = st.questions.get(question_id)
    if question is None:
        raise HearingError(Msg(N_("There is no question {id}"), id=question_id))
    refusal = hands_refused(question)
    if refusal is not None:
        raise HearingError(refusal)
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


def hands_counted_by(question: Any) -> bool:
    """Whether the question's count takes show-of-hands figures: a motion's yes/no and greedy do (each figure is
    that many votes for the option); Equal Shares and Phragmén need each voter's whole ballot (who else they
    supported), which a show of hands does not give."""
    return question.kind == MOTION or (question.rule or "greedy").startswith("greedy")


def hands_refused(question: Any) -> Msg | None:
    """Why a show of hands cannot be entered for ``question`` (None: it can), said before anything is stored."""
    if hands_counted_by(question):
        return None
    rule = question.rule or ""
    return Msg(N_("Question \"{title}\" is counted by {rule}, which needs each voter's whole ballot: a show of hands "
                  "cannot be counted by it. Vote on paper ballots or by phone, or choose the greedy rule for this "
                  "question before voting starts."),
               title=question_title(question), rule=Msg(RULE_NAMES.get(rule, rule)))


def count_number(st: Any, count: Any) -> int:
    """A count's own number, as the commission knows it: 1 for the question's first count, 2 for the next (a
    count that replaced another included, so numbers never change), never the ledger's record number."""
    return sum(1 for c in _every_count(st, count.question) if c.seq <= count.seq)


NEW_COUNT = 0  # the save target that adds a count to those saved


def save_targets(st: Any, question_id: str) -> list[tuple[int, int]]:
    """What saving a count of ``question_id`` may do, the default first: add a new count ``(0, NEW_COUNT)``, or
    replace one saved count ``(its number, its record)``, the latest first. Replacing is a correction chosen for
    one save: a screen goes back to the default after every save and for another question, so a second count
    (another table, stickers after hands) is never taken for a correction of the first."""
    saved = sorted(st.counts_for(question_id), key=lambda c: c.seq, reverse=True)
    return [(0, NEW_COUNT)] + [(count_number(st, c), c.seq) for c in saved]


def next_count_number(st: Any, question_id: str) -> int:
    """The number the next count of ``question_id`` will get."""
    return 1 + len(_every_count(st, question_id))


def _every_count(st: Any, question_id: str) -> list[Count]:
    """The question's counts, those voided (replaced) too."""
    return [c for c in (*st.counts.values(), *st.voided.values()) if isinstance(c, Count) and c.question == question_id]


def _group(group: str) -> Msg | str:
    return Msg(N_("All")) if group == "all" else Msg(LABELS[group]) if group in LABELS else group


def group_name(group: str, municipality: Any, lang: str) -> str:
    """A count's group as people read it in ``lang``: all, a sex, or a village (stored by its Kyrgyz name)."""
    if group == "all" or group in SEXES:
        return _group(group).render(lang)
    return village_name(group, municipality, lang)


def _over(st: Any, number: int, counts: Mapping[str, Mapping[str, int]]) -> list[Msg]:
    c = st.counters
    if not c.total:  # nobody registered at the door: the hearing does not use registration, nothing to compare
        return []
    registered = {"all": c.total, "f": c.women, "m": c.men, **dict(c.by_village)}
    problems = []
    for group, per_option in counts.items():
        most = max(per_option.values(), default=0)
        if group in registered and most > registered[group]:
            problems.append(Msg(N_("Count {seq}, group {group}: {n} hands for one option, but {registered} registered"),
                                seq=number, group=_group(group), n=most, registered=registered[group]))
    return problems


def over_registered(st: Any, count: Any) -> list[Msg]:
    """Groups of a saved count in which more hands went up for one option (or one answer) than people of that
    group are registered: a warning (people may come without registering), never a refusal."""
    return _over(st, count_number(st, count), count.counts)


def over_registered_before_saving(st: Any, question_id: str, counts: Mapping[str, Mapping[str, int]]) -> list[Msg]:
    """The same warning for figures not saved yet, named by the number the count will get, so the commission can
    recount before anything is stored."""
    return _over(st, next_count_number(st, question_id), counts)
