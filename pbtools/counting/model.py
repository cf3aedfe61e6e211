"""The election every rule counts: projects, ballots, budget, vote type. Plain, public, exact.

A hearing builds one from its own ballots; the Pabulib reader builds one from a ``.pb`` file.

* ``Project(id, cost, names={}, area=None, sector=None, attributes={})``: ``cost`` is an exact ``Decimal`` (som for
  a hearing; the file's currency for Pabulib). ``names`` maps a language (``NAME_LANGS``; ``""``: the file's own
  language, a Pabulib ``name`` column) to the project's name; ``name(lang)`` falls back to ``""``, then ky, ru, en. ``area`` is the village or district the project belongs to (for
  per-area budgets), ``sector`` its category (for per-sector caps). ``attributes`` keeps any other column.
* ``Ballot(choice, points=None, voter={}, voter_id="", weight=1)``: ``choice`` is the tuple of project ids on the
  ballot, in ballot order (for a ranking: best first). ``points`` (same length as ``choice``) are the points or
  scores given (dot voting, cumulative, scoring). ``voter`` maps voter attributes (``sex``, ``age``/``age_group``,
  ``village``/``district``, ``category``, ``voting_method``...) to values. ``weight`` counts identical ballots once.
  An empty ``choice`` is a ballot that supports nothing (it still counts as a participant, and in MES it holds a
  share of the budget, as in pabutools).
* ``Election(projects, ballots, budget, vote_type, meta={}, currency="KGS")``: ``vote_type`` is one of
  ``VOTE_TYPES``. Yes/no/abstain ballots are approval ballots holding the "yes" options; single choice is
  ``choose-1``; knapsack ballots are approval ballots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Mapping, Sequence

APPROVAL = "approval"
CHOOSE_1 = "choose-1"
CUMULATIVE = "cumulative"
SCORING = "scoring"
ORDINAL = "ordinal"
VOTE_TYPES = (APPROVAL, CHOOSE_1, CUMULATIVE, SCORING, ORDINAL)
POINT_TYPES = (CUMULATIVE, SCORING)

Points = int | Fraction
NAME_LANGS = ("ky", "ru", "en")  # the languages a project may be named in beside its file's own ("")


@dataclass(frozen=True)
class Project:
    id: str
    cost: Decimal
    names: Mapping[str, str] = field(default_factory=dict)  # language (or "" when unknown) -> name
    area: str | None = None
    sector: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)

    def name(self, lang: str = "en") -> str:
        return self.own_name(lang) or self.id

    def own_name(self, lang: str = "en") -> str | None:
        """The name in ``lang``, else in the file's own language, else in any; None when the project has none."""
        for candidate in (lang, "", *NAME_LANGS):
            if self.names.get(candidate):
                return self.names[candidate]
        return None


@dataclass(slots=True)
class Ballot:
    choice: tuple[str, ...]
    points: tuple[Points, ...] | None = None
    voter: Mapping[str, str] = field(default_factory=dict)
    voter_id: str = ""
    weight: int = 1

    def points_for(self) -> dict[str, Points]:
        """Project id -> points; approval and ordinal ballots give 1 to every project on them."""
        if self.points is None:
            return dict.fromkeys(self.choice, 1)
        return dict(zip(self.choice, self.points))


@dataclass
class Election:
    projects: Sequence[Project]
    ballots: Sequence[Ballot]
    budget: Decimal
    vote_type: str = APPROVAL
    meta: Mapping[str, str] = field(default_factory=dict)
    currency: str = "KGS"

    def project(self, project_id: str) -> Project:
        for project in self.projects:
            if project.id == project_id:
                return project
        raise KeyError(project_id)

    @property
    def participants(self) -> int:
        return sum(b.weight for b in self.ballots)
