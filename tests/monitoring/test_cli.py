"""pbtools projects ...: the commands a group would use, on a real workspace (one run as a separate process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from pbtools.cli import main
from pbtools.fmt import percent
from pbtools.monitoring import MonitoringService
from pbtools.monitoring.demo_year import draw_photo

ROOT = Path(__file__).resolve().parents[2]


def run(*argv: str) -> int:
    return main(list(argv))


def test_from_hearing_list_show_in_a_separate_process(closed):
    ws, hearing_id = closed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / ".pyalias")])}
    args = [sys.executable, "-m", "pbtools", "projects"]
    where = ["--workspace", str(ws.path)]
    first = subprocess.run(args + ["from-hearing", hearing_id, *where, "--lang", "ru"], capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    listed = subprocess.run(args + ["list", "--json", *where], capture_output=True, text=True, env=env)
    projects = json.loads(listed.stdout)
    assert projects and all(p["link"]["hearing_id"] == hearing_id for p in projects)
    shown = subprocess.run(args + ["show", projects[0]["id"], "--json", *where], capture_output=True, text=True, env=env)
    data = json.loads(shown.stdout)
    assert data["project"]["id"] == projects[0]["id"] and data["history"][0]["kind"] == "project.created"
    assert data["acts"] == []
    again = subprocess.run(args + ["from-hearing", hearing_id, *where], capture_output=True, text=True, env=env)
    assert again.returncode == 0 and len(MonitoringService(ws).projects()) == len(projects)


def test_a_group_year_from_the_command_line(ws, tmp_path, capsys):
    w = ["--workspace", str(ws.path)]
    assert run("projects", "add", "--title", "Көпүрө", "--village", "Көк-Талаа", "--planned-cost", "1 200 000,50",
               "--sector", "Жолдор", "--budget-code", "704", *w) == 0
    svc = MonitoringService(ws)
    (p,) = svc.projects()
    assert p.planned.total == 1200000.50 and p.sector == "roads" and p.titles == {"ky": "Көпүрө"}
    assert p.budget_code == "704"
    assert run("projects", "set", p.id, "--status", "in_progress", "--percent", "35", "--actual-cost", "400 000",
               "--reason", "башталды", "--date", "01.06.2026", "--role", "monitor", "--by", "Айгүл", *w) == 0
    p = svc.project(p.id)
    assert (p.status, p.percent, p.actual.total, p.status_date, p.status_reason) == ("in_progress", 35, 400000, "2026-06-01", "башталды")
    assert svc.history(p.id)[-1].actor == "Айгүл"
    photo = draw_photo(tmp_path / "a.jpg", 1, gps=(42.5, 74.5))
    assert run("projects", "photo", p.id, str(photo), *w) == 0
    assert run("projects", "member", "add", "Айгүл", "--position", "депутат", *w) == 0
    assert run("projects", "act", p.id, "--date", "2026-06-05", "--member", "Айгүл", "--findings", "Иш жүрүп жатат",
               "--deadline", "2026-06-20", "--photo", str(photo), "--role", "monitor", *w) == 0
    (act,) = svc.acts()
    assert act.photos[0].has_location
    capsys.readouterr()
    assert run("projects", "overdue", "--today", "2026-06-21", "--json", *w) == 0
    assert [a["id"] for a in json.loads(capsys.readouterr().out)] == [act.id]
    assert run("projects", "respond", act.id, "--text", "Оңдолот", "--date", "2026-06-22", *w) == 0
    assert run("projects", "overdue", "--today", "2026-06-23", "--json", *w) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1]) == []
    assert run("projects", "show", p.id, "--lang", "ky", *w) == 0
    shown = capsys.readouterr().out
    assert act.id in shown and "Оңдолот" in shown and "GPS" in shown
    out = tmp_path / "projects.xlsx"
    assert run("projects", "export", "--out", str(out), *w) == 0 and out.is_file()
    assert run("projects", "history", p.id, "--out", str(tmp_path / "h.csv"), *w) == 0
    assert (tmp_path / "h.csv").read_text(encoding="utf-8").count("project.") == 2


def test_bad_input_exits_1_with_a_message_and_stores_nothing(ws, tmp_path, capsys):
    w = ["--workspace", str(ws.path)]
    assert run("projects", "add", "--title", "Жол", *w) == 0
    (p,) = MonitoringService(ws).projects()
    heads = {s: ws.ledger.head(s) for s in ws.ledger.streams()}
    capsys.readouterr()
    refusals = [
        (["set", p.id, "--status", "completed", "--percent", "150"], "Percent complete"),
        (["set", p.id, "--status", "completed", "--percent", "5²"], "5²"),
        (["set", p.id, "--status", "completed", "--percent", "١٠"], "١٠"),
        (["set", p.id, "--status", "completed", "--percent", "50", "--actual-cost", "много"], "много"),
        (["set", p.id, "--status", "completed", "--date", "вчера"], "вчера"),
        (["set", "nope", "--status", "completed"], "nope"),
        (["set", p.id, "--status", "completed", "--role", "observer"], "observer"),
        (["act", p.id, "--date", "2026-06-01", "--member", "Бирөө", "--findings", "x"], "Бирөө"),
        (["photo", p.id, str(tmp_path / "none.jpg")], "none.jpg"),
        (["from-hearing", "nope"], "nope"),
        (["respond", "A-1-1", "--text", "x"], "A-1-1"),
        (["import", str(tmp_path / "none.xlsx")], "none.xlsx"),
    ]
    for argv, named in refusals:
        assert run("projects", *argv, *w) == 1, argv
        assert named in capsys.readouterr().err, argv
    assert {s: ws.ledger.head(s) for s in ws.ledger.streams()} == heads
    assert run("projects", "set", p.id, "--status", "completed", "--percent", "150", "--lang", "ru", *w) == 1
    assert "Процент выполнения" in capsys.readouterr().err
    assert run("projects", "set", p.id, "--status", "completed", "--percent", "５０", "--lang", "ky", *w) == 1
    assert "５０" in capsys.readouterr().err
    assert {s: ws.ledger.head(s) for s in ws.ledger.streams()} == heads
    assert run("projects", "list", "--workspace", str(tmp_path / "no-such")) == 1


def test_import_refusal_names_file_row_and_column(ws, tmp_path, capsys):
    bad = tmp_path / "бап.csv"
    bad.write_text("Аталышы;Наркы, миң сом\nКөпүрө;12,5\nМектеп;беш\n", encoding="utf-8")
    assert run("projects", "import", str(bad), "--workspace", str(ws.path), "--lang", "ru") == 1
    assert "бап.csv, строка 3, столбец «Наркы, миң сом»" in capsys.readouterr().err
    assert MonitoringService(ws).projects() == []
    bad.write_text("Аталышы;Наркы, миң сом\nКөпүрө;12,5\n", encoding="utf-8")
    assert run("projects", "import", str(bad), "--workspace", str(ws.path)) == 0
    assert MonitoringService(ws).projects()[0].planned.total == 12500


def test_set_changes_the_budget_code_with_the_checks_and_messages_of_add(ws, capsys):
    w = ["--workspace", str(ws.path)]
    assert run("projects", "add", "--title", "Көпүрө", "--budget-code", "704", *w) == 0
    svc = MonitoringService(ws)
    (p,) = svc.projects()
    heads = {s: ws.ledger.head(s) for s in ws.ledger.streams()}
    capsys.readouterr()
    for lang in ("ky", "ru", "en"):  # a code with a space: refused by set as by add, in the same words
        assert run("projects", "add", "--title", "Жол", "--budget-code", "70 61", "--lang", lang, *w) == 1
        by_add = capsys.readouterr().err
        assert run("projects", "set", p.id, "--budget-code", "70 61", "--lang", lang, *w) == 1
        by_set = capsys.readouterr().err
        assert "«70 61»" in by_set and by_set == by_add
    assert run("projects", "set", p.id, "--lang", "ru", *w) == 1  # nothing asked: nothing written, and said
    assert "--budget-code" in capsys.readouterr().err
    assert {s: ws.ledger.head(s) for s in ws.ledger.streams()} == heads and len(svc.projects()) == 1
    assert run("projects", "set", p.id, "--budget-code", "7061", "--role", "monitor", *w) == 0  # no --status: kept
    assert "7061" in capsys.readouterr().out
    changed = svc.project(p.id)
    assert (changed.budget_code, changed.status, changed.status_date) == ("7061", p.status, p.status_date)
    last = svc.history(p.id)[-1]
    assert len(svc.history(p.id)) == 2 and last.kind == "project.changed"
    assert run("projects", "set", p.id, "--status", "in_progress", "--budget-code", "", *w) == 0  # cleared with a status
    assert (svc.project(p.id).budget_code, svc.project(p.id).status) == ("", "in_progress")


def test_set_takes_the_actual_start_and_finish_and_refuses_completed_below_100(ws, capsys):
    w = ["--workspace", str(ws.path)]
    assert run("projects", "add", "--title", "Көпүрө", *w) == 0
    (p,) = MonitoringService(ws).projects()
    assert run("projects", "set", p.id, "--status", "completed", "--percent", "80", "--reason", "бүттү", "--lang", "ru", *w) == 1
    assert percent(Decimal("0.8"), "ru", 0) in capsys.readouterr().err and MonitoringService(ws).project(p.id).status == "planned"
    assert run("projects", "set", p.id, "--status", "completed", "--percent", "100", "--reason", "бүттү", "--date", "30.09.2026",
               "--actual-start", "01.06.2026", *w) == 0
    p = MonitoringService(ws).project(p.id)
    assert (p.actual_start, p.actual_finish) == ("2026-06-01", "2026-09-30")
    assert run("projects", "set", p.id, "--actual-finish", "2026-09-25", *w) == 0
    assert MonitoringService(ws).project(p.id).actual_finish == "2026-09-25"


def test_set_asks_to_confirm_an_actual_cost_far_beyond_the_plan(ws, capsys):
    w = ["--workspace", str(ws.path)]
    assert run("projects", "add", "--title", "Көпүрө", "--planned-cost", "100 000", *w) == 0
    (p,) = MonitoringService(ws).projects()
    assert run("projects", "set", p.id, "--actual-cost", "1 000 000", "--lang", "en", *w) == 1
    assert "10 times the planned cost" in capsys.readouterr().err and MonitoringService(ws).project(p.id).actual.total == 0
    assert run("projects", "set", p.id, "--actual-cost", "1 000 000", "--confirm", *w) == 0
    assert MonitoringService(ws).project(p.id).actual.total == 1000000


def test_list_and_show_name_the_village_in_the_user_s_language(ws, capsys):
    """s23 trial (24): the commands printed a project's village as stored (Kyrgyz) whatever --lang said."""
    from pbtools.budget.model import Municipality, Village

    ws.save_municipality(Municipality({"ky": "Көк-Талаа айыл аймагы", "en": "Kok-Talaa"}, (
        Village({"ky": "Жаңы-Айыл", "ru": "Жаны-Айыл", "en": "Zhany-Aiyl"}, 2730, "zhany-aiyl"),)))
    w = ["--workspace", str(ws.path)]
    assert run("projects", "add", "--title", "Көпүрө", "--village", "Zhany-Aiyl", "--planned-cost", "1 000", *w) == 0
    (p,) = MonitoringService(ws).projects()
    assert p.village == "Жаңы-Айыл"  # stored as a hearing stores it
    capsys.readouterr()
    assert run("projects", "list", "--lang", "ru", *w) == 0 and run("projects", "show", p.id, "--lang", "en", *w) == 0
    out = capsys.readouterr().out
    assert "Жаны-Айыл" in out and "Village: Zhany-Aiyl;" in out and "Жаңы" not in out.split("History:")[0]
