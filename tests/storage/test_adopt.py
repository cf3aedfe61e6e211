"""Records made by another ledger are stored as they were made, only when they carry on this ledger's chain."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pbtools.storage import open_workspace
from pbtools.storage.adopt import ChainMismatch, hash_of, append_verified
from pbtools.storage.errors import StreamSealed

S = "hearing:x"


@pytest.fixture
def source(tmp_path):
    with open_workspace(tmp_path / "laptop") as ws:
        for i in range(5):
            ws.ledger.append(S, "note", {"n": i, "text": "Ак-Суу ө ү ң"}, actor=f"clerk {i % 2}", key=f"k{i}")
        ws.ledger.append(S, "note.voided", {}, actor="clerk 0", voids=2, reason="typed twice")
        yield ws


def test_records_are_stored_with_their_own_hashes_actors_and_times(ws, source):
    theirs = source.ledger.records(S)
    assert append_verified(ws.ledger, S, theirs[:3]) == 3
    assert append_verified(ws.ledger, S, theirs[3:]) == 3  # the continuation
    mine = ws.ledger.records(S)
    assert mine == theirs
    assert ws.ledger.verify(S) == []
    # and the chain goes on from there with ordinary appends
    ws.ledger.append(S, "note", {"n": 9}, actor="x")
    assert ws.ledger.verify(S) == [] and ws.ledger.head(S) == 7


def test_records_that_do_not_follow_the_head_are_refused_and_nothing_is_written(ws, source):
    theirs = source.ledger.records(S)
    append_verified(ws.ledger, S, theirs[:3])
    for wrong in (theirs[:3], theirs[4:], theirs[2:]):  # again, a gap, an overlap
        with pytest.raises(ChainMismatch):
            append_verified(ws.ledger, S, wrong)
        assert ws.ledger.head(S) == 3
    other = replace(theirs[3], prev_hash="0" * 64)
    with pytest.raises(ChainMismatch):
        append_verified(ws.ledger, S, [other])
    assert ws.ledger.records(S) == theirs[:3]


def test_a_changed_record_is_refused(ws, source):
    theirs = source.ledger.records(S)
    changed = replace(theirs[1], payload={"n": 100})
    with pytest.raises(ChainMismatch) as e:
        append_verified(ws.ledger, S, [theirs[0], changed, *theirs[2:]])
    assert "2" in e.value.render("en")
    assert ws.ledger.records(S) == [] and ws.ledger.verify(S) == []


def test_a_rewritten_chain_that_breaks_a_key_is_refused_by_the_database(ws, tmp_path):
    with open_workspace(tmp_path / "a") as a:  # a consistent chain whose second record reuses a key
        a.ledger.append(S, "note", {}, key="k")
        a.ledger.append("hearing:y", "note", {}, key="k")
        first = a.ledger.records(S)[0]
        forged = a.ledger.records("hearing:y")[0]
    second = replace(forged, stream=S, seq=2, prev_hash=first.hash)
    second = replace(second, hash=hash_of(second))
    with pytest.raises(ChainMismatch):
        append_verified(ws.ledger, S, [first, second])
    assert ws.ledger.head(S) == 0


def test_a_sealed_stream_takes_nothing_more_and_a_copied_seal_seals(ws, source):
    source.ledger.seal(S, actor="chair")
    theirs = source.ledger.records(S)
    append_verified(ws.ledger, S, theirs)
    assert ws.ledger.sealed(S)
    after = replace(theirs[0], seq=theirs[-1].seq + 1, prev_hash=theirs[-1].hash)
    with pytest.raises(StreamSealed):
        append_verified(ws.ledger, S, [replace(after, hash=hash_of(after))])
    assert ws.ledger.records(S) == theirs
