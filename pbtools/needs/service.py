"""What the Training app's needs tab and ``pbtools needs`` ask of an assessment, in one object: plain data in and
out (texts already in the reader's language), ``NeedsError`` for refusals. No widgets here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pbtools.hearings.console_service import list_hearings
from pbtools.hearings.model import label, DRAFT
from pbtools.i18n import N_, Msg, translator
from pbtools.needs import aggregate as A
from pbtools.needs import records as R
from pbtools.needs.forms import write_form
from pbtools.needs.model import GROUPS, group_label
from pbtools.needs.places import shown
from pbtools.needs.store import REPLACED, NeedsStore, Seen
from pbtools.needs.to_hearing import Carried, carry_over
from pbtools.roles import Actor
from pbtools.storage import Check


@dataclass(frozen=True)
class ProblemRow:
    id: str
    number: int
    title: str
    village: str
    sector: str  # in the reader's language


@dataclass(frozen=True)
class SessionRow:
    id: str
    number: int
    village: str
    group: str  # in the reader's language
    ranking: str  # the problem numbers, best first ("3 1 7"; empty: not typed yet)


@dataclass(frozen=True)
class ResultRow:
    place: int
    tied: bool
    number: int
    title: str
    score: int
    by_group: tuple[int | None, ...]  # the place each group's own count gave it (None: not on their lists)
    by_village: tuple[int | None, ...]


@dataclass(frozen=True)
class Results:
    rule: str
    rule_name: str
    explanation: tuple[str, ...]  # what the rule does, then each tie
    rows: tuple[ResultRow, ...]
    groups: tuple[str, ...]  # column names of by_group, in the reader's language
    villages: tuple[str, ...]
    sessions: int

    def as_json(self) -> dict:
        return {"rule": self.rule, "rule_name": self.rule_name, "explanation": list(self.explanation),
                "sessions": self.sessions, "groups": list(self.groups), "villages": list(self.villages),
                "problems": [{"place": r.place, "tied": r.tied, "number": r.number, "title": r.title, "score": r.score,
                              "by_group": dict(zip(self.groups, r.by_group)),
                              "by_village": dict(zip(self.villages, r.by_village))} for r in self.rows]}


def _group_order(groups) -> list[str]:
    return sorted(groups, key=lambda g: (GROUPS.index(g) if g in GROUPS else len(GROUPS), g))


class NeedsService:
    def __init__(self, ws: Any, assessment: str = R.DEFAULT) -> None:
        self.ws = ws
        self.store = NeedsStore(ws, assessment)

    @property
    def state(self):
        return self.store.refresh()

    @property
    def point(self) -> Seen:
        """(seq, hash) of the last record read: a screen drawing its lists from this service keeps it, and passes
        it as ``seen`` to what is typed there."""
        st = self.state
        return st.seq, st.hash

    def problems(self, lang: str) -> list[ProblemRow]:
        m = self.ws.municipality()
        return [ProblemRow(p.id, p.number, p.title(lang), shown(p.village, m, lang), label(p.sector, lang))
                for p in sorted(self.state.problems.values(), key=lambda p: p.number)]

    def villages(self, lang: str) -> list[str]:
        """The municipality's villages in ``lang``, in its order: what a problem's or a session's village is one of
        ([]: the workspace lists none, and takes any)."""
        m = self.ws.municipality()
        return [v.name(lang) for v in m.villages] if m is not None else []

    def session_label(self, session, lang: str) -> str:
        """"Кок-Талаа · Женщины": the session's village and group in ``lang``."""
        return f"{shown(session.village, self.ws.municipality(), lang)} · {group_label(session.group, lang)}"

    def sessions(self, lang: str) -> list[SessionRow]:
        st, m = self.state, self.ws.municipality()
        return [SessionRow(s.id, s.number, shown(s.village, m, lang), group_label(s.group, lang),
                           " ".join(str(st.problems[p].number) for p in st.rankings.get(s.id, ()) if p in st.problems))
                for s in sorted(st.sessions.values(), key=lambda s: s.number)]

    def next_unranked(self, after: str | None = None) -> str | None:
        """The session to type next: the first one after ``after`` (in order) without a ranking, else the first
        such one; None when every session has its ranking."""
        st = self.state
        order = sorted(st.sessions.values(), key=lambda s: s.number)
        start = next((i + 1 for i, s in enumerate(order) if s.id == after), 0)
        waiting = [s.id for s in order[start:] + order[:start] if not st.rankings.get(s.id)]
        return waiting[0] if waiting else None

    # -- writes (each one record, committed before it returns)
    # ``seen``: the ``point`` a screen drew its lists at; the write is refused (``Replaced``) when those records
    # were replaced since (a sandbox reset in another tab); None (the command line): the records as they are
    def add_problem(self, title: str, lang: str, actor: Actor, village: str = "", sector: str = "other",
                    similar_ok: bool = False, seen: Seen | None = None):
        return self.store.add_problem({lang: title}, actor, village=village, sector=sector, similar_ok=similar_ok, seen=seen)

    def add_session(self, village: str, group: str, actor: Actor, **kw: Any):
        return self.store.add_session(village, group, actor, **kw)

    def set_ranking(self, session_id: str, typed: str, actor: Actor, seen: Seen | None = None) -> tuple[str, ...]:
        return self.store.set_ranking(session_id, typed, actor, seen=seen)

    def hearings(self, lang: str) -> list[tuple[str, str]]:
        """(id, label) of the hearings whose agenda may still change (drafts), newest first: where top problems go."""
        return [(h.id, h.label) for h in reversed(list_hearings(self.ws, lang).items) if h.status == DRAFT]

    def to_hearing(self, hearing_id: str, k: int, actor: Actor, rule: str = A.BORDA, top_n: int = A.DEFAULT_TOP_N,
                   seen: Seen | None = None) -> Carried:
        """The top ``k`` problems as options of draft ``hearing_id``; ``seen``: where the screen's results were drawn
        (``to_hearing.carry_over``)."""
        return carry_over(self.ws, hearing_id, self.store, k, actor, rule, top_n, seen)

    def for_draft(self, seen: Seen) -> Check:
        """The check of a draft hearing made for the top problems a screen showed at ``seen``: refused, said, when
        the assessment's records were replaced since (``NeedsStore.kept``)."""
        return self.store.kept(seen, Msg(N_("The draft hearing was not made: {why}"), why=Msg(REPLACED)))

    # -- reading
    def results(self, lang: str, rule: str = A.BORDA, top_n: int = A.DEFAULT_TOP_N) -> Results:
        st = self.state
        overall = A.aggregate(st, rule, top_n)
        parts = {}
        for what in (A.BY_GROUP, A.BY_VILLAGE):
            outcomes = A.by(st, what, rule, top_n)
            keys = _group_order(outcomes) if what == A.BY_GROUP else sorted(outcomes)
            parts[what] = (keys, {k: {s.problem: s.place for s in outcomes[k].standings} for k in keys})
        g_keys, g_places = parts[A.BY_GROUP]
        v_keys, v_places = parts[A.BY_VILLAGE]
        rows = tuple(ResultRow(s.place, s.tied, st.problems[s.problem].number, st.problems[s.problem].title(lang), s.score,
                               tuple(g_places[g].get(s.problem) for g in g_keys),
                               tuple(v_places[v].get(s.problem) for v in v_keys))
                     for s in overall.standings)
        m = self.ws.municipality()
        return Results(rule, A.rule_name(rule, top_n).render(lang), tuple(e.render(lang) for e in A.explanation(overall, st)),
                       rows, tuple(group_label(g, lang) for g in g_keys), tuple(shown(v, m, lang) for v in v_keys),
                       len(overall.sessions))

    def chart(self, lang: str, rule: str = A.BORDA, top_n: int = A.DEFAULT_TOP_N, by: str = A.BY_GROUP):
        """Who ranked what: the figure of places by group (or village)."""
        from pbtools.charts.needs import places_chart  # here, not at the top: matplotlib costs ~0.6-1 s to import

        _ = translator(lang)
        res = self.results(lang, rule, top_n)
        columns = res.groups if by == A.BY_GROUP else res.villages
        grid = [list(r.by_group if by == A.BY_GROUP else r.by_village) for r in res.rows]
        title = _("Who ranked what: place by group") if by == A.BY_GROUP else _("Who ranked what: place by village")
        return places_chart([f"{r.number}. {r.title}" for r in res.rows], columns, grid, title, res.rule_name,
                            empty=_("No session has a ranking yet."))

    def form(self, lang: str, out: Path | str, session_id: str | None = None) -> Path:
        st = self.state
        m = self.ws.municipality()
        session = self.store.session(session_id) if session_id is not None else None  # refused before a file is made
        return write_form(st, lang, out, session, m.name(lang) if m else "", m)
