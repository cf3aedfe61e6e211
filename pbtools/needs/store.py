"""Writing a needs assessment: problems, sessions and rankings, each one ledger record committed before the call
returns. Every write names its ``Actor`` and is refused (``NotAllowed``) unless the role may record a needs
assessment.

    store = NeedsStore(ws)                                   # the workspace's assessment ("main")
    water = store.add_problem({"ky": "Ичүүчү суу жок"}, actor, village="Ак-Суу", sector="water")
    s = store.add_session("Ак-Суу", "women", actor)
    store.set_ranking(s.id, "3 1 7", actor)                  # problem numbers, best first; again: replaces it
"""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable, Mapping, TypeVar

from pbtools.budget.model import pick_name
from pbtools.dates import not_a_date, parse_date
from pbtools.hearings.model import SECTORS, stored_village
from pbtools.i18n import N_, Msg
from pbtools.needs import records as R
from pbtools.needs.entry import parse_ranking
from pbtools.needs.errors import LooksLike, NeedsError, Replaced
from pbtools.needs.model import NeedsState, Problem, Session, group_code, session_id, session_number
from pbtools.needs.names import looks_like, match_key
from pbtools.needs.places import VillageName, village_problems
from pbtools.roles import NEEDS, SANDBOX, Actor
from pbtools.storage import Check, LedgerError, Locked, StreamMoved, StreamRewound, decided_on, head_is
from pbtools.storage.sandbox_mark import is_sandbox


class _Title(Msg):
    """A problem's title in the reader's language (as typed in another when it has none in theirs)."""

    def __init__(self, titles: Mapping[str, str]) -> None:
        super().__init__("{titles}", titles=dict(titles))

    def render(self, lang: str) -> str:
        return pick_name(self.params["titles"], lang)


MAX_TITLE = 120  # characters in a problem's title (as an option's people fields): a problem, not a paragraph
W = TypeVar("W", bound=Callable[..., Any])
Seen = tuple[int, str]  # (seq, hash) of the last record a screen's lists were drawn from (``NeedsService.point``)
REPLACED = N_("the needs assessment's records were replaced after this screen showed them (the practice sandbox "
               "was reset, or a backup put back); the lists now show them as they are")
_TRIES = 5


class _Moved(Exception):
    """Another screen wrote to the assessment after the state a write was decided on (read again by now)."""


def _decided_afresh(method: W) -> W:
    """A write decided on the whole state (a problem's or session's next number, the ranking it replaces): when
    another screen wrote first, it is decided again on the state as it is now (two screens adding a problem at the
    same moment both took number 3, and the fold kept only the second)."""
    @wraps(method)
    def write(self: "NeedsStore", *args: Any, **kw: Any) -> Any:
        for _attempt in range(_TRIES):
            try:
                return method(self, *args, **kw)
            except _Moved:
                continue
        raise NeedsError(Msg(N_("The needs assessment is being changed by others right now; try again")))
    return write  # type: ignore[return-value]


def needs_right(ws: Any) -> str:
    """The right a write needs: recording a needs assessment, or, in a training sandbox, changing the sandbox (a
    trainer's workshop runs its assessment there)."""
    return SANDBOX if is_sandbox(ws.path) else NEEDS


def assessments(ws: Any) -> list[str]:
    """The workspace's needs assessments (by name), the default one first when it exists."""
    names = [s[len(R.STREAM_PREFIX):] for s in ws.ledger.streams() if s.startswith(R.STREAM_PREFIX)]
    return sorted(names, key=lambda n: (n != R.DEFAULT, n))


def _same_title(title: str, same: Problem, village: str, municipality: Any, similar_ok: bool) -> list[Msg]:
    """Why a title already typed is refused, for someone who meets it the first time: problems are one list for
    the whole municipality (every village's groups rank the same numbers; the results show each village's places),
    so "Нет питьевой воды" typed for a second village is problem 1 again, not a new one."""
    said = [Msg(N_("«{title}» is already problem {number}: «{existing}» ({village})."), title=title, number=same.number,
                existing=_Title(same.titles), village=VillageName(same.village, municipality)),
            Msg(N_("The problems are one list for the whole municipality: the groups of every village rank problem "
                   "{number} by its number, and the results show its place in each village."), number=same.number)]
    if village and village != same.village:
        said.append(Msg(N_("If {village} needs a project of its own for it, add it with a title of its own, such as "
                           "«{title} — {village}»."), village=VillageName(village, municipality), title=title))
    if similar_ok:
        said.append(Msg(N_("Adding anyway is for another problem whose title looks alike; the same title is always "
                           "the same problem.")))
    return said


class NeedsStore:
    """One assessment of a workspace; ``state`` is the last folded state (``refresh`` reads what was added since,
    by this or another process)."""

    def __init__(self, ws: Any, assessment: str = R.DEFAULT) -> None:
        if not assessment.strip():
            raise NeedsError(Msg(N_("A needs assessment needs a name")))
        self.ws, self.assessment = ws, assessment.strip()
        self.stream = R.stream_of(self.assessment)
        self.state = NeedsState(self.assessment)
        self.refresh()

    def refresh(self) -> NeedsState:
        """The state with what was added since; folded again from the start when the stream is no longer the one
        folded (a backup restored, a sandbox reset: ``StreamRewound``)."""
        new, anew = self.ws.ledger.read_on(self.stream, self.state.seq, self.state.hash)
        if anew:
            self.state = NeedsState(self.assessment)
        return R.fold(new, self.state)

    def _shown(self, seen: Seen | None, refusal: Msg) -> None:
        """Refused (``Replaced``: ``refusal``, nothing written) when the records a screen showed (``seen``; None:
        no screen, the command line) were replaced since. A write is decided on the state as it is on disk, read
        afresh; after a sandbox reset that state is another one, and "add the problem" in a stale tab wrote into
        the reset sandbox: what was typed was meant for what the screen showed."""
        if seen is not None and self.ws.ledger.read_on(self.stream, *seen)[1]:
            self.refresh()
            raise Replaced(refusal)

    def state_at(self, seen: Seen, refusal: Msg) -> NeedsState:
        """The state a screen drew at ``seen`` (what its results showed), folded up to that record; ``Replaced``
        (``refusal``) when that record is no longer the stream's."""
        self._shown(seen, refusal)
        st = self.refresh()
        if (st.seq, st.hash) == tuple(seen):
            return st
        if seen[0] == 0:  # the screen showed no record yet
            return NeedsState(self.assessment)
        records = [r for r in self.ws.ledger.records(self.stream) if r.seq <= seen[0]]
        if not records or (records[-1].seq, records[-1].hash) != tuple(seen):  # replaced between the two reads
            self.refresh()
            raise Replaced(refusal)
        return R.fold(records, NeedsState(self.assessment))

    def kept(self, seen: Seen, refusal: Msg) -> Check:
        """For a write to another stream made for what a screen showed at ``seen`` (a draft hearing for its top
        problems): refused (``Replaced``: ``refusal``, nothing written) now, and as the check under that write's
        lock, when those records were replaced since. Records added since by others are let through."""
        self._shown(seen, refusal)

        def check(locked: Locked) -> None:
            if not locked.other(self.stream).holds(*seen):
                raise Replaced(refusal)  # raised out of the write: nothing stored
        return check

    def _write(self, kind: str, payload: dict, actor: Actor, screen: tuple[Seen | None, Msg] = (None, Msg("")), **kw: Any):
        """Append one record decided on ``state``: only right after its last record. Another screen's record since:
        ``_Moved`` (decided again, ``_decided_afresh``); the stream replaced underneath (a backup put back): refused,
        nothing written, the state read again (what was typed was meant for what the screen showed). ``screen``:
        the records the screen showed, and what it says when they were replaced (``_shown``), checked under the
        write's lock too."""
        actor.require(needs_right(self.ws))
        seen = (self.state.seq, self.state.hash)
        check = decided_on(*seen, also=head_is(*seen))
        if screen[0] is not None:
            check = decided_on(*screen[0], also=check)
        try:
            record = self.ws.ledger.append(self.stream, kind, payload, actor=actor.name, check=check, **kw)
        except StreamMoved:
            self.refresh()
            raise _Moved() from None
        except LedgerError as e:  # a key taken by another screen a moment ago, the database not confirming...
            if isinstance(e, StreamRewound):
                self.refresh()
                if screen[0] is not None:
                    raise Replaced(screen[1]) from None
            raise NeedsError(e.message) from None
        self.refresh()
        return record

    # -- problems
    def find(self, title: str) -> Problem | None:
        """The problem with this title, matched as ``names.match_key`` says (case, ө/о ү/у ң/н, punctuation)."""
        key = match_key(title)
        return next((p for p in self.refresh().problems.values() if p.key == key), None)

    def suggestions(self, title: str) -> list[Problem]:
        """Existing problems that look like ``title`` (the closest first)."""
        st = self.refresh()
        return [st.problems[pid] for pid in looks_like(title, [(p.id, t) for p in st.problems.values() for t in p.titles.values()])
                if pid in st.problems]

    @_decided_afresh
    def add_problem(self, titles: Mapping[str, str], actor: Actor, *, village: str = "", sector: str = "other",
                    similar_ok: bool = False, seen: Seen | None = None) -> Problem:
        """A new problem. Refused (``LooksLike``) when one with the same title exists, or, unless ``similar_ok``,
        when one looks like it: the suggestion names it, so the group's ranking uses the problem already typed.
        ``village``: one of the municipality's (``places``), or "" for the whole municipality."""
        titles = {lang: " ".join(text.split()) for lang, text in titles.items() if text and text.strip()}
        if not titles:
            raise NeedsError(Msg(N_("A problem needs a title")))
        too_long = [t for t in titles.values() if len(t) > MAX_TITLE]
        if too_long:  # a paste gone wrong: 500 characters pushed the table off screen and overprinted the chart
            raise NeedsError(Msg(N_("{field}: at most {n} characters, this has {got}"), field=Msg(N_("Problem")),
                                 n=MAX_TITLE, got=len(too_long[0])))
        refusal = Msg(N_("Problem «{title}» was not added: {why}"), title=next(iter(titles.values())), why=Msg(REPLACED))
        self._shown(seen, refusal)
        if sector not in SECTORS:
            raise NeedsError(Msg(N_("unknown sector {value}"), value=sector))
        village = " ".join(village.split())
        municipality = self.ws.municipality() if village else None
        problems = village_problems(village, municipality) if village else []  # "": the whole municipality's problem
        if problems:
            raise NeedsError(problems)
        title = next(iter(titles.values()))
        same = self.find(title)
        if same is not None:
            m = self.ws.municipality()  # its villages named in the reader's language
            raise LooksLike(_same_title(title, same, stored_village(village, m) if village else "", m, similar_ok), [same.id])
        near = self.suggestions(title)
        if near and not similar_ok:
            first = near[0]
            raise LooksLike(Msg(N_("«{title}» looks like problem {number}: «{existing}» ({village}). Use that number, or add it anyway if it is another problem."),
                                title=title, number=first.number, existing=_Title(first.titles),
                                village=VillageName(first.village, self.ws.municipality())), [p.id for p in near])
        st = self.state
        number = max((p.number for p in st.problems.values()), default=0) + 1
        problem = Problem(f"p{number}", number, titles, match_key(title), stored_village(village, municipality), sector)
        self._write(R.PROBLEM_ADDED, R.problem_json(problem), actor, screen=(seen, refusal), key=f"problem:{problem.key}")
        return self.state.problems[problem.id]

    # -- sessions
    @_decided_afresh
    def add_session(self, village: str, group: str, actor: Actor, *, date: str = "", people: int = 0, note: str = "",
                    seen: Seen | None = None) -> Session:
        """A focus group's session in a village of the municipality (``places``; ``group``: one of ``model.GROUPS``
        or a name the facilitator types)."""
        village, group = " ".join(village.split()), group_code(group)
        municipality = self.ws.municipality()
        problems = village_problems(village, municipality) if village else [Msg(N_("A session needs its village"))]
        if not group:
            problems.append(Msg(N_("A session needs its group (women, men, youth, elders or another)")))
        if people < 0:
            problems.append(Msg(N_("The number of people cannot be negative")))
        day = parse_date(date)  # "" for none; as every date typed, 14.05.2026 is kept as 2026-05-14
        if day is None:
            problems.append(not_a_date(date, N_("Date")))
        if problems:
            raise NeedsError(problems)
        refusal = Msg(N_("The session was not added: {why}"), why=Msg(REPLACED))
        self._shown(seen, refusal)
        st = self.refresh()
        number = max((s.number for s in st.sessions.values()), default=0) + 1
        session = Session(session_id(number), number, stored_village(village, municipality), group, day or "", people, note.strip())
        self._write(R.SESSION_ADDED, R.session_json(session), actor, screen=(seen, refusal), key=f"session:{session.id}")
        return self.state.sessions[session.id]

    def session(self, typed: str) -> Session:
        """The session named ``typed`` ("2", "№2" or "s2": ``NeedsState.session_named``); refused, naming what was
        typed and the sessions there are, when there is none (a form printed blank for "2" said nothing was wrong)."""
        st = self.refresh()
        found = st.session_named(typed)
        if found is not None:
            return found
        known = ", ".join(f"№{s.number}" for s in sorted(st.sessions.values(), key=lambda s: s.number))
        if not known:
            raise NeedsError(Msg(N_("There is no session «{typed}»: no session was added yet"), typed=typed.strip()))
        raise NeedsError(Msg(N_("There is no session «{typed}»: the sessions are {known}"), typed=typed.strip(), known=known))

    # -- rankings
    @_decided_afresh
    def set_ranking(self, session_id: str, typed: str, actor: Actor, seen: Seen | None = None) -> tuple[str, ...]:
        """Store a session's ranking as typed ("3 1 7"); a second one for the session replaces the first (the first
        is voided, never deleted). Returns the problem ids, best first."""
        # the session as the screen named it (№1), not the record's id: that session may be gone with the records
        refusal = Msg(N_("The ranking of session №{number} was not saved: {why}"),
                      number=session_number(session_id) or session_id, why=Msg(REPLACED))
        self._shown(seen, refusal)
        st = self.refresh()
        session_id = self.session(session_id).id
        ids = parse_ranking(typed, st)
        earlier = st.ranking_seq.get(session_id)
        self._write(R.RANKING, {"session": session_id, "problems": list(ids)}, actor, screen=(seen, refusal), voids=earlier,
                    reason="replaced" if earlier else "")
        return ids
