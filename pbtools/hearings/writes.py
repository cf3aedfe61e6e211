"""Writing one hearing's records: the append behind every change, the status a change requires, and the typed
error a ledger refusal becomes (``refusal``).

The status is checked on the state folded before the write; what makes a write safe against a close made a moment
later by another screen is the ledger: the close marks the hearing closed and seals its stream in one transaction
(``HearingStore.close``), and every append checks the seal inside its own transaction, holding the stream's lock.
A write that comes too late is refused as ``HearingClosed``; none lands in a closed hearing.

``HearingStore`` (store.py) is a ``HearingWriter``; the modules that make one kind of change (``agenda_changes``,
``double_entry``) take a writer, so they need nothing of store.py and store.py can call them.
"""

from __future__ import annotations

from typing import Any

from pbtools.hearings import records as R
from pbtools.hearings.casting import CastItem, Receipt, prepare, receipts
from pbtools.hearings.codes import code_key
from pbtools.hearings.errors import (
    AgendaFixed, AlreadyRecorded, AlreadyVoided, CodeUsed, HearingClosed, HearingError, NoSuchHearing, VotingNotOpen,
)
from pbtools.hearings.fold import HearingState, fold
from pbtools.hearings.model import CLOSED, DRAFT, INVALID, OPEN, Ballot
from pbtools.roles import HEARING, signed
from pbtools.storage import Check, KeyTaken, LedgerError, StreamRewound, StreamSealed, VoidRefused, decided_on


def refusal(error: Exception, key: str | None = None, voids: int | None = None) -> HearingError:
    """What the screen says when the ledger refused a record of this hearing."""
    if isinstance(error, StreamSealed):
        return HearingClosed()
    if isinstance(error, KeyTaken):
        return CodeUsed() if str(key or "").startswith("code:") else AlreadyRecorded()
    if isinstance(error, VoidRefused):  # another screen voided it a moment ago
        return AlreadyVoided(voids)
    # e.g. the database did not confirm the write: the screen must not say "stored"
    return HearingError(error.message)  # type: ignore[attr-defined]


def allowed(st: HearingState, *statuses: str) -> HearingState:
    """``st``, when the hearing's status is one of ``statuses``; else the typed error saying why."""
    if st.status not in statuses:
        if st.status == CLOSED:
            raise HearingClosed()
        if OPEN in statuses:
            raise VotingNotOpen()
        raise AgendaFixed()
    return st


def record_kind(ballot: Ballot) -> str:
    """The ledger kind of a ballot's record: an invalid (spoiled, blank) ballot is a kind of its own, so that
    nothing reading counted ballots can count it by mistake."""
    return R.BALLOT_INVALID if ballot.answer in INVALID else R.BALLOT_CAST


class HearingWriter:
    """One hearing's stream in a workspace: ``state`` is the last folded state; ``refresh()`` brings it up to date."""

    def __init__(self, ws: Any, hearing_id: str) -> None:
        self.ws = ws
        self.id = hearing_id
        self.stream = R.stream_of(hearing_id)
        self.state = HearingState(hearing_id)

    def refresh(self) -> HearingState:
        """Fold the records appended since the last refresh (by this or any other process); all of them again when
        the stream is no longer the one folded (a backup restored, a sandbox reset: ``StreamRewound``)."""
        new, anew = self.ws.ledger.read_on(self.stream, self.state.seq, self.state.hash)
        if anew:
            self.state = HearingState(self.id)
        st = fold(new, self.state)
        if st.hearing is None:  # the copy now in place has no such hearing (asked again: still none)
            raise NoSuchHearing(self.id)
        return st

    def write(self, kind: str, payload: dict, actor: str, *, check: Check | None = None, **kw: Any) -> Any:
        """Append one record (no status check: the caller ``require``s first), decided on ``state`` (``decided``);
        a ledger refusal becomes its typed ``HearingError``. Returns the record, once committed and folded."""
        try:
            record = self.ws.ledger.append(self.stream, kind, payload, actor=signed(actor, HEARING),
                                           check=self.decided(check), **kw)
        except LedgerError as e:
            raise self.refused(e, kw.get("key"), kw.get("voids")) from None
        self.refresh()
        return record

    def decided(self, also: Check | None = None) -> Check:
        """The check of every write of this hearing: it was decided on ``state`` (a code issued, the hearing open, an
        option on the agenda), so it is written only while the last record folded is still the stream's; a
        database put back underneath since (a backup, a sandbox reset) refuses it. ``also``: the caller's check."""
        return decided_on(self.state.seq, self.state.hash, also)

    def refused(self, error: LedgerError, key: str | None = None, voids: int | None = None) -> HearingError:
        """``refusal``; when the stream was replaced underneath, the state is read again first (the screen then
        shows what is on disk; a hearing the copy in place does not hold says so: ``refresh``)."""
        if isinstance(error, StreamRewound):
            self.refresh()
        return refusal(error, key, voids)

    def require(self, *statuses: str) -> HearingState:
        """The fresh state, when the hearing's status is one of ``statuses``; else the typed error saying why."""
        return allowed(self.refresh(), *statuses)

    def require_editable(self) -> HearingState:
        """The state, while records may still be added (draft or open); else a HearingError saying why."""
        return self.require(DRAFT, OPEN)

    def append_record(self, kind: str, payload: dict, actor: str, **kw: Any) -> Any:
        """Append a record of a kind another module owns (proposals, decisions); refused once the hearing is closed."""
        self.require(DRAFT, OPEN)
        return self.write(kind, payload, actor, **kw)

    def prepare(self, st: HearingState, item: CastItem, positions: dict[tuple[str, int], set[int]]) -> tuple[dict, str | None]:
        """Check one ballot against ``st`` and build its record (see ``casting.prepare``)."""
        return prepare(st, self.id, item, positions, self.code_key)

    @property
    def code_key(self) -> bytes:
        """The workspace's key for voting-code hashes, kept in its folder (not in the database)."""
        if getattr(self, "_code_key", None) is None:
            self._code_key = code_key(self.ws.path)
        return self._code_key

    def receipts(self, stored: list[tuple[Any, CastItem]]) -> list[Receipt]:
        """Receipts of committed ballots (record, item), numbered as the current state counts them."""
        return receipts(self.state, stored)
