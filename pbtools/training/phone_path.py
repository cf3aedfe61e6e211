"""Simulated phones: the form a voter's phone posts, and how it is stored, through the same core calls the server's
vote handler makes (``pbtools.phones.form`` reads the form, ``HearingStore.cast_many`` checks and stores it).

``PhoneForm`` is what a phone sends; ``form_for`` writes the one a voter would fill for a ballot (field names of
``pbtools.phones.form``). A ``PhoneSender`` takes a burst of forms and gives, for each, the problems that refused it
(empty: stored). ``CorePhones(store)`` is the in-process sender without any web server (what the Training app
uses); the command line and the benchmark pass the server's own ``BallotDesk.submit_many`` (``desk_sender``), or
post over HTTP to a running server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from pbtools.hearings.casting import CastItem
from pbtools.hearings.errors import HearingError
from pbtools.hearings.model import APPROVAL, KNAPSACK, MOTION, POINTS, RANKING, SINGLE, Ballot, Question
from pbtools.i18n import N_, Msg
from pbtools.phones.form import Form, parse_ballot, parse_voter, repeated_fields
from pbtools.phones.mode import CODES, OPEN, phone_mode
from pbtools.phones.view import SUBMISSION_FIELD, submission_id


@dataclass(frozen=True)
class PhoneForm:
    """One ballot form as a phone posts it to ``/vote/<hearing>/<question>``."""

    hearing_id: str
    question_id: str
    form: Mapping[str, Sequence[str]]
    device: str | None = None  # the phone's signed cookie in open mode (None with codes)


PhoneSender = Callable[[Sequence[PhoneForm]], list[list[Msg]]]


def form_for(question: Question, ballot: Ballot, *, code: str | None, about: Mapping[str, str],
             submission: str) -> dict[str, list[str]]:
    """The fields a voter's phone sends for ``ballot`` (with its voting code, the group it says it is from, and the
    form's own id)."""
    form: dict[str, list[str]] = {SUBMISSION_FIELD: [submission]}
    if code is not None:
        form["code"] = [code]
    for name, value in about.items():
        form[f"about-{name}"] = [value]
    if question.kind == MOTION:
        form["answer"] = [ballot.answer]
    elif question.kind in (SINGLE, APPROVAL, KNAPSACK):
        form["choice"] = [option_id for option_id, _ in ballot.marks]
    elif question.kind in (POINTS, RANKING):
        prefix = "points-" if question.kind == POINTS else "rank-"
        for option_id, value in ballot.marks:
            form[f"{prefix}{option_id}"] = [str(value)]
    return form


@dataclass
class CorePhones:
    """Phone ballots stored in process, the server's way without the server: each form read by
    ``pbtools.phones.form``, then the burst checked and stored by one ``cast_many`` (one commit)."""

    store: Any  # the hearing's HearingStore
    sent: int = field(default=0)

    def __call__(self, forms: Sequence[PhoneForm]) -> list[list[Msg]]:
        st = self.store.refresh()
        mode = phone_mode(self.store.ws, self.store.id)
        results: list[list[Msg] | None] = []
        items: list[tuple[int, CastItem]] = []
        for i, sent in enumerate(forms):
            question = st.questions.get(sent.question_id)
            form: Form = sent.form
            if question is None or sent.hearing_id != self.store.id:
                results.append([Msg(N_("There is no question {id}"), id=sent.question_id)])
                continue
            problems = repeated_fields(form)
            ballot, read = parse_ballot(question, st.options, form)
            problems += read
            if not problems and mode == CODES and not (form.get("code") or [""])[0].strip():
                problems.append(Msg(N_("Type the voting code from your card")))
            if not problems and mode == OPEN and sent.device is None:
                problems.append(Msg(N_("Your browser must accept cookies to vote here")))
            if not problems and mode not in (CODES, OPEN):
                problems.append(Msg(N_("Voting from phones is not open at this hearing")))
            if problems:
                results.append(problems)
                continue
            if mode == CODES:
                item = CastItem(sent.question_id, ballot, "phone", "phone", code=form["code"][0],
                                voter=parse_voter(form), submission=submission_id(form))
            else:
                item = CastItem(sent.question_id, ballot, f"phone:{sent.device}", "phone",
                                key=f"device:{sent.question_id}:{sent.device}", voter=parse_voter(form),
                                submission=submission_id(form))
            results.append(None)
            items.append((i, item))
        if items:
            for (i, _), outcome in zip(items, self.store.cast_many([item for _, item in items])):
                results[i] = outcome.problems if isinstance(outcome, HearingError) else []
        self.sent += len(forms)
        return [r or [] for r in results]


def desk_sender(desk: Any) -> PhoneSender:
    """A sender over the server's ``BallotDesk`` (``pbtools.server.vote``): its ``submit_many``, the very function
    the vote handler runs for a burst of posted forms, called in process."""

    def send(forms: Sequence[PhoneForm]) -> list[list[Msg]]:
        outcomes = desk.submit_many([(f.hearing_id, f.question_id, f.form, f.device) for f in forms])
        return [[] if getattr(o, "receipt", None) else list(getattr(o, "problems", None) or [Msg(N_("There is no question {id}"), id=f.question_id)])
                for f, o in zip(forms, outcomes)]

    return send
