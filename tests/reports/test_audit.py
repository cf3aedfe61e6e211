"""The audit export: self-contained, checked and recounted by ``pbtools verify`` without the workspace; any edit,
removal, insertion or reordering of a record is caught and named."""

from __future__ import annotations

import json

import pytest

from pbtools.cli import main
from pbtools.hearings.store import state
from pbtools.reports.audit import check_audit, write_audit
from pbtools.reports.voting import question_reports
from pbtools.results import count_question
from tests.reports.conftest import pbtools


@pytest.fixture
def audit_file(ws, sample, tmp_path):
    return write_audit(ws, sample[1], tmp_path / "audit.jsonl")


def lines(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_audit_file_holds_every_record_and_recounts_the_same(ws, sample, audit_file):
    records = ws.ledger.records(f"hearing:{sample[1]}")
    check = check_audit(audit_file)
    assert check.ok, [p.render("en") for p in check.problems]
    assert [r.hash for r in check.records] == [r.hash for r in records]
    assert check.head_hash == records[-1].hash and check.header["hearing"] == sample[1]
    assert check.header["pbtools"] and check.header["records"] == len(records)
    live = state(ws, sample[1])
    recounted = {r.question.id: r for r in question_reports(check.state)}
    assert check.state.counters == live.counters
    for q in live.questions.values():
        assert recounted[q.id].ballots == len(live.ballots_for(q.id))
        if q.kind != "motion":
            assert recounted[q.id].result.selected == count_question(live, q.id).selected


def test_verify_command_passes_an_intact_file_and_prints_the_outcome(ws, sample, audit_file):
    done = pbtools("verify", str(audit_file), "--lang", "ru")
    assert done.returncode == 0, done.stderr
    assert check_audit(audit_file).head_hash in done.stdout
    live = state(ws, sample[1])
    for q in live.questions.values():
        if q.kind != "motion":
            for pid in count_question(live, q.id).selected:
                assert live.options[pid].title("ru") in done.stdout


def _first(path, kind: str) -> int:
    return next(i for i, line in enumerate(lines(path)) if i and json.loads(line)["kind"] == kind)


def _edit_payload(path):
    rows = lines(path)
    i = _first(path, "ballot.cast")
    record = json.loads(rows[i])
    marks = record["payload"]["ballot"]["marks"]
    marks[0][0] = "P2" if marks[0][0] != "P2" else "P3"  # the vote now goes to another option
    rows[i] = json.dumps(record, ensure_ascii=False)
    return rows, record["seq"]


def _delete(path):
    rows = lines(path)
    i = _first(path, "ballot.cast")
    seq = json.loads(rows[i])["seq"]
    del rows[i]
    return rows, seq


def _insert(path):
    rows = lines(path)
    i = _first(path, "ballot.cast")
    forged = json.loads(rows[i])
    forged["seq"] += 1  # a copy of a ballot slipped in after it, as if it were the next record
    rows.insert(i + 1, json.dumps(forged, ensure_ascii=False))
    return rows, forged["seq"]


def _reorder(path):
    rows = lines(path)
    i = _first(path, "ballot.cast")
    rows[i], rows[i + 1] = rows[i + 1], rows[i]
    return rows, json.loads(rows[i])["seq"]


def _truncate(path):
    rows = lines(path)
    return rows[:-1], json.loads(rows[-1])["seq"]


@pytest.mark.parametrize("tamper", [_edit_payload, _delete, _insert, _reorder, _truncate])
def test_tampered_file_is_caught_and_the_record_named(audit_file, capsys, tamper):
    rows, seq = tamper(audit_file)
    audit_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code = main(["verify", str(audit_file), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{seq}" in err and "ecord" in err


def test_verify_command_exits_non_zero_on_an_edited_ballot(audit_file):
    rows, seq = _edit_payload(audit_file)
    audit_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = pbtools("verify", str(audit_file), "--lang", "ky")
    assert done.returncode == 1
    assert f"{seq}" in done.stderr


def test_a_consistently_rewritten_chain_is_caught_by_the_printed_head_hash(audit_file):
    from pbtools.storage.ledger import canonical_json, record_hash

    original = check_audit(audit_file).head_hash
    rows = [json.loads(line) for line in lines(audit_file)]
    header, records = rows[0], rows[1:]
    ballot = next(r for r in records if r["kind"] == "ballot.cast")
    ballot["payload"]["ballot"]["marks"][0][0] = "P2" if ballot["payload"]["ballot"]["marks"][0][0] != "P2" else "P3"
    prev = ""
    for r in records:  # a forger who rehashes everything after the change
        r["prev_hash"] = prev
        r["hash"] = prev = record_hash(*(r[k] for k in ("stream", "seq", "kind", "payload", "actor", "created_at", "key", "voids", "reason", "prev_hash")))
    header["head_hash"] = prev
    audit_file.write_text("\n".join(canonical_json(r) for r in [header, *records]) + "\n", encoding="utf-8")
    assert check_audit(audit_file).ok  # the file alone cannot tell...
    check = check_audit(audit_file, expect_head=original)  # ...the hash printed in the signed protocol can
    assert not check.ok and original in check.problems[0].render("en")
    assert main(["verify", str(audit_file), "--head", original]) == 1


def test_not_an_audit_file(tmp_path, capsys):
    other = tmp_path / "other.jsonl"
    other.write_text('{"a": 1}\n', encoding="utf-8")
    assert main(["verify", str(other), "--lang", "ru"]) == 2
    assert str(other) in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "missing.jsonl")]) == 2


@pytest.mark.postgres
def test_audit_and_protocol_from_a_postgresql_workspace(pg_fresh_url, tmp_path):
    from pbtools.hearings.sample import create_sample_hearing
    from pbtools.reports.make import write_report
    from pbtools.storage import open_workspace

    with open_workspace(tmp_path / "ws", db_url=pg_fresh_url) as ws:
        hid = create_sample_hearing(ws, seed=3, participants=40)
        write_audit(ws, hid, tmp_path / "a.jsonl")
        write_report(ws, hid, "docx", "ky", tmp_path / "p.docx")
        live = state(ws, hid)
    check = check_audit(tmp_path / "a.jsonl")
    assert check.ok, [p.render("en") for p in check.problems]
    assert check.state.counters == live.counters
    assert main(["verify", str(tmp_path / "a.jsonl")]) == 0
