"""The words and code lists a budget file is read with: sides, revenue groups, function codes, total rows.

Function codes follow the COFOG-based classification Kyrgyz local budgets use (701 ... 710). The list is only a
default: ``read_budget(path, functions=...)`` takes another mapping of code -> names.
"""

from __future__ import annotations

from typing import Mapping

from pbtools.budget.model import EXPENDITURE, REVENUE
from pbtools.budget.text import fold, starts_with_any

FUNCTIONS: Mapping[str, Mapping[str, str]] = {
    "701": {"ky": "Жалпы мамлекеттик кызматтар", "ru": "Общегосударственные услуги", "en": "General public services"},
    "702": {"ky": "Коргоо", "ru": "Оборона", "en": "Defence"},
    "703": {"ky": "Коомдук тартип жана коопсуздук", "ru": "Общественный порядок и безопасность", "en": "Public order and safety"},
    "704": {"ky": "Экономикалык маселелер", "ru": "Экономические вопросы", "en": "Economic affairs"},
    "705": {"ky": "Айлана-чөйрөнү коргоо", "ru": "Охрана окружающей среды", "en": "Environmental protection"},
    "706": {"ky": "Турак жай-коммуналдык кызматтар", "ru": "Жилищно-коммунальные услуги", "en": "Housing and community amenities"},
    "707": {"ky": "Саламаттыкты сактоо", "ru": "Здравоохранение", "en": "Health"},
    "708": {"ky": "Эс алуу, маданият жана дин", "ru": "Отдых, культура и религия", "en": "Recreation, culture and religion"},
    "709": {"ky": "Билим берүү", "ru": "Образование", "en": "Education"},
    "710": {"ky": "Социалдык коргоо", "ru": "Социальная защита", "en": "Social protection"},
}

REVENUE_GROUP_NAMES: Mapping[str, Mapping[str, str]] = {
    "own": {"ky": "Жергиликтүү кирешелер", "ru": "Собственные доходы", "en": "Own revenues"},
    "grant": {"ky": "Теңдештирүүчү грант", "ru": "Выравнивающий грант", "en": "Equalisation grant"},
    "special": {"ky": "Атайын эсеп", "ru": "Специальный счёт", "en": "Special account"},
    "transfers": {"ky": "Башка трансферттер", "ru": "Другие трансферты", "en": "Other transfers"},
    "other": {"ky": "Башка кирешелер", "ru": "Прочие доходы", "en": "Other revenues"},
}

# Word beginnings (folded: о у н for ө ү ң), checked in this order: "Башка трансферттер" is transfers, not other;
# only the equalisation grant is "grant": an incentive or targeted grant is another transfer.
_GROUP_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("special", ("специальн", "спецсчет", "спецсредств", "атайын", "special")),
    ("grant", ("выравнива", "тендештир", "equalis", "equaliz")),
    ("transfers", ("трансферт", "transfer", "субвенц", "субсид", "subsid", "грант", "grant")),
    ("own", ("собствен", "местные", "жергиликту", "own", "local", "налог", "салык", "салыг", "tax", "патент", "patent",
             "плат", "fee", "акы", "аренд", "ижара", "rent", "жайыт", "pasture")),
    ("other", ("проч", "башка", "other", "неналог")),
)
SIDE_WORDS = {
    REVENUE: ("доход", "киреше", "revenue", "receipt", "поступлен", "тушуу"),
    EXPENDITURE: ("расход", "чыгаша", "чыгым", "expenditure", "spending", "expense", "outlay"),
}
_TOTAL_WORDS = ("итог", "всего", "бардыгы", "бардык", "баары", "жыйынтык", "жалпы", "total", "subtotal")
_BALANCE_WORDS = ("дефицит", "профицит", "остат", "калдык", "balance", "deficit", "surplus", "тартыш", "ашык")


def side_of(text: str) -> str | None:
    """REVENUE or EXPENDITURE when ``text`` names one side (and not both), else None."""
    found = [side for side, prefixes in SIDE_WORDS.items() if starts_with_any(text, prefixes)]
    return found[0] if len(found) == 1 else None


def revenue_group_of(text: str) -> str | None:
    """The revenue group a heading, group cell or line name names: 'own', 'grant', ... or None."""
    if fold(text) in REVENUE_GROUP_NAMES:  # the keys themselves are accepted in a Group column
        return fold(text)
    for group, prefixes in _GROUP_WORDS:
        if starts_with_any(text, prefixes):
            return group
    return None


def function_of(text: str, functions: Mapping[str, Mapping[str, str]]) -> str | None:
    """The function code a heading or group cell names: by its code ("709", "709 Образование") or by its name."""
    first = fold(text).split(" ")[0] if fold(text) else ""
    digits = "".join(ch for ch in first if ch.isdigit())
    if digits in functions:
        return digits
    folded = fold(text)
    for code, names in functions.items():
        if any(fold(name) == folded for name in names.values() if name):
            return code
    return None


def function_prefix(code: str, functions: Mapping[str, Mapping[str, str]]) -> str | None:
    """The function a line code belongs to when it starts with a function code: "70911" -> "709"."""
    matches = [f for f in functions if code.startswith(f)]
    return max(matches, key=len) if matches else None


def is_total(text: str) -> bool:
    return starts_with_any(text, _TOTAL_WORDS)


def is_balance(text: str) -> bool:
    return starts_with_any(text, _BALANCE_WORDS)
