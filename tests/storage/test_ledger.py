"""The ledger: ordering, hash chain, keys, voids, seal, and what it refuses (writing nothing)."""

from __future__ import annotations

import hashlib
import json
from datetime import timezone
from decimal import Decimal

import pytest

from pbtools.storage import SEALED, BadPayload, Entry, KeyTaken, StreamMoved, StreamSealed, VoidRefused, head_is
from tests.storage.locks import stream_locked


def reference_hash(record) -> str:
    """The hash as the issue defines it: sha256 over the canonical JSON of every other field, prev_hash included."""
    fields = {
        "stream": record.stream, "seq": record.seq, "kind": record.kind, "payload": record.payload, "actor": record.actor,
        "created_at": record.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "key": record.key, "voids": record.voids,
        "reason": record.reason, "prev_hash": record.prev_hash,
    }
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def test_records_are_numbered_in_order_and_chained(ws):
    payloads = [{"n": i, "text": "Ак-Суу айыл аймагы, өң", "nested": {"b": [1, 2.5, None, True]}} for i in range(5)]
    appended = [ws.ledger.append("hearing:a", "test", p, actor="Айгүл") for p in payloads]
    ws.ledger.append("hearing:b", "test", {}, actor="x")
    records = ws.ledger.records("hearing:a")
    assert records == appended
    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    assert [r.payload for r in records] == payloads
    assert records[0].prev_hash == ""
    for before, record in zip(records, records[1:]):
        assert record.prev_hash == before.hash
    for record in records:
        assert record.hash == reference_hash(record)
        assert record.created_at.tzinfo == timezone.utc
    assert [r.created_at for r in records] == sorted(r.created_at for r in records)
    assert ws.ledger.records("hearing:a", after_seq=3) == records[3:]
    assert ws.ledger.records("hearing:a", after_seq=5) == []
    assert ws.ledger.head("hearing:a") == 5 and ws.ledger.head("hearing:b") == 1 and ws.ledger.head("none") == 0
    assert ws.ledger.streams() == ["hearing:a", "hearing:b"]
    assert ws.ledger.verify("hearing:a") == [] and ws.ledger.verify("hearing:b") == []


def test_records_survive_reopening(target):
    with target.open() as ws:
        written = [ws.ledger.append("s", "k", {"i": i}, actor="a", key=f"k{i}") for i in range(3)]
    with target.open(create=False) as ws:
        assert ws.ledger.records("s") == written
        assert ws.ledger.verify("s") == []


@pytest.mark.parametrize("payload", [{"amount": Decimal("1.5")}, {"x": float("nan")}, {"x": object()}, ["not", "a", "dict"]])
def test_a_payload_that_is_not_plain_json_is_refused_and_nothing_written(ws, payload):
    ws.ledger.append("s", "k", {"ok": 1})
    with pytest.raises(BadPayload) as e:
        ws.ledger.append("s", "ballot.cast", payload)
    assert "ballot.cast" in e.value.render("en")
    assert ws.ledger.head("s") == 1 and len(ws.ledger.records("s")) == 1


@pytest.mark.parametrize("field", ["actor", "key", "reason"])
def test_text_with_a_nul_character_is_refused_on_every_backend(ws, field):
    with pytest.raises(ValueError, match="NUL"):
        ws.ledger.append("s", "k", {"text": "a\x00b"}, **{field: "a\x00b"})
    assert ws.ledger.head("s") == 0
    assert ws.ledger.append("s", "k", {"text": "a\x00b"}).payload == {"text": "a\x00b"}  # inside JSON it is escaped


def test_a_key_is_used_once_per_stream(ws):
    first = ws.ledger.append("s", "ballot", {"v": 1}, key="code:q1:abc")
    with pytest.raises(KeyTaken) as e:
        ws.ledger.append("s", "ballot", {"v": 2}, key="code:q1:abc")
    assert "code:q1:abc" in e.value.render("ru")
    assert ws.ledger.records("s") == [first]
    other = ws.ledger.append("t", "ballot", {"v": 3}, key="code:q1:abc")  # keys are per stream
    assert other.seq == 1
    nokey = [ws.ledger.append("s", "note", {}) for _ in range(2)]  # records without a key never clash
    assert [r.seq for r in nokey] == [2, 3]


def test_a_correction_voids_an_earlier_record_once(ws):
    ballot = ws.ledger.append("s", "ballot", {"v": 1}, actor="clerk 1")
    ws.ledger.append("t", "other", {})
    void = ws.ledger.append("s", "record.voided", {}, actor="clerk 2", voids=ballot.seq, reason="typed twice")
    assert (void.voids, void.actor, void.reason) == (1, "clerk 2", "typed twice")
    assert ws.ledger.records("s")[0] == ballot  # the voided record itself is kept as it was
    with pytest.raises(VoidRefused) as e:
        ws.ledger.append("s", "record.voided", {}, voids=ballot.seq, reason="again")
    assert "2" in e.value.render("en")  # names the record that voided it
    for missing in (99, 0):
        with pytest.raises(VoidRefused):
            ws.ledger.append("s", "record.voided", {}, voids=missing)
    with pytest.raises(VoidRefused):  # t has no record 2; s has, but voids stays within the stream
        ws.ledger.append("t", "record.voided", {}, voids=2)
    assert ws.ledger.head("s") == 2 and ws.ledger.head("t") == 1
    assert ws.ledger.verify("s") == []


def test_a_sealed_stream_takes_no_more_records(ws):
    ws.ledger.append("s", "ballot", {"v": 1})
    seal = ws.ledger.seal("s", actor="chair", reason="hearing closed")
    assert (seal.seq, seal.kind, seal.actor, seal.reason) == (2, SEALED, "chair", "hearing closed")
    assert ws.ledger.sealed("s") and not ws.ledger.sealed("t")
    for attempt in (lambda: ws.ledger.append("s", "ballot", {"v": 2}),
                    lambda: ws.ledger.append("s", "record.voided", {}, voids=1),
                    lambda: ws.ledger.seal("s", actor="chair")):
        with pytest.raises(StreamSealed) as e:
            attempt()
        assert e.value.render("ky") != e.value.render("en")  # translated
    assert ws.ledger.head("s") == 2
    assert ws.ledger.verify("s") == []
    ws.ledger.append("t", "ballot", {})  # other streams are not affected


class Refused(Exception):
    pass


def test_a_seal_writes_its_records_after_a_check_made_under_the_lock_all_or_nothing(ws):
    ws.ledger.append("s", "ballot", {"v": 1})
    ws.ledger.append("s", "ballot", {"v": 2})
    seen = []

    def check(locked):  # what was stored after seq 1, read while nobody else can append
        seen.append(([r.payload for r in locked.records(after_seq=1)], locked.head, stream_locked(ws.url, "s")))
        if len(seen) == 1:
            raise Refused()

    closing = Entry("hearing.closed", {}, "chair", key="closed")
    with pytest.raises(Refused):
        ws.ledger.seal("s", actor="chair", entries=[closing], check=check)
    assert ws.ledger.head("s") == 2 and not ws.ledger.sealed("s")  # the check's refusal rolled it all back
    with pytest.raises(KeyTaken):  # a refused entry: nothing is written, the seal neither
        ws.ledger.seal("s", actor="chair", entries=[closing, Entry("again", {}, key="closed")])
    assert ws.ledger.head("s") == 2 and not ws.ledger.sealed("s")
    seal = ws.ledger.seal("s", actor="chair", reason="done", entries=[closing], check=check)
    assert seen == [([{"v": 2}], 2, True)] * 2
    assert [r.kind for r in ws.ledger.records("s")] == ["ballot", "ballot", "hearing.closed", SEALED]
    assert (seal.seq, seal.reason, ws.ledger.sealed("s"), ws.ledger.verify("s")) == (4, "done", True, [])
    with pytest.raises(StreamSealed):  # sealed already: the check is not even asked
        ws.ledger.seal("s", actor="chair", entries=[Entry("x", {})], check=check)
    assert len(seen) == 2 and ws.ledger.head("s") == 4


def test_a_refusal_returned_by_the_seals_check_is_raised_and_nothing_is_written(ws):
    ws.ledger.append("s", "ballot", {"v": 1})
    with pytest.raises(StreamMoved):
        ws.ledger.seal("s", actor="chair", entries=[Entry("hearing.closed", {})], check=head_is(0))
    assert ws.ledger.head("s") == 1 and not ws.ledger.sealed("s")
    assert ws.ledger.seal("s", actor="chair", check=head_is(1)).seq == 2


def test_messages_are_translated(ws):
    ws.ledger.append("s", "k", {}, key="x")
    with pytest.raises(KeyTaken) as e:
        ws.ledger.append("s", "k", {}, key="x")
    texts = {lang: e.value.render(lang) for lang in ("ky", "ru", "en")}
    assert len(set(texts.values())) == 3 and all("x" in t for t in texts.values())
