"""The audit export: self-contained, checked and recounted by ``pbtools verify`` without the workspace; any edit,
removal, insertion or reordering of a record is caught and named."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pbtools.cli import main
from pbtools.hearings.store import state
from pbtools.reports.audit import check_audit, write_audit
from pbtools.reports.voting import question_reports
from pbtools.results import count_question
from pbtools.i18n import N_, Msg, translator
from pbtools.storage.record import canonical_json
from tests.reports.conftest import ROOT, pbtools

LANGS = ("ky", "ru", "en")


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


CHANGED = N_("Record {seq} (line {line}) was changed after it was written: its hash does not match its content")
MISSING = N_("Record {seq} is missing (before line {line})")
NOT_FOLLOWING = N_("Record {seq} (line {line}) does not follow the record before it: a record was removed, inserted or changed")
OUT_OF_ORDER = N_("Record {seq} (line {line}) is out of order or repeated: record {expected} was expected")
COUNTED = N_("The header counts {expected} records but the file holds {found}")
ENDS = N_("The file should end at record {head} but ends at record {last}: records were removed or added at the end")
UNSEALED = N_("The file does not end with the seal of a closed hearing (its last record is {seq}, {kind}): records "
              "may have been cut off the end. If the hearing was still open when the file was written, run again "
              "with --open.")


def expected_problems(tamper, seq: int, n: int) -> list[Msg]:
    """The problems each tampering must produce, exactly (record ``seq`` is on line ``seq + 1``; ``n`` records)."""
    if tamper is _edit_payload:
        return [Msg(CHANGED, seq=seq, line=seq + 1)]
    if tamper is _delete:
        return [Msg(MISSING, seq=seq, line=seq + 1), Msg(NOT_FOLLOWING, seq=seq + 1, line=seq + 1), Msg(COUNTED, expected=n, found=n - 1)]
    if tamper is _insert:
        return [Msg(NOT_FOLLOWING, seq=seq, line=seq + 1), Msg(CHANGED, seq=seq, line=seq + 1),
                Msg(OUT_OF_ORDER, seq=seq, line=seq + 2, expected=seq + 1), Msg(COUNTED, expected=n, found=n + 1)]
    if tamper is _reorder:  # record seq now stands before seq - 1
        s = seq - 1
        return [Msg(MISSING, seq=s, line=s + 1), Msg(NOT_FOLLOWING, seq=s + 1, line=s + 1),
                Msg(OUT_OF_ORDER, seq=s, line=s + 2, expected=s + 2), Msg(NOT_FOLLOWING, seq=s, line=s + 2),
                Msg(NOT_FOLLOWING, seq=s + 2, line=s + 3)]
    assert tamper is _truncate
    return [Msg(ENDS, head=seq, last=seq - 1), Msg(COUNTED, expected=n, found=n - 1),
            Msg(UNSEALED, seq=seq - 1, kind="hearing.closed")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tamper", [_edit_payload, _delete, _insert, _reorder, _truncate])
def test_tampered_file_is_caught_and_the_record_named(audit_file, capsys, tamper, lang):
    n = len(lines(audit_file)) - 1
    rows, seq = tamper(audit_file)
    audit_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code = main(["verify", str(audit_file), "--lang", lang])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == [m.render(lang) for m in expected_problems(tamper, seq, n)]
    _ = translator(lang)
    assert _("The hash chain is intact: no record was altered, removed or inserted.") not in out


def _cut_down(path, keep: int) -> str:
    """The first ``keep`` records, the header made to agree: what a forger who drops the end would write."""
    rows = [json.loads(line) for line in lines(path)]
    header, records = rows[0], rows[1:keep + 1]
    header.update(records=len(records), head_seq=records[-1]["seq"], head_hash=records[-1]["hash"])
    path.write_text("\n".join(canonical_json(r) for r in [header, *records]) + "\n", encoding="utf-8")
    return records[-1]["kind"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_file_cut_before_the_seal_does_not_pass(audit_file, capsys, lang):
    _ = translator(lang)
    original = check_audit(audit_file).head_hash
    kinds = [json.loads(line)["kind"] for line in lines(audit_file)[1:]]
    keep = max(i for i, k in enumerate(kinds) if k == "ballot.cast") + 1  # voids, counts, closing and seal dropped
    assert {"record.voided", "hearing.closed", "ledger.sealed"} <= set(kinds[keep:])
    kind = _cut_down(audit_file, keep)
    assert main(["verify", str(audit_file), "--lang", lang]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [Msg(UNSEALED, seq=keep, kind=kind).render(lang)]
    assert out.splitlines()[1] == _("Every record in the file is intact, but the file may have been cut short (see above). "
                                    "The recount below is of the records it holds.")
    # told the hearing was open, the records pass, and the output says what that cannot show
    assert main(["verify", str(audit_file), "--open", "--lang", lang]) == 0
    out, err = capsys.readouterr()
    head = check_audit(audit_file, open_hearing=True).head_hash
    assert err == ""
    assert out.splitlines()[1:4] == [
        _("The hash chain is intact: no record was altered, removed or inserted."),
        _("The hearing was not closed when this file was written: records made after record {seq} are not in it, "
          "and nothing here can show whether there were any.", seq=keep),
        _("Not proven without the protocol: that the whole file was not rewritten. Compare this final hash with the "
          "one printed under the signatures of the protocol: {hash}", hash=head),
    ]
    # the hash printed in the protocol shows the cut even with --open
    assert main(["verify", str(audit_file), "--open", "--head", original, "--lang", lang]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [Msg(N_("The last hash of the file is {found}, not {expected} as printed in the protocol"),
                                    found=head, expected=original).render(lang)]


@pytest.mark.parametrize("lang", LANGS)
def test_an_intact_sealed_file_says_what_is_proven(audit_file, capsys, lang):
    _ = translator(lang)
    check = check_audit(audit_file)
    last = check.records[-1]
    assert last.kind == "ledger.sealed"
    assert main(["verify", str(audit_file), "--lang", lang]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        _("{file}: {n} records, hash of the last record {hash}", file=str(audit_file), n=len(check.records), hash=last.hash),
        _("The hash chain is intact: no record was altered, removed or inserted."),
        _("The file ends with the seal of the closed hearing (record {seq}).", seq=last.seq),
        _("Not proven without the protocol: that the whole file was not rewritten. Compare this final hash with the "
          "one printed under the signatures of the protocol: {hash}", hash=last.hash),
    ]
    assert main(["verify", str(audit_file), "--head", last.hash.upper(), "--lang", lang]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[3] == _("The hash of the last record is the one printed in the protocol: this is the whole record that was signed.")


def test_the_protocol_prints_the_hash_verify_compares(ws, sample, audit_file):
    from pbtools.reports.make import load
    from pbtools.reports.protocol import build_protocol

    st, records = load(ws, sample[1])
    doc = build_protocol(st, "ky", head_hash=records[-1].hash, records=len(records), charts=False)
    assert check_audit(audit_file).head_hash in doc.footer


def test_verify_into_a_closed_pipe_does_not_crash(audit_file):
    """``pbtools verify FILE | head``: the reader goes away before the output is written."""
    proc = subprocess.Popen([sys.executable, "-m", "pbtools", "verify", str(audit_file)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # closed before the command (still starting Python) writes a line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_verify_command_exits_non_zero_on_an_edited_ballot(audit_file):
    rows, seq = _edit_payload(audit_file)
    audit_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = pbtools("verify", str(audit_file), "--lang", "ky")
    assert done.returncode == 1
    assert f"{seq}" in done.stderr


def test_a_consistently_rewritten_chain_is_caught_by_the_printed_head_hash(audit_file):
    from pbtools.storage.record import canonical_json, record_hash

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
    assert capsys.readouterr().err.startswith("other.jsonl — ")  # named as the screens name a file (an upload's folder is the server's)
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
