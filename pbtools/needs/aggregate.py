"""Aggregating the sessions' rankings by a rule a facilitator can check by hand on a flip chart.

* ``borda``: a session that ranked k problems gives k points to its first, k-1 to its second ... 1 to its last;
  a problem's score is the sum over sessions.
* ``topn``: a problem's score is the number of sessions (groups) that put it in their top N.
* ``copeland``: every pair of problems is compared: a problem beats another when more sessions rank it above the
  other than below (a problem a session ranked is above one it did not); its score is its wins minus its losses.

Problems with the same score share a place (1, 2, 2, 4): a tie is never broken by a hidden criterion, it is said.
Every result is also given per group and per village (``by``), so that what women or young people put first stays
visible when it loses the overall count; ``places`` is "who ranked what", session by session.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Iterable

from pbtools.i18n import N_, Msg
from pbtools.needs.errors import NeedsError
from pbtools.needs.model import NeedsState, Session

BORDA, TOPN, COPELAND = "borda", "topn", "copeland"
RULES = (BORDA, TOPN, COPELAND)
DEFAULT_TOP_N = 3
TOP_N_FIELD = N_("Top places (N)")  # the box of N, as its refusals name it

RULE_NAMES = {
    BORDA: N_("Borda count (points by place)"),  # a name, as the others ("Borda points" is a count's unit)
    TOPN: N_("Groups placing it in their top {n}"),
    COPELAND: N_("Pairwise majority (Copeland)"),
}
RULE_EXPLAINED = {
    BORDA: N_("Each group's list gives points: as many to its first problem as the list is long, one less to the next, one to the last. The points of all groups are added."),
    TOPN: N_("Each problem gets one point from every group that put it among its first {n}. The points are added."),
    COPELAND: N_("Every two problems are compared: one wins when more groups ranked it above the other than below. A problem's score is its wins minus its losses."),
}


@dataclass(frozen=True)
class Standing:
    problem: str  # problem id
    score: int
    place: int  # 1 = first; tied problems share a place
    tied: bool


@dataclass(frozen=True)
class Outcome:
    rule: str
    top_n: int
    sessions: tuple[str, ...]  # the sessions counted
    standings: tuple[Standing, ...]  # by place, then problem number

    def top(self, k: int) -> list[str]:
        """The problems in places 1..k (more than k when a tie straddles place k: all of them are said)."""
        return [s.problem for s in self.standings if s.place <= k]

    def ties(self) -> list[tuple[Standing, ...]]:
        """The groups of problems sharing a place, best first."""
        out: dict[int, list[Standing]] = {}
        for s in self.standings:
            if s.tied:
                out.setdefault(s.place, []).append(s)
        return [tuple(v) for _, v in sorted(out.items())]


def check_rule(rule: str, top_n: int) -> None:
    if rule not in RULES:
        raise NeedsError(Msg(N_("Unknown rule {rule}; choose one of {rules}"), rule=rule, rules=", ".join(RULES)))
    if top_n < 1:
        raise NeedsError(Msg(N_("{field}: «{value}» is not a whole number from 1 up"), field=Msg(TOP_N_FIELD), value=top_n))


def _scores(rankings: list[tuple[str, ...]], rule: str, top_n: int) -> dict[str, int]:
    problems = list(dict.fromkeys(p for r in rankings for p in r))
    scores = dict.fromkeys(problems, 0)
    if rule == BORDA:
        for r in rankings:
            for i, p in enumerate(r):
                scores[p] += len(r) - i
    elif rule == TOPN:
        for r in rankings:
            for p in r[:top_n]:
                scores[p] += 1
    else:
        positions = [{p: i for i, p in enumerate(r)} for r in rankings]
        for a, b in combinations(problems, 2):
            for_a = sum(1 for pos in positions if pos.get(a, len(pos)) < pos.get(b, len(pos)))
            for_b = sum(1 for pos in positions if pos.get(b, len(pos)) < pos.get(a, len(pos)))
            if for_a != for_b:
                winner, loser = (a, b) if for_a > for_b else (b, a)
                scores[winner] += 1
                scores[loser] -= 1
    return scores


def aggregate(st: NeedsState, rule: str = BORDA, top_n: int = DEFAULT_TOP_N,
              sessions: Iterable[Session] | None = None) -> Outcome:
    """The problems ranked by ``sessions`` (default: every session with a ranking), by ``rule``."""
    check_rule(rule, top_n)
    chosen = [s for s in (sessions if sessions is not None else st.ranked_sessions()) if st.rankings.get(s.id)]
    scores = _scores([st.rankings[s.id] for s in chosen], rule, top_n)
    number = {pid: st.problems[pid].number if pid in st.problems else 0 for pid in scores}
    order = sorted(scores, key=lambda p: (-scores[p], number[p]))
    standings, place = [], 0
    for i, pid in enumerate(order):
        if i == 0 or scores[pid] != scores[order[i - 1]]:
            place = i + 1
        tied = sum(1 for q in order if scores[q] == scores[pid]) > 1
        standings.append(Standing(pid, scores[pid], place, tied))
    return Outcome(rule, top_n, tuple(s.id for s in chosen), tuple(standings))


BY_GROUP, BY_VILLAGE = "group", "village"


def by(st: NeedsState, what: str, rule: str = BORDA, top_n: int = DEFAULT_TOP_N) -> dict[str, Outcome]:
    """The same rule within each group (``what="group"``) or each village: group or village -> its outcome."""
    if what not in (BY_GROUP, BY_VILLAGE):
        raise ValueError(f"by group or village, not {what!r}")
    parts: dict[str, list[Session]] = {}
    for s in st.ranked_sessions():
        parts.setdefault(s.group if what == BY_GROUP else s.village, []).append(s)
    return {key: aggregate(st, rule, top_n, sessions) for key, sessions in parts.items()}


def places(st: NeedsState) -> dict[str, dict[str, int]]:
    """Who ranked what: problem id -> {session id: the place that session gave it} (absent: not on its list)."""
    out: dict[str, dict[str, int]] = {pid: {} for pid in st.problems}
    for s in st.ranked_sessions():
        for i, pid in enumerate(st.rankings[s.id], start=1):
            out.setdefault(pid, {})[s.id] = i
    return out


def rule_name(rule: str, top_n: int) -> Msg:
    return Msg(RULE_NAMES[rule], n=top_n) if rule == TOPN else Msg(RULE_NAMES[rule])


def explanation(outcome: Outcome, st: NeedsState) -> list[Msg]:
    """What the rule does, then every tie, in plain words."""
    said = [Msg(RULE_EXPLAINED[outcome.rule], n=outcome.top_n) if outcome.rule == TOPN else Msg(RULE_EXPLAINED[outcome.rule])]
    if not outcome.sessions:
        said.append(Msg(N_("No session has a ranking yet.")))
    for tied in outcome.ties():
        numbers = ", ".join(str(st.problems[s.problem].number) if s.problem in st.problems else s.problem for s in tied)
        said.append(Msg(N_("Tie: problems {numbers} share place {place} with the same score ({score}); the rule does not separate them."),
                        numbers=numbers, place=tied[0].place, score=tied[0].score))
    return said
