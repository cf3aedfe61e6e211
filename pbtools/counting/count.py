"""``count(election, rule, ...)`` -> ``Result``: the one call that counts a hearing or a Pabulib election.

Rules (``RULES``) and the pabutools call each matches (all with lexicographic ties, pabutools' default):

* ``greedy``: ``greedy_utilitarian_welfare`` with ``Cost_Sat`` (score ``support``); ``greedy-no-skip`` stops at the
  first option that does not fit (no pabutools counterpart);
* ``mes``: ``method_of_equal_shares`` with ``Cost_Sat`` (``support``) or ``Additive_Cardinal_Sat`` (``points``);
* ``mes-add1``: the same with ``voter_budget_increment=1``; ``mes-add1-greedy``: ``completion_by_rule_combination``
  of that and greedy (same satisfaction), i.e. greedy over what is left; ``mes-add1-ens``: the equalshares.net
  Add1 (no pabutools counterpart): raise the per-voter budget until the next step overspends, without pabutools'
  early stop on an exhaustive outcome (this reproduces Wieliczka 2023, Świecie 2023 and Assen 2024);
* ``phragmen``: ``sequential_phragmen`` (pabutools returns it sorted by id; here in selection order).

Eligibility (``min_votes``, ``min_points`` given (approvals count 1), ``min_share`` of participants) removes options
before any rule. ``area_budgets``
({area: amount}) counts each area's options separately with its own budget, on the ballots restricted to them
(ballots left empty are dropped); ``sector_caps`` ({sector: amount}) bounds what each sector may receive.
``progress(per-voter budget, runs)`` hears from an Add1 count after each of its runs. ``engine``: ``auto`` (the
compiled greedy, Phragmén and MES when built (sector caps: Python); None: ``native.DEFAULT``, i.e. auto), ``native`` (refused where it was not), ``python``; the outcome and its explanation
are the same on both.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Mapping

from pbtools.counting.gc_pause import gc_paused
from pbtools.counting.lazy import joined
from pbtools.counting.model import Ballot, Election
from pbtools.counting.native import resolve
from pbtools.counting.native.engine import available as native_mes_available
from pbtools.counting.native.engine import mes_native
from pbtools.counting.profile import Compiled, compile_election, scaled
from pbtools.counting.result import Amount, Result
from pbtools.counting.steps import AreaBudget, Ineligible, Step
from pbtools.counting.tallies import option_counts
from pbtools.counting.rules import Limits, Outcome
from pbtools.counting.rules.greedy import greedy
from pbtools.counting.rules.mes import mes
from pbtools.counting.rules.phragmen import phragmen
from pbtools.counting.ties import TieRule
from pbtools.fmt import Percent
from pbtools.i18n import Msg, N_, NMsg

RULES = ("greedy", "greedy-no-skip", "mes", "mes-add1", "mes-add1-ens", "mes-add1-greedy", "phragmen")


class CountError(ValueError):
    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.message = message


@gc_paused
def count(
    election: Election,
    rule: str = "greedy",
    *,
    score: str = "support",
    tie_rule: TieRule = TieRule(),
    min_votes: int | None = None,
    min_points: int | None = None,
    min_share: Decimal | None = None,
    area_budgets: Mapping[str, Decimal] | None = None,
    sector_caps: Mapping[str, Decimal] | None = None,
    progress=None,
    engine: str | None = None,
) -> Result:
    if rule not in RULES:
        raise CountError(Msg(N_("Unknown rule {rule}; choose one of {rules}."), rule=rule, rules=", ".join(RULES)))
    if rule.startswith("mes") and score == "borda":
        raise CountError(Msg(N_("The Method of Equal Shares counts supporters or points, not Borda scores.")))
    if area_budgets:
        return _by_area(election, rule, score, tie_rule, min_votes, min_points, min_share, area_budgets, sector_caps,
                        progress, engine)
    # greedy reads only the totals: identical ballots are not merged for it
    c = compile_election(election, "support" if rule == "phragmen" else score, engine=engine, merge=not rule.startswith("greedy"))
    steps: list[Step] = []
    eligible = _eligible(c, min_votes, min_share, steps, _points(election, c) if min_points is not None else None, min_points)
    limits = None
    if sector_caps:
        sectors = [p.sector for p in election.projects]
        limits = Limits(sectors, {s: scaled(Decimal(v), c.scale) for s, v in sector_caps.items()})  # floor: a cap is not exceeded
    try:
        out = _run(c, rule, tie_rule, eligible, limits, progress, resolve(engine))
    except MemoryError:  # the compiled core's numbers outgrew the memory (gmp_oom.h): said, the kernel goes on
        raise _out_of_memory(rule) from None
    total = sum(map(c.costs.__getitem__, out.selected))
    return Result(
        rule=rule,
        score=score,
        tie_rule=tie_rule,
        selected=tuple(map(c.ids.__getitem__, out.selected)),
        total_cost=c.money(total),
        budget=election.budget,
        ties=joined(out.ties),  # (a compiled Add1 count's: made when first read, with its final run)
        steps=joined(steps, out.steps),  # a compiled MES count's steps are made when first read
        currency=election.currency,
        options=out.options,
    )


def _out_of_memory(rule: str) -> CountError:
    return CountError(Msg(N_("Not enough memory to count this election by {rule}: its numbers grew too large. Try another rule, or a computer with more memory."),
                          rule=rule))


def _run(c: Compiled, rule: str, tie: TieRule, eligible: set[int] | None, limits: Limits | None, progress=None, engine: str = "python") -> Outcome:
    if rule == "greedy":
        return greedy(c, tie, eligible=eligible, limits=limits, engine=engine)
    if rule == "greedy-no-skip":
        return greedy(c, tie, skip=False, eligible=eligible, limits=limits, engine=engine)
    if rule == "phragmen":
        return phragmen(c, tie, eligible=eligible, limits=limits, engine=engine)
    increment = None if rule == "mes" else 1
    if engine == "native" and native_mes_available(limits):  # the same Outcome, counted in C (sector caps stay in Python)
        # (its final Add1 run is made when the explanation is first read: memory running out there is said as here)
        out = mes_native(c, tie, increment=increment, eligible=eligible, stop_when_exhaustive=rule != "mes-add1-ens", progress=progress,
                         refused=lambda: _out_of_memory(rule))
    else:
        out = mes(c, tie, increment=increment, eligible=eligible, limits=limits, stop_when_exhaustive=rule != "mes-add1-ens", progress=progress)
    if rule == "mes-add1-greedy":
        rest = greedy(c, tie, initial=out.selected, eligible=eligible, limits=limits, engine=engine)
        rest.ties = joined(out.ties, rest.ties)
        rest.steps = joined(out.steps, rest.steps)
        rest.options = out.options
        return rest
    return out


def _points(election: Election, c: Compiled) -> list:
    """project -> the points its ballots give it (1 per approval), whatever score the count is by: a Pabulib
    file's threshold is on its own score (``min_project_score_threshold``: points where ballots give points)."""
    given = option_counts(election, by=())
    return [given[pid].points for pid in c.ids]


def _eligible(c: Compiled, min_votes, min_share, steps: list[Step], points=None, min_points=None) -> set[int] | None:
    if min_votes is None and min_share is None and min_points is None:
        return None
    eligible = set()
    for p, votes in enumerate(c.support):
        if min_votes is not None and votes < min_votes:
            msg = Msg(N_("{project} has {votes} votes, fewer than the {minimum} needed: not eligible."), project=c.ids[p], votes=votes, minimum=min_votes)
            steps.append(Ineligible(c.ids[p], msg, votes=votes, min_votes=min_votes))
        elif min_points is not None and points[p] < min_points:
            msg = Msg(N_("{project} has {points} points, fewer than the {minimum} needed: not eligible."),
                      project=c.ids[p], points=Amount(points[p]), minimum=Amount(min_points))
            steps.append(Ineligible(c.ids[p], msg, votes=votes, points=points[p], min_points=min_points))
        elif min_share is not None and c.n and Decimal(votes) / c.n < Decimal(min_share):
            share = Decimal(votes) / c.n * 100
            msg = Msg(
                N_("{project} has {share} of the votes, less than the {minimum} needed: not eligible."),
                project=c.ids[p],
                share=Percent(share / 100, None),
                minimum=Percent(Decimal(min_share), None),
            )
            steps.append(Ineligible(c.ids[p], msg, votes=votes, share=share, min_share=Decimal(min_share)))
        else:
            eligible.add(p)
    return eligible


def _by_area(election, rule, score, tie_rule, min_votes, min_points, min_share, area_budgets, sector_caps, progress=None, engine=None) -> Result:
    selected: list[str] = []
    ties: list = []
    parts: list = []  # each area's AreaBudget step, then its steps (made when first read where they are)
    total = Decimal(0)
    for area, budget in area_budgets.items():
        projects = [p for p in election.projects if p.area == area]
        ids = {p.id for p in projects}
        ballots = []
        for b in election.ballots:
            keep = [i for i, pid in enumerate(b.choice) if pid in ids]
            if keep:
                points = None if b.points is None else tuple(b.points[i] for i in keep)
                ballots.append(Ballot(tuple(b.choice[i] for i in keep), points, b.voter, b.voter_id, b.weight))
        sub = replace(election, projects=tuple(projects), ballots=ballots, budget=Decimal(budget))
        result = count(sub, rule, score=score, tie_rule=tie_rule, min_votes=min_votes, min_points=min_points, min_share=min_share, sector_caps=sector_caps, progress=progress, engine=engine)
        msg = NMsg("{area}: budget {budget}, {n} option selected for {total}.", "{area}: budget {budget}, {n} options selected for {total}.", len(result.selected), area=area, budget=Amount(Decimal(budget), election.currency), total=Amount(result.total_cost, election.currency))
        parts += [(AreaBudget(None, msg, area=area, budget=Decimal(budget), selected=result.selected, total=result.total_cost),), result.steps]
        ties.extend(result.ties)
        selected.extend(result.selected)
        total += result.total_cost
    return Result(rule, score, tie_rule, tuple(selected), total, sum((Decimal(b) for b in area_budgets.values()), Decimal(0)), tuple(ties), joined(*parts), election.currency, {"areas": dict(area_budgets)})
