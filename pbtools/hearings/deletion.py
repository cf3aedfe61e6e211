"""Deleting a practice hearing (trainers run mock hearings and want them gone from the lists).

The rule (docs/hearings.md): a hearing may be deleted when it is marked as a practice hearing (``Hearing.practice``,
set when it is created or edited), or when nobody has taken part in it yet: no registration, ballot, count or code
ever recorded (voided ones count too: they were given by people). Deleting never removes a record: an open or draft
hearing is first closed and sealed (no phone can vote in it any more), then a ``hearing.deleted`` record goes to the
workspace's own stream ``DELETIONS``, since a closed hearing's stream is sealed. The lists (console, board, ``pbtools
hearing list``) leave deleted hearings out; their records stay in the chain, and reports and audit files can still be
made from them by id.
"""

from __future__ import annotations

from typing import Any

from pbtools.hearings import records as R
from pbtools.hearings.errors import HearingError
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import CLOSED
from pbtools.hearings.records import DELETIONS, HEARING_DELETED, deleted_ids  # kept below store.py, which lists hearings
from pbtools.hearings.store import HearingStore
from pbtools.i18n import N_, Msg
from pbtools.roles import HEARING, signed
from pbtools.storage import KeyTaken, LedgerError

PEOPLE_RECORDS = (R.PARTICIPANT_REGISTERED, R.BALLOT_CAST, R.BALLOT_INVALID, R.COUNT_ENTERED, R.CODES_ISSUED)


def deletion_problems(st: HearingState) -> list[Msg]:
    """Why this hearing may not be deleted (empty: it may)."""
    if st.hearing is None or st.hearing.practice:
        return []
    if any(kind in PEOPLE_RECORDS for kind in st.kinds.values()):
        return [Msg(N_("Hearing {id} is not a practice hearing and people took part in it (registrations, ballots, "
                       "counts or codes): it cannot be deleted"), id=st.id)]
    return []


def delete_hearing(ws: Any, hearing_id: str, actor: str, reason: str = "") -> None:
    """Delete a hearing under the rule above; ``HearingError`` (and nothing changed) when it may not be."""
    if hearing_id in deleted_ids(ws):
        raise HearingError(Msg(N_("Hearing {id} is already deleted"), id=hearing_id))
    store = HearingStore(ws, hearing_id)  # HearingError when there is no such hearing
    problems = deletion_problems(store.state)
    if problems:
        raise HearingError(problems)
    why = reason.strip() or "hearing deleted"
    if store.state.status != CLOSED or not ws.ledger.sealed(store.stream):
        # nothing more can be recorded in it, from any screen or phone; a disputed pile does not stop it (not counted)
        store.close(actor=actor, reason=why, disputed_piles=True)
    try:
        ws.ledger.append(DELETIONS, HEARING_DELETED, {"hearing": hearing_id}, actor=signed(actor, HEARING),
                         key=f"deleted:{hearing_id}", reason=why)
    except KeyTaken:
        raise HearingError(Msg(N_("Hearing {id} is already deleted"), id=hearing_id)) from None
    except LedgerError as e:
        raise HearingError(e.message) from None
