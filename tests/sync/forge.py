"""Audit files as an attacker writes them: any id, kind, payload, actor or time, with correct hashes and chain (the
hash is public and unkeyed, so anyone can). From the s23 attack trial's ``forge.py``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from pbtools.hearings import records as R
from pbtools.reports.audit import audit_lines
from pbtools.storage.record import canonical_json, record_hash


def rechain(rows: list[dict], stream: str) -> list[dict]:
    prev, out = "", []
    for seq, r in enumerate(rows, start=1):
        r = dict(r, stream=stream, seq=seq, prev_hash=prev)
        r["hash"] = record_hash(r["stream"], r["seq"], r["kind"], r["payload"], r["actor"], r["created_at"], r["key"],
                                r["voids"], r["reason"], r["prev_hash"])
        prev = r["hash"]
        out.append(r)
    return out


def write(path: Path | str, hearing_id: str, rows: list[dict], stream: str | None = None) -> Path:
    stream = stream or R.stream_of(hearing_id)
    header = {"format": "pbtools-audit", "format_version": 1, "pbtools": "0.1.0", "hearing": hearing_id,
              "stream": stream, "records": len(rows), "head_seq": rows[-1]["seq"] if rows else 0,
              "head_hash": rows[-1]["hash"] if rows else ""}
    Path(path).write_text("\n".join(canonical_json(x) for x in [header, *rows]) + "\n", encoding="utf-8")
    return Path(path)


def rows_of(ws, hearing_id: str) -> list[dict]:
    """The audit rows of a hearing of workspace ``ws`` (as its audit file holds them)."""
    return [json.loads(line) for line in audit_lines(hearing_id, ws.ledger.records(R.stream_of(hearing_id)))[1:]]


def forged(ws, hearing_id: str, path: Path | str, new_id: str | None = None,
           change: Callable[[list[dict]], list[dict]] | None = None) -> Path:
    """The audit file of ``hearing_id`` of ``ws`` under the id ``new_id``, its records changed by ``change`` (a
    function of the rows), every hash made again: a file only its content refuses."""
    new_id = hearing_id if new_id is None else new_id
    rows = rows_of(ws, hearing_id)
    for r in rows:
        if r["kind"] == R.HEARING_CREATED and "id" in r["payload"]:
            r["payload"] = dict(r["payload"], id=new_id)
    rows = change(rows) if change else rows
    return write(path, new_id, rechain(rows, R.stream_of(new_id)))
