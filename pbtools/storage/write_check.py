"""A write's check under the ledger's lock: ``Locked`` is the stream as the check sees it, inside the write's
transaction with the stream's lock held, so nothing can be appended between what the check reads and what the write
stores; ``head_is`` is the check of a form saved over the record it was loaded from. The hearing's close with its
seal, monitoring's lost-update guard and a survey's answers while it is open all use it (``Ledger.append``,
``append_many`` and ``seal`` take a ``check``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import Connection, select

from pbtools.i18n import N_, Msg
from pbtools.storage.errors import LedgerError, StreamMoved
from pbtools.storage.record import Record, record_from_row
from pbtools.storage.schema import ledger_records as T


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
        return [record_from_row(row) for row in rows]


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
