"""A reader that folded a stream up to a record reads on from it only while that record is still the stream's: a
stream replaced by another history (an older copy restored, another copy's records) is said (``StreamRewound``),
never continued with records that do not follow what was folded. The stream's rows are replaced here as a restore
leaves them (in SQLite and in PostgreSQL); the SQLite file itself replaced while it is open: tests/hearings,
tests/needs, tests/services and tests/training (test_rewound.py)."""

from __future__ import annotations

import json
import os
from dataclasses import replace

import pytest

from pbtools.storage import Entry, StreamMoved, StreamRewound, decided_on, head_is, open_workspace
from pbtools.storage.engine import writer
from pbtools.storage.record import time_text
from pbtools.storage.schema import ledger_records as T, ledger_streams as S

STREAM = "hearing:h1"


def replace_stream(ws, records) -> None:
    """The stream's rows become ``records`` (another copy's history), as a restore of that copy leaves them."""
    with writer(ws.engine).begin() as conn:
        conn.execute(T.delete().where(T.c.stream == STREAM))
        conn.execute(T.insert(), [dict(stream=r.stream, seq=r.seq, kind=r.kind, payload=json.dumps(r.payload),
                                       actor=r.actor, created_at=time_text(r.created_at), key=r.key, voids=r.voids,
                                       reason=r.reason, prev_hash=r.prev_hash, hash=r.hash) for r in records])
        conn.execute(S.update().where(S.c.name == STREAM).values(head_seq=records[-1].seq, head_hash=records[-1].hash))


def other_history(ws, n: int, copy: str = "other"):
    """``n`` records of another copy's history of the stream (written to a stream of their own, then named as it)."""
    return [replace(ws.ledger.append(f"{copy}:h1", "k", {"n": i, "copy": copy}), stream=STREAM) for i in range(n)]


def test_reading_on_from_a_record_still_the_streams(ws):
    written = [ws.ledger.append(STREAM, "k", {"n": i}) for i in range(5)]
    last = written[-1]
    assert ws.ledger.records(STREAM, after_seq=last.seq, after_hash=last.hash) == []
    assert ws.ledger.records(STREAM, after_seq=2, after_hash=written[1].hash) == written[2:]
    assert ws.ledger.records(STREAM, after_seq=0, after_hash="") == written  # nothing folded yet: nothing to check
    assert ws.ledger.tip(STREAM) == (5, last.hash) and ws.ledger.tip("none") == (0, "")


def test_an_older_copy_is_said_and_what_it_still_holds_is_read_on(ws):
    written = [ws.ledger.append(STREAM, "k", {"n": i}) for i in range(5)]
    replace_stream(ws, written[:3])  # the copy taken after record 3
    with pytest.raises(StreamRewound) as e:
        ws.ledger.records(STREAM, after_seq=5, after_hash=written[4].hash)
    assert "record 5" in e.value.render("en") and STREAM in e.value.render("ru")
    assert ws.ledger.records(STREAM, after_seq=5) == []  # by seq alone: "nothing new", on a state no longer on disk
    # a reader that folded only what the copy holds reads on: records 1..3 are the same records
    assert ws.ledger.records(STREAM, after_seq=3, after_hash=written[2].hash) == []
    assert ws.ledger.tip(STREAM) == (3, written[2].hash)


def test_another_history_with_more_records_is_said(ws):
    written = [ws.ledger.append(STREAM, "k", {"n": i}) for i in range(5)]
    other = other_history(ws, 8)
    replace_stream(ws, other)
    with pytest.raises(StreamRewound):
        ws.ledger.records(STREAM, after_seq=5, after_hash=written[4].hash)
    # by seq alone, the other copy's records 6..8 would be folded on top of this copy's 1..5
    assert [r.payload["copy"] for r in ws.ledger.records(STREAM, after_seq=5)] == ["other"] * 3


def test_a_write_check_reads_on_only_from_a_record_still_the_streams(ws):
    written = [ws.ledger.append(STREAM, "k", {"n": i}) for i in range(5)]
    seen = []

    def check(locked):
        seen.append(locked.records(after_seq=written[4].seq, after_hash=written[4].hash))

    ws.ledger.append(STREAM, "k", {"n": 5}, check=check)
    assert seen == [[]]
    other = other_history(ws, 6)
    replace_stream(ws, other)
    with pytest.raises(StreamRewound):
        ws.ledger.append(STREAM, "k", {"n": 6}, check=check)
    assert ws.ledger.tip(STREAM) == (6, other[-1].hash)  # nothing written
    # a form saved over record 6 of the first copy is not saved over record 6 of the other
    results = ws.ledger.append_many(STREAM, [Entry("k", {})], check=head_is(6, ws.ledger.records(STREAM)[-1].hash))
    assert results[0].seq == 7
    assert isinstance(ws.ledger.append_many(STREAM, [Entry("k", {})], check=head_is(7, written[4].hash))[0], StreamMoved)


def test_a_write_decided_on_a_fold_is_written_only_while_the_folded_record_is_the_streams(ws):
    """``decided_on``: others' records after the fold go through (a ballot does not undo a code issued); another
    history in the stream's place refuses the write, nothing written, whether it is shorter, as long or longer."""
    written = [ws.ledger.append(STREAM, "k", {"n": i}) for i in range(5)]
    folded = written[2]
    assert ws.ledger.append(STREAM, "k", {"n": 5}, check=decided_on(folded.seq, folded.hash)).seq == 6
    assert ws.ledger.append(STREAM, "k", {"n": 6}, check=decided_on(0, "")).seq == 7  # nothing folded yet
    asked = []
    ws.ledger.append(STREAM, "k", {"n": 7}, check=decided_on(7, ws.ledger.tip(STREAM)[1], also=lambda locked: asked.append(locked.head)))
    assert asked == [7]
    for n in (2, 3, 9):  # before, at and after the folded record
        other = other_history(ws, n, copy=f"other{n}")
        replace_stream(ws, other)
        refused = ws.ledger.append_many(STREAM, [Entry("k", {"n": "late"})], check=decided_on(folded.seq, folded.hash))
        assert isinstance(refused[0], StreamRewound) and "record 3" in refused[0].render("en")
        assert "нужно прочитать заново" in refused[0].render("ru")
        assert ws.ledger.tip(STREAM) == (n, other[-1].hash)  # nothing written


def test_a_connection_follows_a_database_file_put_in_its_place(tmp_path):
    """A folder swapped while its database is open (a sandbox reset or restored): the pooled connection read the
    file it had opened, now elsewhere, for as long as the process ran."""
    here, there = tmp_path / "ws", tmp_path / "next"
    with open_workspace(there) as ws:
        ws.ledger.append(STREAM, "k", {"copy": "next"})
    with open_workspace(here) as ws:
        ws.ledger.append(STREAM, "k", {"copy": "first"})
        assert [r.payload["copy"] for r in ws.ledger.records(STREAM)] == ["first"]
        os.rename(here, tmp_path / "kept")
        os.rename(there, here)
        assert [r.payload["copy"] for r in ws.ledger.records(STREAM)] == ["next"]
        ws.ledger.append(STREAM, "k", {"copy": "written after"})
    with open_workspace(here, create=False) as ws:
        assert [r.payload["copy"] for r in ws.ledger.records(STREAM)] == ["next", "written after"]
    with open_workspace(tmp_path / "kept", create=False) as ws:
        assert [r.payload["copy"] for r in ws.ledger.records(STREAM)] == ["first"]
