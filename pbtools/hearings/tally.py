"""Plain tallies per option, for the hearing summary and the tests. The counting rules (who wins within the
budget) are in ``pbtools.counting``; nothing here decides an outcome.

single, approval, knapsack: ballots marking the option; points: points given; ranking: ballots ranking the option
(any rank) and, separately, first preferences; motion: yes / no / abstain. Show-of-hands counts are added over
their groups.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from pbtools.hearings.double_entry import disputes
from pbtools.hearings.fold import CastBallot, Count, HearingState
from pbtools.hearings.model import ANSWERS, MOTION, POINTS, RANKING, Question


def tally_ballots(question: Question, ballots: Iterable[CastBallot]) -> dict[str, int]:
    keys = ANSWERS if question.kind == MOTION else question.options
    result = Counter({k: 0 for k in keys})
    for cast in ballots:
        if question.kind == MOTION:
            result[cast.ballot.answer] += 1
        for option_id, value in cast.ballot.marks:
            result[option_id] += value if question.kind == POINTS else 1
    return dict(result)


def first_preferences(question: Question, ballots: Iterable[CastBallot]) -> dict[str, int]:
    result = Counter({k: 0 for k in question.options})
    for cast in ballots:
        result.update(o for o, rank in cast.ballot.marks if rank == 1)
    return dict(result)


def tally_counts(question: Question, counts: Iterable[Count]) -> dict[str, dict[str, int]]:
    """Per group, and "total" over all groups and counts."""
    keys = ANSWERS if question.kind == MOTION else question.options
    groups: dict[str, Counter] = {"total": Counter({k: 0 for k in keys})}
    for count in counts:
        for group, per_option in count.counts.items():
            groups.setdefault(group, Counter({k: 0 for k in keys})).update(per_option)
            groups["total"].update(per_option)
    return {g: dict(c) for g, c in groups.items()}


def summary(st: HearingState) -> dict[str, Any]:
    """A JSON-ready summary of one hearing: details, participant counters and per-question tallies (with the
    double-entry piles whose two entries still differ, when any)."""
    h = st.hearing
    c = st.counters
    questions = []
    disputed = disputes(st)  # every pile once (each question's are picked out below)
    for q in st.questions.values():
        ballots = st.ballots_for(q.id)
        item: dict[str, Any] = {
            "id": q.id, "kind": q.kind, "titles": dict(q.titles), "ballots": len(ballots),
            "voided_ballots": len(st.voided_ballots_for(q.id)),
            "invalid_ballots": len(st.invalid_for(q.id)),
            "tally": tally_ballots(q, ballots),
        }
        if q.kind == RANKING:
            item["first_preferences"] = first_preferences(q, ballots)
        if st.counts_for(q.id):
            item["counts"] = tally_counts(q, st.counts_for(q.id))
        piles = [{"pile": d.pile, "positions": list(d.positions)} for d in disputed if d.question == q.id]
        if piles:  # its entry 1 is what the tally counts, until corrected from the paper
            item["disputed_piles"] = piles
        questions.append(item)
    return {
        "id": st.id, "type": h.type, "date": h.date, "status": st.status, "municipality": h.municipality,
        "venue": h.venue, "villages": list(h.villages), "budget": str(h.budget),
        "participants": {"total": c.total, "women": c.women, "men": c.men, "by_village": dict(c.by_village),
                         "by_age": dict(c.by_age), "by_category": dict(c.by_category)},
        "options": [{"id": o.id, "number": o.number, "titles": dict(o.titles), "cost": str(o.cost)} for o in st.sorted_options()],
        "ballots": len(st.ballots), "codes_issued": len(st.codes), "questions": questions,
    }
