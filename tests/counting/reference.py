"""Outcomes from pabutools (GPL-3.0, the reference), called through its public API only.

``reference(text_or_path, rule, score)`` returns the selected project ids as pabutools reports them (selection
order; sorted by id for Phragmén). Rules and the pabutools call each matches (docs/counting.md):

* greedy / support: ``greedy_utilitarian_welfare(Cost_Sat)``; greedy / points and borda: the same with a
  satisfaction made for the purpose (points·cost, so that total satisfaction / cost = total points);
* mes: ``method_of_equal_shares(Cost_Sat)`` (support) or ``Additive_Cardinal_Sat`` (points);
* mes-add1: the same with ``voter_budget_increment=1``;
* mes-add1-greedy: ``completion_by_rule_combination([mes with increment 1, greedy])`` with the same satisfaction;
* phragmen: ``sequential_phragmen`` (approval profiles).
All with pabutools' default lexicographic tie-breaking.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pabutools.election import AdditiveSatisfaction, Additive_Cardinal_Sat, Cost_Sat, parse_pabulib
from pabutools.election.profile import ApprovalProfile, OrdinalProfile
from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares, sequential_phragmen

REFERENCE_RULES = ("greedy", "mes", "mes-add1", "mes-add1-greedy", "phragmen")


def _points_cost(instance, profile, ballot, project, precomputed):
    if isinstance(profile, OrdinalProfile):
        k = precomputed["k"]
        return (k - ballot.index(project)) * project.cost if project in ballot else 0
    return ballot.get(project, 0) * project.cost


class PointsTimesCost(AdditiveSatisfaction):
    """Satisfaction = points (or Borda points k - position) × cost: pabutools' greedy then orders by points."""

    def __init__(self, instance, profile, ballot):
        super().__init__(instance, profile, ballot, _points_cost)

    def preprocessing(self, instance, profile, ballot):
        if isinstance(profile, OrdinalProfile):
            k = max([len(b) for b in profile] + [int(instance.meta.get("max_length", 0) or 0)])
            return {"k": k}
        return {}


def load(text_or_path: str | Path):
    if isinstance(text_or_path, Path) or (isinstance(text_or_path, str) and "\n" not in text_or_path):
        return parse_pabulib(str(text_or_path))
    fd, name = tempfile.mkstemp(suffix=".pb")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text_or_path)
        return parse_pabulib(name)
    finally:
        os.unlink(name)


def reference(text_or_path: str | Path, rule: str, score: str = "support") -> list[str]:
    instance, profile = load(text_or_path)
    if score == "support":
        sat = Cost_Sat
    elif score == "points" and rule.startswith("mes"):
        sat = Additive_Cardinal_Sat
    else:
        sat = PointsTimesCost
    if rule == "greedy":
        out = greedy_utilitarian_welfare(instance, profile, sat_class=sat)
    elif rule == "mes":
        out = method_of_equal_shares(instance, profile, sat_class=sat)
    elif rule == "mes-add1":
        out = method_of_equal_shares(instance, profile, sat_class=sat, voter_budget_increment=1)
    elif rule == "mes-add1-greedy":
        greedy_sat = Cost_Sat if score == "support" else PointsTimesCost
        out = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": sat, "voter_budget_increment": 1}, {"sat_class": greedy_sat}],
        )
    elif rule == "phragmen":
        if not isinstance(profile, ApprovalProfile):
            raise ValueError("pabutools' sequential Phragmén needs an approval profile")
        out = sequential_phragmen(instance, profile)
    else:
        raise ValueError(rule)
    return [p.name for p in out]
