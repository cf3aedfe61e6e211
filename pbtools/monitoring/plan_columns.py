"""The columns of an action plan (БАП/ПДМС) or of the projects' spreadsheet, recognised from headers in Kyrgyz,
Russian or English ("Пландалган наркы, миң сом", "Плановая стоимость (тыс. сом)", "Planned cost, som" all mean:
planned cost), on word beginnings after folding ө ү ң to о у н, as the budget import reads its headers. The headers
``plan_io.write_projects`` writes in each language are recognised exactly, so every field round-trips."""

from __future__ import annotations

from typing import Mapping

from pbtools.budget.text import fold, words

# Columns: the project's fields, money split into one column per part
MONEY_PARTS = ("cost", "local_budget", "grant", "community_money", "community_in_kind")
COLUMNS = (
    "id", "title_ky", "title_ru", "title_en", "village", "sector", "responsible", "contractor",
    *(f"planned_{p}" for p in MONEY_PARTS), *(f"actual_{p}" for p in MONEY_PARTS),
    "planned_start", "planned_finish", "actual_start", "actual_finish",
    "status", "status_date", "status_reason", "percent", "plan_ref", "budget_code", "notes",
)
TITLE = "title"  # a title column whose language is read from the text in it
LINK_COLUMNS = ("hearing", "question", "option", "votes")  # written for the reader, not read back: the ledger keeps the link
MONEY = {f"{w}_{p}" for w in ("planned", "actual") for p in MONEY_PARTS}
DATES = {"planned_start", "planned_finish", "actual_start", "actual_finish", "status_date"}

# The headers written, per language (and recognised exactly on import)
HEADERS: Mapping[str, Mapping[str, str]] = {
    "id": {"en": "Project id", "ru": "Код проекта", "ky": "Долбоордун коду"},
    "title_ky": {"en": "Title (ky)", "ru": "Название (кыргызча)", "ky": "Аталышы (кыргызча)"},
    "title_ru": {"en": "Title (ru)", "ru": "Название (по-русски)", "ky": "Аталышы (орусча)"},
    "title_en": {"en": "Title (en)", "ru": "Название (по-английски)", "ky": "Аталышы (англисче)"},
    "village": {"en": "Village", "ru": "Село", "ky": "Айыл"},
    "sector": {"en": "Sector", "ru": "Сфера", "ky": "Тармак"},
    "responsible": {"en": "Responsible person", "ru": "Ответственный", "ky": "Жооптуу адам"},
    "contractor": {"en": "Contractor", "ru": "Подрядчик", "ky": "Мердигер"},
    "planned_cost": {"en": "Planned cost, som", "ru": "Плановая стоимость, сом", "ky": "Пландалган наркы, сом"},
    "planned_local_budget": {"en": "Planned: local budget, som", "ru": "План: местный бюджет, сом", "ky": "План: жергиликтүү бюджет, сом"},
    "planned_grant": {"en": "Planned: grant, som", "ru": "План: грант, сом", "ky": "План: грант, сом"},
    "planned_community_money": {"en": "Planned: community contribution in money, som", "ru": "План: вклад сообщества деньгами, сом", "ky": "План: жамааттын салымы акчалай, сом"},
    "planned_community_in_kind": {"en": "Planned: community contribution in kind, som", "ru": "План: вклад сообщества в натуральной форме, сом", "ky": "План: жамааттын салымы заттай, сом"},
    "actual_cost": {"en": "Actual cost, som", "ru": "Фактическая стоимость, сом", "ky": "Иш жүзүндөгү наркы, сом"},
    "actual_local_budget": {"en": "Actual: local budget, som", "ru": "Факт: местный бюджет, сом", "ky": "Факт: жергиликтүү бюджет, сом"},
    "actual_grant": {"en": "Actual: grant, som", "ru": "Факт: грант, сом", "ky": "Факт: грант, сом"},
    "actual_community_money": {"en": "Actual: community contribution in money, som", "ru": "Факт: вклад сообщества деньгами, сом", "ky": "Факт: жамааттын салымы акчалай, сом"},
    "actual_community_in_kind": {"en": "Actual: community contribution in kind, som", "ru": "Факт: вклад сообщества в натуральной форме, сом", "ky": "Факт: жамааттын салымы заттай, сом"},
    "planned_start": {"en": "Planned start", "ru": "Плановое начало", "ky": "Пландалган башталышы"},
    "planned_finish": {"en": "Planned finish", "ru": "Плановое окончание", "ky": "Пландалган бүтүшү"},
    "actual_start": {"en": "Actual start", "ru": "Фактическое начало", "ky": "Иш жүзүндөгү башталышы"},
    "actual_finish": {"en": "Actual finish", "ru": "Фактическое окончание", "ky": "Иш жүзүндөгү бүтүшү"},
    "status": {"en": "Status", "ru": "Статус", "ky": "Абалы"},
    "status_date": {"en": "Status date", "ru": "Дата статуса", "ky": "Абалынын күнү"},
    "status_reason": {"en": "Status reason", "ru": "Причина статуса", "ky": "Абалынын себеби"},
    "percent": {"en": "Percent complete", "ru": "Процент выполнения", "ky": "Аткарылуу пайызы"},
    "plan_ref": {"en": "Action plan item", "ru": "Пункт плана действий", "ky": "Аракеттер планынын пункту"},
    "budget_code": {"en": "Budget code", "ru": "Код бюджетной классификации", "ky": "Бюджеттик классификациянын коду"},
    "notes": {"en": "Remarks", "ru": "Примечания", "ky": "Эскертүүлөр"},
    "hearing": {"en": "Hearing", "ru": "Слушание", "ky": "Угуу"},
    "question": {"en": "Question", "ru": "Вопрос", "ky": "Суроо"},
    "option": {"en": "Option", "ru": "Вариант", "ky": "Вариант"},
    "votes": {"en": "Votes", "ru": "Голоса", "ky": "Добуштар"},
}

_UNIT_WORDS = {"сом", "som", "kgs", "тыс", "тысяч", "тысячах", "мин", "thousand", "thousands", "млн", "million", "000", "в"}


def _key(text: str) -> str:
    return " ".join(w for w in words(text) if w not in _UNIT_WORDS)


_EXACT = {_key(name): col for col, names in HEADERS.items() for name in names.values()} | {_key(c.replace("_", " ")): c for c in COLUMNS + LINK_COLUMNS} | {c: c for c in COLUMNS}

# Word beginnings (folded), for headers as municipalities write them
_PLAN = ("план", "plan", "болжол", "предусм", "карал")
_ACTUAL = ("факт", "actual", "иш жузунд", "исполн", "аткарыл", "освоен", "spent")
_LOCAL = ("местн", "жергилик", "local", "мсу", "жоб")
_GRANT = ("грант", "grant", "донор", "donor", "республик", "republic")
_IN_KIND = ("натур", "заттай", "kind", "эмгек", "труд")
_COMMUNITY = ("вклад", "салым", "community", "сообществ", "жамаат", "населен", "калк", "contribution")
_COST = ("стоимост", "сумма", "cost", "нарк", "баас", "смет", "бюджет", "budget", "amount", "жалпы")
_START = ("начал", "старт", "баштал", "start", "begin")
_FINISH = ("оконч", "заверш", "бут", "аякта", "finish", "end")
_RULES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    # before the money columns: "budget" is also a word of a cost ("Местный бюджет")
    ("budget_code", (("кбк",),)),
    ("budget_code", (("код", "коду", "code", "шифр"), ("бюджет", "budget", "классификац", "classification", "статья", "берене"))),
    ("plan_ref", (("пункт", "item", "ref", "бап", "пдмс", "псд"),)),
    (TITLE, (("назван", "наименован", "аталыш", "title", "name"),)),
    ("planned_finish", (("срок", "моонот", "deadline"),)),  # "Срок исполнения": the plan's deadline
    ("status_date", (("статус", "status", "абал", "состоян"), ("дата", "date", "кун"))),
    ("status_reason", (("статус", "status", "абал", "состоян"), ("причин", "reason", "себеп"))),
    ("percent", (("процент", "percent", "пайыз", "%", "готовн", "даярд"),)),
    ("status", (("статус", "status", "абал", "состоян"),)),
    *((f"{w}_{part}", (when, what)) for w, when in (("actual", _ACTUAL), ("planned", _PLAN))
      for part, what in (("community_in_kind", _IN_KIND), ("community_money", _COMMUNITY), ("local_budget", _LOCAL),
                         ("grant", _GRANT), ("start", _START), ("finish", _FINISH), ("cost", _COST))),
    # without "plan" or "actual": an action plan states what is planned
    ("planned_community_in_kind", (_IN_KIND,)), ("planned_community_money", (_COMMUNITY,)),
    ("planned_local_budget", (_LOCAL,)), ("planned_grant", (_GRANT,)), ("planned_start", (_START,)),
    ("planned_finish", (_FINISH,)), ("planned_cost", (_COST,)),
    ("responsible", (("ответств", "жооптуу", "responsib", "исполнит", "аткаруучу"),)),
    ("contractor", (("подряд", "мердигер", "contractor", "подрядчик", "куруучу"),)),
    ("village", (("село", "айыл", "village", "населенн", "конуш"),)),
    ("sector", (("сфер", "сектор", "sector", "тармак", "направлен", "багыт", "отрасл"),)),
    ("notes", (("примеч", "эскерт", "remark", "note", "комментар", "comment"),)),
    (TITLE, (("проект", "долбоор", "project", "объект", "object", "мероприят", "иш чара", "activity"),)),
)


def _has(ws: list[str], prefixes: tuple[str, ...]) -> bool:
    joined = " ".join(ws)
    return any(w.startswith(p) for w in ws for p in prefixes if " " not in p) or any(f" {p}" in f" {joined}" for p in prefixes if " " in p)


def column_of(header: str) -> str | None:
    """What a header names: one of ``COLUMNS``, ``TITLE`` (a title in the language of its text), one of
    ``LINK_COLUMNS`` (read-only), or None (a column not read, e.g. "№" or "Indicator")."""
    key = _key(header)
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    ws = words(header)
    if "%" in header:
        return "percent"
    for column, groups in _RULES:
        if all(_has(ws, g) for g in groups):
            return column
    return None


def is_header(cells: tuple) -> bool:
    found = [column_of(c) for c in cells if isinstance(c, str) and c.strip()]
    keys = {TITLE, "title_ky", "title_ru", "title_en", "id"}  # an id alone: a file of updates to projects
    return bool(keys & set(found)) and sum(f is not None for f in found) >= 2


def folded(text: str) -> str:
    return fold(text)
