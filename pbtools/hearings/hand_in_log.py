"""The server's own log of hand-ins: one record per laptop file that stored some of a hearing (who, when, which
records). ``sync.push`` writes it; the console and the protocol read it to say a hearing came from a laptop.
It lives below both so a report need not import the hand-in itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

SYNC_LOG = "workspace:sync"  # one record per hand-in that stored something: who, which file, which records
SYNC_RECEIVED = "sync.received"


@dataclass(frozen=True)
class HandInNote:
    """One hand-in that stored some of a hearing: the server's own knowledge of it (the records' actors and times
    are the laptop's claim, see docs/deployment.md)."""

    user: str  # who handed it in (the hub's login)
    at: datetime
    first: int  # the records it stored
    last: int


def hand_ins(ws: Any, hearing_id: str) -> list[HandInNote]:
    """Who handed ``hearing_id`` in to this workspace, and when ([] for a hearing made here)."""
    return [HandInNote(r.actor, r.created_at, int(r.payload.get("first", 0)), int(r.payload.get("last", 0)))
            for r in ws.ledger.records(SYNC_LOG) if r.kind == SYNC_RECEIVED and r.payload.get("hearing") == hearing_id]
