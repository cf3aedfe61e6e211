"""Amounts as municipalities type them: "12 345,6", "12.345,6", "12345.6", "1 234 567", "(120)", "-", "—".

Thousands may be separated by spaces, non-breaking spaces or dots; the decimal mark is a comma or a point. A lone
point or comma followed by exactly three digits ("1.234", "1,234") is ambiguous, so the whole file decides: if any
amount in it shows a decimal comma (or several dots), such a point separates thousands; if any shows a decimal
point (or several commas), such a comma separates thousands. Otherwise the mark is read as the decimal mark.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pbtools.i18n import N_, Msg

DASHES = {"-", "–", "—", "−"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_SHAPE = re.compile(r"^\d[\d.,]*$")
COMMA, POINT = "comma", "point"  # which decimal mark a file uses


# The most som pbtools reads or keeps, typed in a form or read from a file (a budget, an agenda, an action plan, a
# register): ten trillion som, some twenty times the republic's whole yearly budget, so no budget line, option,
# hearing or project comes near it. A longer figure is a typing or export error (digits run together, tyiyn read as
# som), refused by name rather than carried into every sum and message that quotes it.
MAX_SOM = Decimal(10) ** 13
TOO_LARGE = N_("{value} is more than pbtools takes: at most {max} som (check the figure and its unit)")


class NotANumber(ValueError):
    pass


class TooLarge(NotANumber):
    """An amount past ``MAX_SOM``: a number (``value``), but not one of som that pbtools takes. A reader that checks
    the range itself, with its own words (a hearing's ``checks.amount_problems``), takes ``value`` to say so."""

    def __init__(self, value: Decimal) -> None:
        super().__init__(str(value))
        self.value = value


def max_som() -> str:
    """``MAX_SOM`` as every message says it: "10 000 000 000 000" (digits grouped by spaces, as in ky and ru)."""
    return f"{MAX_SOM:,.0f}".replace(",", " ")


def too_large(value: object) -> Msg:
    """The one message for an amount past ``MAX_SOM``, quoting it as typed (its first 40 characters: a cell may
    hold hundreds of digits)."""
    text = str(value).strip()
    return Msg(TOO_LARGE, value=text[:40] + ("…" if len(text) > 40 else ""), max=max_som())


_ASCII_WHOLE = re.compile(r"[0-9]+")


_SIGNED_WHOLE = re.compile("([" + "".join(map(re.escape, sorted(DASHES))) + r"])?\s*([0-9]+)")


def whole_number(text: str, signed: bool = False) -> int | None:
    """``text`` as a whole number when it is ASCII digits only, else None. The one rule for a typed count, number
    or percent: str.isdigit() also takes "²", "١" or "１", which int() refuses or reads as another digit.
    ``signed``: one minus (a dash of any kind, as a budget's cells write it) may come first ("-5", "− 5"), for a box
    whose range check names the number typed rather than calling it no number."""
    if signed:
        found = _SIGNED_WHOLE.fullmatch(text)
        return None if found is None else (-1 if found[1] else 1) * int(found[2])
    return int(text) if _ASCII_WHOLE.fullmatch(text) else None


def checked(value: Decimal) -> Decimal:
    """``value`` when it is a finite amount of at most ``MAX_SOM`` either way; raises NotANumber (NaN, infinity) or
    TooLarge."""
    if not value.is_finite():
        raise NotANumber(str(value))
    if abs(value) > MAX_SOM:
        raise TooLarge(value)
    return value


def _strip(text: str) -> tuple[str, bool]:
    s = text.strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        s, negative = s[1:-1].strip(), True
    if s[:1] in DASHES and len(s) > 1:
        s, negative = s[1:].strip(), not negative
    return s, negative


def decimal_mark_evidence(text: str) -> str | None:
    """COMMA or POINT when ``text`` alone shows which decimal mark it uses, else None."""
    s, _ = _strip(text)
    s = _SPACES.sub("", s)
    if not _SHAPE.match(s):
        return None
    commas, points = s.count(","), s.count(".")
    if commas and points:
        return COMMA if s.rfind(",") > s.rfind(".") else POINT
    if commas == 1 and len(s) - s.rfind(",") - 1 != 3:
        return COMMA
    if commas > 1:
        return POINT  # several commas can only be thousand separators
    if points > 1:
        return COMMA  # several dots can only be thousand separators
    if points == 1 and len(s) - s.rfind(".") - 1 != 3:
        return POINT
    return None


def _check_groups(integer: str, separators: str, original: str) -> str:
    parts = re.split(f"[{re.escape(separators)}]", integer) if separators else [integer]
    if len(parts) > 1 and (not parts[0] or len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:])):
        raise NotANumber(original)
    return "".join(parts)


def parse_amount(text: str, decimal_mark: str | None) -> Decimal | None:
    """The amount ``text`` means; None for an empty cell, 0 for a dash. Raises NotANumber."""
    original = text
    if not text.strip():
        return None
    if text.strip() in DASHES:
        return Decimal(0)
    s, negative = _strip(text)
    # spaces are thousand separators; check they separate groups of three digits
    chunks = _SPACES.split(s)
    if len(chunks) > 1:
        head = chunks[-1]
        int_last = re.split("[.,]", head)[0]
        if not chunks[0].isdigit() or len(chunks[0]) > 3 or not all(c.isdigit() and len(c) == 3 for c in chunks[1:-1]) or len(int_last) != 3:
            raise NotANumber(original)
        s = "".join(chunks)
    if not _SHAPE.match(s):
        raise NotANumber(original)
    commas, points = s.count(","), s.count(".")
    if commas and points:
        mark = "," if s.rfind(",") > s.rfind(".") else "."
    elif commas:
        mark = "," if commas == 1 and not (decimal_mark == POINT and len(s) - s.rfind(",") - 1 == 3) else ""
    elif points:
        mark = "" if points > 1 or (decimal_mark == COMMA and len(s) - s.rfind(".") - 1 == 3) else "."
    else:
        mark = ""
    if mark:
        integer, _, fraction = s.rpartition(mark)
    else:
        integer, fraction = s, ""
    if not fraction.isdigit() and fraction:
        raise NotANumber(original)
    thousands = "".join({",", "."} - {mark}) if mark else ",."
    integer = _check_groups(integer, thousands, original)
    if not integer.isdigit():
        raise NotANumber(original)
    try:
        value = Decimal(f"{integer}.{fraction}" if fraction else integer)
    except InvalidOperation as e:  # pragma: no cover - the shape checks above leave only digits
        raise NotANumber(original) from e
    return checked(-value if negative else value)


_UNIT = re.compile(r"\s*(сом|som|kgs)\.?\s*$", re.IGNORECASE)


def parse_som(text: str, decimal_mark: str | None = None) -> Decimal | None:
    """An amount of som as a person types it in a form ("150 000", "1 200 000,50", "150 000 сом"): the unit
    dropped, then read as ``parse_amount`` reads a budget file's cell. None for empty, 0 for a dash. Raises
    NotANumber. The one money parser: forms, agendas and decisions read amounts through it."""
    return parse_amount(_UNIT.sub("", str(text).strip()), decimal_mark)
