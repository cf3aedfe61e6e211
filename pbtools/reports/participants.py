"""Who came: participants by sex, and by age group, village and category with women and men in each (pure)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import AGE_GROUPS, CATEGORIES, UNKNOWN, Participant

@dataclass(frozen=True)
class Row:
    key: str  # age group code, village name or category code
    total: int
    women: int
    men: int


def breakdown(participants: Iterable[Participant], by: str, order: Iterable[str] = ()) -> list[Row]:
    """One row per group of ``by`` (an attribute of Participant), known groups in ``order`` first, then the others
    by name, "not given" (UNKNOWN) last; groups nobody belongs to are left out."""
    totals: Counter = Counter()
    women: Counter = Counter()
    men: Counter = Counter()
    for p in participants:
        key = getattr(p, by)
        totals[key] += 1
        women[key] += p.sex == "f"
        men[key] += p.sex == "m"
    order = list(order)
    keys = [k for k in order if k in totals] + sorted(k for k in totals if k not in order and k != UNKNOWN)
    keys += [UNKNOWN] if UNKNOWN in totals else []
    return [Row(k, totals[k], women[k], men[k]) for k in keys]


def participant_breakdowns(st: HearingState) -> dict[str, list[Row]]:
    """``{"age": [...], "village": [...], "category": [...]}`` of the registered (not voided) participants."""
    people = list(st.participants.values())
    villages = st.hearing.villages if st.hearing else ()
    return {
        "age": breakdown(people, "age", AGE_GROUPS),
        "village": breakdown(people, "village", villages),
        "category": breakdown(people, "category", CATEGORIES),
    }
