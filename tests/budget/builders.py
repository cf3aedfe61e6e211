"""Budget files built by the tests: one small reference budget written in many ways (languages, encodings,
number styles, units, CSV or XLSX), so every variant can be compared with the same expected lines."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal as D
from pathlib import Path

PLAN25, ACT25, PLAN26 = ("plan", 2025), ("actual", 2025), ("plan", 2026)
COLUMNS = (PLAN25, ACT25, PLAN26)


@dataclass(frozen=True)
class Line:
    side: str
    code: str
    names: dict[str, str]
    group: str
    amounts: dict[tuple[str, int], D]  # in som


def _a(p25: str, a25: str, p26: str) -> dict[tuple[str, int], D]:
    return {PLAN25: D(p25), ACT25: D(a25), PLAN26: D(p26)}


LINES = (
    Line("revenue", "1111", {"ky": "Киреше салыгы", "ru": "Подоходный налог", "en": "Income tax"}, "own", _a("410500", "398200", "452000")),
    Line("revenue", "1121", {"ky": "Жер салыгы", "ru": "Земельный налог", "en": "Land tax"}, "own", _a("1250300", "1301700", "1320000")),
    Line("revenue", "1422", {"ky": "Жайыт акы", "ru": "Плата за пастбища", "en": "Pasture fee"}, "own", _a("380000", "366400", "405500")),
    Line("revenue", "1311", {"ky": "Теңдештирүүчү грант", "ru": "Выравнивающий грант", "en": "Equalisation grant"}, "grant", _a("5120000", "5120000", "5480000")),
    Line("expenditure", "701", {"ky": "Жалпы мамлекеттик кызматтар", "ru": "Общегосударственные услуги", "en": "General public services"}, "701", _a("2150800", "2098300", "2290000")),
    Line("expenditure", "7091", {"ky": "Мектепке чейинки билим берүү", "ru": "Дошкольное образование", "en": "Pre-school education"}, "709", _a("1890000", "1845500", "2010000")),
    Line("expenditure", "7092", {"ky": "Жалпы орто билим берүү", "ru": "Общее среднее образование", "en": "General secondary education"}, "709", _a("2610000", "2580100", "2787500")),
    Line("expenditure", "710", {"ky": "Социалдык коргоо", "ru": "Социальная защита", "en": "Social protection"}, "710", _a("510000", "496900", "570000")),
)

WORDS = {
    "en": dict(code="Code", name="Name", group="Group", plan="Plan", actual="Actual", revenue="REVENUE", expenditure="EXPENDITURE",
               own="Own revenues", total_revenue="Total revenue", total_expenditure="Total expenditure", education="Education",
               title="Local budget of Kok-Talaa"),
    "ru": dict(code="Код", name="Статья", group="Группа", plan="План", actual="Исполнение", revenue="ДОХОДЫ", expenditure="РАСХОДЫ",
               own="Собственные доходы", total_revenue="Итого доходов", total_expenditure="Итого расходов", education="Образование",
               title="Местный бюджет Кок-Талаинского айылного аймака"),
    "ky": dict(code="Код", name="Берене", group="Тобу", plan="План", actual="Аткарылышы", revenue="КИРЕШЕЛЕР", expenditure="ЧЫГАШАЛАР",
               own="Жергиликтүү кирешелер", total_revenue="Кирешелер бардыгы", total_expenditure="Чыгашалар бардыгы", education="Билим берүү",
               title="Көк-Талаа айыл аймагынын жергиликтүү бюджети"),
}
UNIT_WORDS = {"en": "thousand som", "ru": "тыс. сом", "ky": "миң сом"}
ASCII_KY = str.maketrans({"ө": "о", "ү": "у", "ң": "н", "Ө": "О", "Ү": "У", "Ң": "Н"})


def plain(value: D) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def spaced(value: D, sep: str = " ", mark: str = ",") -> str:
    integer, _, fraction = plain(value).partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    return sep.join(groups) + (mark + fraction if fraction else "")


@dataclass
class Variant:
    lang: str = "en"
    ascii_ky: bool = False  # Kyrgyz typed without ө ү ң
    unit: D = D(1)  # 1000: amounts written in thousand som
    style: object = plain  # function Decimal -> text
    title: bool = True
    subtotals: bool = False  # an "own revenues" heading with its subtotal, and a 709 parent line
    totals: bool = True


def rows(v: Variant, lines=LINES) -> list[list[object]]:
    """The table as rows of cells (strings, or Decimals when ``style`` is None, for XLSX numbers)."""
    w = WORDS[v.lang]
    fmt = (lambda x: x / v.unit) if v.style is None else (lambda x: v.style(x / v.unit))
    out: list[list[object]] = []
    if v.title:
        out.append([f"{w['title']}, 2026", "", ""])
        if v.unit != 1:
            out.append([UNIT_WORDS[v.lang]])
        out.append([])
    out.append([w["code"], w["name"], f"{w['plan']} 2025", f"{w['actual']} 2025", f"{w['plan']} 2026"])

    def amounts(values: dict) -> list[object]:
        return [fmt(values[c]) for c in COLUMNS]

    def sums(selected) -> dict:
        return {c: sum((l.amounts[c] for l in selected), D(0)) for c in COLUMNS}

    for side in ("revenue", "expenditure"):
        out.append(["", w[side]])
        side_lines = [l for l in lines if l.side == side]
        if v.subtotals and side == "revenue":
            out.append(["", w["own"], *amounts(sums([l for l in side_lines if l.group == "own"]))])
        for l in side_lines:
            if v.subtotals and l.code == "7091":
                out.append(["709", w["education"], *amounts(sums([x for x in side_lines if x.group == "709"]))])
            out.append([l.code, l.names[v.lang], *amounts(l.amounts)])
        if v.totals:
            out.append(["", w[f"total_{side}"], *amounts(sums(side_lines))])
    if v.lang == "ky" and v.ascii_ky:
        out = [[c.translate(ASCII_KY) if isinstance(c, str) else c for c in r] for r in out]
    return out


def write_csv(path: Path, table: list[list[object]], encoding: str = "utf-8", delimiter: str = ";") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows([["" if c is None else str(c) for c in r] for r in table])
    return path


def write_xlsx(path: Path, table: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in table:
        ws.append([float(c) if isinstance(c, D) else (c if c != "" else None) for c in r] or [None])
    wb.save(path)
    return path


def row_of(table: list[list[object]], first_cells: tuple[str, ...] | str, column: int = 0) -> int:
    """1-based row number (as written to CSV/XLSX) of the first row whose cell ``column`` is one of ``first_cells``."""
    wanted = (first_cells,) if isinstance(first_cells, str) else first_cells
    return next(i for i, r in enumerate(table, start=1) if len(r) > column and r[column] in wanted)


# A flat export as accounting programs write it: no title (so no year and no unit), a kind column saying revenue or
# expenditure on every line, plan and execution headers without a year, amounts in thousand som with decimals.
EXPORT_WORDS = {
    "ru": dict(code="Код", name="Наименование", plan="План", actual="Исполнение", revenue="Доходы", expenditure="Расходы"),
    "en": dict(code="Code", name="Name", plan="Plan", actual="Actual", revenue="Revenue", expenditure="Expenditure"),
    "ky": dict(code="Код", name="Аталышы", plan="План", actual="Аткарылышы", revenue="Киреше", expenditure="Чыгаша"),
}


def export_rows(lang: str = "ru", kind: str = "Вид", unit: D = D(1000), executed: bool = True, plan: bool = True) -> list[list[object]]:
    """The reference lines (LINES) as a flat export: the plan column holds PLAN26, the execution column ACT25."""
    w = EXPORT_WORDS[lang]
    header = [w["code"], kind, w["name"]] + ([w["plan"]] if plan else []) + ([w["actual"]] if executed else [])
    out: list[list[object]] = [header]
    for l in LINES:
        values = ([l.amounts[PLAN26]] if plan else []) + ([l.amounts[ACT25]] if executed else [])
        out.append([l.code, w[l.side], l.names[lang], *(spaced(v / unit) for v in values)])
    return out
