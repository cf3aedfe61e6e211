"""Who took part and what each group chose: counts and shares by sex, age group, village and category.

Participation comes from the registration at the door (``HearingState.counters``). What a group chose comes from
two sources: ballots that carry a group (paper ballots typed from a pile sorted by group, e.g. women's and men's
ballots; ballots without one go to the group "unknown", phone ballots whose voter did not say too), and show-of-hands counts
taken by the same grouping (a count by sex for ``by="sex"``) where the question's count takes hands
(``votes.option_votes``). A count taken by another grouping cannot be split, so it goes to "unknown" too: the
groups always add up to the board's votes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Mapping

from pbtools.hearings.fold import HearingState
from pbtools.hearings.hand_counts import hands_counted_by
from pbtools.hearings.model import AGE_GROUPS, ANSWERS, CATEGORIES, MOTION, SEXES, Question
from pbtools.hearings.tally import tally_ballots
from pbtools.results.election import question_of, voter_of
from pbtools.hearings.voters import UNKNOWN  # kept here too: what others import with the groups

GROUPINGS = ("sex", "age", "village", "category")


@dataclass(frozen=True)
class Share:
    key: str  # a code (f, 18_29, resident) or a village name
    count: int
    share: Decimal | None  # count / total; None when nobody is counted


@dataclass(frozen=True)
class Participation:
    total: int
    women: int
    men: int
    women_share: Decimal | None
    by: Mapping[str, tuple[Share, ...]]  # grouping -> shares, in the order of the enumeration (villages: the hearing's)
    voters: Mapping[str, int]  # question id -> ballots counted


@dataclass(frozen=True)
class GroupTally:
    group: str  # a group key or UNKNOWN
    ballots: int  # ballots counted in this group (show-of-hands figures are not ballots)
    hands: bool  # some of the figures come from a show of hands
    tally: Mapping[str, int]  # option id (or yes/no/abstain) -> votes or points
    channels: frozenset = frozenset()  # how its ballots came: "paper", "code", "phone" (the unknown group's label)


def ratio(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)) if whole else None


def group_order(state: HearingState, by: str, keys: Iterable[str]) -> list[str]:
    """``keys`` in the order people expect: the enumeration's, villages as the hearing lists them, others after."""
    known = {"sex": SEXES, "age": AGE_GROUPS, "category": CATEGORIES, "village": state.hearing.villages if state.hearing else ()}[by]
    keys = set(keys)
    return [k for k in known if k in keys] + sorted(k for k in keys if k not in known and k != UNKNOWN) + ([UNKNOWN] if UNKNOWN in keys else [])


def shares(counter: Mapping[str, int], order: list[str]) -> tuple[Share, ...]:
    total = sum(counter.values())
    return tuple(Share(k, counter[k], ratio(counter[k], total)) for k in order)


def participation(state: HearingState) -> Participation:
    c = state.counters
    by_sex = Counter({"f": c.women, "m": c.men, UNKNOWN: c.sex_not_given})
    counters = {"sex": by_sex, "age": c.by_age, "village": c.by_village, "category": c.by_category}
    by = {name: shares(counter, group_order(state, name, [k for k, v in counter.items() if v or (name == "sex" and k != UNKNOWN)]))
          for name, counter in counters.items()}
    voters = Counter(b.question for b in state.ballots.values())
    return Participation(c.total, c.women, c.men, ratio(c.women, c.total), by, {q: voters[q] for q in state.questions})


def _empty(question: Question) -> Counter:
    return Counter(dict.fromkeys(ANSWERS if question.kind == MOTION else question.options, 0))


def breakdown(state: HearingState, question_id: str, by: str = "sex") -> list[GroupTally]:
    """What each group chose on one question: one ``GroupTally`` per group (and "unknown" when some are)."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; expected one of {', '.join(GROUPINGS)}")
    question = question_of(state, question_id)
    casts: dict[str, list] = {}
    for cast in state.ballots_for(question_id):
        casts.setdefault(voter_of(state, cast).get(by) or UNKNOWN, []).append(cast)
    tallies = {group: Counter(tally_ballots(question, items)) for group, items in casts.items()}
    from_hands: set[str] = set()
    # show-of-hands figures only where the question's count takes them: the groups add up to the board's votes
    for count in state.counts_for(question_id) if hands_counted_by(question) else ():
        for group, per_option in count.counts.items():
            key = group if count.group_by == by else UNKNOWN
            tallies.setdefault(key, _empty(question)).update(per_option)
            from_hands.add(key)
    return [GroupTally(g, len(casts.get(g, ())), g in from_hands, {**_empty(question), **tallies[g]},
                       frozenset(c.channel for c in casts.get(g, ())))
            for g in group_order(state, by, tallies)]

