"""The whole workspace checked: every stream of its ledger (hearings, monitoring, the workspace's own) recomputed,
and every photo or document the monitoring records name found in the folder unchanged. ``pbtools verify
--workspace DIR`` prints it; a screen can show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pbtools.monitoring import MonitoringService
from pbtools.monitoring.files import check_files
from pbtools.monitoring.records import is_monitoring


@dataclass(frozen=True)
class StreamCheck:
    stream: str
    records: int
    problems: tuple  # pbtools.storage.chain.Problem, each with its Msg


def check_workspace(ws: Any) -> list[StreamCheck]:
    """One ``StreamCheck`` per stream, in name order; a stream with problems has them all."""
    checks = []
    service = MonitoringService(ws)
    files: dict[str, list] = {}
    for stream, seq, attachment in service._all_attachments():
        files.setdefault(stream, []).append((stream, seq, attachment))
    for stream in ws.ledger.streams():
        problems = list(ws.ledger.verify(stream))
        if is_monitoring(stream):
            problems += check_files(ws, files.get(stream, []))
        checks.append(StreamCheck(stream, ws.ledger.head(stream), tuple(problems)))
    return checks
