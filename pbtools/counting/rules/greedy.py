"""Greedy: options in order of score, each taken if it still fits (``skip``), or stop at the first that does not.

With the ``support`` score this is pabutools' ``greedy_utilitarian_welfare`` with ``Cost_Sat`` (order by number of
supporters; like pabutools, an option costing 0 gets score 0). With ``points``/``borda`` the order is by total
points / Borda score (not divided by cost). Options nobody supports come last and are taken if they fit.
"""

from __future__ import annotations

from pbtools.counting.lazy import LazyTuple
from pbtools.counting.native import _rulesnative
from pbtools.counting.profile import Compiled
from pbtools.counting.result import Amount
from pbtools.counting.steps import LazyMsg, Skip, Stop, Take
from pbtools.counting.rules import Limits, Outcome, tie_record
from pbtools.counting.ties import TieRule
from pbtools.i18n import Msg, N_

SCORE_WORD = {"support": N_("votes"), "points": N_("points"), "borda": N_("Borda points")}


TAKE, SKIP, STOP, CAP = 0, 1, 2, 3  # a step's verdict (the compiled greedy gives the first three)

TAKES = N_("{project} ({score} {word}) costs {cost}: taken; total so far {total}.")
SKIPS = N_("{project} ({score} {word}) costs {cost}, only {left} is left: skipped.")
STOPS = N_("{project} ({score} {word}) costs {cost}, only {left} is left: counting stops here.")
OVER_CAP = N_("{project} ({score} {word}) would exceed the cap for {sector}: skipped.")


def _message(msgid: str, project: str, score, word: Msg, cost, currency: str, name: str, value) -> Msg:
    """A greedy step's message (made when first read): the option, its score and cost, and the money left, the
    total or the sector."""
    if name != "sector":
        value = Amount(value, currency)
    return Msg(msgid, **{name: value}, project=project, score=Amount(score), word=word, cost=Amount(cost, currency))


def greedy(
    c: Compiled,
    tie: TieRule,
    *,
    skip: bool = True,
    initial: list[int] = (),
    eligible: set[int] | None = None,
    limits: Limits | None = None,
    engine: str = "python",
) -> Outcome:
    """``engine="native"``: the order and verdicts counted in C (``_rulesnative.greedy``) where it can (no sector
    caps, amounts within 64 bits); the explanation is made here from them either way, so it is the same."""
    ranks = tie.ranks(c.ids, c.costs, c.support)
    if c.score_kind == "support":
        value = [s if cost > 0 else 0 for s, cost in zip(c.support, c.costs)]
    else:
        value = c.score
    chosen = list(initial)
    taken = set(chosen)
    candidates = [p for p in range(len(c.ids)) if p not in taken and (eligible is None or p in eligible)]
    decided = None
    if engine == "native" and not limits and _rulesnative is not None:
        spent = sum(c.costs[p] for p in chosen)
        decided = _rulesnative.greedy(value, ranks, c.costs, c.budget, candidates, skip, spent)
    if decided is None:
        decided = _decide(c, value, ranks, candidates, chosen, skip, limits)
    order, verdicts = decided
    return _explain(c, tie, value, chosen, order, verdicts, limits)


def _decide(c: Compiled, value: list, ranks: list[int], order: list[int], chosen: list[int], skip: bool,
            limits: Limits | None) -> tuple[list[int], list[int]]:
    """The Python engine: the order of the candidates (all of them), and each one's verdict up to the first STOP."""
    spent: dict[str, int] = {}
    for p in chosen:
        if limits:
            limits.spend(p, c.costs[p], spent)
    total = sum(c.costs[p] for p in chosen)
    order = sorted(order, key=lambda p: (-value[p], ranks[p]))
    verdicts = []
    for p in order:
        cost = c.costs[p]
        if cost > c.budget - total:
            verdicts.append(SKIP if skip else STOP)
            if not skip:
                break  # the order goes on (its ties are reported), the verdicts stop
        elif limits and not limits.allows(p, cost, spent):
            verdicts.append(CAP)
        else:
            total += cost
            verdicts.append(TAKE)
            if limits:
                limits.spend(p, cost, spent)
    return order, verdicts


def _explain(c: Compiled, tie: TieRule, value: list, chosen: list[int], order: list[int], verdicts: list[int],
             limits: Limits | None) -> Outcome:
    """The outcome and ties of a greedy count from its order and verdicts (both engines); its steps made when first
    read (``_steps``: most of a greedy count's time, and a count is often shown without them, or not shown)."""
    chosen = list(chosen)
    out = Outcome(chosen)
    i = 0
    while i < len(order):  # ties: runs of equal score, recorded where they start
        j = i
        while j + 1 < len(order) and value[order[j + 1]] == value[order[i]]:
            j += 1
        if j > i:
            out.ties.append(tie_record(c, tie, i + 1, order[i : j + 1]))
        i = j + 1
    spent = sum(c.costs[p] for p in chosen)
    n = 0
    for p, verdict in zip(order, verdicts):
        n += 1
        if verdict == STOP:
            break
        if verdict == TAKE:
            chosen.append(p)
    if n:
        out.steps = LazyTuple(lambda: _steps(c, value, order[:n], verdicts[:n], limits, spent), n)
    return out


def _steps(c: Compiled, value: list, order: list[int], verdicts: list[int], limits: Limits | None, total: int) -> list:
    """A greedy count's steps (``total``: what was spent before the first)."""
    word = Msg(SCORE_WORD[c.score_kind])
    currency = c.currency
    money, ids, costs, budget = c.money, c.ids, c.costs, c.budget
    total_m = money(total)  # each amount made once per step (steps are most of a greedy count's time)
    steps = []
    for step, (p, verdict) in enumerate(zip(order, verdicts), 1):
        cost, left = costs[p], budget - total
        cost_m, left_m = money(cost), money(left)
        pid, score = ids[p], value[p]
        if verdict == STOP:
            msg = LazyMsg(_message, STOPS, pid, score, word, cost_m, currency, "left", left_m)
            steps.append(Stop(pid, msg, cost_m, left_m, step, score, total_m))
            break
        if verdict == SKIP:
            msg = LazyMsg(_message, SKIPS, pid, score, word, cost_m, currency, "left", left_m)
            steps.append(Skip(pid, msg, step, score, cost_m, total_m, left_m, "budget"))
        elif verdict == CAP:
            sector = limits.sectors[p]
            msg = LazyMsg(_message, OVER_CAP, pid, score, word, cost_m, currency, "sector", sector)
            steps.append(Skip(pid, msg, step, score, cost_m, total_m, left_m, "cap", sector))
        else:
            total += cost
            before, total_m = total_m, money(total)
            msg = LazyMsg(_message, TAKES, pid, score, word, cost_m, currency, "total", total_m)
            steps.append(Take(pid, msg, step, score, cost_m, before, left_m, total_m))
    return steps
