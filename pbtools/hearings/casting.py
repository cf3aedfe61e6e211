"""One ballot on its way into the ledger: what ``cast``/``cast_many`` take (``CastItem``), the checks and the record
it becomes (``prepare``), and what the screen shows once it is committed (``Receipt``). Pure: ``HearingStore``
writes the records."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Mapping

from pbtools.hearings.ballots import validate
from pbtools.hearings.codes import check_code, stored_hash
from pbtools.hearings.errors import HearingError
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import INVALID, Ballot
from pbtools.hearings.voters import check_voter
from pbtools.i18n import N_, Msg


@dataclass(frozen=True)
class Receipt:
    """What the screen shows once a ballot is committed."""

    seq: int
    hash: str
    question: str
    number: int  # ballots counted for this question, this one included (running count)
    created_at: Any


@dataclass(frozen=True)
class CastItem:
    """One ballot for ``cast_many``: what ``cast`` takes."""

    question_id: str
    ballot: Ballot
    actor: str
    channel: str = "paper"
    code: str | None = None
    key: str | None = None
    pile: str = ""
    entry: int = 1
    position: int | None = None
    voter: Mapping[str, str] | None = None  # the ballot's group, e.g. {"sex": "f"}: see ``check_voter``
    submission: str = ""  # the sending form's own id: a retry of the same form is known by it (``submission_digest``)


def submission_digest(submission: str) -> str:
    """What the record keeps of a form's id: enough to know a retry, nothing to find the form by."""
    return hashlib.sha256(f"submission:{submission}".encode()).hexdigest()[:32]


def prepare(st: HearingState, hearing_id: str, item: CastItem, positions: dict[tuple[str, int], set[int]],
            code_key: bytes = b"") -> tuple[dict, str | None]:
    """Check one ballot against ``st`` and build its record: (payload, ledger key); raises ``HearingError``.
    ``positions``: pile positions given to earlier ballots of the same batch (this one's is added). ``code_key``:
    the workspace's key for voting-code hashes (``codes.code_key``)."""
    if item.code is not None and item.key is not None:
        raise ValueError("a ballot has a voting code or a key, not both")
    question = st.questions.get(item.question_id)
    if question is None:
        raise HearingError(Msg(N_("There is no question {id}"), id=item.question_id))
    if item.ballot.answer in INVALID:  # a paper the clerk holds: phones and codes always give a valid ballot
        problems = [] if item.channel == "paper" and item.code is None and item.key is None else [
            Msg(N_("Only a paper ballot can be recorded as invalid"))]
        payload: dict[str, Any] = {"question": item.question_id, "why": item.ballot.answer, "channel": item.channel}
    else:
        problems = validate(question, st.options, item.ballot, st.hearing.budget)
        payload = {"question": item.question_id, "ballot": item.ballot.to_json(), "channel": item.channel}
    if item.submission:
        payload["submission"] = submission_digest(item.submission)
    voter, voter_problems = check_voter(item.voter, st.hearing)
    problems += voter_problems
    if voter:
        payload["voter"] = voter
    key = item.key
    if item.code is not None:
        problems += check_code(item.code)
        if not problems:
            h = stored_hash(hearing_id, item.code, code_key, st.codes)
            if h not in st.codes:
                problems.append(Msg(N_("This voting code was not issued for this hearing")))
            payload["code_hash"], key = h, f"code:{item.question_id}:{h}"
    if item.entry not in (1, 2) or (item.entry == 2 and not item.pile):
        problems.append(Msg(N_("A second entry belongs to a pile")))
    if item.pile:
        batch = positions.setdefault((item.pile, item.entry), set())
        taken = {b.position for b in st.pile(item.pile, item.entry)} | batch
        position = item.position if item.position is not None else max(taken, default=0) + 1
        if position < 1 or position in taken:
            problems.append(Msg(N_("Ballot {position} of pile {pile} is already typed"), position=position, pile=item.pile))
        payload["pile"], payload["entry"], payload["position"] = item.pile, item.entry, position
    if problems:
        raise HearingError(problems)
    if item.pile:
        batch.add(position)
    return payload, key


def receipts(st: HearingState, stored: list[tuple[Any, CastItem]]) -> list[Receipt]:
    """Receipts for committed ballots (ledger record, item), each with the running number the fold gave it
    (``HearingState.number_when_cast``: of the question, or of the pile in double entry)."""
    return [Receipt(record.seq, record.hash, item.question_id, st.numbers.get(record.seq, 0), record.created_at)
            for record, item in stored]
