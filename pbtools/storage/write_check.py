"""A write's check under the ledger's lock: ``Locked`` is the stream as the check sees it, inside the write's
transaction with the stream's lock held, so nothing can be appended between what the check reads and what the write
stores; ``head_is`` is the check of a form saved over the record it was loaded from, ``decided_on`` that of a write
decided on a state folded from the stream (still the stream's, or nothing is written). The hearing's close with its
seal, monitoring's lost-update guard and a survey's answers while it is open all use it (``Ledger.append``,
``append_many`` and ``seal`` take a ``check``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import Connection, select

from pbtools.i18n import N_, Msg
from pbtools.storage.errors import LedgerError, StreamMoved, StreamRewound
from pbtools.storage.record import Record, record_from_row
from pbtools.storage.schema import ledger_records as T, ledger_streams as S


def records_after(conn: Connection, stream: str, after_seq: int = 0, after_hash: str | None = None) -> list[Record]:
    """The records of ``stream`` after ``after_seq``, in order. With ``after_hash`` (the hash of record ``after_seq``
    as the reader folded it), only while that record is still the stream's; else ``StreamRewound``: the stream was
    replaced by another history (a backup restored, a sandbox reset), and what follows ``after_seq`` now, if
    anything, does not follow what the reader folded. One row more than the records asked for: each hash covers
    the one before it, so the last folded record vouches for all those before it."""
    checked = after_hash is not None and after_seq > 0
    query = select(T).where(T.c.stream == stream, T.c.seq >= after_seq if checked else T.c.seq > after_seq)
    rows = list(conn.execute(query.order_by(T.c.seq)))
    if checked:
        if not rows or rows[0].seq != after_seq or rows[0].hash != after_hash:
            raise rewound(stream, after_seq)
        rows = rows[1:]  # compared, not parsed: it may be a large one (10,000 codes' hashes)
    return [record_from_row(row) for row in rows]


def read_on(conn: Connection, stream: str, seq: int, last_hash: str) -> tuple[list[Record], bool]:
    """What a reader holding a state folded up to record ``seq`` (hash ``last_hash``) folds next: (the records after
    it, False), or (every record of the stream, True) when that record is no longer the stream's: the reader starts
    again from an empty state (the one rule of ``records_after``, for every fold)."""
    try:
        return records_after(conn, stream, seq, last_hash), False
    except StreamRewound:
        return records_after(conn, stream), True


@dataclass(frozen=True)
class Locked:
    """A stream as a write's ``check`` sees it: read inside the write's transaction, with the stream's lock held, so
    nothing can be appended between what the check reads and what the write stores."""

    stream: str
    head: int  # the last seq (0: no record yet)
    conn: Connection = field(repr=False, compare=False)
    head_hash: str = ""  # the last record's hash ("": no record yet)

    def records(self, after_seq: int = 0, after_hash: str | None = None) -> list[Record]:
        """The stream's records after ``after_seq``, in order (read only what came since the caller's own look);
        with ``after_hash``, ``StreamRewound`` when record ``after_seq`` is no longer the one the caller read
        (``records_after``)."""
        return records_after(self.conn, self.stream, after_seq, after_hash)

    def read_on(self, seq: int, last_hash: str) -> tuple[list[Record], bool]:
        """``write_check.read_on`` under the write's lock."""
        return read_on(self.conn, self.stream, seq, last_hash)

    def holds(self, seq: int, last_hash: str) -> bool:
        """Whether record ``seq`` is still the stream's and carries ``last_hash`` (seq 0: nothing was read, nothing
        to hold). The head's row answers when it is that record; else one indexed row is read (records after it,
        others' since, are not)."""
        if seq == 0:
            return True
        if self.head == seq:
            return self.head_hash == last_hash
        found = self.conn.execute(select(T.c.hash).where(T.c.stream == self.stream, T.c.seq == seq)).scalar()
        return found is not None and found == last_hash

    def other(self, stream: str) -> "Locked":
        """Another stream as this write sees it, for a write decided on that stream's records too (a hearing's
        options made of a needs assessment's top problems). Its row is locked as well: on PostgreSQL its appenders
        wait for this write (SQLite has one writer at a time), so what the check reads of it still holds at commit."""
        row = self.conn.execute(select(S).where(S.c.name == stream).with_for_update()).one_or_none()
        return Locked(stream, row.head_seq if row else 0, self.conn, row.head_hash if row else "")


# a write's check: None lets the write go on; a LedgerError refuses every entry (nothing is written); what it raises
# rolls the transaction back and is raised to the writer
Check = Callable[[Locked], "LedgerError | None"]


def rewound(stream: str, seq: int) -> StreamRewound:
    return StreamRewound(Msg(N_("The records of {stream} were replaced since they were read up to record {seq} (a backup restored, a practice sandbox reset): they must be read again; nothing was written"),
                             stream=stream, seq=seq))


def read_point(records: list[Record]) -> tuple[int, str]:
    """(seq, hash) of the last of ``records`` a fold read ((0, ""): none): what a write decided on them passes to
    ``decided_on`` or ``head_is``."""
    return (records[-1].seq, records[-1].hash) if records else (0, "")


def decided_on(seq: int, last_hash: str, also: Check | None = None) -> Check:
    """A check for a write its writer decided on a state folded from the stream up to record ``seq`` (hash
    ``last_hash``): refused (``StreamRewound``, nothing written) when that record is no longer the stream's (a
    backup restored, a sandbox reset since the fold: a code issued, an option or a project's milestone there may be
    no longer on disk). Records appended after it by others are let through: they add to what the writer read and
    cannot take it back (the seal and the keys the ledger checks itself); a write that must come right after what
    it read (a form saved over its record) uses ``head_is``. ``also``: the writer's own check, asked after this."""
    def check(locked: Locked) -> LedgerError | None:
        if not locked.holds(seq, last_hash):
            return rewound(locked.stream, seq)
        return also(locked) if also is not None else None
    return check


def head_is(seq: int, last_hash: str | None = None) -> Check:
    """A check: write only if the stream's last record is still ``seq`` (0: no record yet), and, given ``last_hash``,
    still that very record (not another history's of the same number); otherwise every entry carries
    ``StreamMoved`` (a form saved over what it was loaded from, when someone wrote meanwhile)."""
    def check(locked: Locked) -> LedgerError | None:
        if locked.head == seq and (last_hash is None or locked.head_hash == last_hash):
            return None
        return StreamMoved(Msg(N_("{stream} has changed since it was read (record {seq} is the latest, not {expected}): nothing was written"),
                               stream=locked.stream, seq=locked.head, expected=seq))
    return check
