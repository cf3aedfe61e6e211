"""Reading the monitoring records: every read checks the hash chain of the streams it reads first (a record changed
behind pbtools' back stops it: ``ChainBrokenError``), then folds them (``fold.py``) into the model's dataclasses.
``MonitoringReader`` is the reading half of ``MonitoringService`` (``service.py``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pbtools.i18n import N_, Msg
from pbtools.monitoring import fold as F, records as R
from pbtools.monitoring.errors import ChainBrokenError, FileRefused, NoSuchAct, NoSuchProject
from pbtools.monitoring.files import FOLDER, check_files
from pbtools.monitoring.model import Act, Attachment, HistoryEntry, Member, Project, is_overdue
from pbtools.storage.write_check import read_point


class MonitoringReader:
    """The monitoring records of one workspace (``pbtools.storage.open_workspace``), read."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def verify(self) -> list:
        """Every monitoring stream's chain recomputed: the ledger's ``Problem``s (empty: all intact)."""
        problems = []
        for stream in self._streams():
            problems += self.ws.ledger.verify(stream)
        return problems + check_files(self.ws, self._all_attachments())

    def _streams(self) -> list[str]:
        return [s for s in self.ws.ledger.streams() if R.is_monitoring(s)]

    def _read(self, stream: str) -> list:
        """The records of ``stream``, after its chain verified."""
        problems = self.ws.ledger.verify(stream)
        if problems:
            raise ChainBrokenError(Msg(N_("The monitoring records in {stream} do not verify at record {seq}: {problem}. "
                                          "Nothing is shown from them, because it cannot be trusted: restore the "
                                          "workspace from its latest backup, and report the change."),
                                       stream=stream, seq=problems[0].seq, problem=problems[0].message), problems)
        return self.ws.ledger.records(stream)

    def _project_records(self, project_id: str) -> tuple[Project, list]:
        """The project and its records, read once (``NoSuchProject`` when it has no creation record)."""
        records = self._read(R.project_stream(project_id)) if project_id in self.project_ids() else []
        project = F.fold_project(project_id, records)
        if project is None:
            raise NoSuchProject(project_id)
        return project, records

    def project_ids(self) -> list[str]:
        return [s[len(R.PROJECT_PREFIX):] for s in self._streams() if s.startswith(R.PROJECT_PREFIX)]

    def projects(self) -> list[Project]:
        """Every monitored project, in the order created."""
        found = [p for p in (F.fold_project(pid, self._read(R.project_stream(pid))) for pid in self.project_ids()) if p]
        return sorted(found, key=lambda p: (p.created_at, p.id))

    def project(self, project_id: str) -> Project:
        return self._project_records(project_id)[0]

    def history(self, project_id: str) -> list[HistoryEntry]:
        """Every record of the project: who, when, what before and after (its hash too, for an audit)."""
        return F.history(self._project_records(project_id)[1])

    def members(self, include_removed: bool = False) -> list[Member]:
        return [m for m in self.members_read()[0] if include_removed or m.active]

    def members_read(self) -> tuple[list[Member], tuple[int, str]]:
        """Every member (removed ones too), and (seq, hash) of the group's last record they were folded from ((0,
        ""): none yet): a write decided on them is written only while that record is still on disk."""
        records = self._read(R.GROUP) if R.GROUP in self.ws.ledger.streams() else []
        return list(F.fold_members(records).values()), read_point(records)

    def acts(self, project_id: str | None = None) -> list[Act]:
        """Acts in the order filed (of one project when given), each with its correction and responses."""
        return [a for a in self.acts_read()[0] if project_id is None or a.project_id == project_id]

    def acts_read(self) -> tuple[list[Act], tuple[int, str]]:
        """Every act, and (seq, hash) of the last record they were folded from ((0, ""): none yet): a write decided
        on them is written only while that record is still on disk (``storage.decided_on``)."""
        records = self._read(R.ACTS) if R.ACTS in self.ws.ledger.streams() else []
        return list(F.fold_acts(records).values()), read_point(records)

    def act(self, act_id: str) -> Act:
        for a in self.acts():
            if a.id == act_id:
                return a
        raise NoSuchAct(act_id)

    def overdue(self, today: date) -> list[Act]:
        """Acts whose response deadline passed before ``today`` with no response recorded (and not corrected)."""
        return [a for a in self.acts() if is_overdue(a, today)]

    def file_path(self, attachment: Attachment, thumbnail: bool = False) -> Path:
        """Where a stored photo or document (or its thumbnail; a document has none: the document) is on disk. Always
        inside the workspace's ``monitoring-files`` folder: a record naming anything else is refused."""
        root = (Path(self.ws.path) / FOLDER).resolve()
        path = (Path(self.ws.path) / (attachment.thumbnail if thumbnail and attachment.thumbnail else attachment.stored)).resolve()
        if not path.is_relative_to(root):
            raise FileRefused(Msg(N_("The file {file} is recorded outside the workspace's folder of photos and documents"),
                                  file=attachment.name))
        return path

    def _all_attachments(self) -> list[tuple[str, int, Attachment]]:
        """(stream, seq, attachment) of every file recorded, for ``verify``."""
        found = []
        for stream in self._streams():
            for r in self.ws.ledger.records(stream):
                if r.kind == R.FILE_ADDED:
                    found.append((stream, r.seq, R.attachment(r.payload)))
                elif r.kind == R.ACT_FILED:
                    found += [(stream, r.seq, R.attachment(a)) for a in r.payload.get("photos", ())]
        return found
