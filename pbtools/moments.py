"""A moment the ledger keeps (in UTC) shown as the clock on the wall reads it, and saying its zone ("UTC+6").

The zone: the workspace's setting ``time_zone`` (an IANA name, "Asia/Bishkek"), which a central server's operator
sets per municipality (``pbtools time-zone``), since such a server often runs in UTC; without it, the machine's own
zone, which on a hall laptop is the one its clock is set to. Stored moments stay UTC: only what is shown moves.
In Kyrgyzstan (UTC+6) a time shown in UTC read six hours off.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

from pbtools.dates import shown_day
from pbtools.i18n import Msg

ZONE_SETTING = "time_zone"  # the workspace setting: an IANA name


def zone_named(name: object) -> tzinfo | None:
    """The zone of an IANA name ("Asia/Bishkek"); None when there is none or no such zone (the machine's is used)."""
    if not isinstance(name, str) or not name.strip():
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_moment(at: datetime, zone: tzinfo | None = None) -> datetime:
    """``at`` (UTC when it carries no zone, as SQLite gives it back) in ``zone``; the machine's zone when None."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(zone) if zone is not None else at.astimezone()


def zone_label(at: datetime) -> str:
    """The zone of a moment as its offset from UTC, readable in any language: "UTC+6", "UTC+5:30", "UTC"."""
    offset = at.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if not minutes:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '-'}{hours}" + (f":{rest:02d}" if rest else "")


def zone_now(zone: tzinfo | None = None) -> str:
    """``zone`` as ``zone_label`` says it today: for a column of times ("When (UTC+6)")."""
    return zone_label(local_moment(datetime.now(timezone.utc), zone))


def shown_moment(at: datetime, zone: tzinfo | None = None, lang: str | None = None) -> str:
    """A stored moment to the minute, in ``zone``, its day as a screen in ``lang`` writes it ("07.12.2026 15:38" in
    ky/ru; ISO in en or without a language): for a column whose head says the zone."""
    shown = local_moment(at, zone)
    return f"{shown_day(shown, lang) if lang else f'{shown:%Y-%m-%d}'} {shown:%H:%M}"


def moment_text(at: datetime, zone: tzinfo | None = None, lang: str | None = None) -> str:
    """A stored moment to the minute, in ``zone``, with its zone: "2026-12-07 15:38 (UTC+6)" ("07.12.2026 15:38
    (UTC+6)" on a ky/ru screen)."""
    return f"{shown_moment(at, zone, lang)} ({zone_label(local_moment(at, zone))})"


class Moment(Msg):
    """A stored moment inside a message (``Msg``), shown in ``zone`` with its zone (``moment_text``)."""

    def __init__(self, at: datetime, zone: tzinfo | None = None) -> None:
        super().__init__("{at}", at=at, zone=zone)

    def render(self, lang: str) -> str:
        return moment_text(self.params["at"], self.params["zone"], lang)
