"""What each simulated voter thinks of each option, and the ballot of any kind that follows from it.

A voter's utility for an option = the option's appeal in this hall (drawn once per seed) + a pull towards the
voter's own village's options (options for every village pull everyone a little) + the taste of the voter's sex and
age group for the option's sector + personal noise. The tastes (``SECTOR_TASTES``) are training assumptions that
make groups differ visibly (women and men, young and old put given sectors higher), not findings.

``simulate_preferences(state, n, seed)`` gives the hall's preferences (reproducible: ``random.Random(seed)``, never
the global one); ``ballot_for(question, options, voter, budget)`` turns one voter's preferences into a ballot of the
question's kind, a pure function, so the same preferences can be cast as approval, points, ranking, knapsack,
single choice or yes/no ballots ("what if the ballot kind changed").
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping, Sequence

from pbtools.hearings.model import (
    ABSTAIN, ALL_VILLAGES, APPROVAL, KNAPSACK, MOTION, NO, POINTS, RANKING, SINGLE, YES, Ballot, Option, Question,
)
from pbtools.i18n import N_, Msg
from pbtools.training.errors import SimulationError
from pbtools.training.population import SimVoter, hall_population

OWN_VILLAGE = 1.6  # how much more a voter likes an option of their own village
EVERY_VILLAGE = 0.5  # an option for every village (no village, or "all")
APPEAL_SD = 0.6  # how much options differ in appeal to the whole hall
NOISE_SD = 0.8  # how much one person differs from their group
# sector -> {group: taste}; groups are sexes ("f", "m") and age groups
SECTOR_TASTES: Mapping[str, Mapping[str, float]] = {
    "water": {"f": 0.7, "45_59": 0.2, "60_plus": 0.3},
    "education": {"f": 0.6, "30_44": 0.6, "18_29": 0.2},
    "health": {"f": 0.4, "60_plus": 0.8, "45_59": 0.3},
    "roads": {"m": 0.7, "45_59": 0.3},
    "lighting": {"m": 0.3, "f": 0.3, "18_29": 0.2},
    "waste": {"f": 0.2, "30_44": 0.2},
    "culture_sport": {"m": 0.5, "18_29": 0.9, "under_18": 1.0, "60_plus": -0.4},
}
BREADTH_WEIGHTS = {1: 15, 2: 30, 3: 35, 4: 15, 5: 5}  # how many options a voter marks when a ballot lets them
MOTION_WEIGHTS = {YES: 82, NO: 11, ABSTAIN: 7}


@dataclass(frozen=True)
class VoterPreferences:
    """One simulated voter: who they are, their utility for each option (higher: preferred), how many options they
    mark when a ballot lets them choose (``breadth``), and their answer to a motion."""

    voter: SimVoter
    utilities: Mapping[str, float]  # option id -> utility
    breadth: int
    answer: str  # yes / no / abstain

    def ranked(self, option_ids: Sequence[str]) -> list[str]:
        """``option_ids`` best first (ties: the order given)."""
        return sorted(option_ids, key=lambda o: -self.utilities.get(o, float("-inf")))


@dataclass(frozen=True)
class SimulatedHall:
    """A simulated hall's preferences for one hearing: reproducible from (hearing, n, seed)."""

    hearing_id: str
    seed: int
    options: tuple[Option, ...]  # the hearing's options, by number
    voters: tuple[VoterPreferences, ...]

    def utility_table(self) -> list[list[float]]:
        """Voters × options (in ``options`` order): what a chart of "who prefers what" draws."""
        return [[v.utilities[o.id] for o in self.options] for v in self.voters]


def _taste(sector: str, voter: SimVoter) -> float:
    tastes = SECTOR_TASTES.get(sector, {})
    return tastes.get(voter.sex, 0.0) + tastes.get(voter.age, 0.0)


def _village_pull(option: Option, voter: SimVoter) -> float:
    village = option.village.strip()
    if not village or village.casefold() == ALL_VILLAGES:
        return EVERY_VILLAGE
    return OWN_VILLAGE if village == voter.village else 0.0


def simulate_preferences(state: Any, n: int, seed: int, populations: Mapping[str, int] | None = None) -> SimulatedHall:
    """The preferences of ``n`` simulated voters for the hearing of ``state`` (a ``HearingState``: its hearing,
    villages and options). ``populations``: village -> people (``population.village_populations``); equal weights
    when None. The same (state's options and villages, n, seed) always gives the same hall. Writes nothing."""
    hearing = getattr(state, "hearing", None)
    if hearing is None:
        raise SimulationError(Msg(N_("There is no hearing to simulate")))
    options = tuple(sorted(state.options.values(), key=lambda o: o.number))
    if not options:
        raise SimulationError(Msg(N_("The hearing has no options to vote on")))
    rng = random.Random(seed)
    people = hall_population(hearing, n, rng, populations)
    appeal = {o.id: rng.gauss(0, APPEAL_SD) for o in options}
    breadths, breadth_weights = list(BREADTH_WEIGHTS), list(BREADTH_WEIGHTS.values())
    answers, answer_weights = list(MOTION_WEIGHTS), list(MOTION_WEIGHTS.values())
    voters = []
    for person in people:
        utilities = {o.id: round(appeal[o.id] + _village_pull(o, person) + _taste(o.sector, person)
                                 + rng.gauss(0, NOISE_SD), 6) for o in options}
        voters.append(VoterPreferences(person, utilities, rng.choices(breadths, breadth_weights)[0],
                                       rng.choices(answers, answer_weights)[0]))
    return SimulatedHall(state.id, seed, options, tuple(voters))


def _points(ids: list[str], voter: VoterPreferences, question: Question) -> tuple[tuple[str, int], ...]:
    """All the points (or, when they need not all be used, still all: a voter in a hall uses them) on the voter's
    favourites, more on the better liked: split over their top ``breadth`` options by rank (largest remainder)."""
    total = question.points
    if not question.stacking:
        return tuple((o, 1) for o in ids[:total])
    top = ids[:max(1, min(voter.breadth, total, len(ids)))]
    weights = [len(top) - i for i in range(len(top))]  # 3, 2, 1 for three options
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    for i in sorted(range(len(top)), key=lambda i: (-(exact[i] - shares[i]), i))[: total - sum(shares)]:
        shares[i] += 1
    return tuple((o, s) for o, s in zip(top, shares) if s > 0)


def ballot_for(question: Question, options: Mapping[str, Option], voter: VoterPreferences,
               budget: Decimal | None = None) -> Ballot:
    """The ballot ``voter`` marks on ``question`` (a pure function of the preferences): single, their favourite;
    approval, their ``breadth`` favourites up to the limit; points, all points on their favourites; ranking, their
    favourites in order up to the limit; knapsack, favourites in order while they fit the budget (``budget``: the
    hearing's, unless the question has its own); motion, their answer. Raises ``SimulationError`` when no option
    of a knapsack fits the budget (nobody could fill that ballot)."""
    if question.kind == MOTION:
        return Ballot(answer=voter.answer)
    ids = voter.ranked([o for o in question.options if o in options])
    if not ids:
        raise SimulationError(Msg(N_("Question {id} has no options to vote on"), id=question.id))
    if question.kind == SINGLE:
        return Ballot(((ids[0], 1),))
    if question.kind == APPROVAL:
        return Ballot(tuple((o, 1) for o in ids[:max(1, min(voter.breadth, question.max_choices))]))
    if question.kind == RANKING:
        top = ids[:max(1, min(voter.breadth, question.max_choices))]
        return Ballot(tuple((o, rank) for rank, o in enumerate(top, start=1)))
    if question.kind == POINTS:
        return Ballot(_points(ids, voter, question))
    if question.kind == KNAPSACK:
        limit = question.budget if question.budget is not None else budget
        chosen, spent = [], Decimal(0)
        for o in ids:  # favourites first; one that does not fit is passed over for a cheaper one after it
            if limit is None or spent + options[o].cost <= limit:
                chosen.append(o)
                spent += options[o].cost
            if len(chosen) >= max(voter.breadth, 1) + 1:  # people fill a knapsack a little more than they approve
                break
        if not chosen:
            raise SimulationError(Msg(N_("No option of question {id} fits its budget"), id=question.id))
        return Ballot(tuple((o, 1) for o in chosen))
    raise SimulationError(Msg(N_("Unknown ballot kind {kind}"), kind=question.kind))


def hall_ballots(hall: SimulatedHall, question: Question, budget: Decimal | None = None) -> list[Ballot]:
    """Every voter's ballot on ``question``, in the order they came in."""
    options = {o.id: o for o in hall.options}
    return [ballot_for(question, options, voter, budget) for voter in hall.voters]
