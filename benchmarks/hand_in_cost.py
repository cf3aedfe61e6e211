"""What checking one hand-in costs the server (s23 F4): the extra memory (max RSS) and CPU of each case, each in a
fresh process, so the figures are the check's own.

Memory is the process's peak resident size (VmHWM) after the check less before it.

    A  check_audit on MB megabytes of "{}" lines after an audit header (the s23 a05 file)
    B  hand_in_any of the s23 a05b zip (a manifest and one h.jsonl of MB megabytes of "{}" lines, ~8.5 KB zipped),
       into an empty SQLite workspace, as a facilitator
    C  hand_in_any of the plain file of A (as the HTTP route takes it)
    D  check_audit of the largest file a hand-in takes: RECORDS valid records of ~1.3 KB (50,000: ``HAND_IN``)

Measured on the 2-core machine before the fix (main at cf235ba, MB=8): A 1,466 MB and 13 s of CPU (2.8 million
problems); B 2,264 MB, 28 s, a 206 MB message. After: A, B, C about 0 MB and 0.0 s (51 problems, or the zip
refused by its ratio); D 106 MB and 1.5 s.

    .venv/bin/python benchmarks/hand_in_cost.py [--mb 8] [--records 50000]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = json.dumps({"format": "pbtools-audit", "format_version": 1, "hearing": "x", "stream": "hearing:x"})
CHILD = r'''
import resource, sys
sys.path[:0] = [sys.argv[1]]
from pbtools.reports.audit import HAND_IN, check_audit
from pbtools.roles import FACILITATOR, Actor
from pbtools.storage import open_workspace
from pbtools.sync.folder import hand_in_any
from pbtools.sync.push import SyncRefused
case, path, folder = sys.argv[2:5]
ws = open_workspace(folder) if case in "BC" else None


def peak() -> int:  # this process's own peak (VmHWM: ru_maxrss would count the parent's memory before the exec)
    return int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1]) // 1024


start, before = peak(), resource.getrusage(resource.RUSAGE_SELF)
if case in "AD":
    check = check_audit(path, open_hearing=True, limits=HAND_IN if case == "D" else None)
    said = f"{len(check.records)} records, {len(check.problems)} problems"
else:
    try:
        hand_in_any(ws, path, Actor("aida", FACILITATOR))
        said = "stored"
    except SyncRefused as e:
        said = f"refused, {len(e.problems)} problems, a message of {len(e.render('en'))} characters"
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
print(f"{said}; extra peak memory {peak() - start} MB (of {peak()} MB); CPU {cpu:.1f} s")
'''


def valid_file(path: Path, n: int) -> None:
    sys.path[:0] = [str(ROOT)]
    from tests.sync.forge import rechain, write

    rows = [{"stream": "", "seq": 0, "kind": "note.added", "payload": {"note": "x" * 1000}, "actor": "door",
             "created_at": "2026-05-14T09:00:00.000000Z", "key": None, "voids": None, "reason": "", "prev_hash": ""}
            for _ in range(n)]
    write(path, "x", rechain(rows, "hearing:x"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=8)
    parser.add_argument("--records", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain = tmp / "bomb.jsonl"
        plain.write_text(HEADER + "\n" + "{}\n" * (args.mb * 2**20 // 3))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            z.writestr("pbtools-hand-in.json", json.dumps({"format": "pbtools-hand-in", "format_version": 1,
                                                           "municipality": {}, "hearings": ["h.jsonl"],
                                                           "streams": [], "files": []}))
            z.writestr("h.jsonl", plain.read_text())
        bomb = tmp / "bomb.zip"
        bomb.write_bytes(buf.getvalue())
        valid = tmp / "valid.jsonl"
        valid_file(valid, args.records)
        print(f"{args.mb} MB of '{{}}' lines, zipped to {bomb.stat().st_size} bytes; {args.records} valid records "
              f"in {valid.stat().st_size // 2**20} MB")
        for case, path in (("A", plain), ("B", bomb), ("C", plain), ("D", valid)):
            done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), case, str(path), str(tmp / f"ws-{case}")],
                                  capture_output=True, text=True)
            print(case, done.stdout.strip() or done.stderr[-500:])


if __name__ == "__main__":
    main()
