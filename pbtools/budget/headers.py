"""Recognising the header row and what each column holds, from headers in Kyrgyz, Russian or English.

"Аткарылышы 2025, миң сом", "Исполнение 2025 (тыс. сом)", "Actual 2025" all mean: executed amounts of 2025 in
thousand som. Matching is on word beginnings after folding ө ү ң to о у н, so both Kyrgyz spellings are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pbtools.budget.codes import SIDE_WORDS
from pbtools.budget.text import fold, starts_with_any, words

CODE, NAME, SIDE, GROUP, PLAN, FORECAST, EXECUTED = "code", "name", "side", "group", "plan", "forecast", "executed"
AMOUNT_ROLES = (PLAN, FORECAST, EXECUTED)

_ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (EXECUTED, ("аткарыл", "исполн", "факт", "actual", "execut", "outturn")),
    (FORECAST, ("прогноз", "болжол", "forecast", "projection")),
    (PLAN, ("план", "plan", "бекитил", "утвержд", "approved")),
    (CODE, ("код", "code", "шифр", "кбк", "классификац", "classification")),
    (NAME, ("берене", "статья", "статьи", "item", "наименован", "аталыш", "name", "показател", "корсоткуч", "description", "мазмун")),
    # the kind of line (revenue or expenditure): "Вид", "Kind", "Түрү", "Тип", "Раздел", "Бөлүм"...
    (SIDE, ("side", "сторона", "тарап", "тип", "type", "туру", "вид", "kind", "раздел", "section", "болум")),
    (GROUP, ("group", "группа", "топ", "тобу", "function", "функц", "source", "источник", "булак")),
)
# A name column's language: from a marker such as "(ky)" or "кыргызча", else from the header word itself.
_LANG_CODES = {"ky": "ky", "kg": "ky", "кыр": "ky", "ru": "ru", "рус": "ru", "en": "en", "англ": "en"}
_LANG_PREFIXES = {"ky": ("kyrgyz", "кыргыз"), "ru": ("russian", "орус", "русск"), "en": ("english", "англис", "английск")}
_HEADER_LANG = {
    "ky": ("берене", "аталыш", "корсоткуч", "мазмун"),
    "ru": ("статья", "статьи", "наименован", "показател"),
    "en": ("item", "name", "description"),
}
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written
    role: str | None  # CODE, NAME, ... or None for a column pbtools does not read
    year: int | None = None
    unit: Decimal | None = None  # som per unit stated in the header ("тыс. сом" -> 1000), None when not stated
    lang: str | None = None  # for NAME columns: the language of the names, None when the header does not say


def unit_of(text: str) -> Decimal | None:
    """The unit stated in a header or title: thousand som -> 1000, million -> 1000000, som -> 1, else None."""
    folded = f" {fold(text)} "
    if re.search(r" (тыс|тысяч\w*|мин|миң|thousand|thousands|000) ", folded) or "тыс" in folded or "'000" in text:
        return Decimal(1000)
    if re.search(r" (млн|million|миллион\w*) ", folded):
        return Decimal(1000000)
    if re.search(r" (сом|som|kgs) ", folded):
        return Decimal(1)
    return None


def year_of(text: str) -> int | None:
    found = _YEAR.findall(str(text))
    return int(found[0]) if len(found) == 1 else None


def _name_lang(header: str) -> str | None:
    ws = words(header)
    marked = {_LANG_CODES[w] for w in ws if w in _LANG_CODES}
    marked |= {lang for lang, prefixes in _LANG_PREFIXES.items() if starts_with_any(header, prefixes)}
    if len(marked) == 1:
        return marked.pop()
    by_word = {lang for lang, prefixes in _HEADER_LANG.items() if starts_with_any(header, prefixes)}
    return by_word.pop() if len(by_word) == 1 else None


IGNORE = "ignore"  # a role a user gives a column pbtools must not read
ROLES = (CODE, NAME, SIDE, GROUP, PLAN, FORECAST, EXECUTED, IGNORE)


def classify(index: int, header: str, role: str | None = None) -> Column:
    """What column ``index`` holds, from its header; ``role``: what the user said it holds (one of ROLES)."""
    header = str(header).strip()
    if role is not None:
        if role == IGNORE:
            return Column(index, header, None)
        return Column(index, header, role, year=year_of(header), unit=unit_of(header), lang=_name_lang(header) if role == NAME else None)
    if not header or "%" in header:  # percentages of execution are derived, not read
        return Column(index, header, None)
    if all(starts_with_any(header, prefixes) for prefixes in SIDE_WORDS.values()):
        return Column(index, header, SIDE)  # "Киреше/чыгаша", "Доход/расход", "Revenue/expenditure"
    role = next((r for r, prefixes in _ROLE_WORDS if starts_with_any(header, prefixes)), None)
    if role in AMOUNT_ROLES:
        return Column(index, header, role, year=year_of(header), unit=unit_of(header))
    if role == NAME:
        return Column(index, header, role, lang=_name_lang(header))
    return Column(index, header, role)


def header_score(cells: tuple[object, ...], roles: dict[int, str] | None = None) -> tuple[bool, int]:
    """(is a complete header row, how many columns were recognised) for a candidate row."""
    roles = roles or {}
    roles = [classify(i, c if isinstance(c, str) else "", roles.get(i)).role for i, c in enumerate(cells) if isinstance(c, str) or i in roles]
    complete = CODE in roles and NAME in roles and any(r in AMOUNT_ROLES for r in roles)
    return complete, sum(r is not None for r in roles)
