"""pbtools services / survey as a user runs them: a subprocess, JSON, and exit 1 with a clear message on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D
from fractions import Fraction

import pytest

from pbtools.demo import create_demo
from pbtools.services.service import ServicesService
from pbtools.services.tariffs import covering_tariff
from pbtools.storage import open_workspace
from tests.services.helpers import ROOT, SAMPLE


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "ws"
    create_demo(folder)
    return folder


def test_import_list_and_tariff(tmp_path):
    ws = str(tmp_path / "ws")
    result = run("services", "import", str(SAMPLE), "--workspace", ws, "--lang", "ky")
    assert result.returncode == 0, result.stderr
    assert "water, waste" in result.stdout
    listed = json.loads(run("services", "list", "--json", "--workspace", ws).stdout)
    assert [(s["id"], s["households"], s["yearly_cost"]) for s in listed] == [("water", 450, "1105000"), ("waste", 0, "540000")]
    assert listed[0]["names"]["ru"] == "Питьевая вода" and listed[0]["tariffs"][0]["amount"] == "1800"
    out = json.loads(run("services", "tariff", "water", "--json", "--collection-rate", "95 %", "--subsidy", "300 000", "--workspace", ws).stdout)
    assert (out["yearly"], out["monthly"]) == ("1883.05", "156.93")  # hand-checked in test_tariffs
    assert Fraction(out["exact_yearly"]) == Fraction(805_000) / (450 * Fraction("0.95"))
    text = run("services", "tariff", "waste", "--workspace", ws, "--lang", "ru").stdout
    with open_workspace(ws) as w:
        t = covering_tariff(ServicesService(w).service("waste"))
    assert "на человека" in text and t.yearly == D("80.87")  # 540 000 / (9 540 × 0.7) = 80.8625… up


@pytest.mark.parametrize("args, words", [
    (("services", "tariff", "nope"), "нет услуги nope"),
    (("services", "tariff", "water", "--collection-rate", "1,5x"), "не уровень собираемости"),
    (("services", "tariff", "water", "--subsidy", "99 000 000"), "больше годовых затрат"),
    (("survey", "results", "nope"), "нет услуги nope"),
    (("survey", "results", "water", "--survey", "1999"), "нет опроса 1999"),
    (("services", "scorecard", "water", "card.txt"), ".pdf или .docx"),
])
def test_bad_input_exits_1_with_a_message(demo, args, words):
    result = run(*args, "--workspace", str(demo), "--lang", "ru")
    assert result.returncode == 1 and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_file_stores_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(SAMPLE.read_text(encoding="utf-8").replace(";450;", ";4x0;"), encoding="utf-8")
    ws = tmp_path / "ws"
    result = run("services", "import", str(bad), "--workspace", str(ws), "--lang", "ky")
    assert result.returncode == 1
    assert "bad.csv" in result.stderr and "«Үй-бүлөлөр»" in result.stderr and "4x0" in result.stderr
    assert not ws.exists()  # the workspace was not even created
    assert run("services", "list", "--workspace", str(ws)).returncode == 1  # there is no workspace


def test_the_demo_has_water_and_waste_with_surveys(demo):
    listed = json.loads(run("services", "list", "--json", "--workspace", str(demo)).stdout)
    assert {s["id"] for s in listed} == {"water", "waste"}
    for service_id in ("water", "waste"):
        result = run("survey", "results", service_id, "--json", "--workspace", str(demo))
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["respondents"] == 150
        overall = data["questions"][0]["overall"]
        assert sum(overall["counts"]) == overall["n"] <= 150
    water = json.loads(run("survey", "results", "water", "--json", "--workspace", str(demo)).stdout)
    assert water["trend"][0]["previous_survey"] == "2025"
    text = run("survey", "results", "water", "--workspace", str(demo), "--lang", "ky").stdout
    assert "150 жооп" in text and "(n=" in text
    assert run("services", "scorecard", "waste", str(demo / "waste.pdf"), "--workspace", str(demo), "--lang", "ky").returncode == 0
    with open_workspace(demo) as ws:
        plan = ServicesService(ws).plan("water")
    assert plan.community_share_met


def test_a_door_to_door_team_types_answers(tmp_path):
    ws = str(tmp_path / "ws")
    assert run("services", "import", str(SAMPLE), "--workspace", ws).returncode == 0
    started = run("survey", "start", "water", "2026", "--date", "2026-03-01", "--workspace", ws, "--lang", "ky")
    assert started.returncode == 0 and "1 Көк-Талаа" in started.stdout
    typed = subprocess.run([sys.executable, "-m", "pbtools", "survey", "enter", "water", "2026", "--door", "--by", "Aigul",
                            "--workspace", ws, "--lang", "ru"], input="1 1 2 4 2 1\n\n9 1 2 4 2 1\n2 2 1 5 - 3\n",
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert typed.returncode == 1  # one line was wrong: said, and not stored; the others were
    assert "Строка 3:" in typed.stderr and "Село" in typed.stderr
    data = json.loads(run("survey", "results", "water", "--json", "--workspace", ws).stdout)
    assert data["respondents"] == 2 and data["questions"][0]["overall"]["counts"] == [0, 0, 0, 1, 1]
    with open_workspace(ws) as w:
        assert {a.channel for a in ServicesService(w).surveys("water")[0].answers} == {"door"}
        assert {r.actor for r in w.ledger.records("services:survey:water") if r.kind == "survey.answer"} == {"Aigul"}


def test_tariff_options_put_to_a_hearing(tmp_path):
    from pbtools.hearings.model import Hearing
    from pbtools.hearings.store import create_hearing, state

    ws = tmp_path / "ws"
    assert run("services", "import", str(SAMPLE), "--workspace", str(ws)).returncode == 0
    with open_workspace(ws) as w:
        hearing = create_hearing(w, Hearing("h1", "Көк-Талаа айыл аймагы", "draft_budget", "2026-05-10"), actor="Aida").id
    result = run("services", "hearing", "water", hearing, "--target-rate", "95%", "--subsidy", "300000",
                 "--chart", str(tmp_path / "tariffs.png"), "--workspace", str(ws))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "tariffs.png").read_bytes()[:4] == b"\x89PNG"
    with open_workspace(ws) as w:
        assert len(state(w, hearing).questions["q1"].options) == 4
    assert run("services", "hearing", "water", "nope", "--workspace", str(ws)).returncode == 1


def test_the_plan_followed_and_its_community_share(demo):
    result = run("services", "plan", "water", "--follow", "--json", "--workspace", str(demo))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    with open_workspace(demo) as ws:
        plan = ServicesService(ws).plan("water")
    assert Fraction(data["community_share"]) == plan.community_share and data["community_share_met"] is True
    assert [(a["project"], a["status"]) for a in data["activities"]] == [("water-a1", "planned"), ("water-a2", "planned")]
    assert run("services", "plan", "waste", "--workspace", str(demo)).returncode == 1  # no plan for waste


def test_a_closed_survey_refuses_typed_lines_until_reopened(tmp_path):
    ws = str(tmp_path / "ws")
    assert run("services", "import", str(SAMPLE), "--workspace", ws).returncode == 0
    assert run("survey", "start", "water", "2027", "--date", "15.03.2027", "--workspace", ws).returncode == 0
    closed = run("survey", "close", "water", "2027", "--workspace", ws, "--lang", "ru")
    assert closed.returncode == 0 and "закрыт" in closed.stdout
    typed = subprocess.run([sys.executable, "-m", "pbtools", "survey", "enter", "water", "2027", "--workspace", ws, "--lang", "ru"],
                           input="1 1 2 4 2 1\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert typed.returncode == 1 and "закрыт" in typed.stderr
    assert run("survey", "close", "water", "2027", "--reopen", "--workspace", ws).returncode == 0
    typed = subprocess.run([sys.executable, "-m", "pbtools", "survey", "enter", "water", "2027", "--workspace", ws],
                           input="1 1 2 4 2 1\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert typed.returncode == 0, typed.stderr


def test_a_plan_is_made_and_an_activity_added_from_the_command(demo):
    made = run("services", "plan", "waste", "--from-survey", "--workspace", str(demo), "--lang", "ru")
    assert made.returncode == 0, made.stderr
    assert "p1" in made.stdout and "Насколько вы довольны" in made.stdout
    added = run("services", "plan", "waste", "--add", "Новые контейнеры", "--cost", "250 000", "--deadline", "30.09.2027",
                "--problem", "p1", "--follow", "--json", "--workspace", str(demo))
    assert added.returncode == 0, added.stderr
    out = json.loads(added.stdout)
    assert [(a["id"], a["cost"], a["project"]) for a in out["activities"]] == [("a1", "250000", "waste-a1")]
    bad = run("services", "plan", "waste", "--add", "X", "--cost", "-1", "--deadline", "2027-09-30", "--workspace", str(demo), "--lang", "ky")
    assert bad.returncode == 1 and "-1" in bad.stderr
