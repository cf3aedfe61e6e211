"""How citizens may vote from their phones at one hearing: with one-time codes (the default), open, or not at all.

The mode is kept in the ledger stream ``phones:<hearing id>`` so that who switched it, and when, stays on record
(an open poll is weaker than a vote with codes). Read by the server process and the console alike; no Jupyter here.
"""

from __future__ import annotations

from typing import Any

from pbtools.hearings.errors import HearingError
from pbtools.i18n import N_, Msg
from pbtools.moments import Moment
from pbtools.roles import HEARING, signed
from pbtools.storage import Check, LedgerError, Locked
from pbtools.storage.write_check import head_is, read_point

CODES, OPEN, OFF = "codes", "open", "off"
MODES = (CODES, OPEN, OFF)
MODE_SET = "phones.mode"
LABELS = {
    CODES: N_("With voting codes (one vote per code)"),
    OPEN: N_("Open, without codes (one vote per phone; informal polls only)"),
    OFF: N_("Off (no voting from phones)"),
}


def stream_of(hearing_id: str) -> str:
    return f"phones:{hearing_id}"


def phone_mode(ws: Any, hearing_id: str) -> str:
    """The current mode; ``codes`` until someone chooses otherwise."""
    return mode_read(ws, hearing_id)[0]


def mode_read(ws: Any, hearing_id: str) -> tuple[str, tuple[int, str]]:
    """The current mode, and the point it was read at ((seq, hash) of the stream's last record): what a screen
    showing it decides a change on (``set_phone_mode``'s ``based_on``)."""
    records = ws.ledger.records(stream_of(hearing_id))
    return _mode_of(records[-1] if records else None), read_point(records)


def _mode_of(record: Any) -> str:
    mode = record.payload.get("mode") if record is not None else CODES
    return mode if mode in MODES else CODES


def set_phone_mode(ws: Any, hearing_id: str, mode: str, actor: str, based_on: tuple[int, str] | None = None) -> bool:
    """Record a new mode; False when it was that already (nothing written). An unknown mode raises ``HearingError``
    (nothing is stored). ``based_on``: the point of the mode a screen showed (``mode_read``): when another screen set
    another mode since (or the records were put back from a copy), ``ModeChanged`` says which, and nothing is stored:
    two facilitators switching at once, the one who turned phones off (votes coming from outside the hall) was undone
    by one who still saw them on. Without it (the trainer's mock hearing, tests): the newest choice wins."""
    if mode not in MODES:
        raise HearingError(Msg(N_("Unknown way of voting from phones {value}"), value=mode))
    check = None if based_on is None else _still_shown(mode, based_on, ws.time_zone())
    try:
        ws.ledger.append(stream_of(hearing_id), MODE_SET, {"mode": mode}, actor=signed(actor, HEARING), check=check)
    except _Already:
        return False
    except _Changed as changed:
        raise ModeChanged(changed.message) from None
    return True


class ModeChanged(HearingError):
    """The mode on record is not the one the screen showed, nor the one chosen: nothing was written."""


class _Already(LedgerError):
    """The mode chosen is the one on record already: nothing to write."""


class _Changed(LedgerError):
    """Another mode was set since the screen read it: raised to the writer as ``ModeChanged``."""


def _still_shown(mode: str, seen: tuple[int, str], zone: Any) -> Check:
    """A check: the stream's last record is still the one the screen read (``head_is``); else no write, and
    ``_Already`` when the mode on record is ``mode`` anyway (two screens turning phones off at once), ``_Changed``
    naming the mode on record otherwise."""
    def check(locked: Locked) -> LedgerError | None:
        if head_is(*seen)(locked) is None:
            return None
        last = locked.records(locked.head - 1)[-1] if locked.head else None  # the record that set the mode now
        now = _mode_of(last)
        if now == mode:
            return _Already(Msg(LABELS[mode]))
        if last is not None and last.actor:
            return _Changed(Msg(N_("{who} set the way of voting from phones to «{mode}» at {when}, after your screen showed it: nothing was written. The tab now shows the way on record: choose again if you still mean to change it."),
                                who=last.actor, mode=Msg(LABELS[now]), when=Moment(last.created_at, zone)))
        return _Changed(Msg(N_("The way of voting from phones is now «{mode}», not the one your screen showed (changed in another window, or the records put back from a copy): nothing was written. The tab now shows the way on record: choose again if you still mean to change it."),
                            mode=Msg(LABELS[now])))
    return check
