"""Paper piles sorted by group, double-entry corrections and void reasons, on a real ledger (SQLite, PostgreSQL)."""

from __future__ import annotations

import json

import pytest

from pbtools.hearings import records as R
from pbtools.hearings.model import Ballot
from pbtools.hearings.store import CastItem, HearingError, HearingStore, state
from pbtools.results.election import election_for, voter_of
from pbtools.results.groups import breakdown


def test_a_piles_group_is_stored_in_each_ballot_and_reaches_the_results(store):
    for text in ("1", "1 2", "3"):
        store.cast_typed("approval", text, actor="clerk", pile="women", voter={"sex": "f", "village": "Ак-Суу"})
    store.cast_typed("approval", "2", actor="clerk", pile="men", voter={"sex": "m", "age": "", "village": None})
    store.cast_typed("approval", "2 3", actor="clerk")  # no group: not known
    st = state(store.ws, "h1")  # folded afresh from the database
    voters = [voter_of(st, b) for b in sorted(st.ballots.values(), key=lambda b: b.seq)]
    assert voters == [{"sex": "f", "village": "Ак-Суу"}] * 3 + [{"sex": "m"}, {}]
    by_sex = {g.group: (g.ballots, g.tally) for g in breakdown(st, "approval", "sex")}
    assert by_sex["f"] == (3, {"P1": 2, "P2": 1, "P3": 1, "P4": 0, "P5": 0})
    assert by_sex["m"] == (1, {"P1": 0, "P2": 1, "P3": 0, "P4": 0, "P5": 0})
    assert by_sex["unknown"][0] == 1
    assert [b.voter for b in election_for(st, "approval").ballots][-2:] == [{"sex": "m"}, {}]


def test_the_group_is_part_of_the_chained_record(store):
    from sqlalchemy import update

    from pbtools.storage.schema import ledger_records as T

    receipt = store.cast_typed("single", "1", actor="clerk", voter={"sex": "f"})
    assert store.verify() == []
    record = store.ws.ledger.records(store.stream)[receipt.seq - 1]
    assert record.payload["voter"] == {"sex": "f"}
    forged = {**record.payload, "voter": {"sex": "m"}}  # someone moves a ballot to the other group
    with store.ws.engine.begin() as conn:
        conn.execute(update(T).where(T.c.stream == store.stream, T.c.seq == receipt.seq).values(payload=json.dumps(forged)))
    assert [p.seq for p in store.verify()][:1] == [receipt.seq]


@pytest.mark.parametrize("voter, expected", [
    ({"sex": "x"}, "x is not woman or man"),
    ({"age": "under_18"}, "under_18 is not an age group of this hearing"),
    ({"village": "Бишкек"}, "Бишкек is not a village of this hearing"),
    ({"category": "boss"}, "boss is not a category"),
    ({"name": "Aida"}, "unknown field name"),
])
def test_a_wrong_group_is_refused_and_nothing_is_stored(store, voter, expected):
    before = store.ws.ledger.head(store.stream)
    with pytest.raises(HearingError) as refused:
        store.cast_typed("single", "1", actor="clerk", voter=voter)
    assert expected in refused.value.render("en")
    assert refused.value.render("ky") != refused.value.render("en") != refused.value.render("ru")
    assert store.ws.ledger.head(store.stream) == before


def test_phone_ballots_keep_their_group_through_cast_many(store):
    results = store.cast_many([
        CastItem("motion", Ballot(answer="yes"), "phone", "phone", key="phone:1", voter={"sex": "f", "age": "18_29"}),
        CastItem("motion", Ballot(answer="no"), "phone", "phone", key="phone:2", voter={"sex": "robot"}),
        CastItem("motion", Ballot(answer="no"), "phone", "phone", key="phone:3"),
    ])
    assert isinstance(results[1], HearingError) and "robot" in results[1].render("en")
    st = state(store.ws, "h1")
    assert sorted((b.ballot.answer, tuple(sorted(voter_of(st, b).items()))) for b in st.ballots.values()) == [
        ("no", ()), ("yes", (("age", "18_29"), ("sex", "f")))]
    assert store.cast("motion", Ballot(answer="abstain"), "phone", channel="phone", voter={"village": "Кара-Булак"})


def test_records_written_before_groups_existed_are_read_as_not_known(store):
    # a ballot record as older versions wrote it: no "voter" in the payload
    payload = {"question": "single", "ballot": Ballot((("P2", 1),)).to_json(), "channel": "paper"}
    store.ws.ledger.append(store.stream, R.BALLOT_CAST, payload, actor="old version")
    st = HearingStore(store.ws, "h1").state
    (cast,) = st.ballots.values()
    assert cast.voter == {} and voter_of(st, cast) == {}
    assert [g.group for g in breakdown(st, "single", "village")] == ["unknown"]


def test_undo_last_stores_a_reason_key_that_reads_in_each_language(store):
    store.cast_typed("single", "1", actor="clerk")
    voided = store.undo_last("single", actor="clerk")
    void = store.state.voids[voided]
    assert void.reason == R.UNDO_LAST
    texts = {lang: R.reason_text(void.reason, lang) for lang in ("ky", "ru", "en")}
    assert len(set(texts.values())) == 3 and "undo last" in texts["en"]
    assert R.reason_text("undo last", "ky") == texts["ky"]  # the English text stored before the keys
    assert R.reason_text("typed twice", "ky") == "typed twice"  # what a person typed stays as typed


def pile(store, name, entry):
    return {b.position: b for b in store.state.pile(name, entry)}


def test_a_correction_voids_the_wrong_entry_and_stores_the_paper_at_its_place(store):
    for text in ("1", "2", "3", "4"):
        store.cast_typed("approval", text, actor="A", pile="W", entry=1, voter={"sex": "f"})
    for text in ("1", "5", "3"):
        store.cast_typed("approval", text, actor="B", pile="W", entry=2, voter={"sex": "f"})
    assert [d.position for d in store.differences("W")] == [2, 4]
    wrong = pile(store, "W", 1)[2]
    # the paper says "2 5": both entries were wrong
    receipts = store.correct("approval", "W", 2, "2 5", actor="chair")
    assert len(receipts) == 2 and len(store.state.ballots_for("approval")) == 4  # replaced, not added
    assert [d.position for d in store.differences("W")] == [4]
    fixed = pile(store, "W", 1)[2]
    assert fixed.ballot.option_ids() == ["P2", "P5"] and fixed.voter == {"sex": "f"} and fixed.actor == "chair"
    void = store.state.voids[wrong.seq]
    assert (void.actor, void.reason) == ("chair", R.DOUBLE_ENTRY_FIX)
    assert store.state.voided[wrong.seq].ballot.option_ids() == ["P2"]  # kept, never deleted
    # position 4 is missing from entry 2; the paper says what entry 1 typed: only entry 2 is written
    (receipt,) = store.correct("approval", "W", 4, "4", actor="chair")
    assert store.differences("W") == []
    assert pile(store, "W", 2)[4].voter == {"sex": "f"}
    assert [b.ballot.option_ids() for b in sorted(store.state.ballots_for("approval"), key=lambda b: b.position)] == [
        ["P1"], ["P2", "P5"], ["P3"], ["P4"]]
    assert store.correct("approval", "W", 4, "4", actor="chair") == []  # already right: nothing written
    assert store.verify() == []


def test_a_bad_correction_changes_nothing(store):
    store.cast_typed("approval", "1", actor="A", pile="W", entry=1)
    store.cast_typed("approval", "2", actor="B", pile="W", entry=2)
    before = store.ws.ledger.head(store.stream)
    for position, text, expected in ((1, "1 2 3 4", "Too many choices"), (1, "9", "no option 9"),
                                     (7, "1", "Pile W has no ballot 7")):
        with pytest.raises(HearingError, match=expected):
            store.correct("approval", "W", position, text, actor="chair")
    assert store.ws.ledger.head(store.stream) == before
