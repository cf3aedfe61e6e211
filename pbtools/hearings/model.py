"""What a hearing is made of: the hearing, the options on its agenda, the questions put to the vote, participants.

Plain frozen dataclasses. Enumerations are tuples of codes (stored in the ledger) with their labels marked for
translation in ``LABELS`` (shown with :func:`label`). Money is ``Decimal`` som.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping

from pbtools.budget.model import pick_name
from pbtools.i18n import N_, Msg, gettext

# Types of hearing
DRAFT_BUDGET = "draft_budget"  # the draft budget for next year
EXECUTION = "execution"  # last year's execution
PB_VOTE = "pb_vote"  # participatory-budget vote
NEEDS = "needs"  # needs assessment
HEARING_TYPES = (DRAFT_BUDGET, EXECUTION, PB_VOTE, NEEDS)

# Status of a hearing
DRAFT, OPEN, CLOSED = "draft", "open", "closed"
STATUSES = (DRAFT, OPEN, CLOSED)

SECTORS = ("water", "waste", "roads", "lighting", "education", "health", "culture_sport", "other")
PROPOSERS = ("initiative_group", "council", "municipality", "citizens")

# Participants
SEXES = ("f", "m")
AGE_GROUPS = ("under_18", "18_29", "30_44", "45_59", "60_plus")
CATEGORIES = ("resident", "deputy", "staff", "initiative_group", "guest")
UNKNOWN = "unknown"  # not given: a person who did not say (or was not asked) their sex, age, village or category

# Ballot kinds (set per question)
SINGLE = "single"  # one option
APPROVAL = "approval"  # up to k options
POINTS = "points"  # N points spread over options (stacking on one option allowed or not)
RANKING = "ranking"  # the top k options in order
KNAPSACK = "knapsack"  # options whose total cost fits the budget
MOTION = "motion"  # yes / no / abstain on one motion
BALLOT_KINDS = (SINGLE, APPROVAL, POINTS, RANKING, KNAPSACK, MOTION)

YES, NO, ABSTAIN = "yes", "no", "abstain"
ANSWERS = (YES, NO, ABSTAIN)

# An invalid paper ballot (its own ledger record, never counted for an option or an answer): spoiled (marked so
# it cannot be read, or against the ballot's rules) or blank (nothing marked).
SPOILED, BLANK = "spoiled", "blank"
INVALID = (SPOILED, BLANK)

LABELS: Mapping[str, str] = {
    DRAFT_BUDGET: N_("Draft budget for next year"),
    EXECUTION: N_("Execution of last year's budget"),
    PB_VOTE: N_("Participatory budgeting vote"),
    NEEDS: N_("Needs assessment"),
    DRAFT: N_("Draft"),
    OPEN: N_("Open"),
    CLOSED: N_("Closed"),
    "water": N_("Water"),
    "waste": N_("Waste"),
    "roads": N_("Roads"),
    "lighting": N_("Street lighting"),
    "education": N_("Education"),
    "health": N_("Health"),
    "culture_sport": N_("Culture and sport"),
    "other": N_("Other"),
    "initiative_group": N_("Initiative group"),
    "council": N_("Local council"),
    "municipality": N_("Municipality"),
    "citizens": N_("Citizens"),
    "f": N_("Woman"),
    "m": N_("Man"),
    "under_18": N_("Under 18"),
    "18_29": N_("18–29"),
    "30_44": N_("30–44"),
    "45_59": N_("45–59"),
    "60_plus": N_("60 and over"),
    "resident": N_("Resident"),
    "deputy": N_("Council deputy"),
    "staff": N_("Municipal staff"),
    "guest": N_("Guest"),
    UNKNOWN: N_("Not given"),
    SINGLE: N_("Single choice"),
    APPROVAL: N_("Approval (choose several, up to a limit)"),
    POINTS: N_("Points"),
    RANKING: N_("Ranking"),
    KNAPSACK: N_("Knapsack (fit the budget)"),
    MOTION: N_("Yes / no / abstain"),
    YES: N_("Yes"),
    NO: N_("No"),
    ABSTAIN: N_("Abstain"),
    SPOILED: N_("Spoiled"),
    BLANK: N_("Blank"),
}


def label(code: str, lang: str) -> str:
    """The label of an enumeration code in ``lang`` (the code itself if unknown)."""
    return gettext(lang, LABELS[code]) if code in LABELS else code


def label_within(code: str, lang: str) -> str:
    """``label`` inside a sentence: "записан (испорченный)", not "(Испорченный)" (labels are written for lists and
    buttons, with a capital)."""
    said = label(code, lang)
    return said[:1].lower() + said[1:] if code in LABELS else said


ALL_VILLAGES = "all"  # an option's village when it serves every village


def village_name(village: str, municipality, lang: str) -> str:
    """An option's village as people read it, in ``lang``: agenda files name villages by id ("kok-talaa") or by a
    name in any language, "all" for every village. An unknown value is shown as written."""
    if village.strip().casefold() == ALL_VILLAGES:
        return gettext(lang, N_("All villages"))
    if village == UNKNOWN:  # a person who did not say which village
        return label(UNKNOWN, lang)
    found = find_village(village, municipality)
    return found.name(lang) if found is not None else village


def find_village(village: str, municipality) -> Any:
    """The municipality's village that ``village`` names (its id, or its name in any language), else None."""
    wanted = village.strip().casefold()
    for v in getattr(municipality, "villages", ()):
        if wanted and (wanted == v.id.casefold() or any(wanted == n.strip().casefold() for n in v.names.values())):
            return v
    return None


def stored_village(village: str, municipality) -> str:
    """How a hearing stores a village: its Kyrgyz name (from an id or a name in any language), "all" as "all",
    an unknown one as written."""
    if village.strip().casefold() == ALL_VILLAGES:
        return ALL_VILLAGES
    return village_name(village, municipality, "ky")


def municipality_name(stored: str, municipality, lang: str) -> str:
    """The hearing's municipality in ``lang`` when it is the workspace's (stored in any language), else as stored."""
    names = getattr(municipality, "names", {}) or {}
    if stored.strip() and any(stored.strip().casefold() == n.strip().casefold() for n in names.values()):
        return municipality.name(lang)
    return stored


@dataclass(frozen=True)
class Hearing:
    id: str
    municipality: str
    type: str  # one of HEARING_TYPES
    date: str  # ISO date, e.g. "2026-05-14"
    venue: str = ""
    villages: tuple[str, ...] = ()
    chair: str = ""
    secretary: str = ""
    facilitator: str = ""
    commission: tuple[str, ...] = ()  # counting commission members
    budget: Decimal = Decimal(0)  # som available for projects
    allow_under_18: bool = False
    record_names: bool = False  # off by default: votes are secret
    title: str = ""  # the title as one text (hearings stored before ``titles``; kept as the Kyrgyz one since)
    practice: bool = False  # a mock hearing for training: it may be deleted (see hearings.deletion)
    # language -> title / venue: the protocol, the board and the phone page show the reader's (``title_in``)
    titles: Mapping[str, str] = field(default_factory=dict)
    venues: Mapping[str, str] = field(default_factory=dict)

    def title_in(self, lang: str) -> str:
        """The title in ``lang``, else in another language, else the one-text title of an older hearing."""
        return pick_name(self.titles, lang) or self.title

    def venue_in(self, lang: str) -> str:
        return pick_name(self.venues, lang) or self.venue


@dataclass(frozen=True)
class Option:
    id: str  # stable id used in ballots
    number: int  # the number people see on the ballot and the clerk types
    titles: Mapping[str, str]  # language -> title
    cost: Decimal = Decimal(0)
    descriptions: Mapping[str, str] = field(default_factory=dict)
    village: str = ""
    sector: str = "other"  # one of SECTORS
    proposer: str = "citizens"  # one of PROPOSERS
    # A tariff put to the hall (an alternative of a choose-one question): what a payer would pay a month, and who
    # pays ("household" or "person", as pbtools.services.model.PAYERS); None and "" for any other option.
    tariff_monthly: Decimal | None = None
    tariff_payer: str = ""

    def title(self, lang: str) -> str:
        return pick_name(self.titles, lang)

    def description(self, lang: str) -> str:
        return pick_name(self.descriptions, lang)


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # one of BALLOT_KINDS
    titles: Mapping[str, str]
    options: tuple[str, ...] = ()  # option ids on this question's ballot; empty for a motion
    max_choices: int = 1  # approval: choose up to k; ranking: rank the top k
    points: int = 0  # points: how many points each voter has
    stacking: bool = True  # points: more than one point on one option
    exact_points: bool = True  # points: all points must be used
    budget: Decimal | None = None  # knapsack: limit (None: the hearing's budget)
    # How the question is counted (pbtools.counting.count), stored with it so every count and report agrees:
    rule: str = "greedy"  # one of pbtools.counting.count.RULES
    # "support" (votes), "points" (dot voting) or "borda" (rankings); empty: by kind (see default_score)
    score: str = ""
    tie_rule: str = "field"  # "field": cheaper first, then more votes, then a lot; or "lexicographic"
    seed: int | None = None  # the lot's seed, drawn and recorded when the question is defined
    # A single-choice question between alternatives (e.g. tariffs): the option with most votes is "chosen", and
    # the options are not projects: their cost is what each covers (all the same), never money spent or added up.
    choose_one: bool = False

    def __post_init__(self) -> None:
        # Counting a points ballot by supporters (or a ranking by approvals) would fund the wrong options.
        if not self.score:
            object.__setattr__(self, "score", default_score(self.kind))

    def title(self, lang: str) -> str:
        return pick_name(self.titles, lang)


class QuestionTitle(Msg):
    """A question's title in the reader's language (its ky/ru/en titles), for a message the core returns before
    anyone knows the language."""

    def __init__(self, titles: Mapping[str, str]) -> None:
        super().__init__("{titles}", titles=dict(titles))

    def render(self, lang: str) -> str:
        return pick_name(self.params["titles"], lang)


def question_title(question: Question) -> QuestionTitle:
    return QuestionTitle(question.titles)


def alternatives(questions) -> set[str]:
    """The option ids put to a choose-one question (``Question.choose_one``): alternatives, whose cost is no
    project's and is left out of the agenda's totals."""
    return {o for q in questions if q.choose_one for o in q.options}


DEFAULT_SCORES: Mapping[str, str] = {POINTS: "points", RANKING: "borda"}  # every other kind: "support"


def default_score(kind: str) -> str:
    """What a question of this ballot kind counts unless the facilitator chooses otherwise."""
    return DEFAULT_SCORES.get(kind, "support")


@dataclass(frozen=True)
class Participant:
    sex: str  # one of SEXES, or UNKNOWN
    age: str  # one of AGE_GROUPS, or UNKNOWN
    village: str  # a village of the hearing, or UNKNOWN
    category: str = "resident"  # one of CATEGORIES, or UNKNOWN
    name: str = ""  # only when the hearing records names


@dataclass(frozen=True)
class Ballot:
    """What one voter marked. ``marks`` keeps the order and repeats as typed, so that repeats can be reported.

    single, approval, knapsack: (option id, 1) pairs; points: (option id, points); ranking: (option id, rank);
    motion: no marks, ``answer`` is yes/no/abstain. An invalid ballot (folded from a ``ballot.invalid`` record,
    kept apart from the counted ones): no marks, ``answer`` is spoiled/blank, so double entry compares it too.
    """

    marks: tuple[tuple[str, int], ...] = ()
    answer: str = ""

    def option_ids(self) -> list[str]:
        return [option_id for option_id, _ in self.marks]

    def to_json(self) -> dict:
        return {"marks": [[o, v] for o, v in self.marks], "answer": self.answer}

    @staticmethod
    def from_json(data: Mapping) -> "Ballot":
        return Ballot(tuple((str(o), int(v)) for o, v in data.get("marks", ())), str(data.get("answer", "")))


def example_ballot(q: Question, options: Mapping[str, Option]) -> Ballot:
    """A valid ballot of ``q`` to show as an example: every other option, as many as the question allows."""
    ids = sorted((o for o in q.options if o in options), key=lambda o: options[o].number)
    if q.kind == MOTION or not ids:
        return Ballot(answer=YES) if q.kind == MOTION else Ballot()
    if q.kind == POINTS:  # all the points, on two options when they may be stacked, else one point each
        if not q.stacking:
            return Ballot(tuple((o, 1) for o in ids[:max(1, q.points)]))
        if q.points < 2 or len(ids) < 2:
            return Ballot(((ids[0], q.points),))
        two = (ids[1], ids[3]) if len(ids) > 3 else (ids[0], ids[1])  # e.g. 2:3 4:2
        return Ballot(((two[0], q.points - q.points // 2), (two[1], q.points // 2)))
    if q.kind == RANKING:  # e.g. 3 1 2: the order is what matters
        top = ids[:max(1, min(q.max_choices, len(ids)))]
        return Ballot(tuple((o, rank) for rank, o in enumerate(top[-1:] + top[:-1], start=1)))
    if q.kind == SINGLE:
        return Ballot(((ids[min(1, len(ids) - 1)], 1),))
    spread = ids[::2] if len(ids) > 2 else ids
    return Ballot(tuple((o, 1) for o in spread[:max(1, q.max_choices) if q.kind == APPROVAL else 3]))
