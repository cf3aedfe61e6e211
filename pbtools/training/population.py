"""Who comes to a simulated hall: people by village, sex and age group, sized like real hearings.

The hall follows the hearing: its own villages, weighted by their populations in the workspace (equal when the
workspace does not know them), and the age groups its registration takes (``voters.allowed_age_groups``: under 18
only where the hearing allows it). Villages and sex are apportioned (largest remainder), so a hall's shares are
those of the target within one person per group; age groups and categories are drawn. The shares are training
assumptions close to the domain notes (women 35-51 % of a hall, most people residents), not data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from pbtools.hearings.model import Hearing, Participant, find_village
from pbtools.hearings.voters import allowed_age_groups
from pbtools.i18n import N_, Msg
from pbtools.training.errors import SimulationError

MIN_HALL, MAX_HALL = 1, 2000  # what the simulator accepts; real halls hold 60-350 people
REAL_HALL = (60, 350)  # the sizes seen at hearings (domain notes)
WOMEN_SHARE = 0.45
AGE_WEIGHTS: Mapping[str, int] = {"under_18": 6, "18_29": 22, "30_44": 32, "45_59": 26, "60_plus": 16}
CATEGORY_WEIGHTS: Mapping[str, int] = {"resident": 86, "deputy": 5, "staff": 4, "initiative_group": 5}


@dataclass(frozen=True)
class SimVoter:
    """One simulated person in the hall (numbered from 1 in the order they came in)."""

    number: int
    sex: str  # "f" or "m"
    age: str  # an age group of the hearing
    village: str  # a village of the hearing (its stored, Kyrgyz name)
    category: str = "resident"

    def participant(self) -> Participant:
        """What the door registers for this person."""
        return Participant(self.sex, self.age, self.village, self.category)

    def about(self) -> dict[str, str]:
        """What a phone ballot form says of its voter (the optional ``about-*`` fields)."""
        return {"sex": self.sex, "age": self.age, "village": self.village}


def village_populations(ws: Any, hearing: Hearing) -> dict[str, int]:
    """The hearing's villages and their populations as the workspace knows them (matched by any of a village's
    names or its id); a village the workspace does not know counts as the average of the known ones (1 when none
    is known)."""
    municipality = ws.municipality() if ws is not None else None
    known: dict[str, int] = {}
    for name in hearing.villages:
        village = find_village(name, municipality)
        if village is not None and village.population > 0:
            known[name] = village.population
    fill = round(sum(known.values()) / len(known)) if known else 1
    return {name: known.get(name, fill) for name in hearing.villages}


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in whole numbers proportionally to ``weights`` (largest remainder; ties to the first)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def check_size(n: int) -> int:
    if not isinstance(n, int) or not MIN_HALL <= n <= MAX_HALL:
        raise SimulationError(Msg(N_("The number of simulated voters must be between {low} and {high}, not {n}"),
                                  low=MIN_HALL, high=MAX_HALL, n=n))
    return n


def hall_population(hearing: Hearing, n: int, rng: random.Random,
                    populations: Mapping[str, int] | None = None) -> list[SimVoter]:
    """``n`` people for the hearing's hall, in the order they come in (shuffled by ``rng``)."""
    check_size(n)
    villages = list(hearing.villages)
    if not villages:
        raise SimulationError(Msg(N_("The hearing has no villages; choose its villages before simulating a hall")))
    weights = [max(0, (populations or {}).get(v, 1)) for v in villages]
    if not any(weights):
        weights = [1] * len(villages)
    ages = allowed_age_groups(hearing)
    age_weights = [AGE_WEIGHTS[a] for a in ages]
    categories, category_weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    people: list[tuple[str, str]] = []
    for village, size in zip(villages, apportion(n, weights)):
        women = apportion(size, [WOMEN_SHARE, 1 - WOMEN_SHARE])[0]
        people += [(village, "f")] * women + [(village, "m")] * (size - women)
    rng.shuffle(people)
    return [SimVoter(i, sex, rng.choices(ages, age_weights)[0], village, rng.choices(categories, category_weights)[0])
            for i, (village, sex) in enumerate(people, start=1)]
