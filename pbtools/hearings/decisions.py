"""Proposals from the floor and decisions to the council: what the secretary records during a hearing, kept as
ledger records of the hearing's stream like everything else (append-only, hash-chained, sealed at closing).

    seq = add_proposal(store, who="Aida, Ak-Suu", text="Repair the bridge", cost="150 000", outcome="deferred", actor="Nur")
    seq = add_decision(store, "Send the funded options to the council", kind="decision", actor="Nur")
    strike(store, seq, actor="Nur", reason="typed twice")        # a correction is a new record, nothing is deleted
    m = read_minutes(ws, hearing_id)                               # or minutes(records): pure, from the records
    m = minutes(store.state.other.values())                        # the same from the store's folded state

The hearing's fold (``fold.py``) keeps these records aside (``HearingState.other``); ``minutes`` reads them. A struck record is a
``record.voided`` naming it, the same correction record the store writes for ballots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from pbtools.budget.numbers import NotANumber, TooLarge, parse_som
from pbtools.hearings import records as R
from pbtools.hearings.checks import amount_problems
from pbtools.hearings.errors import HearingError
from pbtools.i18n import N_, Msg

PROPOSAL = "proposal.recorded"  # payload: who, text, cost (a string in som, or null), outcome
DECISION = "decision.recorded"  # payload: text, kind
OUTCOMES = ("accepted", "rejected", "deferred")
DECISION_KINDS = ("decision", "recommendation")
LABELS = {
    "accepted": N_("accepted"), "rejected": N_("rejected"), "deferred": N_("deferred"),
    "decision": N_("Decision"), "recommendation": N_("Recommendation"),
}
MAX_TEXT = 4000  # characters: a paragraph of the minutes, not a document


@dataclass(frozen=True)
class Proposal:
    seq: int
    who: str
    text: str
    cost: Decimal | None
    outcome: str
    actor: str
    created_at: Any


@dataclass(frozen=True)
class Decision:
    seq: int
    text: str
    kind: str
    actor: str
    created_at: Any


@dataclass
class Minutes:
    """Proposals and decisions in the order they were recorded, struck ones left out."""

    proposals: list[Proposal] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.proposals or self.decisions)


def minutes(records: Iterable[Any]) -> Minutes:
    """Fold the proposal and decision records of a hearing's stream (any other record is skipped)."""
    proposals: dict[int, Proposal] = {}
    decisions: dict[int, Decision] = {}
    for r in records:
        p = r.payload
        if r.kind == PROPOSAL:
            cost = Decimal(str(p["cost"])) if p.get("cost") not in (None, "") else None
            proposals[r.seq] = Proposal(r.seq, p.get("who", ""), p.get("text", ""), cost, p.get("outcome", "deferred"),
                                        r.actor, r.created_at)
        elif r.kind == DECISION:
            decisions[r.seq] = Decision(r.seq, p.get("text", ""), p.get("kind", "decision"), r.actor, r.created_at)
        elif r.kind == R.RECORD_VOIDED:
            proposals.pop(r.voids, None)
            decisions.pop(r.voids, None)
    return Minutes(sorted(proposals.values(), key=lambda x: x.seq), sorted(decisions.values(), key=lambda x: x.seq))


def read_minutes(ws: Any, hearing_id: str) -> Minutes:
    return minutes(ws.ledger.records(R.stream_of(hearing_id)))


def parse_cost(value: Any) -> tuple[Decimal | None, Msg | None]:
    """An estimated cost as typed ("150 000", "1,5"), a number, or empty (not known): (amount, problem)."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "-", "–", "—")):  # a dash: not known
        return None, None
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        try:  # "150 000 сом" as people write it; the digits are checked as a budget file's are
            amount = parse_som(str(value))
        except TooLarge as e:
            amount = e.value  # its range is checked below, by the message that says the limit
        except NotANumber:
            return None, Msg(N_("Estimated cost: {value} is not an amount in som"), value=str(value))
    if amount is not None and amount.is_finite() and amount < 0:
        return None, Msg(N_("Estimated cost: the cost cannot be negative"))
    if amount is not None:  # past the most som pbtools takes, or e.g. 1E+999999
        problems = amount_problems(amount, Msg(N_("Estimated cost")))
        if problems:
            return None, problems[0]
    return amount, None


def _text_problems(text: str, missing: Msg, long: Msg) -> list[Msg]:
    if not text.strip():
        return [missing]
    return [long] if len(text) > MAX_TEXT else []


def proposal_payload(who: str, text: str, cost: Any, outcome: str) -> dict:
    """The ``proposal.recorded`` payload, checked completely (``HearingError`` naming every problem)."""
    amount, problem = parse_cost(cost)
    problems = [problem] if problem else []
    if not str(who).strip():
        problems.append(Msg(N_("Proposal: say who made it")))
    problems += _text_problems(text, Msg(N_("Proposal: the text is missing")),
                               Msg(N_("Proposal: the text is longer than {max} characters"), max=MAX_TEXT))
    if outcome not in OUTCOMES:
        problems.append(Msg(N_("Proposal: choose accepted, rejected or deferred")))
    if problems:
        raise HearingError(problems)
    return {"who": who.strip(), "text": text.strip(), "cost": str(amount) if amount is not None else None, "outcome": outcome}


def decision_payload(text: str, kind: str) -> dict:
    """The ``decision.recorded`` payload, checked completely (``HearingError`` naming every problem)."""
    problems = _text_problems(text, Msg(N_("Decision: the text is missing")),
                              Msg(N_("Decision: the text is longer than {max} characters"), max=MAX_TEXT))
    if kind not in DECISION_KINDS:
        problems.append(Msg(N_("Choose decision or recommendation")))
    if problems:
        raise HearingError(problems)
    return {"text": text.strip(), "kind": kind}


def add_proposal(store: Any, who: str, text: str, cost: Any, outcome: str, actor: str) -> int:
    """Record a proposal from the floor; returns its seq. Checked completely before anything is stored."""
    store.require_editable()
    return store.append_record(PROPOSAL, proposal_payload(who, text, cost, outcome), actor).seq


def add_decision(store: Any, text: str, kind: str, actor: str) -> int:
    """Record a decision or a recommendation to the council; returns its seq."""
    store.require_editable()
    return store.append_record(DECISION, decision_payload(text, kind), actor).seq


def strikable(records: Iterable[Any]) -> set[int]:
    """The seqs of the proposals and decisions standing among ``records`` (a hearing's other records)."""
    current = minutes(records)
    return {p.seq for p in current.proposals} | {d.seq for d in current.decisions}


def strike(store: Any, seq: int, actor: str, reason: str) -> int:
    """Strike a proposal or decision recorded by mistake: a void record naming it and why. Returns its seq."""
    store.require_editable()
    if not reason.strip():
        raise HearingError(Msg(N_("Say why the record is voided")))
    if seq not in strikable(store.refresh().other.values()):
        raise HearingError(Msg(N_("Record {seq} is not a proposal or a decision of this hearing"), seq=seq))
    return store.append_record(R.RECORD_VOIDED, {}, actor, voids=seq, reason=reason.strip()).seq
