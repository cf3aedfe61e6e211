"""Reading a services register file: as forgiving as the budget reader (encodings, separators, decimal commas,
thousands with spaces, «тыс. сом», ky/ru/en headers, title rows) and as strict (every problem with its row and
column; nothing stored on error)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pbtools.roles import LOCAL
from pbtools.services.errors import ServiceError
from pbtools.services.model import CONTRACTOR, ENTERPRISE, HOUSEHOLD, MONTH, MUNICIPALITY, PERSON, YEAR
from pbtools.services.read import read_services
from pbtools.services.service import FileRefused, ServicesService
from pbtools.storage import open_workspace
from tests.services.helpers import SAMPLE

RU_TABLE = [
    ["Реестр муниципальных услуг Кок-Талаинского айылного аймака"],
    ["тыс. сом"],
    [],
    ["Код", "Наименование услуги", "Сёла", "Домохозяйства", "Население", "Поставщик", "Собираемость", "Статья бюджета",
     "Расходы: зарплата", "Расходы: электроэнергия", "Тариф: кран во дворе, с домохозяйства в год", "Тариф: с человека в месяц"],
    ["S1", "Питьевая вода", "Кок-Талаа, Бель-Саз", "1 250", "", "МП «Таза суу»", "85 %", "7063", "1 234,5", "310,25", "1 800", ""],
    ["S2", "Вывоз мусора", "Кок-Талаа", "", "5 400", "подрядчик ОсОО «Тазалык»", "0,7", "7051 7052", "420", "", "", "20"],
    ["S3", "Уличное освещение", "Кок-Талаа", "900", "", "айыл окмоту", "", "", "150,5", "", "", ""],
]


def write_csv(path, table, encoding="utf-8", delimiter=";"):
    path.write_bytes("\r\n".join(delimiter.join(str(c) for c in row) for row in table).encode(encoding))
    return path


@pytest.mark.parametrize("encoding, delimiter", [("cp1251", ";"), ("utf-8-sig", "\t"), ("utf-8", ";")])
def test_a_russian_table_in_thousand_som(tmp_path, encoding, delimiter):
    services, problems = read_services(write_csv(tmp_path / "услуги.csv", RU_TABLE, encoding, delimiter))
    assert [p.kind for p in problems] == ["no_rate"]  # S3 states no collection rate: a warning, 100 % assumed
    water, waste, light = services
    assert water.names == {"ru": "Питьевая вода"} and water.villages == ("Кок-Талаа", "Бель-Саз")
    assert (water.households, water.provider, water.collection_rate) == (1250, ENTERPRISE, D("0.85"))
    assert [c.amount for c in water.costs] == [D("1234500"), D("310250")]  # thousand som, stored as som
    assert water.yearly_cost == D("1544750")
    assert [(t.amount, t.payer, t.period) for t in water.tariffs] == [(D(1800), HOUSEHOLD, YEAR)]  # tariffs are som
    assert (waste.people, waste.households, waste.provider, waste.budget_lines) == (5400, 0, CONTRACTOR, ("7051", "7052"))
    assert [(t.amount, t.payer, t.period) for t in waste.tariffs] == [(D(20), PERSON, MONTH)]
    assert (light.provider, light.collection_rate) == (MUNICIPALITY, D(1))
    assert problems[0].row == 7 and problems[0].column == "Собираемость"


def test_the_sample_register_in_three_languages():
    services, problems = read_services(SAMPLE)
    assert not problems
    water = services[0]
    assert set(water.names) == {"ky", "ru", "en"} and water.households == 450
    assert water.costs[0].names == {"ky": "эмгек акы жана социалдык төгүмдөр"}


def test_an_xlsx_register_with_numbers_and_text(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.append(["ID", "Name (en)", "Households", "Provider", "Collection rate", "Cost: salaries", "Cost: chlorine", "Tariff: standpipe per household per month"])
    sheet.append(["water", "Drinking water", 450, "municipal enterprise", 0.82, 420000, "45 000", 50])
    wb.save(tmp_path / "services.xlsx")
    (s,), problems = read_services(tmp_path / "services.xlsx")
    assert not problems
    assert (s.households, s.collection_rate, s.yearly_cost) == (450, D("0.82"), D(465000))
    assert s.tariffs[0].period == MONTH and s.tariffs[0].yearly() == D(600)


def test_every_problem_named_and_nothing_read(tmp_path):
    table = [list(r) for r in RU_TABLE]
    table[4][3] = "12a5"  # households not a number
    table[5][5] = "кто-то"  # no such provider
    table[6][8] = "-150"  # a negative cost
    table.append(["S1", "Питьевая вода (копия)", "", "10", "", "", "1", "", "1", "", "", ""])  # the same id again
    table.append(["S9", "Газ", "", "", "", "", "0,5", "", "1", "", "", ""])  # nobody served
    services, problems = read_services(write_csv(tmp_path / "bad.csv", table))
    assert services == []
    found = {(p.kind, p.row, p.column) for p in problems if p.is_error}
    assert found == {("not_a_number", 5, "Домохозяйства"), ("bad_provider", 6, "Поставщик"),
                     ("negative_amount", 7, "Расходы: зарплата"), ("duplicate_id", 8, "Код"), ("no_payers", 9, "Домохозяйства")}
    text = "\n".join(p.render("ky") for p in problems)
    assert all(line.startswith("bad.csv, ") for line in text.splitlines()) and "«Домохозяйства»" in text


def test_mixed_decimal_marks_and_a_file_without_header(tmp_path):
    table = [list(r) for r in RU_TABLE]
    table[4][8] = "1234.5"
    _, problems = read_services(write_csv(tmp_path / "mixed.csv", table))
    assert "mixed_decimal_marks" in {p.kind for p in problems}
    _, problems = read_services(write_csv(tmp_path / "none.csv", [["a", "b"], ["1", "2"]]))
    assert [p.kind for p in problems] == ["no_header"]
    _, problems = read_services(tmp_path / "missing.csv")
    assert [p.kind for p in problems] == ["file_not_found"]


def test_a_bad_file_stores_nothing(tmp_path):
    table = [list(r) for r in RU_TABLE]
    table[5][6] = "170 %"
    path = write_csv(tmp_path / "bad.csv", table)
    with open_workspace(tmp_path / "ws") as ws:
        with pytest.raises(FileRefused) as e:
            ServicesService(ws).import_file(path, LOCAL)
        assert "bad.csv" in e.value.render("ru") and "Собираемость" in e.value.render("ru")
        assert ServicesService(ws).services() == []
        assert "services:register" not in ws.ledger.streams()


def test_import_is_all_or_nothing_and_a_second_import_replaces(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        svc = ServicesService(ws)
        stored, _ = svc.import_file(SAMPLE, LOCAL)
        assert [s.id for s in svc.services()] == ["water", "waste"] == [s.id for s in stored]
        svc.import_file(write_csv(tmp_path / "ru.csv", RU_TABLE), LOCAL)
        assert [s.id for s in svc.services()] == ["water", "waste", "S1", "S2", "S3"]


def test_a_service_typed_by_hand_is_checked(tmp_path):
    from pbtools.services.model import Service

    with open_workspace(tmp_path / "ws") as ws:
        with pytest.raises(ServiceError) as e:
            ServicesService(ws).save(Service("bad id!", {}, collection_rate=D(2)), LOCAL)
        assert len(e.value.problems) == 4  # id, name, nobody served, rate
        assert ServicesService(ws).services() == []


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_rate_s_rules_write_their_percentages_as_every_percentage_on_the_screen(tmp_path, lang):
    """«100 %» and «85 %» were spelled in the sentences themselves: an English screen showed «100 %» beside «82%»."""
    import re

    from pbtools.fmt import number, percent
    from pbtools.services.model import Service
    from pbtools.services.tariffs import parse_rate

    _, problems = read_services(write_csv(tmp_path / "услуги.csv", RU_TABLE))
    with pytest.raises(ServiceError) as typed:
        parse_rate("много")
    with open_workspace(tmp_path / "ws") as ws:
        with pytest.raises(ServiceError) as registered:
            ServicesService(ws).save(Service("water", {"ky": "Суу"}, households=10, collection_rate=D(2)), LOCAL)
    said = [problems[0].message.render(lang), typed.value.render(lang), registered.value.render(lang)]
    assert percent(1, lang, 0) in said[0] and percent(1, lang, 0) in said[2]
    assert f"({number(D('0.85'), lang)})" in said[1] and f"({percent(D('0.85'), lang, 0)})" in said[1]
    gap = percent(1, lang, 0)[len("100"):-1]  # "\u00a0" in ky and ru, "" in en
    assert {m for text in said for m in re.findall(r"\d(\s?)%", text)} == {gap}
