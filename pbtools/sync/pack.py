"""The laptop's side of a hand-in from a USB stick: ``pack`` writes the folder ``sync.folder`` hands in.

    packed = pack(ws, "E:/ak-suu-2026-05", hearings=["2026-05-14-a1b2"])            # that hearing only
    packed = pack(ws, "E:/ak-suu-2026-05", hearings=[...], monitoring=True)         # and the monitoring

Only what is asked for goes on the stick: the hearings named (none named: every hearing), and the monitoring streams
(projects, the group, acts, with the photos and documents their records name, and the budget matches:
``monitoring.records.travels``) only with ``monitoring=True``. The
monitoring of a municipality is one record for all its laptops and its server, and what a hearing's hand-in carried
along unasked (the demo's fictional projects, say) could never be taken out of that append-only record again.

The demo workspace (``pbtools demo``, ``make run``) is marked as such (``demo.DEMO_SETTING``: its hearing and its
monitoring streams): its fictional hearing and monitoring never leave the laptop. Naming the demo's hearing, or
asking for monitoring on a workspace whose monitoring streams are the demo's, is refused (``PackRefused``) and
nothing is written; without ``--hearing`` the demo's hearing is left out and the summary says so.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pbtools.i18n import N_, Msg
from pbtools.paths import file_in, private_file, private_folder, write_private
from pbtools.storage.errors import StorageError

MANIFEST = "pbtools-hand-in.json"
FORMAT = "pbtools-hand-in"
FORMAT_VERSION = 1
# where the monitoring store keeps a file: its folder, the original hash's first two digits, that hash, a short suffix
STORED = re.compile(r"monitoring-files/([0-9a-f]{2})/([0-9a-f]{64})(\.[a-z0-9]{1,10})?")


class PackRefused(StorageError):
    """Nothing was written: ``message`` says why, in any language."""


@dataclass(frozen=True)
class NamedFile:
    """A photo or document a monitoring record names."""

    stream: str
    seq: int
    attachment: Any  # monitoring.model.Attachment


@dataclass
class Packed:
    """What ``pack`` wrote: the hearings' ids, the monitoring streams, how many photos and documents."""

    path: Path
    hearings: list[str] = field(default_factory=list)
    streams: list[str] = field(default_factory=list)
    files: int = 0
    left_out: list[str] = field(default_factory=list)  # the demo's hearing and practice hearings, never packed

    def summary(self) -> list[Msg]:
        said = [Msg(N_("Hearings packed: {hearings}"), hearings=", ".join(self.hearings) or "—")]
        if self.streams:
            said.append(Msg(N_("Monitoring packed: {streams}; photos and documents: {files}"),
                            streams=", ".join(self.streams), files=self.files))
        else:
            said.append(Msg(N_("No monitoring was packed (pbtools sync pack --monitoring packs it too)")))
        if self.left_out:
            said.append(Msg(N_("Left out: the demo's fictional hearing or practice hearings {hearings}; they never "
                                "leave this laptop"), hearings=", ".join(self.left_out)))
        return said


def file_name(name: str) -> str:
    """``name`` (a hearing's id, a stream's) as a file name on any USB stick's file system."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", name)


def stream_file_name(stream: str) -> str:
    return "monitoring/" + file_name(stream) + ".jsonl"


def named_files(records: list) -> list[NamedFile]:
    """The files monitoring ``records`` name: a project's photo or document, an act's photos."""
    from pbtools.monitoring import records as M

    found = []
    for r in records:
        if r.kind == M.FILE_ADDED:
            found.append(NamedFile(r.stream, r.seq, M.attachment(r.payload)))
        elif r.kind == M.ACT_FILED:
            found += [NamedFile(r.stream, r.seq, M.attachment(a)) for a in r.payload.get("photos", ())]
    return found


def _practice(ws: Any, hearing_id: str) -> bool:
    from pbtools.hearings.store import state

    st = state(ws, hearing_id)
    return st.hearing is not None and st.hearing.practice


def _chosen(ws: Any, hearings: list[str] | None, monitoring: bool) -> tuple[list[str], list[str], list[str]]:
    """(hearings, monitoring streams, demo hearings left out) to pack; ``PackRefused`` for what may not be."""
    from pbtools.demo import demo_parts
    from pbtools.hearings.store import hearing_ids
    from pbtools.monitoring import records as M

    demo_hearings, demo_streams = demo_parts(ws)
    have = hearing_ids(ws)
    # a practice hearing (a training's mock one) is refused by the server: it stays here like the demo's
    demo_hearings = demo_hearings | {h for h in have if _practice(ws, h)}
    if hearings is None:
        chosen, left_out = [h for h in have if h not in demo_hearings], [h for h in have if h in demo_hearings]
    else:
        chosen, left_out = list(dict.fromkeys(hearings)), []
        missing = [h for h in chosen if h not in have]
        if missing:
            raise PackRefused(Msg(N_("There is no hearing {hearings} in this workspace: nothing was written"),
                                  hearings=", ".join(missing)))
        demo = [h for h in chosen if h in demo_hearings]
        if demo:
            raise PackRefused(Msg(N_("{hearings} is the demo's fictional hearing or a practice hearing: it is never "
                                     "handed in, nothing was written"), hearings=", ".join(demo)))
    streams = [s for s in ws.ledger.streams() if M.travels(s)] if monitoring else []
    demo = [s for s in streams if s in demo_streams]
    if demo:
        raise PackRefused(Msg(N_("The monitoring of this workspace is the demo's fictional one ({streams}): it is "
                                 "never handed in, nothing was written. Pack the hearing without --monitoring; enter "
                                 "real monitoring in a workspace of your municipality (pbtools sync pull)"),
                              streams=", ".join(demo)))
    return chosen, streams, left_out


def pack(ws: Any, out: Path | str, hearings: list[str] | None = None, monitoring: bool = False) -> Packed:
    """Write the hand-in folder of workspace ``ws`` to ``out`` (made if missing; files already there are replaced):
    the hearings given (default: every one but the demo's), every monitoring stream and every file those name
    when ``monitoring``. ``PackRefused`` (nothing written): a hearing not there, the demo's hearing or monitoring."""
    from pbtools.reports.audit import audit_lines, write_audit
    from pbtools.storage.record import canonical_json

    chosen, streams, left_out = _chosen(ws, hearings, monitoring)
    out = private_folder(out)  # hearing and monitoring data: owner-only, as the workspace
    written_hearings, written_streams = [], []
    for hearing_id in chosen:
        name = "hearing-" + file_name(hearing_id) + ".jsonl"
        write_audit(ws, hearing_id, file_in(out, name))
        written_hearings.append(name)
    files = []
    for stream in streams:
        records = ws.ledger.records(stream)
        name = stream_file_name(stream)
        private_folder((out / name).parent)
        lines = audit_lines("", records)
        header = json.loads(lines[0]) | {"stream": stream}  # the audit file's header, for a stream of no hearing
        write_private(out / name, "\n".join([canonical_json(header)] + lines[1:]) + "\n")
        written_streams.append(name)
        files += named_files(records)
    for named in files:
        source = Path(ws.path) / named.attachment.stored
        if STORED.fullmatch(named.attachment.stored) and source.is_file():  # a missing one is named on hand-in
            private_folder((out / named.attachment.stored).parent)
            with private_file(out / named.attachment.stored) as tmp:
                shutil.copyfile(source, tmp)
    municipality = ws.municipality()
    stored = sorted({f.attachment.stored for f in files})
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION,
                "municipality": dict(municipality.names) if municipality else {},
                "hearings": written_hearings, "streams": written_streams, "files": stored}
    write_private(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return Packed(out, chosen, streams, len(stored), left_out)
