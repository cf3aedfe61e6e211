"""The action plan import (as forgiving as the budget import, as strict) and the projects' spreadsheet round trip."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pbtools.monitoring import Funding, MonitoringService, PlanRefused
from pbtools.monitoring.model import EDITABLE
from pbtools.storage import open_workspace
from tests.monitoring.conftest import MEMBER, STAFF

PLAN = """Көк-Талаа айыл аймагынын биргелешкен аракеттер планы (БАП) 2026
миң сом менен
№;Иш-чаранын аталышы;Айыл;Жалпы наркы;Жергиликтүү бюджет;Грант;Жамааттын салымы;Заттай салым;Мөөнөтү;Жооптуу;Абалы
1. Суу менен камсыздоо;;;;;;;;;;
1.1;Суу түтүгүн оңдоо;Көк-Талаа;1 250,5;250,5;800;150;50;01.09.2026;Бакыт Жумабаев;Иштелүүдө
1.2;Мектептин чатырын жабуу;Жаңы-Жол;300;300;;;;15.10.2026;Айгүл;
;Бардыгы;;1 550,5;550,5;800;150;50;;;
"""


def full_project(svc, actor, n: int):
    """A project with every field set, and distinct from the others."""
    p = svc.add_project(
        actor, {"ky": f"Долбоор {n}", "ru": f"Проект {n}", "en": f"Project {n}"}, project_id=f"p{n}",
        village=f"Айыл {n}", sector=("water", "roads", "education")[n % 3], responsible=f"Жооптуу {n}",
        contractor=f"«Курулуш {n}» ЖЧК",
        planned=Funding(Decimal(f"{n}00000.50"), Decimal(f"{n}0000.50"), Decimal(f"{n}0000"), Decimal(f"{n * 8}0000"), Decimal(0)),
        actual=Funding(Decimal(f"{n}1234"), Decimal(f"{n}1234"), Decimal(0), Decimal(0), Decimal(0)) if n % 2 else Funding(),
        planned_start=f"2026-0{n}-01", planned_finish=f"2026-1{n % 3}-15", actual_start=f"2026-0{n}-05",
        actual_finish="" if n % 2 else f"2026-{n + 6:02d}-20", status=("in_progress", "completed", "stalled")[n % 3],
        status_date=f"2026-0{n}-10", status_reason=f"себеп {n}; «кавычки», 1,5", percent=10 * n,
        plan_ref=f"БАП {n}.{n}", budget_code=f"0{n}.706{n}", notes=f"Эскертүү {n}\nэкинчи сап")
    for k in range(n):  # n milestones, the first one done
        m = svc.add_milestone(actor, p.id, f"Этап {n}.{k}: «смета»", f"2026-0{n}-2{k}")
        if k == 0:
            svc.milestone_done(actor, p.id, m.id, f"2026-0{n}-2{k + 1}")
    return svc.project(p.id)


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_every_field_round_trips_through_xlsx(svc, tmp_path, lang):
    made = [full_project(svc, STAFF, n) for n in (1, 2, 3)]
    out = svc.export_xlsx(tmp_path / f"projects-{lang}.xlsx", lang=lang)
    with open_workspace(tmp_path / "other") as other:
        back = {p.id: p for p in MonitoringService(other).import_plan(MEMBER, out)}
    assert set(back) == {p.id for p in made}
    for p in made:
        for name in EDITABLE + ("milestones",):
            assert getattr(back[p.id], name) == getattr(p, name), name
    assert sum(len(p.milestones) for p in made) == 6 and sum(bool(m.done) for p in made for m in p.milestones) == 3


def test_milestones_done_later_are_recorded_on_import_and_new_ones_added(svc, tmp_path):
    from openpyxl import load_workbook as load

    p = full_project(svc, STAFF, 2)  # m1 done, m2 not
    path = svc.export_xlsx(tmp_path / "p.xlsx", lang="ru")
    book = load(path)
    sheet = book["Этапы"]
    sheet.cell(row=3, column=5, value="01.12.2026")  # m2 done
    sheet.append([p.id, "", "Ачылыш", "2026-12-20", ""])  # a new one, numbered on import
    book.save(path)
    svc.import_plan(MEMBER, path)
    got = svc.project(p.id).milestones
    assert [(m.id, m.title, m.done) for m in got] == [
        ("m1", p.milestones[0].title, p.milestones[0].done), ("m2", p.milestones[1].title, "2026-12-01"),
        ("m3", "Ачылыш", "")]
    assert [e.kind for e in svc.history(p.id)][-2:] == ["milestone.done", "milestone.added"]


def test_milestones_with_errors_refuse_the_whole_file_naming_sheet_row_and_column(svc, tmp_path):
    from openpyxl import load_workbook as load

    full_project(svc, STAFF, 1)
    path = svc.export_xlsx(tmp_path / "p.xlsx", lang="ky")
    book = load(path)
    sheet = book["Этаптар"]
    sheet.append(["p1", "m7", "", "2026-13-01", ""])
    sheet.append(["p9", "m1", "Көпүрө", "", ""])
    book.save(path)
    with open_workspace(tmp_path / "other") as other:
        fresh = MonitoringService(other)
        with pytest.raises(PlanRefused) as e:
            fresh.import_plan(MEMBER, path)
        assert fresh.projects() == [] and not other.ledger.streams()
    where = {(p.file, p.row, p.column, p.kind) for p in e.value.file_problems}
    assert where == {("p.xlsx, Этаптар", 3, "Этап", "no_title"), ("p.xlsx, Этаптар", 3, "Пландалган күнү", "not_date"),
                     ("p.xlsx, Этаптар", 4, "Долбоордун коду", "unknown_project")}
    assert "p9" in e.value.render("ru")


def test_a_budget_code_column_is_read_by_its_words_in_any_language(svc, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Наименование;Стоимость;КБК\nМост;100;7041\n", encoding="utf-8")
    path2 = tmp_path / "plan2.csv"
    path2.write_text("Аталышы;Жергиликтүү бюджет;Бюджеттик классификациянын коду\nЖол;100;7042\n", encoding="utf-8")
    (bridge,) = svc.import_plan(MEMBER, path)
    (road,) = svc.import_plan(MEMBER, path2)
    assert (bridge.budget_code, bridge.planned.total) == ("7041", Decimal(100))
    assert (road.budget_code, road.planned.local_budget) == ("7042", Decimal(100))  # "бюджет" alone: money


def test_a_budget_code_is_editable_and_refused_with_spaces(svc):
    from pbtools.monitoring import InvalidValue

    p = svc.add_project(MEMBER, {"ky": "Жол"}, budget_code="704")
    assert svc.update(MEMBER, p.id, budget_code="7041").budget_code == "7041"
    assert svc.history(p.id)[-1].before == {"budget_code": "704"}
    with pytest.raises(InvalidValue) as e:
        svc.update(MEMBER, p.id, budget_code="70 41")
    assert e.value.render("ru").startswith("Код бюджетной классификации: «70 41» — не код") and "70 41" in e.value.render("ky")
    assert svc.project(p.id).budget_code == "7041"


def test_export_uses_the_readers_language_for_headers(svc, tmp_path):
    full_project(svc, STAFF, 1)
    path = svc.export_xlsx(tmp_path / "p.xlsx")
    header = [c.value for c in next(load_workbook(path).active.iter_rows(max_row=1))]
    assert "Planned cost, som" in header and "Project id" in header


def test_importing_the_exported_file_into_the_same_workspace_changes_nothing(svc, tmp_path):
    full_project(svc, STAFF, 1)
    path = svc.export_xlsx(tmp_path / "p.xlsx")
    heads = {s: svc.ws.ledger.head(s) for s in svc.ws.ledger.streams()}
    svc.import_plan(MEMBER, path)
    assert {s: svc.ws.ledger.head(s) for s in svc.ws.ledger.streams()} == heads


def test_an_action_plan_in_windows_1251_with_title_rows_and_thousands(svc, tmp_path):
    path = tmp_path / "бап.csv"
    path.write_bytes(PLAN.replace("ө", "о").replace("ү", "у").replace("ң", "н").encode("cp1251"))  # as old sheets spell it
    projects = svc.import_plan(MEMBER, path)
    assert len(projects) == 2  # the section heading and the total row are not projects
    water, roof = projects
    assert water.titles == {"ru": "Суу тутугун ондоо"}  # no ө ү ң: read as Russian script, kept as typed
    assert water.planned == Funding(Decimal(1250500), Decimal(250500), Decimal(800000), Decimal(150000), Decimal(50000))
    assert water.planned_finish == "2026-09-01" and water.responsible == "Бакыт Жумабаев" and water.status == "in_progress"
    assert roof.planned.total == Decimal(300000) and roof.status == "planned" and roof.village == "Жаны-Жол"
    assert svc.import_plan(MEMBER, path) and len(svc.projects()) == 2  # the same plan again adds nothing


def test_an_action_plan_with_errors_is_refused_naming_file_row_and_column(svc, tmp_path):
    bad = PLAN.replace("1 250,5", "1 25о").replace("15.10.2026", "31.02.2026").replace(";300;300;", ";300;350;")
    path = tmp_path / "plan.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(PlanRefused) as e:
        svc.import_plan(MEMBER, path)
    where = {(p.file, p.row, p.column, p.kind) for p in e.value.file_problems}
    assert ("plan.csv", 5, "Жалпы наркы", "not_amount") in where
    assert ("plan.csv", 6, "Мөөнөтү", "not_date") in where
    assert ("plan.csv", 6, "Жалпы наркы", "invalid") in where  # 350 of local budget in a 300 project
    assert len(where) == 3
    ru = e.value.render("ru")
    assert "plan.csv, строка 5, столбец «Жалпы наркы»" in ru
    assert "строка 6" in e.value.render("ru") and "row 6" in e.value.render("en") and "6-катар" in e.value.render("ky")
    assert svc.projects() == [] and not svc.ws.ledger.streams()


def test_an_error_in_the_last_row_stores_none_of_the_good_ones(svc, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(PLAN.replace(";Айгүл;", ";Айгүл;жок болду"), encoding="utf-8")
    with pytest.raises(PlanRefused) as e:
        svc.import_plan(MEMBER, path)
    assert [(p.row, p.column) for p in e.value.file_problems] == [(6, "Абалы")]
    assert svc.projects() == []


def test_a_file_that_is_no_table_is_refused_in_words(svc, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"%PDF-1.4 not a table")
    with pytest.raises(PlanRefused) as e:
        svc.import_plan(MEMBER, path)
    assert e.value.file_problems[0].file == "plan.xlsx" and "PDF" in e.value.render("en")


def test_an_action_plan_workbook_with_a_title_row_numbers_and_dates(svc, tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["План совместных действий на 2026 год"])
    sheet.append([])
    sheet.append(["№", "Наименование мероприятия", "Село", "Сфера", "Стоимость, тыс. сом", "Грант, тыс. сом",
                  "Местный бюджет, тыс. сом", "Начало работ", "Срок исполнения", "Ответственный", "Процент выполнения",
                  "Статус", "Индикатор"])
    sheet.append([1, "Ремонт моста", "Кок-Талаа", "Дороги", 1234.5, 1000, 234.5, datetime(2026, 5, 1),
                  datetime(2026, 8, 31), "Бакыт", 40, "выполняется", "1 мост"])
    sheet.append(["", "Итого", "", "", 1234.5, 1000, 234.5])
    book.save(tmp_path / "псд.xlsx")
    (p,) = svc.import_plan(MEMBER, tmp_path / "псд.xlsx")
    assert p.titles == {"ru": "Ремонт моста"} and p.sector == "roads" and p.village == "Кок-Талаа"
    assert p.planned == Funding(Decimal(1234500), Decimal(234500), Decimal(1000000))
    assert (p.planned_start, p.planned_finish, p.percent, p.status) == ("2026-05-01", "2026-08-31", 40, "in_progress")
    assert p.origin == "plan"


def test_a_plan_row_updates_the_project_of_its_id_and_keeps_what_it_leaves_empty(svc, tmp_path):
    full_project(svc, STAFF, 1)
    path = tmp_path / "update.csv"
    path.write_text("Project id;Contractor;Percent complete;Status\np1;«Жаңы мердигер»;;stalled\n", encoding="utf-8")
    (p,) = svc.import_plan(MEMBER, path)
    assert p.contractor == "«Жаңы мердигер»" and p.status == "stalled" and p.percent == 10  # empty: kept
    last = svc.history("p1")[-1]
    assert set(last.after) >= {"contractor", "status"} and "percent" not in last.after and last.actor == MEMBER.name


def test_rows_that_cannot_apply_to_what_is_stored_refuse_the_whole_file(svc, tmp_path):
    full_project(svc, STAFF, 1)  # planned 2026-01-01 .. 2026-11-15
    path = tmp_path / "bad.csv"
    path.write_text("Project id;Title (en);Planned start\nnew-1;Bridge;2026-01-01\np1;;2026-12-01\nnew 2;;\n",
                    encoding="utf-8")
    with pytest.raises(PlanRefused) as e:
        svc.import_plan(MEMBER, path)
    assert {(p.row, p.column, p.kind) for p in e.value.file_problems} == {
        (3, "Planned start", "order"), (4, "Title (en)", "no_title"), (4, "Project id", "bad_id")}
    assert [p.id for p in svc.projects()] == ["p1"]


def test_a_database_failure_mid_plan_keeps_whole_projects_and_the_same_file_again_completes_it(svc, tmp_path):
    """The ledger has no transaction across streams: each project (its creation and milestones) is written in one
    transaction, so a failure leaves whole projects before it and nothing of the rest; importing again completes."""
    from sqlalchemy import text

    made = [full_project(svc, STAFF, n) for n in (1, 2, 3)]
    path = svc.export_xlsx(tmp_path / "p.xlsx")
    with open_workspace(tmp_path / "other") as other:
        fresh = MonitoringService(other)
        with other.ledger.engine.begin() as conn:  # the database refuses the second project's milestones
            conn.execute(text("CREATE TRIGGER fail BEFORE INSERT ON ledger_records "
                              "WHEN NEW.stream = 'monitoring:project:p2' AND NEW.kind = 'milestone.added' "
                              "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"))
        with pytest.raises(Exception, match="disk I/O error"):
            fresh.import_plan(MEMBER, path)
        assert [p.id for p in fresh.projects()] == ["p1"]  # p2's creation went with its milestones
        assert fresh.project("p1").milestones == made[0].milestones
        with other.ledger.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER fail"))
        head = other.ledger.head("monitoring:project:p1")
        back = {p.id: p for p in fresh.import_plan(MEMBER, path)}
        assert other.ledger.head("monitoring:project:p1") == head  # p1 is not written twice
        for p in made:
            for name in EDITABLE + ("milestones",):
                assert getattr(back[p.id], name) == getattr(p, name), name
        assert fresh.verify() == []


def test_a_plan_reads_the_municipality_once_and_stores_each_village_as_it_names_it(svc, tmp_path, monkeypatch):
    """Each row's village is stored as the municipality names it («Kok-Talaa» of an English file is «Көк-Талаа»):
    the municipality was read two or three times per row (600 reads for a plan of 300; benchmarks/plan_import.py)."""
    from pbtools.budget.model import Municipality, Village

    svc.ws.save_municipality(Municipality({"ky": "Көк-Талаа айыл аймагы"}, (
        Village({"ky": "Көк-Талаа", "en": "Kok-Talaa"}, 900), Village({"ky": "Жаңы-Жол", "en": "Zhany-Zhol"}, 500))))
    path = tmp_path / "plan.csv"
    path.write_text("Plan item;Title (en);Village;Planned cost\n1.1;Water pipe;Kok-Talaa;1000\n"
                    "1.2;School roof;Zhany-Zhol;2000\n1.3;Street lights;kok-talaa;3000\n", encoding="utf-8")
    reads, read = [], svc.ws.municipality
    monkeypatch.setattr(svc.ws, "municipality", lambda: reads.append(1) or read())
    for _again in range(2):  # new projects, then the same plan again (each row matches its project)
        reads.clear()
        projects = svc.import_plan(MEMBER, path)
        assert [p.village for p in projects] == ["Көк-Талаа", "Жаңы-Жол", "Көк-Талаа"] and len(reads) == 1
    assert len(svc.projects()) == 3
