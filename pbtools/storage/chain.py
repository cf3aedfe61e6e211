"""Whether a stream's chain holds: ``verify`` recomputes every record's hash and link and names what was altered,
removed, inserted, or added after the seal; ``check_chain`` stops what must not read a broken chain (results, a
protocol, an export) with the one message saying what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from pbtools.i18n import N_, Msg
from pbtools.storage.errors import LedgerError
from pbtools.storage.record import SEALED, rehash
from pbtools.storage.schema import ledger_records as T, ledger_streams as S

# the last record is where the stream ends, but not the record it ended with: records were rewritten and rehashed
REWRITTEN = N_("Record {last}, the last one, is not the record the stream ended with: records were changed and their hashes rewritten")


@dataclass(frozen=True)
class Problem:
    """Something ``verify`` found wrong with a stream: ``seq`` is the record where it shows."""

    stream: str
    seq: int
    message: Msg


def verify(engine: Engine, stream: str) -> list[Problem]:
    """Recompute the chain: records altered, removed, inserted or added after the seal are reported."""
    with engine.connect() as conn:
        rows = list(conn.execute(select(T).where(T.c.stream == stream).order_by(T.c.seq)))
        head = conn.execute(select(S).where(S.c.name == stream)).first()
    problems: list[Problem] = []

    def problem(at: int, msgid: str, **params: Any) -> None:
        problems.append(Problem(stream, at, Msg(msgid, **params)))

    prev_hash, expected, sealed_at = "", 1, None
    for row in rows:
        if row.seq != expected:
            problem(row.seq, N_("Records {first} to {last} are missing"), first=expected, last=row.seq - 1)
        if row.prev_hash != prev_hash:
            problem(row.seq, N_("Record {seq} does not follow the record before it: one was removed, inserted or changed"), seq=row.seq)
        if rehash(row) != row.hash:
            problem(row.seq, N_("Record {seq} was changed after it was written"), seq=row.seq)
        if sealed_at is not None:
            problem(row.seq, N_("Record {seq} was added after the seal (record {sealed})"), seq=row.seq, sealed=sealed_at)
        if row.kind == SEALED and sealed_at is None:
            sealed_at = row.seq
        prev_hash, expected = row.hash, row.seq + 1
    last_seq = rows[-1].seq if rows else 0
    if head is not None and rows and head.head_seq == last_seq and head.head_hash != prev_hash:
        problem(last_seq, REWRITTEN, last=last_seq)
    elif head is None and rows or head is not None and (head.head_seq, head.head_hash) != (last_seq, prev_hash):
        problem(last_seq, N_("The stream should end at record {head} but ends at record {last}: records were removed or added"),
                head=head.head_seq if head is not None else 0, last=last_seq)
    return problems


class ChainBroken(LedgerError):
    """A stream's records do not verify: what is read from them cannot be trusted. ``problems``: all found."""

    def __init__(self, message: Msg, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


def check_chain(ledger: Any, stream: str) -> None:
    """Raise ``ChainBroken`` naming the first broken record when ``stream`` of ``ledger`` (a ``Ledger``, which imports
    this module) does not verify. Called before results are shown and before a protocol or export is written: a row
    changed in the database behind pbtools' back stops them, instead of being counted."""
    problems = ledger.verify(stream)
    if problems:
        raise ChainBroken(Msg(N_("The record of this hearing does not verify at record {seq}: {problem}. Its results "
                                 "are not shown, printed or exported, because they cannot be trusted. Do not use this "
                                 "copy: restore the workspace from its latest backup or audit export (check that one "
                                 "with pbtools verify), and report the change."), seq=problems[0].seq,
                              problem=problems[0].message), problems)
