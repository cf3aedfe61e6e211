"""How citizens may vote from their phones at one hearing: with one-time codes (the default), open, or not at all.

The mode is kept in the ledger stream ``phones:<hearing id>`` so that who switched it, and when, stays on record
(an open poll is weaker than a vote with codes). Read by the server process and the console alike; no Jupyter here.
"""

from __future__ import annotations

from typing import Any

from pbtools.hearings.errors import HearingError
from pbtools.i18n import N_, Msg
from pbtools.roles import HEARING, signed

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
    records = ws.ledger.records(stream_of(hearing_id))
    mode = records[-1].payload.get("mode") if records else CODES
    return mode if mode in MODES else CODES


def set_phone_mode(ws: Any, hearing_id: str, mode: str, actor: str) -> None:
    """Record a new mode. An unknown mode raises ``HearingError`` (nothing is stored)."""
    if mode not in MODES:
        raise HearingError(Msg(N_("Unknown way of voting from phones {value}"), value=mode))
    ws.ledger.append(stream_of(hearing_id), MODE_SET, {"mode": mode}, actor=signed(actor, HEARING))
