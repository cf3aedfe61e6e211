"""A ledger record: its fields, the one text of its content (canonical JSON) and the SHA-256 hash that chains it to
the record before. What the ledger writes (``ledger.py``), verifies (``chain.py``) and exports (``reports/audit.py``)
is hashed here, the one way."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from pbtools.i18n import N_, Msg
from pbtools.storage.errors import BadPayload
from pbtools.storage.schema import check_text

SEALED = "ledger.sealed"  # the kind of the record that seals a stream


@dataclass(frozen=True)
class Record:
    stream: str
    seq: int  # 1, 2, ... within the stream, without gaps
    kind: str
    payload: dict
    actor: str
    created_at: datetime  # UTC, microseconds
    key: str | None
    voids: int | None
    reason: str
    prev_hash: str  # "" for the first record
    hash: str


@dataclass(frozen=True)
class Entry:
    """One record to append with ``append_many``: the same fields as ``append`` takes."""

    kind: str
    payload: dict
    actor: str = ""
    key: str | None = None
    voids: int | None = None
    reason: str = ""


def canonical_json(value: Any) -> str:
    """One text per value: sorted keys, no spaces, UTF-8 kept; NaN and infinities refused."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def time_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_hash(stream: str, seq: int, kind: str, payload: dict, actor: str, created_at: str, key: str | None,
                voids: int | None, reason: str, prev_hash: str) -> str:
    fields = dict(stream=stream, seq=seq, kind=kind, payload=payload, actor=actor, created_at=created_at, key=key,
                  voids=voids, reason=reason, prev_hash=prev_hash)
    return hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()


def payload_text(kind: str, payload: Any) -> str:
    if not isinstance(payload, dict):
        raise BadPayload(Msg(N_("The content of a {kind} record must be a set of named values"), kind=kind))
    try:
        return canonical_json(payload)
    except (TypeError, ValueError) as e:
        raise BadPayload(Msg(N_("The content of a {kind} record cannot be stored: {error}"), kind=kind, error=str(e))) from None


def check_entry(entry: Entry) -> None:
    if not entry.kind:
        raise ValueError("kind must not be empty")
    check_text(kind=entry.kind, actor=entry.actor, key=entry.key, reason=entry.reason)
    if entry.voids is not None and (isinstance(entry.voids, bool) or not isinstance(entry.voids, int)):
        raise TypeError(f"voids must be a record number, not {entry.voids!r}")


def record_from_row(row: Any) -> Record:
    """A record as a row of ``ledger_records`` holds it."""
    return Record(
        stream=row.stream, seq=row.seq, kind=row.kind, payload=json.loads(row.payload), actor=row.actor,
        created_at=datetime.fromisoformat(row.created_at), key=row.key, voids=row.voids, reason=row.reason,
        prev_hash=row.prev_hash, hash=row.hash,
    )


def rehash(row: Any) -> str:
    """The hash a row of ``ledger_records`` should carry, from its fields ("" when its content is no JSON)."""
    try:
        payload = json.loads(row.payload)
    except ValueError:
        return ""
    return record_hash(row.stream, row.seq, row.kind, payload, row.actor, row.created_at, row.key, row.voids,
                       row.reason, row.prev_hash)
