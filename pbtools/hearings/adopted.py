"""A hearing's records made elsewhere (a laptop's, handed in) checked as this core checks what it writes itself.

    problems = check_adopted(hearing_id, records)   # [] : every record is one the core could have written
    problems, state = adopted_state(hearing_id, records)   # and the hearing's state, folded on the way

A handed-in file's hashes prove only that its records were not changed after they were written, not that pbtools
wrote them: anyone can write a file with correct hashes. So each record is checked, in order against the state
folded from the records before it, with the very checks the core's writes make: the hearing (``check_hearing``),
an option (``check_option``), a question (``check_question``, ``check_counting``), a registration
(``check_participant``), a ballot (``casting.prepare``), a count (``count_payload``), a proposal or a decision
(``decisions``), and the rules of a change (``rules``: an update, the opening, a question replaced, an option's
terms once open, a void), and the status each needs; a payload's fields must have the types the model's dataclass
gives them (what ``records.to_json`` writes). The first record that fails is named with its problems: what comes
after it cannot be checked against a state that record would have made.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from decimal import Decimal, InvalidOperation
from typing import Any, Sequence

from pbtools.hearings import decisions as D, records as R
from pbtools.hearings.agenda_changes import removal_problems
from pbtools.hearings.casting import CastItem, prepare
from pbtools.hearings.checks import check_hearing, check_option, check_participant
from pbtools.hearings.errors import HearingError
from pbtools.hearings.fold import HearingState, apply
from pbtools.hearings.hand_counts import count_payload
from pbtools.hearings.model import CLOSED, DRAFT, INVALID, OPEN, Ballot, Hearing, Option, Participant, Question
from pbtools.hearings.rules import opening_problems, question_problems, require_same_terms, require_voidable, update_problems
from pbtools.hearings.writes import allowed
from pbtools.i18n import N_, Msg
from pbtools.storage.record import SEALED

MAX_TEXT = 20_000  # characters in one text of a payload: a title, a venue, a name (the minutes' are shorter still)
MAX_CODES = 10_000  # codes issued at once (``HearingStore.issue_codes``)
CODE_HASH = set("0123456789abcdef")


def check_adopted(hearing_id: str, records: Sequence[Any]) -> list[Msg]:
    """[] when every record of ``records`` (a whole hearing's stream, in order) is one this core could have written;
    else the first that is not, named with its kind and each problem."""
    return adopted_state(hearing_id, records)[0]


def adopted_state(hearing_id: str, records: Sequence[Any]) -> tuple[list[Msg], HearingState]:
    """``check_adopted``'s problems, and the state the check folded the records into on the way (all of them when
    there are no problems: the hearing's state, which need not be folded again)."""
    st = HearingState(hearing_id)
    for r in records:
        try:
            problems = _problems(st, hearing_id, r)
        except HearingError as e:
            problems = e.problems
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError, IndexError):
            problems = [Msg(N_("its content is not what pbtools writes in such a record"))]
        if problems:
            return [Msg(N_("Record {seq} ({kind}): {problem}"), seq=r.seq, kind=R.shown(r.kind), problem=p)
                    for p in problems[:10]], st
        apply(st, r)
    return [], st


def _problems(st: HearingState, hearing_id: str, r: Any) -> list[Msg]:
    kind, p = r.kind, r.payload
    if any("\0" in (text or "") for text in (kind, r.actor, r.key, r.reason)):  # no database keeps one in a text
        return [Msg(N_("its kind, actor, key or reason holds a NUL character, which pbtools never writes"))]
    if st.hearing is None and kind != R.HEARING_CREATED:
        return [Msg(N_("a hearing's first record is the one that creates it"))]
    if kind == SEALED:
        return [] if st.status == CLOSED else [Msg(N_("the seal comes after the hearing was closed"))]
    if st.status == CLOSED:
        allowed(st, DRAFT, OPEN)  # raises: nothing is written to a closed hearing
    check = _CHECKS.get(kind)
    if check is None:
        return [Msg(N_("pbtools writes no record of this kind in a hearing"))]
    return check(st, hearing_id, r, p)


def _created(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    if st.hearing is not None:
        return [Msg(N_("the hearing was created already"))]
    problems = shape(Hearing, p)
    if problems:
        return problems
    hearing = R.from_json(Hearing, p)
    if hearing.id != hearing_id:
        return [Msg(N_("field {field}: {value} is not the hearing's id {id}"), field="id", value=R.shown(hearing.id),
                    id=hearing_id)]
    return check_hearing(hearing)


def _updated(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    allowed(st, DRAFT, OPEN)
    problems = update_problems(p) or shape(Hearing, p, partial=True)
    return problems or check_hearing(R.from_json(Hearing, {**R.to_json(st.hearing), **p}))


def _opened(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    allowed(st, DRAFT)
    if p:
        return [Msg(N_("its content is not what pbtools writes in such a record"))]
    return opening_problems(st)


def _closed(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    # a draft or an open hearing may be closed (the status was checked above)
    return [Msg(N_("its content is not what pbtools writes in such a record"))] if p else []


def _option(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    new = r.kind == R.OPTION_ADDED
    allowed(st, *((DRAFT,) if new else (DRAFT, OPEN)))
    problems = shape(Option, p)
    if problems:
        return problems
    option = R.from_json(Option, p)
    problems = check_option(option, st, new=new)
    if not problems and not new:
        require_same_terms(st, option)
    return problems


def _option_removed(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    allowed(st, DRAFT)
    option_id = p.get("id")
    if not isinstance(option_id, str):
        return [Msg(N_("There is no option {id}"), id=R.shown(option_id))]
    return removal_problems(st, option_id)


def _question(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    allowed(st, DRAFT, OPEN)
    problems = shape(Question, p)
    if problems:
        return problems
    return question_problems(st, R.from_json(Question, p))


def _registered(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    allowed(st, DRAFT, OPEN)
    return shape(Participant, p) or check_participant(st.hearing, R.from_json(Participant, p))


def _codes(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    allowed(st, DRAFT, OPEN)
    hashes = p.get("hashes")
    if not isinstance(hashes, list) or not 1 <= len(hashes) <= MAX_CODES or not all(
            isinstance(h, str) and len(h) in (32, 64) and set(h) <= CODE_HASH for h in hashes):
        return [Msg(N_("field {field}: not the hashes of 1 to {max} voting codes"), field="hashes", max=MAX_CODES)]
    return []


def _ballot(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    """Rebuilt as the screen gave it to ``casting.prepare``, which must make this very payload."""
    allowed(st, OPEN)
    invalid = r.kind == R.BALLOT_INVALID
    ballot = Ballot(answer=p["why"]) if invalid else Ballot.from_json(p["ballot"])
    if invalid != (ballot.answer in INVALID):
        return [Msg(N_("field {field}: {value} is not what pbtools writes there"), field="why",
                    value=R.shown(ballot.answer))]
    item = CastItem(p["question"], ballot, r.actor, channel=p.get("channel", "paper"), pile=p.get("pile", ""),
                    entry=p.get("entry", 1), position=p.get("position"), voter=p.get("voter"))
    made, _key = prepare(st, hearing_id, item, {})
    code_hash = p.get("code_hash")
    if code_hash is not None:
        if code_hash not in st.codes or r.key != f"code:{item.question_id}:{code_hash}":
            return [Msg(N_("This voting code was not issued for this hearing"))]
        made["code_hash"] = code_hash
    if "submission" in p:  # the digest of the sending form's id (``casting.submission_digest``)
        if not isinstance(p["submission"], str) or len(p["submission"]) != 32 or not set(p["submission"]) <= CODE_HASH:
            return [Msg(N_("field {field}: {value} is not what pbtools writes there"), field="submission",
                        value=R.shown(repr(p["submission"])))]
        made["submission"] = p["submission"]
    return [] if made == p else [Msg(N_("its content is not what pbtools writes in such a record"))]


def _count(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    allowed(st, OPEN)
    made = count_payload(st, p["question"], p["counts"], p.get("group_by", ""), p.get("method", "hands"), None)
    return [] if made == p else [Msg(N_("its content is not what pbtools writes in such a record"))]


def _voided(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    allowed(st, DRAFT, OPEN)
    if p or not isinstance(r.voids, int):
        return [Msg(N_("its content is not what pbtools writes in such a record"))]
    minutes = D.strikable(st.other.values()) if st.kinds.get(r.voids) in (D.PROPOSAL, D.DECISION) else None
    require_voidable(st, r.voids, r.reason or "", minutes)
    return []


def _proposal(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    allowed(st, DRAFT, OPEN)
    made = D.proposal_payload(p["who"], p["text"], p["cost"], p["outcome"])
    return [] if made == p else [Msg(N_("its content is not what pbtools writes in such a record"))]


def _decision(st: HearingState, hearing_id: str, r: Any, p: dict) -> list[Msg]:
    allowed(st, DRAFT, OPEN)
    made = D.decision_payload(p["text"], p["kind"])
    return [] if made == p else [Msg(N_("its content is not what pbtools writes in such a record"))]


_CHECKS = {
    R.HEARING_CREATED: _created, R.HEARING_UPDATED: _updated, R.HEARING_OPENED: _opened, R.HEARING_CLOSED: _closed,
    R.OPTION_ADDED: _option, R.OPTION_CHANGED: _option, R.OPTION_REMOVED: _option_removed,
    R.QUESTION_DEFINED: _question, R.QUESTION_CHANGED: _question, R.PARTICIPANT_REGISTERED: _registered,
    R.CODES_ISSUED: _codes, R.BALLOT_CAST: _ballot, R.BALLOT_INVALID: _ballot, R.COUNT_ENTERED: _count,
    R.RECORD_VOIDED: _voided, D.PROPOSAL: _proposal, D.DECISION: _decision,
}


# ------------------------------------------------------------------------------------------- a payload's fields
def shape(cls: type, payload: Any, partial: bool = False) -> list[Msg]:
    """The problems of ``payload`` as the JSON of dataclass ``cls`` (``records.to_json``): each field there (all of
    them unless ``partial``) with the type ``cls`` gives it, money as the text of a number; other keys are left to
    a newer pbtools (``from_json`` ignores them)."""
    if not isinstance(payload, dict):
        return [Msg(N_("its content is not what pbtools writes in such a record"))]
    problems = []
    for f in fields(cls):
        if f.name not in payload:
            if not partial and f.default is MISSING and f.default_factory is MISSING:
                problems.append(Msg(N_("field {field} is missing"), field=f.name))
            continue
        if not _fits(str(f.type), payload[f.name]):
            problems.append(Msg(N_("field {field}: {value} is not what pbtools writes there"), field=f.name,
                                value=R.shown(repr(payload[f.name]))))
    return problems


def _text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT and "\0" not in value


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63  # what a database keeps


def _decimal(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        Decimal(value)
    except InvalidOperation:
        return False
    return True  # its range is the core's check (``checks.amount_problems``)


def _fits(kind: str, value: Any) -> bool:
    if kind.endswith(" | None"):
        return value is None or _fits(kind[:-len(" | None")], value)
    return {
        "str": _text, "bool": lambda v: isinstance(v, bool), "int": _int, "Decimal": _decimal,
        "Mapping[str, str]": lambda v: isinstance(v, dict) and all(_text(k) and _text(x) for k, x in v.items()),
        "tuple[str, ...]": lambda v: isinstance(v, list) and all(_text(x) for x in v),
        "tuple[tuple[str, int], ...]": lambda v: isinstance(v, list) and all(
            isinstance(m, list) and len(m) == 2 and _text(m[0]) and _int(m[1]) for m in v),
    }.get(kind, lambda v: False)(value)
