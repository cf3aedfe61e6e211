"""verify() finds records altered, removed or inserted behind the ledger's back (raw SQL on the database)."""

from __future__ import annotations

import json

from sqlalchemy import text

from pbtools.storage.record import record_hash


def fill(ws, n=5):
    for i in range(n):
        ws.ledger.append("s", "ballot", {"i": i}, actor="clerk", key=f"k{i}")


def sql(ws, statement, **params):
    with ws.engine.begin() as conn:
        conn.execute(text(statement), params)


def seqs_with_problems(ws):
    return sorted({p.seq for p in ws.ledger.verify("s")})


def test_an_altered_payload_is_found(ws):
    fill(ws)
    sql(ws, "UPDATE ledger_records SET payload = :p WHERE stream = 's' AND seq = 3", p=json.dumps({"i": 99}))
    problems = ws.ledger.verify("s")
    assert [p.seq for p in problems] == [3]
    assert "3" in problems[0].message.render("ky")


def test_an_altered_record_whose_hash_was_recomputed_breaks_the_next_link(ws):
    fill(ws)
    r = ws.ledger.records("s")[2]
    forged = record_hash(r.stream, r.seq, r.kind, {"i": 99}, r.actor, r.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                         r.key, r.voids, r.reason, r.prev_hash)
    sql(ws, "UPDATE ledger_records SET payload = :p, hash = :h WHERE stream = 's' AND seq = 3", p='{"i":99}', h=forged)
    assert seqs_with_problems(ws) == [4]


def test_a_removed_record_is_found(ws):
    fill(ws)
    sql(ws, "DELETE FROM ledger_records WHERE stream = 's' AND seq = 2")
    assert seqs_with_problems(ws) == [3]


def test_removing_the_last_records_is_found(ws):
    fill(ws)
    sql(ws, "DELETE FROM ledger_records WHERE stream = 's' AND seq >= 4")
    problems = ws.ledger.verify("s")
    assert len(problems) == 1 and "5" in problems[0].message.render("en")


def test_an_inserted_record_is_found(ws):
    fill(ws, 3)
    # make room at seq 2 and slip a record in, with a hash that is right for its own content
    sql(ws, "UPDATE ledger_records SET seq = seq + 10 WHERE stream = 's' AND seq >= 2")
    first = ws.ledger.records("s")[0]
    created = first.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    h = record_hash("s", 2, "ballot", {"i": 7}, "clerk", created, None, None, "", first.hash)
    sql(ws, "INSERT INTO ledger_records (stream, seq, kind, payload, actor, created_at, key, voids, reason, prev_hash, hash) "
            "VALUES ('s', 2, 'ballot', :body, 'clerk', :c, NULL, NULL, '', :p, :h)", body='{"i":7}', c=created, p=first.hash, h=h)
    sql(ws, "UPDATE ledger_records SET seq = seq - 9 WHERE stream = 's' AND seq >= 12")
    assert seqs_with_problems(ws) == [3, 4]  # 3: no longer follows; 3, 4: their own hash covers the old seq


def test_a_record_after_the_seal_is_found(ws):
    fill(ws, 2)
    seal = ws.ledger.seal("s", actor="chair")
    created = seal.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    h = record_hash("s", 4, "ballot", {}, "x", created, None, None, "", seal.hash)
    sql(ws, "INSERT INTO ledger_records (stream, seq, kind, payload, actor, created_at, key, voids, reason, prev_hash, hash) "
            "VALUES ('s', 4, 'ballot', '{}', 'x', :c, NULL, NULL, '', :p, :h)", c=created, p=seal.hash, h=h)
    sql(ws, "UPDATE ledger_streams SET head_seq = 4, head_hash = :h WHERE name = 's'", h=h)
    assert seqs_with_problems(ws) == [4]


def test_a_rewritten_last_record_is_named_as_rewritten_not_as_records_removed(ws):
    """The head's seq still matches, only its hash does not: saying "should end at record 5 but ends at record 5:
    records were removed or added" sent the reader looking for a missing record."""
    from pbtools.storage.chain import REWRITTEN

    fill(ws)
    r = ws.ledger.records("s")[-1]
    forged = record_hash(r.stream, r.seq, r.kind, {"i": 99}, r.actor, r.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                         r.key, r.voids, r.reason, r.prev_hash)
    sql(ws, "UPDATE ledger_records SET payload = :p, hash = :h WHERE stream = 's' AND seq = 5", p='{"i":99}', h=forged)
    problems = ws.ledger.verify("s")
    assert [(p.seq, p.message.msgid) for p in problems] == [(5, REWRITTEN)]
