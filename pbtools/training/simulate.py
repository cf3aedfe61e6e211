"""A simulated hall voting into a workspace's open practice hearing, through the same entry paths as real ballots.

    report = simulate_hall(ws, "mock-2026", voters=150, seed=7, via="paper", actor=Actor("Aida", TRAINER))

Everyone is registered at the door first (``HearingStore.register``, the console's door). Then, ``via="paper"``:
each question's pile of paper ballots is typed by two clerks taking turns, each ballot typed as a clerk types it
(``entry.format_ballot``) and stored by ``HearingStore.cast_typed``, the console's paper entry. ``via="phones"``:
voting codes are issued (one card each), and each voter's phone posts one form per question (``phone_path``), in
bursts as a hall sends them, stored by the same calls as the server's vote handler (or by the handler's own
``BallotDesk.submit_many``, or over HTTP, when the caller passes that sender).

The ballots follow ``preferences.simulate_preferences(state, voters, seed)``: the same seed on the same hearing
gives the same ballots, in the same order, and so the same count. Only an open practice hearing takes simulated
voters (a real hearing's ballots must be people's); a draft or a closed one is refused with a message saying why.
A sandbox's hearing needs the actor's SANDBOX right; a practice hearing in another workspace the HEARING right.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from pbtools.hearings.casting import CastItem
from pbtools.hearings.entry import format_ballot, parse_entry
from pbtools.hearings.errors import HearingError
from pbtools.hearings.model import CLOSED, DRAFT
from pbtools.hearings.store import HearingStore
from pbtools.i18n import N_, Msg
from pbtools.phones.mode import CODES, OFF, phone_mode
from pbtools.phones.view import new_submission_id
from pbtools.roles import HEARING, SANDBOX, Actor
from pbtools.training.errors import SimulationError
from pbtools.training.phone_path import CorePhones, PhoneForm, PhoneSender, form_for
from pbtools.training.population import village_populations
from pbtools.training.preferences import SimulatedHall, ballot_for, simulate_preferences
from pbtools.storage.sandbox_mark import is_sandbox

PAPER, PHONES = "paper", "phones"
VIA = (PAPER, PHONES)
DOOR = "Каттоо (симуляция)"  # who the registration records say registered people (a simulated door)
CLERKS = ("Катчы 1 (симуляция)", "Катчы 2 (симуляция)")
SECRETARY = "Катчы (симуляция)"
BURST = 40  # phone forms stored together, as the server's group commit gathers a hall's burst


@dataclass(frozen=True)
class SimulationReport:
    """What a simulation stored."""

    hearing_id: str
    seed: int
    via: str
    registered: int  # people registered at the door
    ballots: Mapping[str, int]  # question id -> ballots stored
    refused: tuple[str, ...] = ()  # each refused ballot: "voter N, question q: why" (English; none expected)
    seconds: float = 0.0  # time spent storing (registration and ballots)
    digest: str = ""  # sha256 of every ballot in order (question, marks, answer): equal for the same seed
    per_step: Mapping[str, float] = field(default_factory=dict)  # "registration", "codes", "ballots" -> seconds

    @property
    def total_ballots(self) -> int:
        return sum(self.ballots.values())

    def to_json(self) -> dict:
        return {"hearing": self.hearing_id, "seed": self.seed, "via": self.via, "registered": self.registered,
                "ballots": dict(self.ballots), "refused": list(self.refused), "seconds": round(self.seconds, 3),
                "digest": self.digest}


def check_hearing_takes_simulation(state: Any) -> None:
    """``SimulationError`` unless the hearing is an open practice hearing with questions."""
    if state.hearing is None:
        raise SimulationError(Msg(N_("There is no hearing {id}"), id=state.id))
    if state.status == CLOSED:
        raise SimulationError(Msg(N_("The hearing {id} is closed: simulated voters can only vote at an open hearing"), id=state.id))
    if state.status == DRAFT:
        raise SimulationError(Msg(N_("The hearing {id} is a draft: open the vote before simulating voters"), id=state.id))
    if not state.hearing.practice:
        raise SimulationError(Msg(N_("The hearing {id} is not a practice hearing: simulated voters go only into practice hearings"), id=state.id))
    if not state.questions:
        raise SimulationError(Msg(N_("The hearing {id} has no questions to vote on"), id=state.id))


def _right(ws: Any) -> str:
    return SANDBOX if is_sandbox(ws.path) else HEARING


def _digest(hall: SimulatedHall, state: Any) -> str:
    options = {o.id: o for o in hall.options}
    h = hashlib.sha256()
    for question in state.questions.values():
        for voter in hall.voters:
            ballot = ballot_for(question, options, voter, state.hearing.budget)
            h.update(json.dumps([question.id, voter.voter.number, ballot.to_json()], sort_keys=True).encode())
    return h.hexdigest()


def hall_of(ws: Any, state: Any, voters: int, seed: int) -> SimulatedHall:
    """The preferences of the hall ``simulate_hall(ws, state.id, voters, seed)`` casts: the villages weighted by the
    workspace's populations. Anything that recounts that hall ("what if") takes it from here, so that it is the
    same people (equal weights would draw other people, and another count)."""
    return simulate_preferences(state, voters, seed, village_populations(ws, state.hearing))


def simulate_hall(ws: Any, hearing_id: str, voters: int, seed: int, *, actor: Actor, via: str = PAPER,
                  phones: PhoneSender | None = None, burst: int = BURST,
                  progress: Callable[[int, int], None] | None = None) -> SimulationReport:
    """Register ``voters`` simulated people at the door of hearing ``hearing_id`` and store their ballots on every
    question ``via`` paper entry or phones (``phones``: the sender, default ``CorePhones``). Refused before anything
    is stored (``SimulationError``, ``NotAllowed``) when the hearing does not take simulated voters.
    ``progress(done, total)`` hears after each registration and each ballot (or burst of phone ballots) stored."""
    if via not in VIA:
        raise SimulationError(Msg(N_("Simulate voting by paper or phones, not {via}"), via=via))
    actor.require(_right(ws))
    try:
        store = HearingStore(ws, hearing_id)
    except HearingError:
        raise SimulationError(Msg(N_("There is no hearing {id}"), id=hearing_id)) from None
    state = store.refresh()
    check_hearing_takes_simulation(state)
    mode = phone_mode(ws, hearing_id) if via == PHONES else None
    if mode == OFF:
        raise SimulationError(Msg(N_("Voting from phones is not open at this hearing")))
    hall = hall_of(ws, state, voters, seed)
    options = {o.id: o for o in hall.options}
    budget = state.hearing.budget
    steps: dict[str, float] = {}
    refused: list[str] = []
    total = len(hall.voters) * (1 + len(state.questions))
    done = 0

    def step(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    size = max(1, burst)
    started = time.perf_counter()
    # in bursts, each one transaction: a hall of 350 is not 2,000 commits (a trainer waited half a minute)
    for start in range(0, len(hall.voters), size):
        chunk = hall.voters[start:start + size]
        store.register_many([voter.voter.participant() for voter in chunk], actor=DOOR)
        step(len(chunk))
    steps["registration"] = time.perf_counter() - started
    ballots = {q: 0 for q in state.questions}
    if via == PAPER:
        t = time.perf_counter()
        for question in state.questions.values():
            typed: list[tuple[int, CastItem]] = []  # as the clerks typed them: the text is read by the entry rules
            for i, voter in enumerate(hall.voters):
                text = format_ballot(question, options, ballot_for(question, options, voter, budget))
                ballot, problems = parse_entry(question, state.options, text)
                if ballot is None:
                    refused.append(f"voter {voter.voter.number}, question {question.id}: "
                                   + "; ".join(p.render("en") for p in problems))
                    step()
                else:
                    typed.append((voter.voter.number, CastItem(question.id, ballot, CLERKS[i % 2])))
            for start in range(0, len(typed), size):
                chunk = typed[start:start + size]
                for (number, _), outcome in zip(chunk, store.cast_many([item for _, item in chunk])):
                    if isinstance(outcome, HearingError):
                        refused.append(f"voter {number}, question {question.id}: "
                                       + "; ".join(p.render("en") for p in outcome.problems))
                    else:
                        ballots[question.id] += 1
                step(len(chunk))
        steps["ballots"] = time.perf_counter() - t
    else:
        t = time.perf_counter()
        # with codes, one card each; in open mode, each phone its own device (a fresh one per simulation)
        codes = store.issue_codes(len(hall.voters), actor=SECRETARY) if mode == CODES else [None] * len(hall.voters)
        steps["codes"] = time.perf_counter() - t
        send = phones or CorePhones(store)
        forms: list[tuple[int, PhoneForm]] = []
        for voter, code in zip(hall.voters, codes):  # each voter answers every question, one after another
            device = None if code is not None else f"simulated-{secrets.token_hex(8)}"
            for question in state.questions.values():
                ballot = ballot_for(question, options, voter, budget)
                form = form_for(question, ballot, code=code, about=voter.voter.about(), submission=new_submission_id())
                forms.append((voter.voter.number, PhoneForm(hearing_id, question.id, form, device)))
        t = time.perf_counter()
        for start in range(0, len(forms), size):
            chunk = forms[start:start + size]
            for (number, sent), problems in zip(chunk, send([f for _, f in chunk])):
                if problems:
                    refused.append(f"voter {number}, question {sent.question_id}: " + "; ".join(p.render("en") for p in problems))
                else:
                    ballots[sent.question_id] += 1
            step(len(chunk))
        steps["ballots"] = time.perf_counter() - t
    seconds = time.perf_counter() - started
    return SimulationReport(hearing_id, seed, via, len(hall.voters), ballots, tuple(refused), seconds,
                            _digest(hall, state), steps)


def stored_ballots(state: Any) -> list[tuple[str, dict, str]]:
    """The counted ballots of a hearing in the order stored: (question, ballot as JSON, channel). What two
    simulations with the same seed must share (the channel tells paper from phones)."""
    return [(b.question, b.ballot.to_json(), b.channel) for b in sorted(state.ballots.values(), key=lambda b: b.seq)]
