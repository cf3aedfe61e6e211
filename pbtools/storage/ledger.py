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
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import OperationalError

from pbtools.i18n import N_, Msg
from pbtools.storage.db_problem import problem as db_problem
from pbtools.storage.engine import writer
from pbtools.storage.errors import (
    BadPayload, DatabaseUnavailable, KeyTaken, LedgerError, StreamMoved, StreamSealed, VoidRefused,
)
from pbtools.storage.schema import check_text, ledger_records as T, ledger_streams as S

SEALED = "ledger.sealed"  # the kind of the record that seals a stream
# the last record is where the stream ends, but not the record it ended with: records were rewritten and rehashed
REWRITTEN = N_("Record {last}, the last one, is not the record the stream ended with: records were changed and their hashes rewritten")
_KEYS_PER_QUERY = 500  # keys looked up per query: well under the bound-parameter limits of SQLite and PostgreSQL


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


@dataclass(frozen=True)
class Problem:
    """Something ``verify`` found wrong with a stream: ``seq`` is the record where it shows."""

    stream: str
    seq: int
    message: Msg


@dataclass(frozen=True)
class Locked:
    """A stream as a write's ``check`` sees it: read inside the write's transaction, with the stream's lock held, so
    nothing can be appended between what the check reads and what the write stores."""

    stream: str
    head: int  # the last seq (0: no record yet)
    conn: Connection = field(repr=False, compare=False)

    def records(self, after_seq: int = 0) -> list[Record]:
        """The stream's records after ``after_seq``, in order (read only what came since the caller's own look)."""
        rows = self.conn.execute(select(T).where(T.c.stream == self.stream, T.c.seq > after_seq).order_by(T.c.seq))
        return [_record(row) for row in rows]


# a write's check: None lets the write go on; a LedgerError refuses every entry (nothing is written); what it raises
# rolls the transaction back and is raised to the writer
Check = Callable[[Locked], "LedgerError | None"]


def head_is(seq: int) -> Check:
    """A check: write only if the stream's last record is still ``seq`` (0: no record yet); otherwise every entry
    carries ``StreamMoved`` (a form saved over what it was loaded from, when someone wrote meanwhile)."""
    def check(locked: Locked) -> LedgerError | None:
        if locked.head == seq:
            return None
        return StreamMoved(Msg(N_("{stream} has changed since it was read (record {seq} is the latest, not {expected}): nothing was written"),
                               stream=locked.stream, seq=locked.head, expected=seq))
    return check


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


def _payload_text(kind: str, payload: Any) -> str:
    if not isinstance(payload, dict):
        raise BadPayload(Msg(N_("The content of a {kind} record must be a set of named values"), kind=kind))
    try:
        return canonical_json(payload)
    except (TypeError, ValueError) as e:
        raise BadPayload(Msg(N_("The content of a {kind} record cannot be stored: {error}"), kind=kind, error=str(e))) from None


def _check_entry(entry: Entry) -> None:
    if not entry.kind:
        raise ValueError("kind must not be empty")
    check_text(kind=entry.kind, actor=entry.actor, key=entry.key, reason=entry.reason)
    if entry.voids is not None and (isinstance(entry.voids, bool) or not isinstance(entry.voids, int)):
        raise TypeError(f"voids must be a record number, not {entry.voids!r}")


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


def _record(row: Any) -> Record:
    return Record(
        stream=row.stream, seq=row.seq, kind=row.kind, payload=json.loads(row.payload), actor=row.actor,
        created_at=datetime.fromisoformat(row.created_at), key=row.key, voids=row.voids, reason=row.reason,
        prev_hash=row.prev_hash, hash=row.hash,
    )


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
            _check_entry(entry)
            try:
                bodies.append(_payload_text(entry.kind, entry.payload))
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
            _check_entry(entry)
        bodies: list[str | LedgerError] = [_payload_text(entry.kind, entry.payload) for entry in entries]
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
            refusal = check(Locked(stream, head.head_seq, conn))
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
    def records(self, stream: str, after_seq: int = 0) -> list[Record]:
        """The records of ``stream`` after ``after_seq``, in order (poll with the last seq you have)."""
        query = select(T).where(T.c.stream == stream, T.c.seq > after_seq).order_by(T.c.seq)
        with self.engine.connect() as conn:
            return [_record(row) for row in conn.execute(query)]

    def keyed(self, stream: str, key: str) -> Record | None:
        """The record of ``stream`` that took ``key`` (a key is taken once), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(T).where(T.c.stream == stream, T.c.key == key)).first()
        return _record(row) if row is not None else None

    def head(self, stream: str) -> int:
        """The last seq of ``stream`` (0 when it has none): one indexed row, cheap enough to poll every second."""
        with self.engine.connect() as conn:
            return conn.execute(select(S.c.head_seq).where(S.c.name == stream)).scalar() or 0

    def sealed(self, stream: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(S.c.sealed_seq).where(S.c.name == stream)).scalar() is not None

    def streams(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(S.c.name).order_by(S.c.name)).scalars())

    def verify(self, stream: str) -> list[Problem]:
        """Recompute the chain: records altered, removed, inserted or added after the seal are reported."""
        with self.engine.connect() as conn:
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
            if _rehash(row) != row.hash:
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


def check_chain(ledger: Ledger, stream: str) -> None:
    """Raise ``ChainBroken`` naming the first broken record when ``stream`` does not verify. Called before results
    are shown and before a protocol or export is written: a row changed in the database behind pbtools' back
    stops them, instead of being counted."""
    problems = ledger.verify(stream)
    if problems:
        raise ChainBroken(Msg(N_("The record of this hearing does not verify at record {seq}: {problem}. Its results "
                                 "are not shown, printed or exported, because they cannot be trusted. Do not use this "
                                 "copy: restore the workspace from its latest backup or audit export (check that one "
                                 "with pbtools verify), and report the change."), seq=problems[0].seq,
                              problem=problems[0].message), problems)


def _rehash(row: Any) -> str:
    try:
        payload = json.loads(row.payload)
    except ValueError:
        return ""
    return record_hash(row.stream, row.seq, row.kind, payload, row.actor, row.created_at, row.key, row.voids,
                       row.reason, row.prev_hash)
