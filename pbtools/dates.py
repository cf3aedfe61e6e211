"""Days as people type them, read the one way everywhere: "2026-05-14" or "14.05.2026" (the way dates are written in
Kyrgyzstan; also 14/05/2026 and 14.05.26), a workbook's date cell, or a moment ("2026-05-14T10:00"). The core keeps
every day in ISO form (2026-05-14), so a day is read at the edge where it is typed, and a day that is no date is
refused with the one message, naming the field and the forms it takes, in ky/ru/en.

Shown the one way too: ``shown_day`` on every screen (31.10.2026 in ky and ru; ``Day`` inside a message), ``long_day``
in printed documents ("31 октября 2026 г."), ``sheet_day_format`` for a workbook's date cells.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date

from pbtools.i18n import N_, Msg, check_lang, named_field

SHAPES = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y")
NO_DAY = {"-", "–", "—", "−"}  # a dash, as in a budget file's cell: nothing written
# A screen's form of a day per language: each is one that parse_date reads, so a day copied off a screen can be typed
# back. English keeps ISO: its locale's own short form (10/31/26) is read the other way round by a ky/ru reader.
SHOWN = {"ky": "%d.%m.%Y", "ru": "%d.%m.%Y", "en": "%Y-%m-%d"}
NOT_A_DATE = N_("{value} is not a date (write it as 2026-05-14 or 14.05.2026)")


def parse_date(value: Any) -> str | None:
    """The ISO day ``value`` means; "" for empty or a dash; None when it is no date (31.02.2026, "May")."""
    if value is None:
        return ""
    if isinstance(value, date):  # a datetime too: its day
        return value.isoformat()[:10]
    text = str(value).strip()
    if not text or text in NO_DAY:
        return ""
    text = text[:10] if len(text) > 10 and text[10] in "T " else text
    for shape in SHAPES:
        try:
            return datetime.strptime(text, shape).date().isoformat()
        except ValueError:
            continue
    return None


def as_typed(day: Any) -> Any:
    """A day as people write it ("14.05.2026") in ISO; what is no date is left as it is, for the check to name it."""
    return parse_date(day) or day if isinstance(day, str) else day


def is_iso_day(value: Any) -> bool:
    """Whether ``value`` is a day as the core keeps it: text in ISO form (what a record or a check expects)."""
    return isinstance(value, str) and bool(value) and parse_date(value) == value


def not_a_date(value: Any, field: str | None = None) -> Msg:
    """The one message for a day that is no date: "Date of the visit: 31.02.2026 is not a date (write it as
    2026-05-14 or 14.05.2026)"; ``field`` is the field's name (a message id), left out where the message is already
    said of a place that names it (a file's row and column)."""
    problem = Msg(NOT_A_DATE, value=str(value).strip())
    return named_field(field, problem) if field else problem


def read_date(value: Any, field: str, required: bool = False) -> tuple[str, Msg | None]:
    """A typed day in ISO, and the problem (None when there is none): ("2026-05-14", None) for "14.05.2026";
    ("", None) for empty unless ``required`` (then "not given")."""
    day = parse_date(value)
    if day is None:
        return "", not_a_date(value, field)
    if not day and required:
        return "", named_field(field, Msg(N_("not given")))
    return day, None


def shown_day(day: Any, lang: str | None, missing: str = "—") -> str:
    """A day as a screen in ``lang`` shows it: "31.10.2026" (ky, ru), "2026-10-31" (en); a moment gives its day;
    ``missing`` when there is none. What is no day (an older record's text) is shown as it is, never hidden."""
    shape = SHOWN[check_lang(lang)]
    if isinstance(day, date):  # a datetime too
        return day.strftime(shape)
    iso = parse_date(day)
    if iso == "":
        return missing
    return str(day) if iso is None else date.fromisoformat(iso).strftime(shape)


class Day(Msg):
    """An ISO day inside a message (``Msg``) the core makes before anyone knows the language, shown as the screen it
    is said on writes days (``shown_day``): «2026-12-07» stayed ISO on a ky/ru screen."""

    def __init__(self, day: Any) -> None:
        super().__init__("{day}", day=day)

    def render(self, lang: str) -> str:
        return shown_day(self.params["day"], lang)


def sheet_day_format(lang: str | None) -> str:
    """The number format of a workbook's date cell in ``lang``: the cell stays a real date (sorted, counted), shown as
    the language's screens write it ("dd.mm.yyyy" in ky and ru, "yyyy-mm-dd" in en)."""
    return SHOWN[check_lang(lang)].replace("%d", "dd").replace("%m", "mm").replace("%Y", "yyyy")


def long_day(day: str, lang: str | None) -> str:
    """An ISO day written out as the language writes it in a printed document ("31 октября 2026 г."); "—" when there
    is none."""
    return format_date(date.fromisoformat(day), "long", locale=check_lang(lang)) if day else "—"
