"""What a needs assessment is made of: problems (shared by every session), sessions (one focus group in one
village) and the ranking a session produced. Plain frozen dataclasses; groups are codes with labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from pbtools.budget.model import pick_name
from pbtools.i18n import N_, gettext, LANGS

# The usual focus groups (domain notes): every age and gender group. A facilitator may name others.
WOMEN, MEN, YOUTH, ELDERS = "women", "men", "youth", "elders"
GROUPS = (WOMEN, MEN, YOUTH, ELDERS)
GROUP_LABELS: Mapping[str, str] = {
    WOMEN: N_("Women"),
    MEN: N_("Men"),
    YOUTH: N_("Youth"),
    ELDERS: N_("Elders"),
}


def group_label(group: str, lang: str) -> str:
    """A usual group in ``lang``; a group the facilitator named, as typed."""
    return gettext(lang, GROUP_LABELS[group]) if group in GROUP_LABELS else group


def group_code(typed: str) -> str:
    """What a facilitator typed or picked as a group: a usual group's code when it is one's name in any language
    ("Аялдар", "Женщины", "women"), else the name as typed (a group of their own)."""
    text = " ".join(typed.split())
    wanted = text.casefold()
    for group in GROUPS:
        if wanted == group or any(wanted == group_label(group, lang).casefold() for lang in LANGS):
            return group
    return text


SESSION_PREFIX = "s"  # a session's id: "s" and its number ("s2"), read back by ``session_number``


def session_id(number: int) -> str:
    return f"{SESSION_PREFIX}{number}"


def session_number(typed: str) -> int | None:
    """The number in how a session is named: "2", "№2", "№ 2", or its id "s2" (None: no number)."""
    text = typed.strip().lstrip("№#").strip()
    if text[:1].casefold() == SESSION_PREFIX:
        text = text[1:]
    return int(text) if text.isascii() and text.isdigit() else None


@dataclass(frozen=True)
class Problem:
    id: str  # "p1", "p2"...: stable, used by rankings
    number: int  # what the paper form and the typed entry use ("3 1 7")
    titles: Mapping[str, str]  # language -> title (typed once, in the language it was said in)
    key: str  # the title as matched (``names.match_key``): two problems never share it
    village: str = ""  # where the problem is ("" for the whole municipality)
    sector: str = "other"  # one of pbtools.hearings.model.SECTORS

    def title(self, lang: str) -> str:
        return pick_name(self.titles, lang)


@dataclass(frozen=True)
class Session:
    id: str  # "s1", "s2"...
    number: int
    village: str
    group: str  # one of GROUPS or a name the facilitator typed
    date: str = ""
    people: int = 0  # how many took part (0: not recorded)
    note: str = ""  # (its village and group as a screen says them: ``NeedsService.session_label``)


@dataclass
class NeedsState:
    """An assessment folded from its records: problems and sessions by id, each session's current ranking."""

    assessment: str
    problems: dict[str, Problem] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    rankings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # session id -> problem ids, best first
    ranking_seq: dict[str, int] = field(default_factory=dict)  # session id -> seq of its ranking's record
    seq: int = 0
    hash: str = ""  # of record ``seq``: read on from there only while it is still the stream's

    def problem_by_number(self, number: int) -> Problem | None:
        return next((p for p in self.problems.values() if p.number == number), None)

    def session_named(self, typed: str) -> Session | None:
        """The session a person names: by its number as the screens and the paper form say it ("2", "№2", "№ 2"),
        or by its id ("s2", as ``pbtools needs list`` prints it); None when there is no such session."""
        number = session_number(typed)
        return next((s for s in self.sessions.values() if s.number == number), None)

    def ranked_sessions(self) -> list[Session]:
        """The sessions that have a ranking, in the order they were added."""
        return [s for s in sorted(self.sessions.values(), key=lambda s: s.number) if self.rankings.get(s.id)]
