"""The append-only ledger: streams of records, each chained to the one before by a SHA-256 hash.

A record is never changed or deleted; a correction is a new record whose ``voids`` names the earlier one. An append
is one transaction that holds the stream's lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the stream's row FOR UPDATE)
while it checks the seal, the key and the voided record, so that across processes the chain never forks and a key
(a voting code) is used once. When ``append`` returns, the record is committed.

A write may carry a ``check``: called with the lock held, before anything is written, with the stream as it is then
(``Locked``); a refusal it returns refuses every entry, and nothing is written. What it reads cannot change before the
write commits: a form saved over the record it was loaded from (``head_is``), a hearing closed and sealed only if its
piles agree, an answer stored only while its survey is open. ``seal`` may write records before the seal in its
transaction: a hearing is closed and sealed at once, so every later append to it, checking the seal under the lock,
is refused.

``append_many`` writes several records in that one transaction (one lock, one fsync: group commit, for a burst of
phone ballots). An entry that is refused (its key taken, its void refused) gets its error in its slot and takes no
seq; the others are committed, numbered without gaps.

Beside this module: a record, its canonical JSON and hash (``record.py``); a write's check under the lock
(``write_check.py``); a stream's chain verified (``chain.py``).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import OperationalError

from pbtools.i18n import N_, Msg
from pbtools.storage.chain import Problem, verify
from pbtools.storage.db_problem import problem as db_problem
from pbtools.storage.engine import writer
from pbtools.storage.errors import BadPayload, DatabaseUnavailable, KeyTaken, LedgerError, StreamSealed, VoidRefused
from pbtools.storage.record import (
    SEALED, Entry, Record, check_entry, payload_text, record_from_row, record_hash, time_text,
)
from pbtools.storage.schema import check_text, ledger_records as T, ledger_streams as S
from pbtools.storage.write_check import Check, Locked, read_on, records_after

_KEYS_PER_QUERY = 500  # keys looked up per query: well under the bound-parameter limits of SQLite and PostgreSQL


@contextmanager
def _unavailable(stream: str) -> Iterator[None]:
    try:
        yield
    except OperationalError as e:
        # e.g. SQLite locked for longer than the busy timeout, or the PostgreSQL connection lost: if the commit
        # itself was cut, the record may be stored after all, so the screen must look before entering it again
        raise DatabaseUnavailable(Msg(N_("The database did not confirm the record in {stream} ({error}); check whether it was stored before entering it again"),
                                      stream=stream, error=db_problem(e.orig))) from e


def _sealed(stream: str) -> StreamSealed:
    return StreamSealed(Msg(N_("{stream} is closed: nothing more can be added to it"), stream=stream))


class Ledger:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = writer(engine)

    # -- writing
    def append(self, stream: str, kind: str, payload: dict, *, actor: str = "", key: str | None = None,
               voids: int | None = None, reason: str = "", check: Check | None = None) -> Record:
        """Append one record; committed when this returns. Raises ``StreamSealed``, ``KeyTaken``, ``VoidRefused``,
        ``BadPayload``, or the refusal of ``check`` (and writes nothing) when the record cannot be added."""
        result = self.append_many(stream, [Entry(kind, payload, actor, key, voids, reason)], check=check)[0]
        if isinstance(result, LedgerError):
            raise result
        return result

    def append_many(self, stream: str, entries: Iterable[Entry], all_or_nothing: bool = False,
                    check: Check | None = None) -> list[Record | LedgerError]:
        """Append several records in one transaction; all those written are committed when this returns.

        One result per entry, in order: its ``Record``, or the ``LedgerError`` that refused it (``KeyTaken``,
        ``VoidRefused``, ``BadPayload``; ``StreamSealed`` for all when the stream is sealed; ``DatabaseUnavailable``
        for all when the commit failed). A refused entry writes nothing and does not stop the others; the
        written ones follow each other in the chain in the order given. An entry may void a record written before
        it in the same call. A malformed call (empty stream or kind, NUL in a text, ``voids`` not a number) raises
        ``ValueError``/``TypeError`` before anything is written. With ``all_or_nothing`` a refused entry rolls the
        whole call back: every entry then carries the first refusal (e.g. a correction whose void another screen
        made a moment before must not leave its new ballot behind). ``check`` (see ``Check``) is asked under the
        stream's lock before anything is written: the refusal it returns is every entry's, and nothing is written
        (e.g. ``head_is(seq)``: only if no record came since ``seq``)."""
        entries = list(entries)
        if not stream:
            raise ValueError("stream must not be empty")
        check_text(stream=stream)
        bodies: list[str | LedgerError] = []
        for entry in entries:
            check_entry(entry)
            try:
                bodies.append(payload_text(entry.kind, entry.payload))
            except BadPayload as e:
                bodies.append(e)
        if not any(isinstance(body, str) for body in bodies):
            return list(bodies)  # type: ignore[arg-type]
        try:
            with _unavailable(stream), self._writer.connect() as conn, conn.begin() as transaction:
                results = self._write(conn, stream, entries, bodies, check)
                refused = [r for r in results if not isinstance(r, Record)]
                if all_or_nothing and refused:
                    transaction.rollback()
                    return [r if not isinstance(r, Record) else refused[0] for r in results]
                if not refused:
                    return results
                if len(refused) == len(results):
                    transaction.rollback()  # all refused: not even the stream's row is created
                return results
        except DatabaseUnavailable as e:
            return [body if isinstance(body, LedgerError) else e for body in bodies]

    def seal(self, stream: str, *, actor: str, reason: str = "", entries: Iterable[Entry] = (),
             check: Check | None = None) -> Record:
        """Seal ``stream``: the seal is its last record; any later append raises ``StreamSealed``. Returns the seal.

        ``entries`` are appended just before the seal in the same transaction, all or nothing (a refused one raises
        its error; nothing is written). ``check`` as for ``append_many``: no append can come between what it reads
        and the seal (e.g. a hearing's close checks its piles); the refusal it returns, or what it raises, rolls
        everything back and is raised from here. A sealed stream raises ``StreamSealed`` without asking it."""
        check_text(stream=stream, actor=actor, reason=reason)
        entries = [*entries, Entry(SEALED, {}, actor, reason=reason)]
        for entry in entries:
            check_entry(entry)
        bodies: list[str | LedgerError] = [payload_text(entry.kind, entry.payload) for entry in entries]
        with _unavailable(stream), self._writer.begin() as conn:
            written = self._write(conn, stream, entries, bodies, check)
            for result in written:
                if isinstance(result, LedgerError):
                    raise result  # leaving the block rolls the transaction back
            conn.execute(S.update().where(S.c.name == stream).values(sealed_seq=written[-1].seq))
            return written[-1]

    @staticmethod
    def _head(conn: Connection, stream: str) -> Any:
        """The stream's row (made if new), locked: on PostgreSQL this row lock queues the appenders of the stream;
        on SQLite the write transaction's BEGIN IMMEDIATE already did."""
        conn.execute(text("INSERT INTO ledger_streams (name, head_seq, head_hash) VALUES (:name, 0, '') "
                          "ON CONFLICT (name) DO NOTHING"), {"name": stream})
        return conn.execute(select(S).where(S.c.name == stream).with_for_update()).one()

    def _write(self, conn: Connection, stream: str, entries: list[Entry], bodies: list[str | LedgerError],
               check: Check | None = None) -> list[Record | LedgerError]:
        head = self._head(conn, stream)
        refusal = _sealed(stream) if head.sealed_seq is not None else None
        if refusal is None and check is not None:
            refusal = check(Locked(stream, head.head_seq, conn, head.head_hash))
        if refusal is not None:
            return [body if isinstance(body, LedgerError) else refusal for body in bodies]
        keys = {e.key for e, body in zip(entries, bodies) if e.key is not None and isinstance(body, str)}
        taken = self._taken_keys(conn, stream, keys)
        seq, prev_hash = head.head_seq, head.head_hash
        voided: dict[int, int] = {}  # voided seq -> the seq that voids it, within this call
        results: list[Record | LedgerError] = []
        rows: list[dict[str, Any]] = []
        for entry, body in zip(entries, bodies):
            try:
                if isinstance(body, LedgerError):
                    raise body
                if entry.key is not None and entry.key in taken:
                    raise KeyTaken(Msg(N_("{stream}: the key {key} has already been used"), stream=stream, key=entry.key))
                if entry.voids is not None:
                    self._check_voids(conn, stream, entry.voids, head.head_seq, seq, voided)
            except LedgerError as e:
                results.append(e)
                continue
            seq, created = seq + 1, time_text(datetime.now(timezone.utc))
            payload = json.loads(body)
            digest = record_hash(stream, seq, entry.kind, payload, entry.actor, created, entry.key, entry.voids,
                                 entry.reason, prev_hash)
            rows.append(dict(stream=stream, seq=seq, kind=entry.kind, payload=body, actor=entry.actor, created_at=created,
                             key=entry.key, voids=entry.voids, reason=entry.reason, prev_hash=prev_hash, hash=digest))
            results.append(Record(stream, seq, entry.kind, payload, entry.actor, datetime.fromisoformat(created),
                                  entry.key, entry.voids, entry.reason, prev_hash, digest))
            if entry.key is not None:
                taken.add(entry.key)
            if entry.voids is not None:
                voided[entry.voids] = seq
            prev_hash = digest
        if rows:  # in seq order, so a record voiding one written just before it finds it (foreign key)
            conn.execute(T.insert(), rows)
            conn.execute(S.update().where(S.c.name == stream).values(head_seq=seq, head_hash=prev_hash))
        return results

    @staticmethod
    def _taken_keys(conn: Connection, stream: str, keys: set[str]) -> set[str]:
        taken: set[str] = set()
        ordered = sorted(keys)
        for i in range(0, len(ordered), _KEYS_PER_QUERY):
            chunk = ordered[i:i + _KEYS_PER_QUERY]
            taken.update(conn.execute(select(T.c.key).where(T.c.stream == stream, T.c.key.in_(chunk))).scalars())
        return taken

    @staticmethod
    def _check_voids(conn: Connection, stream: str, voids: int, stored: int, last: int, voided: dict[int, int]) -> None:
        """``stored``: the head before this call; ``last``: the last seq written so far in it; ``voided``: its voids."""
        exists = stored < voids <= last or (1 <= voids <= stored and conn.execute(
            select(T.c.seq).where(T.c.stream == stream, T.c.seq == voids)).first() is not None)
        if not exists:
            raise VoidRefused(Msg(N_("{stream} has no record {seq} to void"), stream=stream, seq=voids))
        by = voided.get(voids)
        if by is None:
            by = conn.execute(select(T.c.seq).where(T.c.stream == stream, T.c.voids == voids)).scalar()
        if by is not None:
            raise VoidRefused(Msg(N_("Record {seq} of {stream} was already voided by record {by}"),
                                  seq=voids, stream=stream, by=by))

    # -- reading
    def records(self, stream: str, after_seq: int = 0, after_hash: str | None = None) -> list[Record]:
        """The records of ``stream`` after ``after_seq``, in order (poll with the last seq you have). A reader that
        keeps a state folded from them gives the hash of its last record too: ``StreamRewound`` when that record is
        no longer the stream's (a backup restored, a sandbox reset), and the reader folds it again from the start
        (``write_check.records_after``)."""
        with self.engine.connect() as conn:
            return records_after(conn, stream, after_seq, after_hash)

    def read_on(self, stream: str, seq: int, last_hash: str) -> tuple[list[Record], bool]:
        """A fold's next records: (those after its record ``seq``, False), or (all of them, True) when that record
        is no longer the stream's and the fold starts again (``write_check.read_on``)."""
        with self.engine.connect() as conn:
            return read_on(conn, stream, seq, last_hash)

    def keyed(self, stream: str, key: str) -> Record | None:
        """The record of ``stream`` that took ``key`` (a key is taken once), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(T).where(T.c.stream == stream, T.c.key == key)).first()
        return record_from_row(row) if row is not None else None

    def head(self, stream: str) -> int:
        """The last seq of ``stream`` (0 when it has none): one indexed row, cheap enough to poll every second."""
        with self.engine.connect() as conn:
            return conn.execute(select(S.c.head_seq).where(S.c.name == stream)).scalar() or 0

    def tip(self, stream: str) -> tuple[int, str]:
        """(the last seq, its record's hash) of ``stream`` ((0, "") when it has none): one row, as ``head``. A
        reader compares both with its fold's: a stream replaced by another history can end at the same seq."""
        with self.engine.connect() as conn:
            row = conn.execute(select(S.c.head_seq, S.c.head_hash).where(S.c.name == stream)).first()
        return (row.head_seq, row.head_hash) if row is not None else (0, "")

    def sealed(self, stream: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(S.c.sealed_seq).where(S.c.name == stream)).scalar() is not None

    def streams(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(S.c.name).order_by(S.c.name)).scalars())

    def verify(self, stream: str) -> list[Problem]:
        """Recompute the chain of ``stream`` (``chain.verify``): what was altered, removed, inserted or added after
        the seal."""
        return verify(self.engine, stream)
