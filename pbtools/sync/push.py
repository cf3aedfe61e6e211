"""Handing a hearing in: a laptop's audit export stored in the municipality's workspace on the central server.

    handed = hand_in(ws, "hearing.jsonl", Actor("aida", FACILITATOR))   # ws: the municipality's workspace

Everything is checked before anything is stored: the actor's role, every hash and the chain of the file (a file
cut short with its header unchanged, or any changed record, is refused), that the hearing is of this municipality,
and that the file agrees with what the server already has of the hearing record by record. Then only the records
the server does not have are appended, with their own hashes, actors and times (``storage.adopt``): the same file
twice stores nothing the second time, and a laptop that carried on after handing in hands in the continuation.
A refusal is ``SyncRefused``, whose ``problems`` say what and where in the user's language; nothing was stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pbtools.hearings import records as R
from pbtools.hearings.hand_in_log import SYNC_LOG, SYNC_RECEIVED
from pbtools.budget.place import PlaceName
from pbtools.i18n import N_, Joined, Msg, NMsg
from pbtools.monitoring.records import BUDGET_FOLLOW, travels
from pbtools.reports.audit import HAND_IN, AuditCheck, check_audit
from pbtools.roles import SYNC, Actor
from pbtools.storage.adopt import ChainMismatch, append_verified
from pbtools.storage.errors import StorageError, StreamSealed
from pbtools.storage.chain import ChainBroken, check_chain
from pbtools.storage.record import Record



class SyncRefused(StorageError):
    """The file was not stored; ``problems`` (``Msg``) say why, ``message`` sums it up."""

    def __init__(self, message: Msg, problems: list[Msg] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])

    def render(self, lang: str) -> str:
        return "\n".join([self.message.render(lang)] + ["  " + p.render(lang) for p in self.problems])


class StreamDiverged(SyncRefused):
    """A monitoring stream recorded in two places since it was last handed in: the laptop's and the server's records
    differ from ``seq`` on (``sync.folder`` stores the rest of the folder and names this one)."""

    def __init__(self, message: Msg, problems: list[Msg], stream: str) -> None:
        super().__init__(message, problems)
        self.stream = stream


@dataclass
class HandedIn:
    hearing: str  # the hearing's id; for a monitoring stream handed in from a folder, the stream's name
    appended: int  # records stored by this hand-in (0: the server had them all)
    head_seq: int  # the hearing's last record on the server now
    head_hash: str
    sealed: bool
    problems: list[Msg] = field(default_factory=list)  # a folder's monitoring stream not stored: why (the rest was)
    files: int = 0  # photos and documents stored with it (a folder's hand-in)

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    def summary(self) -> Msg:
        # each count said with its noun in the language's plural form ("23 записи", not "23 записей"; s26 L2)
        if self.problems:
            return Msg(N_("{stream} was not stored (the rest of the folder was):"), stream=self.hearing)
        if travels(self.hearing):
            return NMsg("{n} record of {stream} was stored, with photos and documents: {files}; records on the server "
                        "now: {total}",
                        "{n} records of {stream} were stored, with photos and documents: {files}; records on the server "
                        "now: {total}", self.appended, stream=self.hearing, files=self.files, total=self.head_seq)
        if self.appended == 0:
            return NMsg("The server already had every record of the hearing {hearing} ({n} record): nothing was added",
                        "The server already had every record of the hearing {hearing} ({n} records): nothing was added",
                        self.head_seq, hearing=self.hearing)
        return NMsg("{n} record of the hearing {hearing} was stored; records on the server now: {total}, the last hash "
                    "{hash}",
                    "{n} records of the hearing {hearing} were stored; records on the server now: {total}, the last hash "
                    "{hash}", self.appended, hearing=self.hearing, total=self.head_seq, hash=self.head_hash)


@dataclass
class Prepared:
    """A checked stream file and what of it the server lacks, nothing stored yet (``store`` stores it)."""

    path: Path
    stream: str
    label: str  # the hearing's id, or the stream's name
    records: list[Record]  # the whole file's
    new: list[Record]  # those the server does not have yet
    head: Record  # the stream's last record on the server once stored


def same_place(name: str, names: Any) -> bool:
    """``name`` is one of ``names`` (any language; case and spaces around ignored)."""
    return any(name.strip().casefold() == n.strip().casefold() for n in names)


def known_village(village: str, municipality: Any) -> bool:
    """``village`` (an id, a name in any language) is one of ``municipality``'s villages, or every village, or none."""
    from pbtools.hearings.model import ALL_VILLAGES, find_village

    wanted = village.strip().casefold()
    return not wanted or wanted == ALL_VILLAGES or find_village(village, municipality) is not None


def place_name(place: str, names: Any = None) -> Any:
    """A municipality a file names, for a message: in the message's language when ``names`` (its names in every
    language) are known and ``place`` is one of them, else as the file writes it."""
    if names and place and same_place(place, names.values()):
        return PlaceName(names)
    return place or "—"


def refused(path: Path, *problems: Msg) -> SyncRefused:
    return SyncRefused(Msg(N_("{file} was not stored, nothing was changed:"), file=path.name), list(problems))


def checked(path: Path | str) -> AuditCheck:
    """The hearing's audit file ``path`` checked on its own: every hash, the chain, every record one the core writes
    (``check_audit``); ``SyncRefused`` when it may not be stored. What ``prepare`` then checks against a workspace;
    a caller that needs the file's hearing first (whose municipality is it?) checks it here once and passes it on."""
    path = Path(path)
    # a hearing may be handed in while still open, and again later; what checking it costs is bounded (HAND_IN)
    check = check_audit(path, open_hearing=True, limits=HAND_IN, adopted=True)
    hearing_id = check.header.get("hearing")
    if check.header and not R.is_hearing_id(hearing_id):  # it names files and addresses: never stored unless an id
        raise refused(path, *R.check_hearing_id(hearing_id))
    if not check.ok or check.state is None or check.state.hearing is None:
        raise refused(path, *check.problems)
    stream = str(check.header.get("stream", ""))
    if stream != R.stream_of(hearing_id) or check.records[0].stream != stream:
        raise refused(path, Msg(N_("The file's header names the hearing {hearing} but its records are of {stream}"),
                                hearing=hearing_id, stream=check.records[0].stream))
    return check


def prepare(ws: Any, path: Path | str, check: AuditCheck | None = None, names: Any = None) -> Prepared:
    """Check the hearing's audit file ``path`` against workspace ``ws`` (the module's text); ``SyncRefused`` when
    it may not be stored. Writes nothing. ``check``: the file's ``checked`` already (not checked again). ``names``:
    the file's municipality in every language when the caller knows them (a registry, a folder's manifest), so a
    refusal names it in the user's language; else it is named as the file writes it."""
    path = Path(path)
    check = check if check is not None else checked(path)
    hearing_id, stream = check.header["hearing"], check.header["stream"]
    place, municipality = check.state.hearing.municipality, ws.municipality()
    if municipality is not None and not same_place(place, municipality.names.values()):
        raise refused(path, Msg(N_("The hearing in the file is of {place}, not of {municipality}"),
                                place=place_name(place, names), municipality=PlaceName(municipality.names)))
    if check.state.hearing.practice:  # a mock hearing of a training (the demo's too): no municipality's decision
        raise refused(path, Msg(N_("{hearing} is a practice hearing (ticked \"Practice hearing\" in its details): "
                                   "practice hearings stay on the laptop and are never handed in"), hearing=hearing_id))
    # the municipality's name is one field of the file: its villages must be this municipality's too, or a file
    # with only that field changed (every hash made again) became another municipality's hearing (s26 L11)
    strange = [v for v in check.state.hearing.villages if municipality is not None and municipality.villages
               and not known_village(v, municipality)]
    if strange:
        raise refused(path, Msg(N_("The hearing in the file is held in {villages}, which are not villages of "
                                   "{municipality} ({known}): it is not this municipality's hearing"),
                                villages=", ".join(strange), municipality=PlaceName(municipality.names),
                                known=Joined(tuple(PlaceName(v.names) for v in municipality.villages))))
    return against_server(ws, path, stream, hearing_id, check.records)


def against_server(ws: Any, path: Path, stream: str, label: str, records: list[Record]) -> Prepared:
    """What of ``records`` (checked, the whole stream as the laptop has it) the server lacks; ``SyncRefused`` when
    they are not a continuation of what the server has."""
    stored = ws.ledger.records(stream)
    if stored:
        try:
            check_chain(ws.ledger, stream)
        except ChainBroken as e:
            raise refused(path, e.message) from None
    for mine, theirs in zip(records, stored):
        if mine.hash != theirs.hash and travels(stream):
            # one stream per municipality (the group, the acts, the matches): records added on the laptop and on the
            # server (or another laptop) since the last hand-in both follow record seq-1; both cannot be record seq
            advice = (Msg(N_("Make the laptop's budget matches from that record on again on the server (pbtools "
                             "monitoring match PRIORITY CODE), then take a copy into a new workspace to go on from the "
                             "server's (pbtools sync pull ... --workspace NEW_FOLDER)"))
                      if stream == BUDGET_FOLLOW else
                      Msg(N_("Enter what the laptop added there (group members, acts) on the server, in the Monitoring "
                             "app, and pack the laptop's hearings without --monitoring from now on")))
            raise StreamDiverged(Msg(N_("{file} was not stored, nothing was changed:"), file=path.name), [
                Msg(N_("{stream} was recorded in two places since it was last handed in (on the server and on this "
                       "laptop): the two differ from record {seq} on, so the laptop's records cannot follow the "
                       "server's"), stream=stream, seq=mine.seq), advice], stream)
        if mine.hash != theirs.hash:
            raise refused(path, Msg(N_("The hearing {hearing} differs from what the server has from record {seq} on: "
                                       "the file is not a continuation of the hearing that was handed in before"),
                                    hearing=label, seq=mine.seq))
    head = records[-1] if len(records) >= len(stored) else stored[-1]
    return Prepared(path, stream, label, records, records[len(stored):], head)


def store(ws: Any, prepared: Prepared, actor: Actor, files: int = 0) -> HandedIn:
    """Append what ``prepare`` found new, as one transaction under the stream's lock, and log the hand-in."""
    path, stream, new = prepared.path, prepared.stream, prepared.new
    try:
        appended = append_verified(ws.ledger, stream, new)
    except (ChainMismatch, StreamSealed) as e:  # e.g. another hand-in of the same hearing a moment before
        raise refused(path, e.message) from None
    if appended:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        ws.ledger.append(SYNC_LOG, SYNC_RECEIVED, {"hearing": prepared.label, "stream": stream, "first": new[0].seq,
                                                   "last": new[-1].seq, "head_hash": new[-1].hash, "file": path.name,
                                                   "file_sha256": digest, "files": files},
                         actor=actor.name)
    return HandedIn(prepared.label, appended, prepared.head.seq, prepared.head.hash, ws.ledger.sealed(stream),
                    files=files)


def hand_in(ws: Any, path: Path | str, actor: Actor, check: AuditCheck | None = None, names: Any = None) -> HandedIn:
    """Store the hearing of audit file ``path`` in workspace ``ws`` (see the module's text). Raises ``NotAllowed``
    when ``actor`` may not hand in records, ``SyncRefused`` when the file is refused; nothing is stored then.
    ``check``: the file's ``checked`` already; ``names``: as ``prepare``'s."""
    actor.require(SYNC)
    return store(ws, prepare(ws, path, check, names), actor)
