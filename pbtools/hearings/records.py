"""The ledger records of a hearing: their kinds and how model objects become JSON payloads and back.

A hearing is one ledger stream ``hearing:<id>``. Payloads are plain JSON (money as a string, so it stays exact).
"""

from __future__ import annotations

import re
from dataclasses import asdict, fields
from decimal import Decimal
from typing import Any, Mapping

from pbtools.hearings.model import Hearing, Option, Participant, Question
from pbtools.i18n import N_, Msg, gettext

STREAM_PREFIX = "hearing:"
# Deleted hearings (see ``deletion``): one record each in the workspace's own stream, since a closed hearing's
# stream is sealed. Read here, below store.py, which leaves them out of its lists.
DELETIONS = "workspace:deleted-hearings"  # not "hearing:...": it is no hearing's stream
HEARING_DELETED = "hearing.deleted"  # payload: {"hearing": id}

HEARING_CREATED = "hearing.created"
HEARING_UPDATED = "hearing.updated"  # payload: the changed fields
HEARING_OPENED = "hearing.opened"
HEARING_CLOSED = "hearing.closed"
OPTION_ADDED = "option.added"
OPTION_CHANGED = "option.changed"  # payload: the whole option
OPTION_REMOVED = "option.removed"  # payload: {"id"}; a draft agenda only
QUESTION_DEFINED = "question.defined"
QUESTION_CHANGED = "question.changed"  # payload: the whole question
PARTICIPANT_REGISTERED = "participant.registered"
CODES_ISSUED = "codes.issued"  # payload: hashes of the codes, never the codes
BALLOT_CAST = "ballot.cast"
BALLOT_INVALID = "ballot.invalid"  # a spoiled or blank paper ballot: payload "question", "why", pile fields
COUNT_ENTERED = "count.entered"
RECORD_VOIDED = "record.voided"  # ledger ``voids``: the seq of the voided record; ``reason``: why

# Reasons the app itself gives for a void are stored as stable keys (the chain keeps them for good, in no
# language), and shown in the reader's language by ``reason_text``. A reason a person typed is kept as typed.
UNDO_LAST = "undo-last"
DOUBLE_ENTRY_FIX = "double-entry-fix"
COUNT_REPLACED = "count-replaced"
REGISTRATION_UNDONE = "registration-undone"
REASONS = {
    REGISTRATION_UNDONE: N_("Cancelled at the door right after it was registered (a wrong choice)"),
    COUNT_REPLACED: N_("Replaced by a corrected count of the same question"),
    UNDO_LAST: N_("Voided by the clerk right after typing it (undo last)"),
    DOUBLE_ENTRY_FIX: N_("Corrected after comparing the two entries of its pile"),
    "undo last": N_("Voided by the clerk right after typing it (undo last)"),  # English text stored before the keys
}


def reason_text(reason: str, lang: str) -> str:
    """A void's reason to show or print: an app's reason key in ``lang``, a typed reason as it was typed."""
    return gettext(lang, REASONS[reason]) if reason in REASONS else reason



# What a hearing id is: the ids ``store.new_hearing_id`` makes (the date, "-", four hex digits) and the sample's and
# training's ("sample-2026", "mock-2026"): ASCII letters, digits, "-" and "_", from a letter or digit, at most 64. An id
# goes into file names, URLs and stream names, so one from outside (a hand-in, a pull, an address, the command line)
# is checked against this before anything is done with it: no "/", "\\", ".", NUL or space can be in one.
HEARING_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"
_HEARING_ID = re.compile(HEARING_ID_PATTERN)


def is_hearing_id(value: object) -> bool:
    return isinstance(value, str) and _HEARING_ID.fullmatch(value) is not None


def shown(value: object, limit: int = 40) -> str:
    """``value`` as a message may show it: short, control characters as "?" (an id from outside may hold anything)."""
    text = value if isinstance(value, str) else repr(value)
    cut = "".join(c if c.isprintable() else "?" for c in text[:limit])
    return cut + ("…" if len(text) > limit else "")


def check_hearing_id(value: object) -> list[Msg]:
    """[] when ``value`` is a hearing id (``HEARING_ID_PATTERN``), else the problem."""
    if is_hearing_id(value):
        return []
    return [Msg(N_("{id} is not a hearing id: an id has only Latin letters, digits, \"-\" and \"_\" (at most 64)"),
                id=shown(value))]


def stream_of(hearing_id: str) -> str:
    return STREAM_PREFIX + hearing_id


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_json(obj: Hearing | Option | Question | Participant) -> dict:
    return {k: _plain(v) for k, v in asdict(obj).items()}


_DECIMAL_FIELDS = {"budget", "cost", "tariff_monthly"}
_TUPLE_FIELDS = {"villages", "commission", "options"}


def from_json(cls: type, data: Mapping[str, Any]) -> Any:
    """The dataclass ``cls`` from its payload; unknown keys (from a newer version) are ignored."""
    names = {f.name for f in fields(cls)}
    values = {}
    for key, value in data.items():
        if key not in names:
            continue
        if key in _DECIMAL_FIELDS and value is not None:
            value = Decimal(str(value))
        elif key in _TUPLE_FIELDS:
            value = tuple(value)
        elif isinstance(value, dict):
            value = dict(value)
        values[key] = value
    return cls(**values)


def deleted_ids(ws: Any, streams: list[str] | None = None) -> set[str]:
    """Ids of the deleted hearings of a workspace (``streams``: the ledger's, when the caller has just read them)."""
    if DELETIONS not in (streams if streams is not None else ws.ledger.streams()):
        return set()
    return {r.payload.get("hearing", "") for r in ws.ledger.records(DELETIONS) if r.kind == HEARING_DELETED}
