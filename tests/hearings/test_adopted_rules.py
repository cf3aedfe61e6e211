"""A hand-in is refused by the store's own rules, in the store's own words (``hearings.rules``): each rule the store
applies before it writes is the rule ``adopted`` applies to a record a laptop wrote. The two once re-typed them
apart and had drifted: a void of a voided ballot was "Record 9 was voided already" in one and "Record 9 is already
voided" in the other, a cost changed once voting was open "Only the texts of an option may change…" and "The agenda
cannot change once voting is open"."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from pbtools.hearings import records as R
from pbtools.hearings.adopted import check_adopted
from pbtools.hearings.errors import HearingError
from pbtools.hearings.model import Ballot
from pbtools.storage import open_workspace
from pbtools.storage.record import Record
from tests.hearings.conftest import build

RECORD = "Record {seq} ({kind}): {problem}"


@pytest.fixture
def ws(tmp_path):
    with open_workspace(tmp_path / "ws") as workspace:
        yield workspace


def forged(records: list, kind: str, payload: dict, voids: int | None = None, reason: str = "") -> Record:
    """The record a laptop would append next (its hash is not what ``adopted`` checks)."""
    return Record(records[-1].stream, records[-1].seq + 1, kind, payload, "secretary", datetime.now(timezone.utc),
                  None, voids, reason, records[-1].hash, "0" * 64)


def refusals(store, ws, cases) -> list[tuple]:
    """(what the store said, what the hand-in's check said) of each case: (the store's call, the forged record)."""
    said = []
    for call, record in cases:
        records = ws.ledger.records(store.stream)
        with pytest.raises(HearingError) as refused:
            call()
        assert ws.ledger.records(store.stream) == records  # the store wrote nothing
        problems = check_adopted(store.id, [*records, record(records)])
        assert [p.msgid for p in problems] == [RECORD] * len(problems)
        said.append((refused.value.problems, [p.params["problem"] for p in problems], type(refused.value).__name__))
    return said


def test_a_hand_in_is_refused_by_the_rules_and_in_the_words_of_the_store(ws):
    store = build(ws)
    ballot = store.cast("single", Ballot((("P1", 1),)), actor="clerk").seq
    store.cast("single", Ballot((("P2", 1),)), actor="clerk")  # stands: the question has a ballot
    store.void(ballot, actor="clerk", reason="typed twice")
    option, question = store.state.options["P1"], store.state.questions["single"]
    cases = [
        (lambda: store.void(ballot, actor="clerk 2", reason="typed twice"),
         lambda rs: forged(rs, R.RECORD_VOIDED, {}, voids=ballot, reason="typed twice")),
        (lambda: store.void(1, actor="clerk", reason="why not"),
         lambda rs: forged(rs, R.RECORD_VOIDED, {}, voids=1, reason="why not")),
        (lambda: store.void(ballot + 1, actor="clerk", reason=" "),
         lambda rs: forged(rs, R.RECORD_VOIDED, {}, voids=ballot + 1, reason=" ")),  # the standing one, with no why
        (lambda: store.change_option(replace(option, cost=option.cost + 1), actor="secretary"),
         lambda rs: forged(rs, R.OPTION_CHANGED, R.to_json(replace(option, cost=option.cost + 1)))),
        (lambda: store.define_question(replace(question, titles={"en": "Only one"}), actor="secretary"),
         lambda rs: forged(rs, R.QUESTION_CHANGED, R.to_json(replace(question, titles={"en": "Only one"})))),
        (lambda: store.update("secretary", id="h9"), lambda rs: forged(rs, R.HEARING_UPDATED, {"id": "h9"})),
    ]
    said = refusals(store, ws, cases)
    for store_said, hand_in_said, kind in said:
        assert hand_in_said == store_said, (kind, [p.render("en") for p in store_said], [p.render("en") for p in hand_in_said])
    assert said[0][2] == "AlreadyVoided" and said[3][2] == "AgendaFixed"  # the types a caller tells apart, kept


def test_voting_opens_on_a_question_for_the_store_and_for_a_hand_in(ws):
    from pbtools.hearings.store import create_hearing
    from tests.hearings.conftest import new_hearing

    store = create_hearing(ws, new_hearing(id="h4"), actor="secretary")
    [(store_said, hand_in_said, _)] = refusals(store, ws, [
        (lambda: store.open(actor="chair"), lambda rs: forged(rs, R.HEARING_OPENED, {}))])
    assert hand_in_said == store_said and "question" in store_said[0].render("en")
