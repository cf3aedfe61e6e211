"""Records made by another ledger (a laptop's, read from its audit export), stored as they were made.

``append_verified`` appends records with their own seq, kind, actor, time and hash after the head of a stream: a
central server keeps a laptop's hearing exactly as it was recorded, so its audit export from either place is the
same file and the hash printed in the protocol stays valid. Each record must carry on the chain from where this
ledger's stream ends (seq, previous hash) and its hash must be what its content gives; otherwise nothing is
written. The whole batch is one transaction under the stream's lock, as ``Ledger.append_many``.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from sqlalchemy import Connection, select, text
from sqlalchemy.exc import IntegrityError

from pbtools.i18n import N_, Msg
from pbtools.storage.errors import LedgerError, StreamSealed
from pbtools.storage.ledger import Ledger, _unavailable
from pbtools.storage.record import SEALED, Record, canonical_json, record_hash, time_text
from pbtools.storage.schema import check_text, ledger_records as T, ledger_streams as S


class ChainMismatch(LedgerError):
    """The records do not carry on this ledger's chain (or do not verify); nothing was written."""


def hash_of(r: Record) -> str:
    """The hash of ``r`` as it would be stored here (its time in the ledger's own text)."""
    return record_hash(r.stream, r.seq, r.kind, r.payload, r.actor, time_text(r.created_at), r.key, r.voids,
                       r.reason, r.prev_hash)


def append_verified(ledger: Ledger, stream: str, records: Sequence[Record]) -> int:
    """Append ``records`` (another ledger's, in order) to ``stream`` as they are; returns how many were written.

    Refused with ``ChainMismatch`` (nothing written) when the first does not follow the stream's head, one does not
    follow the one before, a hash is not its content's, a record belongs to another stream or comes after a seal,
    or the database refuses a row (a key used twice, a void of a missing or voided record); ``StreamSealed`` when the
    stream is already sealed here."""
    return append_verified_all(ledger, {stream: records}).get(stream, 0)


def append_verified_all(ledger: Ledger, batches: Mapping[str, Sequence[Record]],
                        also: Callable[[Connection], None] | None = None) -> dict[str, int]:
    """``append_verified`` of several streams (stream -> records) in one transaction, with ``also(conn)`` (more
    writes of the same workspace) in it: every stream is stored, or none (a copy taken to a laptop is whole)."""
    batches = {stream: list(records) for stream, records in batches.items() if records}
    rows = {stream: _checked(stream, records) for stream, records in batches.items()}  # before any write
    if not batches and also is None:
        return {}
    stream = ", ".join(batches) or "-"
    try:
        with _unavailable(stream), ledger._writer.connect() as conn, conn.begin():
            for stream in sorted(batches):  # one order for every writer: two never wait on each other's streams
                _insert(conn, stream, batches[stream], rows[stream])
            if also is not None:
                also(conn)
    except IntegrityError as e:
        raise ChainMismatch(Msg(N_("{stream}: the database refused the records ({error})"), stream=stream,
                                error=str(e.orig).splitlines()[0])) from None
    return {stream: len(records) for stream, records in batches.items()}


def _checked(stream: str, records: list[Record]) -> list[dict]:
    """The rows of ``records``, checked on their own (``ChainMismatch`` when one may not be stored)."""
    for r in records:
        try:
            check_text(stream=stream, kind=r.kind, actor=r.actor, key=r.key, reason=r.reason)
        except ValueError:  # a NUL, which no database keeps in a text: refused as any other bad record
            raise ChainMismatch(Msg(N_("Record {seq} of {stream} holds a NUL character, which pbtools never writes"),
                                    seq=r.seq, stream=stream.replace("\0", "?"))) from None
        if r.stream != stream:
            raise ChainMismatch(Msg(N_("Record {seq} belongs to {other}, not to {stream}"), seq=r.seq, other=r.stream, stream=stream))
        if hash_of(r) != r.hash:
            raise ChainMismatch(Msg(N_("Record {seq} of {stream} was changed after it was written: its hash does not match its content"),
                                    seq=r.seq, stream=stream))
    for before, r in zip(records, records[1:]):
        if r.seq != before.seq + 1 or r.prev_hash != before.hash:
            raise ChainMismatch(Msg(N_("Record {seq} of {stream} does not follow the record before it"), seq=r.seq, stream=stream))
        if before.kind == SEALED:
            raise ChainMismatch(Msg(N_("Record {seq} of {stream} comes after the seal"), seq=r.seq, stream=stream))
    return [dict(stream=r.stream, seq=r.seq, kind=r.kind, payload=canonical_json(r.payload), actor=r.actor,
                 created_at=time_text(r.created_at), key=r.key, voids=r.voids, reason=r.reason, prev_hash=r.prev_hash,
                 hash=r.hash) for r in records]


def _insert(conn: Connection, stream: str, records: list[Record], rows: list[dict]) -> None:
    """Store the checked ``rows`` after ``stream``'s head, under its lock, in ``conn``'s transaction."""
    conn.execute(text("INSERT INTO ledger_streams (name, head_seq, head_hash) VALUES (:name, 0, '') "
                      "ON CONFLICT (name) DO NOTHING"), {"name": stream})
    head = conn.execute(select(S).where(S.c.name == stream).with_for_update()).one()
    if head.sealed_seq is not None:
        raise StreamSealed(Msg(N_("{stream} is closed: nothing more can be added to it"), stream=stream))
    first = records[0]
    if first.seq != head.head_seq + 1 or first.prev_hash != head.head_hash:
        raise ChainMismatch(Msg(N_("The records start at record {seq}, but {stream} ends here at record {head} with another hash"),
                                seq=first.seq, stream=stream, head=head.head_seq))
    conn.execute(T.insert(), rows)
    sealed_seq = next((r.seq for r in records if r.kind == SEALED), None)
    conn.execute(S.update().where(S.c.name == stream).values(
        head_seq=records[-1].seq, head_hash=records[-1].hash, sealed_seq=sealed_seq))
