"""What checking a hand-in may cost is bounded and small (s23 F4: an 8.5 KB zip of an 8 MB file of "{}" lines took
the facilitator's server to 2.4 GB and 145 s of CPU): the file is read line by line, the check stops after
``MAX_PROBLEMS`` problems, and a file, a line or a count of records past ``audit.HAND_IN`` is refused, nothing
stored. A zip unpacks to at most 40 times its size (at least 64 KB), counted as it is unpacked."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile

import pytest

from pbtools.hearings import records as R
from pbtools.i18n import Msg, N_
from pbtools.reports.audit import HAND_IN, MAX_PROBLEMS, Limits, check_audit
from pbtools.roles import FACILITATOR, Actor
from pbtools.storage import open_workspace
from pbtools.sync.folder import MAX_ZIP_RATIO, hand_in_any
from pbtools.sync.pack import MANIFEST
from pbtools.hearings.hand_in_log import SYNC_LOG
from pbtools.sync.push import SyncRefused, hand_in
from tests.sync.conftest import CODE
from tests.sync.forge import rechain, rows_of, write

AIDA = Actor("aida", FACILITATOR)
HEADER = json.dumps({"format": "pbtools-audit", "format_version": 1, "hearing": "x", "stream": "hearing:x"})


def bomb_zip(mb: int) -> bytes:
    """The s23 a05b zip: a manifest naming one hearing file of ``mb`` MB of "{}" lines (a few KB zipped)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(MANIFEST, json.dumps({"format": "pbtools-hand-in", "format_version": 1, "municipality": {},
                                         "hearings": ["h.jsonl"], "streams": [], "files": []}))
        z.writestr("h.jsonl", HEADER + "\n" + "{}\n" * (mb * 2**20 // 3))
    return buf.getvalue()


def peak_of(call) -> tuple[object, int]:
    """What ``call()`` returned or raised, and the most memory Python held for it meanwhile (bytes)."""
    tracemalloc.start()
    try:
        try:
            result = call()
        except SyncRefused as e:
            result = e
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_file_of_millions_of_bad_lines_costs_little_and_says_little(tmp_path):
    plain = tmp_path / "bomb.jsonl"
    plain.write_text(HEADER + "\n" + "{}\n" * (2 * 2**20 // 3))  # 2 MB: 700 000 lines that are no record
    with open_workspace(tmp_path / "server") as ws:
        refused, peak = peak_of(lambda: hand_in(ws, plain, AIDA))
        assert isinstance(refused, SyncRefused) and not ws.ledger.streams()
    assert peak < 8 * 2**20, f"checking it held {peak / 2**20:.0f} MB"
    assert len(refused.problems) == MAX_PROBLEMS + 1  # the first ones, then where the check stopped
    stop = Msg(N_("The check stopped at line {line}: the file has more problems than the {n} above"),
               line=MAX_PROBLEMS + 1, n=MAX_PROBLEMS)
    assert refused.problems[-1] == stop
    for lang in ("ky", "ru", "en"):
        assert stop.render(lang) in refused.render(lang) and len(refused.render(lang)) < 20_000


def test_a_tiny_zip_that_unpacks_to_megabytes_is_refused_as_it_is_unpacked(central, tmp_path):
    body = bomb_zip(2)
    assert len(body) < 4096
    path = tmp_path / "hand-in.zip"
    path.write_bytes(body)
    with central.workspace(CODE) as ws:
        before = ws.ledger.streams()
        refused, peak = peak_of(lambda: hand_in_any(ws, path, central.actor("aida", CODE)))
        assert isinstance(refused, SyncRefused) and ws.ledger.streams() == before and not ws.ledger.records(SYNC_LOG)
    assert peak < 8 * 2**20, f"checking it held {peak / 2**20:.0f} MB"
    said = Msg(N_("The zip {file} unpacks to more than {n} times its size: it is not a laptop's hand-in"),
               file="hand-in.zip", n=MAX_ZIP_RATIO)
    assert refused.problems == [said]


def test_a_record_larger_than_any_pbtools_writes_is_refused(laptop, tmp_path):
    hid = R.stream_of("x")[len(R.STREAM_PREFIX):]
    (created,) = [r for r in rows_of(laptop, laptop_hearing(laptop)) if r["kind"] == R.HEARING_CREATED]
    created["payload"] = dict(created["payload"], id=hid, venue="x" * (HAND_IN.line + 10))  # one 1 MB line
    path = write(tmp_path / "big.jsonl", hid, rechain([created], R.stream_of(hid)))
    with open_workspace(tmp_path / "server") as ws:
        ws.save_municipality(laptop.municipality())
        with pytest.raises(SyncRefused) as refused:
            hand_in(ws, path, AIDA)
        assert not ws.ledger.streams()
    assert refused.value.problems == [Msg(N_("Line {line} of the audit file is longer than {n} KB: no record pbtools "
                                             "writes is"), line=2, n=HAND_IN.line // 1024)]


def laptop_hearing(laptop) -> str:
    from pbtools.hearings.store import hearing_ids

    return hearing_ids(laptop)[0]


def test_more_records_than_the_header_counts_or_a_hearing_has_stop_the_check(laptop, tmp_path):
    hid = laptop_hearing(laptop)
    rows = rows_of(laptop, hid)
    path = write(tmp_path / "long.jsonl", hid, rows)
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    short = tmp_path / "short-header.jsonl"
    short.write_text("\n".join([json.dumps(dict(json.loads(header), records=3))] + lines) + "\n", encoding="utf-8")
    stopped = check_audit(short, open_hearing=True, limits=HAND_IN)
    assert stopped.problems[-1].msgid.startswith("The file holds more records than its header counts")
    assert stopped.problems[-1].params["line"] == 5 and len(stopped.records) == 4 and stopped.state is None
    # a fixed most, whatever the header says; and a file too large is not read at all
    assert check_audit(path, limits=Limits(records=10)).problems[-1].params["line"] == 12
    assert check_audit(path, limits=Limits(bytes=1000)).problems == [
        Msg(N_("The audit file {file} is larger than {n} MB: no hearing's is"), file="long.jsonl", n=0)]
    assert check_audit(path).ok  # the same file, read without limits (``pbtools verify``), is intact
