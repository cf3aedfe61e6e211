"""What each column of a services file holds, from its header (ky/ru/en, any case, with or without ө ү ң).

Code and name columns are recognised as in a budget file (``pbtools.budget.headers.classify``); the others by the
beginnings of their words below. A cost column's header names its item after the key word ("Чыгым: электр
энергиясы", "Расходы: зарплата", "Cost: chlorine"), a tariff column's what it is for ("Тариф: кран үйдө, үй-бүлө /
жыл"), including whom it is charged to (a household unless a person is named) and for what time (a year unless a
month is named).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pbtools.budget.headers import CODE, NAME, classify, unit_of
from pbtools.budget.text import fold, has_word, script_language, starts_with_any
from pbtools.services.model import CONTRACTOR, ENTERPRISE, HOUSEHOLD, MONTH, MUNICIPALITY, PERSON, YEAR

ID, VILLAGES, HOUSEHOLDS, PEOPLE, PROVIDER, RATE, LINES, COST, TARIFF = (
    "id", "villages", "households", "people", "provider", "rate", "lines", "cost", "tariff")

# checked in this order, before code and name: "Статья бюджета" is the budget lines, not a name
_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (COST, ("чыгым", "чыгаш", "расход", "затрат", "cost", "expens")),
    (TARIFF, ("тариф", "tariff")),
    (LINES, ("бюджет", "budget")),
    (PROVIDER, ("ким", "поставщ", "исполнит", "оказыва", "provid", "deliver", "жеткир")),
    (RATE, ("жыйн", "собира", "collect")),
    (HOUSEHOLDS, ("уй", "тутун", "домохоз", "двор", "household")),
    (PEOPLE, ("калк", "адам", "насел", "жител", "people", "population", "resident")),
    (VILLAGES, ("айыл", "сел", "village", "населен")),
)
_PERSON = frozenset({"киши", "адам", "жан", "человек", "чел", "на человека", "person", "per person", "capita"})
_MONTH = frozenset({"ай", "айына", "айлык", "мес", "месяц", "в месяц", "месячн", "month", "monthly", "per month"})


@dataclass(frozen=True)
class ServiceColumn:
    index: int
    header: str
    role: str | None
    item: str = ""  # a cost's or tariff's name, from the header
    lang: str = ""  # the language of a name column, or of the item's name
    unit: Decimal | None = None  # a cost column's stated unit (thousand som)
    payer: str = HOUSEHOLD  # a tariff's
    period: str = YEAR


def _rest(header: str) -> str:
    """What a cost or tariff header says after its key word: "Чыгым: электр энергиясы" -> "электр энергиясы"."""
    if ":" in header:
        return header.split(":", 1)[1].strip()
    parts = header.split(None, 1)
    return parts[1].strip(" -–—") if len(parts) > 1 else ""


_KY_WORDS = frozenset({"жыл", "жылына", "жылдык", "киши", "ай", "айына", "айлык", "уй", "уйдогу", "чыгым", "чыгашалар", "чыгаша"})


def _item_lang(header: str, item: str) -> str:
    """The language a cost's or tariff's header is written in: Kyrgyz words Kyrgyz even without ө ү ң."""
    lang = script_language([header])
    return "ky" if lang == "ru" and has_word(header, _KY_WORDS) else lang


def column_of(index: int, header: str) -> ServiceColumn:
    header = header.strip()
    if not header:
        return ServiceColumn(index, header, None)
    role = next((r for r, prefixes in _WORDS if starts_with_any(header.split(":")[0], prefixes)), None)
    if role in (COST, TARIFF):
        item = re.sub(r"\(?\s*(тыс\.?|миң|thousand)?\s*(сом|som|kgs)\.?\s*\)?\s*$", "", _rest(header), flags=re.I).strip(" ,")
        lang = _item_lang(header, item)
        if role == COST:
            return ServiceColumn(index, header, COST, item, lang, unit_of(header))
        tail = header.split(":", 1)[-1]
        payer = PERSON if has_word(tail, _PERSON) or starts_with_any(tail, ("человек", "person")) else HOUSEHOLD
        period = MONTH if has_word(tail, _MONTH) or starts_with_any(tail, ("месяц", "month")) else YEAR
        return ServiceColumn(index, header, TARIFF, item, lang, payer=payer, period=period)
    if role is not None:
        return ServiceColumn(index, header, role)
    found = classify(index, header)
    if found.role == CODE or fold(header) in ("id", "№", "no"):
        return ServiceColumn(index, header, ID)
    if found.role == NAME:
        return ServiceColumn(index, header, NAME, lang=found.lang or "")
    return ServiceColumn(index, header, None)


_PROVIDERS = (
    (ENTERPRISE, ("муниципалдык ишкана", "ишкана", "мп", "муп", "предприят", "enterprise", "сооп", "сообщ", "ассоц", "association")),
    (CONTRACTOR, ("подряд", "контракт", "частн", "жеке", "contractor", "private", "company", "ооо", "осоо")),
    (MUNICIPALITY, ("айыл окмот", "айыл окмоту", "ао", "муниципалитет", "мэри", "municipal", "ayil okmotu", "аймак")),
)


def provider_of(text: str) -> str | None:
    """MUNICIPALITY, ENTERPRISE or CONTRACTOR as a register writes it ("МП «Суу»", "айыл өкмөтү", "подрядчик")."""
    folded = fold(text)
    if folded in ("municipality", "enterprise", "contractor"):
        return folded
    for provider, prefixes in _PROVIDERS:
        if any(f" {p}" in f" {folded}" for p in prefixes):
            return provider
    return None


def split_list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"[;,/\n]+", text) if p.strip())
