"""Tie rules: the order in which tied options are preferred, stored with a hearing and reported with each result.

* ``TieRule("lexicographic")``: by project id as a plain string ("1" < "10" < "2"), as pabutools does; used to
  compare outcomes with the reference.
* ``TieRule("field", seed=...)``: the order the field recommends for hearings (equalshares.net): the cheaper option
  first, then the one with more votes (supporters), then a lot drawn from the recorded ``seed`` (the same seed always
  draws the same lot, so anyone can re-count it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from pbtools.i18n import N_

LEXICOGRAPHIC = "lexicographic"
FIELD = "field"
TIE_RULES = (LEXICOGRAPHIC, FIELD)

# How a tie was broken (the ``criterion`` of a ``Tie``), as read aloud.
CRITERIA = {
    "id": N_("by project number"),
    "cost": N_("the cheaper option first"),
    "votes": N_("the option with more votes first"),
    "lot": N_("by lot"),
}


@lru_cache(maxsize=4096)
def _lot(seed: int | None, project_id: str) -> bytes:
    """The lot of an option under a seed (kept: every count of a hearing draws the same lots again)."""
    return hashlib.sha256(f"{seed}:{project_id}".encode()).digest()


@dataclass(frozen=True)
class TieRule:
    kind: str = LEXICOGRAPHIC
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in TIE_RULES:
            raise ValueError(f"unknown tie rule {self.kind!r}; expected one of {', '.join(TIE_RULES)}")
        if self.kind == FIELD and self.seed is None:
            raise ValueError("the field tie rule needs a seed for its lot")

    def lot(self, project_id: str) -> bytes:
        return _lot(self.seed, project_id)

    def keys(self, ids: list[str], costs: list[int], support: list[int]) -> list[tuple]:
        """One sort key per project: the smaller key wins a tie."""
        if self.kind == LEXICOGRAPHIC:
            return [(pid,) for pid in ids]
        return [(costs[i], -support[i], self.lot(pid)) for i, pid in enumerate(ids)]

    def ranks(self, ids: list[str], costs: list[int], support: list[int]) -> list[int]:
        # lexicographic: by the ids themselves (the same order as their 1-tuples, without making them)
        order = sorted(range(len(ids)), key=(ids if self.kind == LEXICOGRAPHIC else self.keys(ids, costs, support)).__getitem__)
        rank = [0] * len(ids)
        for r, i in enumerate(order):
            rank[i] = r
        return rank

    def criterion(self, winner: int, runner_up: int, costs: list[int], support: list[int]) -> str:
        """Which criterion put ``winner`` before ``runner_up``."""
        if self.kind == LEXICOGRAPHIC:
            return "id"
        if costs[winner] != costs[runner_up]:
            return "cost"
        if support[winner] != support[runner_up]:
            return "votes"
        return "lot"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "seed": self.seed}
