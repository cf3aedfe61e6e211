"""Greedy: options in order of score, each taken if it still fits (``skip``), or stop at the first that does not.

With the ``support`` score this is pabutools' ``greedy_utilitarian_welfare`` with ``Cost_Sat`` (order by number of
supporters; like pabutools, an option costing 0 gets score 0). With ``points``/``borda`` the order is by total
points / Borda score (not divided by cost). Options nobody supports come last and are taken if they fit.
"""

from __future__ import annotations

from pbtools.counting.profile import Compiled
from pbtools.counting.result import Amount
from pbtools.counting.steps import Skip, Stop, Take
from pbtools.counting.rules import Limits, Outcome, money, tie_record
from pbtools.counting.ties import TieRule
from pbtools.i18n import Msg, N_

SCORE_WORD = {"support": N_("votes"), "points": N_("points"), "borda": N_("Borda points")}


def greedy(
    c: Compiled,
    tie: TieRule,
    *,
    skip: bool = True,
    initial: list[int] = (),
    eligible: set[int] | None = None,
    limits: Limits | None = None,
) -> Outcome:
    ranks = tie.ranks(c.ids, c.costs, c.support)
    if c.score_kind == "support":
        value = [s if cost > 0 else 0 for s, cost in zip(c.support, c.costs)]
    else:
        value = c.score
    chosen = list(initial)
    spent: dict[str, int] = {}
    for p in chosen:
        if limits:
            limits.spend(p, c.costs[p], spent)
    total = sum(c.costs[p] for p in chosen)
    order = [p for p in range(len(c.ids)) if p not in set(chosen) and (eligible is None or p in eligible)]
    order.sort(key=lambda p: (-value[p], ranks[p]))
    out = Outcome(chosen)
    word = Msg(SCORE_WORD[c.score_kind])
    i = 0
    while i < len(order):  # ties: runs of equal score, recorded where they start
        j = i
        while j + 1 < len(order) and value[order[j + 1]] == value[order[i]]:
            j += 1
        if j > i:
            out.ties.append(tie_record(c, tie, i + 1, order[i : j + 1]))
        i = j + 1
    for step, p in enumerate(order, 1):
        cost, left = c.costs[p], c.budget - total
        data = {"step": step, "score": value[p], "cost": c.money(cost), "total_before": c.money(total)}
        common = {"project": c.ids[p], "score": Amount(value[p]), "word": word, "cost": money(c, cost)}
        if cost > left:
            if not skip:
                msg = Msg(N_("{project} ({score} {word}) costs {cost}, only {left} is left: counting stops here."), left=money(c, left), **common)
                out.steps.append(Stop(c.ids[p], msg, left=c.money(left), **data))
                break
            msg = Msg(N_("{project} ({score} {word}) costs {cost}, only {left} is left: skipped."), left=money(c, left), **common)
            out.steps.append(Skip(c.ids[p], msg, left_before=c.money(left), reason="budget", **data))
        elif limits and not limits.allows(p, cost, spent):
            sector = limits.sectors[p]
            msg = Msg(N_("{project} ({score} {word}) would exceed the cap for {sector}: skipped."), sector=sector, **common)
            out.steps.append(Skip(c.ids[p], msg, left_before=c.money(left), reason="cap", sector=sector, **data))
        else:
            total += cost
            chosen.append(p)
            if limits:
                limits.spend(p, cost, spent)
            msg = Msg(N_("{project} ({score} {word}) costs {cost}: taken; total so far {total}."), total=money(c, total), **common)
            out.steps.append(Take(c.ids[p], msg, left_before=c.money(left), total_after=c.money(total), **data))
    return out
