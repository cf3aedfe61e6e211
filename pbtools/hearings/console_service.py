"""What the facilitator's console asks of a workspace, in one place: the screens (``widgets/console``) only wire
events to it and draw what it returns. It holds the rules the screens used to hold: which hearings the chooser
lists and which it opens on, which age groups a hearing takes, how a typed budget is read, the next question id and
option number, whether new records arrived (phones vote from another process). It returns plain data and raises
``HearingError`` (its problems say why in any language); it knows nothing of widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping

from pbtools.budget.model import pick_name
from pbtools.budget.numbers import DASHES, NotANumber, TooLarge, parse_som, whole_number
from pbtools.dates import shown_day
from pbtools.hearings import decisions, paper_fixes
from pbtools.hearings.agenda_io import option_from_form, read_agenda, write_agenda
from pbtools.hearings.casting import Receipt
from pbtools.hearings.deletion import delete_hearing, deletion_problems
from pbtools.hearings.errors import HearingError, HearingGone, NoSuchHearing
from pbtools.hearings.fold import CastBallot, HearingState
from pbtools.hearings.model import MOTION, POINTS, Hearing, Option, Question, label
from pbtools.hearings.records import REGISTRATION_UNDONE
from pbtools.hearings.settings import hearing_changes
from pbtools.hearings.store import HearingStore, create_hearing, hearing_ids, hearing_under_way, state
from pbtools.hearings.voters import allowed_age_groups
from pbtools.i18n import N_, Msg
from pbtools.paths import file_in


@dataclass(frozen=True)
class ListedHearing:
    """One hearing as a chooser lists it."""

    id: str
    label: str  # "2026-05-12 · Title" in the reader's language (the type's name where it has no title; the id too
    #             where two hearings would read the same)
    status: str
    has_questions: bool
    date: str = ""
    type: str = ""
    participants: int = 0
    ballots: int = 0


@dataclass(frozen=True)
class HearingList:
    """The workspace's hearings (deleted ones left out), oldest first, and the one to open on."""

    items: tuple[ListedHearing, ...]
    ids: tuple[str, ...]  # in the ledger's order (by id): what a screen compares to see if the list changed
    under_way: str | None  # an open hearing, else a draft, else a closed one; the newest (``hearing_under_way``)
    to_show: str | None  # the same among those with questions (a board shows nothing of one without), if any has


def list_hearings(ws: Any, lang: str) -> HearingList:
    """The hearing chooser's list, as the console and the results board show it."""
    ids = hearing_ids(ws)
    states = sorted((state(ws, hearing_id) for hearing_id in ids), key=lambda st: (st.hearing.date, st.id))
    labels = [f"{shown_day(st.hearing.date, lang)} · {st.hearing.title_in(lang) or label(st.hearing.type, lang)}" for st in states]
    labels = [f"{text} · {st.id}" if labels.count(text) > 1 else text for text, st in zip(labels, states)]
    items = tuple(ListedHearing(st.id, text, st.status, bool(st.questions), st.hearing.date, st.hearing.type,
                                st.counters.total, len(st.ballots)) for text, st in zip(labels, states))
    return HearingList(items, tuple(ids), hearing_under_way(states),
                       hearing_under_way([st for st in states if st.questions] or states))


def parse_budget(text: str) -> Decimal:
    """The budget typed for a new hearing ("1 200 000", "1 200 000,50", "1200000 сом"), read by the one money
    parser (``pbtools.budget.numbers.parse_som``). Empty or a dash is no amount here: a budget must be typed."""
    try:
        amount = parse_som(text) if text.strip() not in DASHES else None
    except TooLarge as e:
        amount = e.value  # refused by the hearing's check, which says the limit (``checks.amount_problems``)
    except NotANumber:
        amount = None
    if amount is None:
        raise HearingError(Msg(N_("{value} is not an amount in som"), value=text))
    return amount


def next_question_id(st: HearingState) -> str:
    """The id of a hearing's next question: q1, q2, ... (the first one not taken)."""
    n = len(st.questions) + 1
    while f"q{n}" in st.questions:
        n += 1
    return f"q{n}"


def next_option_number(st: HearingState) -> int:
    """The number the next option on the agenda gets unless another is typed: one past the highest."""
    return max((o.number for o in st.options.values()), default=0) + 1


class ConsoleService:
    """The console's hold on one workspace and the hearing chosen in it. ``store`` and ``state`` are None until a
    hearing is chosen; ``state`` is the hearing as last folded (``refresh`` folds new records)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.store: HearingStore | None = None
        self.state: HearingState | None = None

    def hearings(self, lang: str) -> HearingList:
        return list_hearings(self.ws, lang)

    def choose(self, hearing_id: str | None) -> HearingState | None:
        """Work on ``hearing_id`` (None: no hearing); choosing the one already chosen reads nothing again."""
        if hearing_id is None:
            self.store, self.state = None, None
        elif self.store is None or self.store.id != hearing_id:
            self.store = HearingStore(self.ws, hearing_id)
            self.state = self.store.state
        return self.state

    def refresh(self) -> HearingState | None:
        """Fold the records stored since (by this console or another process). ``HearingGone`` when the hearing is
        not in the database on disk now (a copy without it put back): no hearing is chosen then."""
        try:
            self.state = self.store.refresh() if self.store is not None else None
        except NoSuchHearing:
            gone, self.store, self.state = self.store.id, None, None
            raise HearingGone(gone) from None
        return self.state

    def has_news(self) -> bool:
        """Whether records were stored since the state was folded (phones vote from the server's process), or the
        stream was replaced by another history (which may end at the same seq: the hash says)."""
        return self.store is not None and self.ws.ledger.tip(self.store.stream) != (self.state.seq, self.state.hash)

    def age_groups(self) -> tuple[str, ...]:
        return allowed_age_groups(self.state.hearing if self.state is not None else None)

    def next_question_id(self) -> str:
        return next_question_id(self.state)

    def next_option_number(self) -> int:
        return next_option_number(self.state)

    # -- what the console does; each one raises HearingError (nothing stored) when refused

    def create_hearing(self, *, type: str, date: str, venues: Mapping[str, str], villages: Iterable[str], budget: str,
                       practice: bool, actor: str) -> str:
        """A new hearing of the workspace's municipality from the form's values (the budget as typed); its id."""
        amount = parse_budget(budget)
        municipality = self.ws.municipality()
        venues = {code: text.strip() for code, text in venues.items() if text.strip()}
        hearing = Hearing(id="", municipality=municipality.name("ky") if municipality else "", type=type,
                          date=date.strip(), venue=pick_name(venues, "ky"), venues=venues, villages=tuple(villages),
                          budget=amount, practice=practice)
        return create_hearing(self.ws, hearing, actor=actor).id

    def save_details(self, form: Mapping[str, Any], actor: str) -> dict[str, Any]:
        """Store what changed of the hearing's details (``settings.hearing_changes`` reads the form); the changes."""
        changes, problems = hearing_changes(self.store.refresh(), form)
        if problems:
            raise HearingError(problems)
        if changes:
            self.store.update(actor=actor, **changes)
        return changes

    def define_question(self, *, picked: str, kind: str, titles: Mapping[str, str], options: Iterable[str],
                        max_choices: int, points: int, stacking: bool, rule: str, score: str, tie_rule: str,
                        actor: str) -> bool:
        """Add a question (``picked`` empty) or change the picked one; True when it is new. A motion lists no
        options, only a points ballot gives points; a changed question keeps its id, and its drawn lot while the
        tie rule stays."""
        old = self.state.questions.get(picked)
        question = Question(
            id=old.id if old is not None else self.next_question_id(), kind=kind,
            titles={lang: text.strip() for lang, text in titles.items() if text.strip()},
            options=() if kind == MOTION else tuple(options), max_choices=max_choices,
            points=points if kind == POINTS else 0, stacking=stacking, rule=rule, score=score, tie_rule=tie_rule,
            seed=old.seed if old is not None and old.tie_rule == tie_rule else None,
        )
        self.store.define_question(question, actor=actor)
        return old is None

    def save_option(self, *, picked: str, number: str, titles: Mapping[str, str], cost: str, village: str,
                    sector: str, proposer: str, actor: str) -> Option:
        """Add an option typed by hand (``picked`` empty; no number typed: the next one) or store the picked one's
        changes (it keeps its id and descriptions); the option stored."""
        old = self.state.options.get(picked)
        option, problems = option_from_form(number.strip() or str(self.next_option_number()), titles, cost, village,
                                            sector, proposer, taken_ids=set(self.state.options) | self.state.removed_options)
        if problems:
            raise HearingError(problems)
        if old is None:
            self.store.add_option(option, actor=actor)
        else:
            option = replace(option, id=old.id, descriptions=old.descriptions)
            self.store.change_option(option, actor=actor)
        return option

    def remove_option(self, option_id: str, actor: str) -> Option:
        return self.store.remove_option(option_id, actor=actor)

    def import_agenda(self, path: Path, actor: str) -> list[Option]:
        """Every option of an agenda file, or none when any row is wrong (each problem names its row and column)."""
        options, problems = read_agenda(path)
        if problems:
            raise HearingError(problems)
        self.store.add_options(options, actor=actor)
        return options

    def export_agenda(self, fmt: str, folder: Path) -> Path:
        """The agenda as it is now, written to ``folder`` as CSV or XLSX (the columns an import reads)."""
        return write_agenda(list(self.store.refresh().options.values()), file_in(folder, f"agenda-{self.store.id}.{fmt}"))

    def issue_codes(self, n: int, actor: str) -> list[str]:
        """``n`` new voting codes for code cards (only their hashes are stored: the caller writes the cards); the
        store says how many may be asked for."""
        return self.store.issue_codes(n, actor=actor)

    def undo_registration(self, actor: str) -> int | None:
        """Void the registration this console made last; its seq (None: nothing to undo)."""
        seq = self.store.last_registration
        if seq is not None:
            self.store.void(seq, actor=actor, reason=REGISTRATION_UNDONE)
        return seq

    def deletion_problems(self) -> list[Msg]:
        return deletion_problems(self.state) if self.state is not None else []

    def delete_hearing(self, actor: str, reason: str = "") -> str:
        """Delete the chosen hearing (``hearings.deletion`` holds the rule); its id. No hearing is chosen after."""
        hearing_id = self.store.id
        delete_hearing(self.ws, hearing_id, actor=actor, reason=reason)
        self.choose(None)
        return hearing_id

    def add_proposal(self, who: str, text: str, cost: str, outcome: str, actor: str) -> int:
        return decisions.add_proposal(self.store, who, text, cost, outcome, actor)

    def add_decision(self, text: str, kind: str, actor: str) -> int:
        return decisions.add_decision(self.store, text, kind, actor)

    def strike(self, seq: int, reason: str, actor: str) -> int:
        return decisions.strike(self.store, seq, actor, reason)

    def minutes(self) -> decisions.Minutes:
        """Proposals and decisions standing, from the folded state (no reading the whole ledger per poll)."""
        return decisions.minutes(self.store.state.other.values())

    def rule_problems(self, question_id: str, text: str) -> list[Msg]:
        """What makes a typed paper ballot break its question's rules (empty: none, or it is not a ballot)."""
        return paper_fixes.rule_problems(self.store, question_id, text)

    def record_refused(self, question_id: str, text: str, actor: str, **kw: Any) -> Receipt:
        """A paper refused for its rules, recorded as spoiled."""
        return paper_fixes.record_refused(self.store, question_id, text, actor=actor, **kw)

    def void_numbered(self, question_id: str, typed_number: str, reason: str, actor: str, *, invalid: bool = False,
                      **kw: Any) -> CastBallot:
        """Void the ballot whose number the clerk typed ("4", "№4", "#4"); the ballot voided."""
        text = typed_number.strip().lstrip("№#").strip()
        number = whole_number(text)
        if number is None:
            raise HearingError(Msg(N_("Type the number of the ballot to void, e.g. 4")))
        return paper_fixes.void_numbered(self.store, question_id, number, actor, reason, invalid=invalid, **kw)
