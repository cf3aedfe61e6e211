"""The audit export of a hearing and its independent check: anyone can recount a hearing from this one file.

The file is JSON Lines (UTF-8): a header line, then every ledger record of the hearing's stream, in order, with all
the fields its hash covers and the hash itself::

    {"format": "pbtools-audit", "format_version": 1, "pbtools": "0.1.0", "hearing": "...", "stream": "hearing:...",
     "records": 412, "head_seq": 412, "head_hash": "..."}
    {"stream": "hearing:...", "seq": 1, "kind": "hearing.created", "payload": {...}, "actor": "...",
     "created_at": "2026-04-18T09:01:02.123456Z", "key": null, "voids": null, "reason": "", "prev_hash": "",
     "hash": "..."}

``check_audit(path)`` needs nothing but the file: it re-derives every hash, checks the chain (an altered, removed,
inserted or reordered record is named), folds the records into the hearing's state and recounts it. Whoever
rewrites the whole chain consistently also rewrites the head hash, which is why the protocol prints the head hash
under the signatures: ``expect_head`` compares the file with that printed hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

from pbtools import __version__
from pbtools.hearings import records as R
from pbtools.hearings.adopted import adopted_state
from pbtools.hearings.fold import HearingState, apply
from pbtools.i18n import N_, Msg
from pbtools.paths import write_private
from pbtools.storage.record import SEALED, Record, canonical_json, record_hash, time_text

FORMAT = "pbtools-audit"
FORMAT_VERSION = 1
RECORD_FIELDS = ("stream", "seq", "kind", "payload", "actor", "created_at", "key", "voids", "reason", "prev_hash", "hash")


def record_json(record: Record) -> dict[str, Any]:
    """A ledger record as the audit file holds it: ``created_at`` is the very text that was hashed."""
    return {
        "stream": record.stream, "seq": record.seq, "kind": record.kind, "payload": record.payload,
        "actor": record.actor, "created_at": time_text(record.created_at), "key": record.key,
        "voids": record.voids, "reason": record.reason, "prev_hash": record.prev_hash, "hash": record.hash,
    }


def audit_lines(hearing_id: str, records: list[Record]) -> list[str]:
    """The lines of the audit file of ``records`` (the whole stream of the hearing, in order)."""
    header = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "pbtools": __version__, "hearing": hearing_id,
        "stream": R.stream_of(hearing_id), "records": len(records),
        "head_seq": records[-1].seq if records else 0, "head_hash": records[-1].hash if records else "",
    }
    return [canonical_json(header)] + [canonical_json(record_json(r)) for r in records]


def write_audit(ws: Any, hearing_id: str, out: Path | str) -> Path:
    """Write the audit file of one hearing of workspace ``ws`` to ``out``."""
    records = ws.ledger.records(R.stream_of(hearing_id))
    # owner-only, in one rename: a crash mid-write never leaves a half file under the real name
    return write_private(out, "\n".join(audit_lines(hearing_id, records)) + "\n")


@dataclass
class AuditCheck:
    """What ``check_audit`` found: ``problems`` (empty: the file is intact), the header, and the folded state."""

    path: Path
    header: dict[str, Any] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    problems: list[Msg] = field(default_factory=list)
    state: HearingState | None = None
    unsealed: bool = False  # one of the problems: the file does not end with the seal (and --open was not said)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def head_hash(self) -> str:
        return self.records[-1].hash if self.records else ""

    @property
    def sealed(self) -> bool:
        """The file ends with the seal written when the hearing was closed. Records cut off the end take the seal
        with them, so a file that ends otherwise is either of an open hearing or cut short."""
        return bool(self.records) and self.records[-1].kind == SEALED


def _record(data: dict[str, Any]) -> Record:
    return Record(
        stream=data["stream"], seq=data["seq"], kind=data["kind"], payload=data["payload"], actor=data["actor"],
        created_at=datetime.fromisoformat(data["created_at"]), key=data["key"], voids=data["voids"],
        reason=data["reason"], prev_hash=data["prev_hash"], hash=data["hash"],
    )


def _valid_record(data: Any) -> bool:
    if not isinstance(data, dict) or set(RECORD_FIELDS) - set(data):
        return False
    types = {"stream": str, "seq": int, "kind": str, "payload": dict, "actor": str, "created_at": str,
             "reason": str, "prev_hash": str, "hash": str}
    if any(not isinstance(data[k], t) or (t is int and isinstance(data[k], bool)) for k, t in types.items()):
        return False
    if data["key"] is not None and not isinstance(data["key"], str):
        return False
    if data["voids"] is not None and (not isinstance(data["voids"], int) or isinstance(data["voids"], bool)):
        return False
    try:
        datetime.fromisoformat(data["created_at"])
    except ValueError:
        return False
    return True


def _rehash(data: dict[str, Any]) -> str:
    return record_hash(data["stream"], data["seq"], data["kind"], data["payload"], data["actor"], data["created_at"],
                       data["key"], data["voids"], data["reason"], data["prev_hash"])


@dataclass(frozen=True)
class Limits:
    """What one audit file from outside (a hand-in) may hold: what checking it costs is bounded by these. A hearing
    has a few thousand records of ~1 KB; the largest record pbtools writes, 10 000 voting codes' hashes, ~0.7 MB."""

    bytes: int = 64 * 2**20
    records: int = 50_000
    line: int = 2**20


HAND_IN = Limits()
MAX_PROBLEMS = 50  # a file with more is no hearing's: the check stops there rather than list (and keep) them all


class _Stop(Exception):
    """The check stops here: its problems so far say why."""


def _lines(f: Any, limits: Limits | None) -> Iterator[tuple[int, bytes]]:
    """(number, line) of an open binary file; with ``limits``, never reads more than one line's worth at a time."""
    number = 0
    while True:
        line = f.readline(limits.line + 1) if limits else f.readline()
        if not line:
            return
        number += 1
        if limits and len(line) > limits.line and not line.endswith(b"\n"):
            raise _Stop(Msg(N_("Line {line} of the audit file is longer than {n} KB: no record pbtools writes is"),
                            line=number, n=limits.line // 1024))
        yield number, line


def check_audit(path: Path | str, expect_head: str | None = None, open_hearing: bool = False,
                limits: Limits | None = None, adopted: bool = False) -> AuditCheck:
    """Check an audit file on its own: header, every hash, the chain, the end; then fold what it holds.

    A file that does not end with the seal is a problem unless ``open_hearing`` (the user says the hearing was
    still open when the file was written): dropping the last records and fixing the header leaves a chain that is
    intact but short, and only the missing seal (or the head hash printed in the protocol) shows it.

    The file is read line by line, keeping only the records; the check stops at ``MAX_PROBLEMS`` problems, and,
    with ``limits`` (a file from outside), at a file, a line or a count of records larger than those allow.
    ``adopted`` (a hand-in, to be stored as it is): an intact chain's every record must also be one the core
    writes (``hearings.adopted``); nothing is folded otherwise. A record that cannot be folded is a problem."""
    path = Path(path)
    check = AuditCheck(path)
    add: Callable[..., None] = lambda msgid, **params: check.problems.append(Msg(msgid, **params))
    try:
        if limits and path.stat().st_size > limits.bytes:
            add(N_("The audit file {file} is larger than {n} MB: no hearing's is"), file=path.name, n=limits.bytes // 2**20)
            return check
        with path.open("rb") as f:
            _read(check, f, limits)
    except _Stop as stop:
        check.problems.append(stop.args[0])
        return check
    except (OSError, UnicodeDecodeError) as e:
        add(N_("The audit file {file} cannot be read: {error}"), file=path.name, error=str(e).replace(str(path), path.name))
        return check
    if check.header.get("format") != FORMAT or check.header.get("format_version") != FORMAT_VERSION:
        return check
    header, last = check.header, (check.records[-1] if check.records else None)
    if (header.get("head_seq"), header.get("head_hash")) != ((last.seq, last.hash) if last else (0, "")):
        add(N_("The file should end at record {head} but ends at record {last}: records were removed or added at the end"),
            head=header.get("head_seq"), last=last.seq if last else 0)
    if header.get("records") != len(check.records):
        add(N_("The header counts {expected} records but the file holds {found}"), expected=header.get("records"),
            found=len(check.records))
    if expect_head is not None and expect_head.strip().lower() != check.head_hash:
        add(N_("The last hash of the file is {found}, not {expected} as printed in the protocol"),
            found=check.head_hash, expected=expect_head.strip().lower())
    if check.records and not check.sealed and not open_hearing:
        last, check.unsealed = check.records[-1], True
        add(N_("The file does not end with the seal of a closed hearing (its last record is {seq}, {kind}): records "
               "may have been cut off the end. If the hearing was still open when the file was written, run again "
               "with --open."), seq=last.seq, kind=last.kind)
    hearing_id = str(header.get("hearing", ""))
    if adopted and check.ok:
        problems, folded = adopted_state(hearing_id, check.records)
        check.problems += problems
        if not check.ok:
            return check
        check.state = folded  # the check folded every record, in order: not folded again
        if folded.hearing is None:
            add(N_("The audit file holds no hearing.created record: there is nothing to recount"))
        return check
    state = check.state = HearingState(hearing_id)
    for record in sorted(check.records, key=lambda r: r.seq):  # fold what is there even when the chain is broken
        try:
            if record.seq > state.seq:  # a repeated record (named above) is folded once, as ``fold`` does
                apply(state, record)
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError, IndexError):
            add(N_("Record {seq} ({kind}) cannot be read: its content is not what pbtools writes in such a record"),
                seq=record.seq, kind=record.kind)
            check.state = None
            return check
    if state.hearing is None:
        add(N_("The audit file holds no hearing.created record: there is nothing to recount"))
    return check


def _read(check: AuditCheck, f: Any, limits: Limits | None) -> None:
    """The header and every record of ``f`` into ``check``, each checked against the one before (``check_audit``)."""

    def add(msgid: str, **params: Any) -> None:
        check.problems.append(Msg(msgid, **params))
        if len(check.problems) >= MAX_PROBLEMS:
            raise _Stop(Msg(N_("The check stopped at line {line}: the file has more problems than the {n} above"),
                            line=params.get("line", number), n=MAX_PROBLEMS))

    header: dict[str, Any] | None = None
    stream, prev_hash, expected, sealed_at = "", "", 1, None
    for number, line in _lines(f, limits):
        if not line.strip():
            continue
        try:
            data = json.loads(line.decode("utf-8"))
        except ValueError:  # UnicodeDecodeError too
            if header is None:
                break
            add(N_("Line {line} of the audit file is not a JSON record"), line=number)
            continue
        if header is None:
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                break
            check.header = header = data
            if header.get("format_version") != FORMAT_VERSION:
                add(N_("The audit file has format version {version}; this pbtools reads version {expected}"),
                    version=header.get("format_version"), expected=FORMAT_VERSION)
                return
            stream = header.get("stream", "")
            continue
        if not _valid_record(data):
            add(N_("Line {line} of the audit file is not a complete ledger record"), line=number)
            continue
        seq = data["seq"]
        if data["stream"] != stream:
            add(N_("Record {seq} (line {line}) belongs to {stream}, not to this hearing"), seq=seq, line=number, stream=data["stream"])
        if seq < expected:
            add(N_("Record {seq} (line {line}) is out of order or repeated: record {expected} was expected"),
                seq=seq, line=number, expected=expected)
        elif seq == expected + 1:
            add(N_("Record {seq} is missing (before line {line})"), seq=expected, line=number)
        elif seq > expected:
            add(N_("Records {first} to {last} are missing (before line {line})"), first=expected, last=seq - 1, line=number)
        if data["prev_hash"] != prev_hash:
            add(N_("Record {seq} (line {line}) does not follow the record before it: a record was removed, inserted or changed"),
                seq=seq, line=number)
        if _rehash(data) != data["hash"]:
            add(N_("Record {seq} (line {line}) was changed after it was written: its hash does not match its content"),
                seq=seq, line=number)
        if sealed_at is not None:
            add(N_("Record {seq} (line {line}) comes after the seal (record {sealed})"), seq=seq, line=number, sealed=sealed_at)
        if data["kind"] == SEALED and sealed_at is None:
            sealed_at = seq
        check.records.append(_record(data))
        prev_hash, expected = data["hash"], max(expected, seq + 1)
        counted = header.get("records")
        if limits and len(check.records) > min(limits.records, counted if isinstance(counted, int) else limits.records):
            raise _Stop(Msg(N_("The file holds more records than its header counts ({expected}) or than a hearing has "
                               "({n}): the check stopped at line {line}"), expected=counted, n=limits.records, line=number))
    if header is None:
        # by its name, as a screen names a file (an upload's is a server's folder the user never saw)
        check.problems.append(Msg(N_("{file} is not a pbtools audit file (its first line is not the audit header)"),
                                  file=Path(check.path).name))
