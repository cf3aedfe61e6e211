"""The current state of a hearing, folded from its ledger records.

``fold(records)`` builds a ``HearingState`` from scratch; ``apply(state, record)`` adds one record, so a screen that
polls every second folds only the records after ``state.seq`` (see ``store.HearingStore.refresh``). Nothing here
touches the database: the same records always give the same state.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from pbtools.hearings import records as R
from pbtools.hearings.model import CLOSED, DRAFT, INVALID, OPEN, Ballot, Hearing, Option, Participant, Question


@dataclass(frozen=True)
class CastBallot:
    seq: int
    question: str
    ballot: Ballot
    channel: str  # "paper", "code" (a voting code), "phone"
    actor: str
    created_at: Any
    pile: str = ""  # double entry: the pile of paper ballots this was typed from
    entry: int = 1  # 1 = the counted entry; 2 = the second clerk's check entry (never counted)
    position: int = 0  # double entry: the ballot's place in the pile (1, 2, ...)
    # The group the ballot came from, e.g. {"sex": "f"} for a pile of women's ballots (sex, age, village,
    # category); only what is known. Older records have none. Not hashed: a dict.
    voter: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def invalid(self) -> bool:
        """A spoiled or blank paper ballot (``ballot.answer`` says which): never counted for anything."""
        return self.ballot.answer in INVALID


@dataclass(frozen=True)
class Count:
    """Show of hands or stickers for one question: ``counts[group][option id or answer] = n``.

    ``group_by`` is "" (one group, key "all"), "sex" (keys "f", "m") or "village" (village names)."""

    seq: int
    question: str
    method: str  # "hands" or "stickers"
    group_by: str
    counts: dict[str, dict[str, int]]
    actor: str
    created_at: Any


@dataclass(frozen=True)
class Void:
    seq: int  # the voiding record
    target: int  # the voided record
    actor: str
    created_at: Any
    reason: str


@dataclass
class Counters:
    """Registration counters shown at the door."""

    total: int = 0
    women: int = 0
    men: int = 0
    by_village: Counter = field(default_factory=Counter)
    by_age: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)

    @property
    def sex_not_given(self) -> int:
        """Registered without saying their sex: counted apart, never as women or men."""
        return self.total - self.women - self.men

    def add(self, p: Participant, sign: int = 1) -> None:
        self.total += sign
        self.women += sign if p.sex == "f" else 0
        self.men += sign if p.sex == "m" else 0
        for counter, key in ((self.by_village, p.village), (self.by_age, p.age), (self.by_category, p.category)):
            counter[key] += sign
            if not counter[key]:
                del counter[key]


@dataclass
class HearingState:
    id: str
    hearing: Hearing | None = None
    status: str = DRAFT
    options: dict[str, Option] = field(default_factory=dict)
    removed_options: set[str] = field(default_factory=set)  # ids taken off a draft agenda (not to be given again)
    questions: dict[str, Question] = field(default_factory=dict)
    participants: dict[int, Participant] = field(default_factory=dict)  # by seq, voided ones removed
    counters: Counters = field(default_factory=Counters)
    codes: set[str] = field(default_factory=set)  # hashes of issued codes
    used_codes: dict[str, int] = field(default_factory=dict)  # "question:hash" -> seq of the ballot
    ballots: dict[int, CastBallot] = field(default_factory=dict)  # counted ballots by seq (not voided)
    checks: dict[int, CastBallot] = field(default_factory=dict)  # second entries of double entry, by seq
    invalid: dict[int, CastBallot] = field(default_factory=dict)  # spoiled and blank ballots by seq (entry 1)
    counts: dict[int, Count] = field(default_factory=dict)
    voids: dict[int, Void] = field(default_factory=dict)  # voided seq -> the void
    voided: dict[int, Any] = field(default_factory=dict)  # voided seq -> the ballot, count or participant it was
    kinds: dict[int, str] = field(default_factory=dict)  # seq -> record kind, so a void knows what it undoes
    # records of kinds this fold does not read (proposals, decisions: ``decisions.minutes`` reads them), voided
    # ones left out: kept here so that a screen showing them follows the ledger without reading it all again
    other: dict[int, Any] = field(default_factory=dict)
    # seq -> the number the screen gave the ballot when it was stored (its receipt's), voided ones kept: one more
    # than the last ballot of its group still standing then, so no two standing ballots share a number even after
    # an earlier one is voided (``number_group``; the clerk voids a ballot by this number)
    numbers: dict[int, int] = field(default_factory=dict)
    standing: dict[tuple, list[int]] = field(default_factory=dict)  # group -> seqs of its standing ballots, in order
    seq: int = 0  # last record folded
    hash: str = ""  # its hash: the ledger reads on from ``seq`` only while that record is still the stream's
    opened_at: Any = None
    closed_at: Any = None

    def ballots_for(self, question_id: str) -> list[CastBallot]:
        return [b for b in self.ballots.values() if b.question == question_id]

    def invalid_for(self, question_id: str) -> list[CastBallot]:
        """The spoiled and blank ballots of a question (voided ones left out)."""
        return [b for b in self.invalid.values() if b.question == question_id]

    def pile(self, pile: str, entry: int) -> list[CastBallot]:
        """One clerk's ballots of a double-entry pile, invalid ones included, by position, voided ones left out."""
        source = [*self.ballots.values(), *self.invalid.values()] if entry == 1 else self.checks.values()
        return sorted((b for b in source if b.pile == pile), key=lambda b: b.position)

    def voided_ballots_for(self, question_id: str) -> list[CastBallot]:
        """Voided ballots of a question (counted entries, invalid ones too), by seq."""
        return sorted((b for b in self.voided.values() if isinstance(b, CastBallot) and b.question == question_id
                       and b.entry == 1), key=lambda b: b.seq)

    def number_when_cast(self, cast: CastBallot) -> int:
        """The running number the screen gave ``cast`` when it was stored (its receipt's ``number``), among the
        ballots of its group (``number_group``). So "Ballot 10 was voided" names the ballot the clerk saw stored."""
        return self.numbers.get(cast.seq, 0)

    def ballot_numbered(self, question_id: str, number: int, *, invalid: bool = False, pile: str = "",
                        entry: int = 1) -> CastBallot | None:
        """The standing (not voided) ballot the screen numbered ``number`` in its group: a question's counted
        ballots, or its invalid ones, or one clerk's entry of a pile."""
        group = ("pile", pile, entry) if pile else ("question", question_id, invalid)
        for seq in self.standing.get(group, ()):
            if self.numbers[seq] == number:
                return self.ballots.get(seq) or self.invalid.get(seq) or self.checks.get(seq)
        return None

    def counts_for(self, question_id: str) -> list[Count]:
        return [c for c in self.counts.values() if c.question == question_id]

    def options_of(self, question_id: str) -> list[Option]:
        q = self.questions[question_id]
        return sorted((self.options[o] for o in q.options if o in self.options), key=lambda o: o.number)

    def sorted_options(self) -> list[Option]:
        return sorted(self.options.values(), key=lambda o: o.number)


def apply(state: HearingState, record: Any) -> HearingState:
    """Fold one ledger record into ``state`` (in place) and return it."""
    kind, p, seq = record.kind, record.payload, record.seq
    state.kinds[seq] = kind
    if kind == R.HEARING_CREATED:
        state.hearing = R.from_json(Hearing, p)
    elif kind == R.HEARING_UPDATED and state.hearing is not None:
        state.hearing = R.from_json(Hearing, {**R.to_json(state.hearing), **p})
    elif kind == R.HEARING_OPENED:
        state.status, state.opened_at = OPEN, record.created_at
    elif kind == R.HEARING_CLOSED:
        state.status, state.closed_at = CLOSED, record.created_at
    elif kind in (R.OPTION_ADDED, R.OPTION_CHANGED):
        option = R.from_json(Option, p)
        state.options[option.id] = option
    elif kind == R.OPTION_REMOVED:
        state.options.pop(p["id"], None)
        state.removed_options.add(p["id"])
    elif kind in (R.QUESTION_DEFINED, R.QUESTION_CHANGED):
        question = R.from_json(Question, p)
        state.questions[question.id] = question
    elif kind == R.PARTICIPANT_REGISTERED:
        participant = R.from_json(Participant, p)
        state.participants[seq] = participant
        state.counters.add(participant)
    elif kind == R.CODES_ISSUED:
        state.codes.update(p["hashes"])
    elif kind == R.BALLOT_CAST:
        cast = CastBallot(
            seq, p["question"], Ballot.from_json(p["ballot"]), p.get("channel", "paper"), record.actor,
            record.created_at, p.get("pile", ""), int(p.get("entry", 1)), int(p.get("position", 0)),
            {str(k): str(v) for k, v in (p.get("voter") or {}).items() if v},
        )
        (state.ballots if cast.entry == 1 else state.checks)[seq] = cast
        _number(state, cast)
        if p.get("code_hash"):
            state.used_codes[f"{cast.question}:{p['code_hash']}"] = seq
    elif kind == R.BALLOT_INVALID:
        cast = CastBallot(
            seq, p["question"], Ballot(answer=str(p.get("why", "spoiled"))), p.get("channel", "paper"), record.actor,
            record.created_at, p.get("pile", ""), int(p.get("entry", 1)), int(p.get("position", 0)),
            {str(k): str(v) for k, v in (p.get("voter") or {}).items() if v},
        )
        (state.invalid if cast.entry == 1 else state.checks)[seq] = cast
        _number(state, cast)
    elif kind == R.COUNT_ENTERED:
        state.counts[seq] = Count(seq, p["question"], p.get("method", "hands"), p.get("group_by", ""),
                                  {g: dict(c) for g, c in p["counts"].items()}, record.actor, record.created_at)
    elif kind == R.RECORD_VOIDED:
        _undo(state, record.voids)
        state.voids[record.voids] = Void(seq, record.voids, record.actor, record.created_at, record.reason)
    else:
        state.other[seq] = record
    if seq > state.seq:
        state.seq, state.hash = seq, record.hash
    return state


def number_group(cast: CastBallot) -> tuple:
    """The ballots numbered together: one clerk's entry of a pile; else a question's counted ballots, and apart
    from them its invalid ones."""
    return ("pile", cast.pile, cast.entry) if cast.pile else ("question", cast.question, cast.invalid)


def _number(state: HearingState, cast: CastBallot) -> None:
    standing = state.standing.setdefault(number_group(cast), [])
    state.numbers[cast.seq] = state.numbers[standing[-1]] + 1 if standing else 1
    standing.append(cast.seq)


def _undo(state: HearingState, target: int) -> None:
    cast = state.ballots.get(target) or state.invalid.get(target) or state.checks.get(target)
    if cast is not None:
        state.standing[number_group(cast)].remove(target)
    if target in state.participants:
        state.counters.add(state.participants[target], sign=-1)
    for live in (state.participants, state.ballots, state.checks, state.invalid, state.counts):
        if target in live:
            state.voided[target] = live.pop(target)
    state.other.pop(target, None)
    # a code stays used when its ballot is voided: the ledger key is taken for good, so the fold agrees with it


def fold(records: Iterable[Any], state: HearingState | None = None, hearing_id: str = "") -> HearingState:
    """Fold ``records`` into ``state`` (a new one if None)."""
    state = state if state is not None else HearingState(hearing_id)
    for record in records:
        if record.seq > state.seq:
            apply(state, record)
    return state
