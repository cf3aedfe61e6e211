"""Throws random and mutated .pb texts at both readers, and counts the readable ones on both engines (MES, MES+Add1,
greedy, greedy-no-skip, Phragmén; each engine's own reader), for a bounded time; prints what it found.

Each text is read by the Python reader (the reference) and by the compiled one, as a str (``parse_pb``) and as a
file's bytes (``read_pb``: as is, with a BOM and CR/LF, with lone CRs, or with a byte that is not UTF-8); a finding
is any difference between the two (election or error line), any exception other than ``PabulibError``, or a crash of
the process (each batch runs in a child process, so a crash is seen and its input kept). Seeds: the tests' small files and the first lines
of a few real elections of ../shared/pabulib. Mutations: byte-level edits with the characters that matter to the
format (; , " CR LF, None, section names, digits, non-ASCII, NUL), cut rows, long fields.

Usage: .venv/bin/python benchmarks/fuzz_pb.py [--seconds 120] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PABULIB = next((p for p in (ROOT.parent / "shared" / "pabulib", ROOT.parents[1] / "shared" / "pabulib") if p.is_dir()),
               ROOT.parent / "shared" / "pabulib")
PIECES = list(';;;,,,""\r\n\r\n \t0123456789.-/e') + ["None", "none", "VOTES", "PROJECTS", "META", "votes", "1,2", ";\n",
                                                      "\u00e9", "\u00a0", "\u0416", "\x00", "\u017f", "\u00b2", "\ufeff",
                                                      "1e99", "9" * 50, "x" * 300, '"a""b"', "points", "vote_type;cumulative\n"]


def seeds() -> list[str]:
    from tests.counting.test_pabulib_io import good

    texts = [good(t) for t in ("approval", "choose-1", "cumulative", "scoring", "ordinal")]
    for name in ("Poland_Swiecie_2023.pb", "France_Toulouse_2019.pb", "Switzerland_Zurich_S5R.pb", "Netherlands_Assen_2024.pb"):
        path = PABULIB / name
        if path.exists():
            lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
            votes = next(i for i, line in enumerate(lines) if line.strip().upper() == "VOTES")
            texts.append("".join(lines[: votes + 40]))
    return texts


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(text) + 1)
        kind = rng.random()
        if kind < 0.5:
            text = text[:at] + rng.choice(PIECES) + text[at:]
        elif kind < 0.8:
            text = text[:at] + text[at + rng.randint(1, 8):]
        elif kind < 0.9:  # repeat a slice (a row voted twice, a section twice)
            end = min(len(text), at + rng.randint(1, 200))
            text = text[:end] + text[at:end] + text[end:]
        else:
            text = text[:at] + "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))) + text[at:]
    return text


def child(payload: str) -> None:
    """Reads each text of a batch with both readers; prints one JSON line per finding."""
    from pbtools.counting.pabulib import PabulibError, parse_pb, read_pb

    def outcome(text, engine):
        try:
            e = read_pb(text, engine) if isinstance(text, Path) else parse_pb(text, "f.pb", engine)
        except PabulibError as exc:
            return ["error", str(exc).replace(text.name, "f.pb") if isinstance(text, Path) else str(exc)]
        except Exception as exc:  # noqa: BLE001 - a finding: only PabulibError may come out of a reader
            return ["EXCEPTION", f"{type(exc).__name__}: {exc}"[:200]]
        return ["election", repr(([(p.id, str(p.cost), p.area, p.sector) for p in e.projects],
                                  [(b.choice, b.points, sorted(b.voter.items()), b.voter_id) for b in e.ballots],
                                  str(e.budget), e.vote_type, e.currency))]

    def counted(text, engine):
        """The file counted by MES, MES+Add1, greedy and Phragmén on one engine, read by its reader (odd inputs too)."""
        from pbtools.counting.count import CountError, count

        try:
            e = parse_pb(text, "f.pb", engine)  # the native reader's compact election is what the native rules count
        except PabulibError:
            return None
        if e.budget > 10**6 * max(1, sum(b.weight for b in e.ballots)):
            return None  # Add1 would step one unit at a time through a huge per-voter budget
        got = []
        for rule in ("mes", "mes-add1", "greedy", "greedy-no-skip", "phragmen"):
            for score in ("support", "points") if rule != "phragmen" else ("support",):
                try:
                    r = count(e, rule, score=score, engine=engine)
                    got.append([rule, score, list(r.selected), [s.message.render("en") for s in r.steps]])
                except CountError as exc:
                    got.append([rule, score, "refused", str(exc)])
                except Exception as exc:  # noqa: BLE001 - a finding
                    return ["EXCEPTION", f"{type(exc).__name__}: {exc}"[:200]]
        return ["counted", repr(got)]

    def file_outcome(data: bytes, engine: str):
        """read_pb of the text as a file's bytes (the native reader reads bytes, not a str)."""
        path = Path(os.environ.get("TMPDIR", "/tmp")) / f"fuzz_pb_{os.getpid()}.pb"
        path.write_bytes(data)
        try:
            return outcome(path, engine)
        finally:
            path.unlink()

    def as_file(text: str) -> bytes:
        """The text as a file might hold it: as is, with a BOM and CR/LF, with lone CRs, or with a byte not UTF-8."""
        data, kind = text.encode("utf-8", "surrogatepass"), len(text) % 4
        if kind == 1:
            return b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
        if kind == 2:
            return data.replace(b"\n", b"\r")
        if kind == 3:
            return data[: len(data) // 2] + b"\xff" + data[len(data) // 2:]
        return data

    n_counted = 0
    for text in json.loads(payload):
        data = as_file(text)
        python, native = file_outcome(data, "python"), file_outcome(data, "native")
        if python != native or "EXCEPTION" in (python[0], native[0]):
            kind = "exception" if "EXCEPTION" in (python[0], native[0]) else "differ"
            print(json.dumps({"kind": kind, "python": python[:2], "native": native[:2], "text": repr(data)}), flush=True)
        python, native = outcome(text, "python"), outcome(text, "native")
        kind = "exception" if "EXCEPTION" in (python[0], native[0]) else "differ" if python != native else None
        if kind is None and python[0] == "election":
            python, native = counted(text, "python"), counted(text, "native")
            if python is None:
                continue
            n_counted += 1
            kind = "exception" if "EXCEPTION" in (python[0], native[0]) else "counts differ" if python != native else None
        if kind:
            print(json.dumps({"kind": kind, "python": python[:2], "native": native[:2], "text": text}), flush=True)
    print(json.dumps({"kind": "done", "counted": n_counted}), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=300)
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        child(Path(args.child).read_text())
        return 0
    from pbtools.counting.native import BUILT

    if not BUILT:
        print("the compiled reader is not built here: nothing to compare")
        return 2
    rng = random.Random(args.seed)
    base = seeds()
    tried, findings, crashes, counted_texts = 0, [], [], 0
    end = time.monotonic() + args.seconds
    batch_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"fuzz_pb_{os.getpid()}.json"
    while time.monotonic() < end:
        texts = [mutate(rng.choice(base), rng) for _ in range(args.batch)]
        # a random text now and then: the reader must refuse it cleanly too
        texts += ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 80))) for _ in range(args.batch // 10)]
        batch_file.write_text(json.dumps(texts))
        done = subprocess.run([sys.executable, __file__, "--child", str(batch_file)], capture_output=True, text=True)
        lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        if not lines or lines[-1]["kind"] != "done":
            crashes.append({"returncode": done.returncode, "stderr": done.stderr[-500:], "batch": str(batch_file) + ".crash"})
            batch_file.rename(str(batch_file) + ".crash")
            continue
        findings += [f for f in lines if f["kind"] != "done"]
        counted_texts += lines[-1].get("counted", 0)
        tried += len(texts)
    batch_file.unlink(missing_ok=True)
    print(f"{tried} texts read by both readers in {args.seconds:.0f} s (seed {args.seed}); {counted_texts} of them readable "
          f"and counted (MES, MES+Add1, greedy, greedy-no-skip, Phragmén) by both engines")
    print(f"crashes: {len(crashes)}; exceptions other than PabulibError: {sum(f['kind'] == 'exception' for f in findings)}; "
          f"readers disagreeing: {sum(f['kind'] == 'differ' for f in findings)}; "
          f"counts disagreeing: {sum(f['kind'] == 'counts differ' for f in findings)}")
    for f in crashes[:5]:
        print("CRASH", f)
    for f in findings[:10]:
        print(f["kind"].upper(), "python:", f["python"], "native:", f["native"], "text:", repr(f["text"][:300]))
    return 1 if crashes or findings else 0


if __name__ == "__main__":
    sys.exit(main())
