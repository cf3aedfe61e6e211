"""The ledger records of monitoring: stream names, record kinds, and how model objects become JSON and back.

Each monitored project is one stream ``monitoring:project:<id>``; the group's member list is the stream
``monitoring:group``; acts and the municipality's responses are the stream ``monitoring:acts``. The group's matches of
the budget's lines to the hearings' priorities ("did the budget follow the hearing?", ``monitoring.follow``) are the
stream ``budget-follow``, named before it travelled and kept so (workspaces hold it under that name): ``travels``
says which streams go between the laptops and the server as the municipality's monitoring. Payloads are plain
JSON: money as text (exact), dates as ISO text. Every change of a project is a ``project.changed`` record holding the
fields before and after, so the history says who changed what, when, from what to what.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from decimal import Decimal
from typing import Any, Mapping

from pbtools.monitoring.model import Attachment, Funding, HearingLink, Milestone

PREFIX = "monitoring:"
PROJECT_PREFIX = "monitoring:project:"
GROUP = "monitoring:group"
ACTS = "monitoring:acts"
BUDGET_FOLLOW = "budget-follow"

PROJECT_CREATED = "project.created"  # payload: the project's fields; key "created" (a project is created once)
PROJECT_CHANGED = "project.changed"  # payload: {"before": {...}, "after": {...}} of the changed fields
MILESTONE_ADDED = "milestone.added"  # payload: the milestone
MILESTONE_DONE = "milestone.done"  # payload: {"id", "done"}
FILE_ADDED = "file.added"  # payload: the attachment; key: its original_sha256 (the same file twice is kept once)
MEMBER_ADDED = "member.added"  # payload: the member
MEMBER_REMOVED = "member.removed"  # payload: {"id", "date"}
ACT_FILED = "act.filed"  # payload: the act; key: its id
RESPONSE_RECORDED = "act.response"  # payload: {"act", "text", "date"}
CREATED_KEY = "created"


def project_stream(project_id: str) -> str:
    return PROJECT_PREFIX + project_id


def is_monitoring(stream: str) -> bool:
    return stream.startswith(PREFIX)


def travels(stream: str) -> bool:
    """``stream`` is the municipality's monitoring that laptops hand in and pull (``sync``): the projects, the group,
    the acts and the budget matches. The one place that says so: pack, hand-in, pull and the demo's mark ask it."""
    return stream.startswith(PREFIX) or stream == BUDGET_FOLLOW


def plain(value: Any) -> Any:
    """A value as JSON holds it: Decimal as text, dataclasses as dicts, tuples as lists."""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "__dataclass_fields__"):
        return {k: plain(v) for k, v in asdict(value).items()}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    return value


def funding(data: Mapping[str, Any] | None) -> Funding:
    data = data or {}
    return Funding(**{f.name: Decimal(str(data.get(f.name, "0"))) for f in fields(Funding)})


def _build(cls: type, data: Mapping[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})  # unknown keys (a newer version's) ignored


def attachment(data: Mapping[str, Any]) -> Attachment:
    return _build(Attachment, data)


def milestone(data: Mapping[str, Any]) -> Milestone:
    return _build(Milestone, data)


def link(data: Mapping[str, Any] | None) -> HearingLink | None:
    return _build(HearingLink, data) if data else None


def field_value(name: str, value: Any) -> Any:
    """A project field from its JSON payload value."""
    if name in ("planned", "actual"):
        return funding(value)
    if name == "titles":
        return dict(value or {})
    if name == "percent":
        return int(value or 0)
    if name == "link":
        return link(value)
    return value
