"""Did the budget follow the hearing: the sample hearing's funded options against the adopted 2027 budget (read
again here from its file), a person's match kept in the ledger with who made it, the role checked, bad input
refused with nothing written, and last year's execution with the biggest shortfalls first."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from pbtools.budget.read import read_budget
from pbtools.monitoring.follow.blocks import follow_lines, promise_text
from pbtools.monitoring.follow.compare import (
    BY_CODE, BY_NAME, BY_PERSON, BY_SECTOR, FUNDED, NO_BUDGET, NOT_FUNDED, NOT_SEEN, PARTLY, SECTOR_FUNCTIONS, SECTOR_GROWS,
)
from pbtools.monitoring.follow.priorities import hearing_priorities
from pbtools.monitoring.follow.service import STREAM, FollowError, FollowService
from pbtools.hearings.store import state
from pbtools.reports.voting import question_reports
from pbtools.roles import MONITOR, OBSERVER, Actor, NotAllowed
from pbtools.storage import open_workspace
from tests.fixtures.monitoring_year import ADOPTED

ROOT = Path(__file__).resolve().parents[2]
ADOPTED_BUDGET = read_budget(ADOPTED)[0]


def line(code: str):
    return next(l for l in ADOPTED_BUDGET.expenditure() if l.code == code)


def sector_growth(function: str, year: int = 2027) -> Decimal:
    lines = [l for l in ADOPTED_BUDGET.expenditure() if l.group == function]
    return sum((l.planned.get(year, Decimal(0)) - l.planned.get(year - 1, Decimal(0)) for l in lines), Decimal(0))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", *args], capture_output=True, text=True, cwd=ROOT)


def test_priorities_are_the_options_the_count_funded(monitoring_year):
    with open_workspace(monitoring_year) as ws:
        funded = {o for r in question_reports(state(ws, "sample-2026")) if r.result for o in r.result.selected}
        priorities = hearing_priorities(ws)
    assert {p.option.id for p in priorities} == funded
    assert all(p.budget_year == 2027 for p in priorities)
    assert len(priorities) == len(funded)  # once per hearing, however many questions funded it


def test_each_priority_against_the_adopted_budget(monitoring_year):
    with open_workspace(monitoring_year) as ws:
        follow = FollowService(ws).follow()
    rows = {r.priority.option.id: r for r in follow.rows}
    assert follow.year == 2027 and follow.adopted is not None
    water = rows["P1"]  # the adopted budget has a line of the same name
    assert (water.how, water.line.code, water.amount) == (BY_NAME, "7061", line("7061").planned[2027])
    assert water.status == (FUNDED if water.amount >= water.cost else PARTLY)
    waste = rows["P2"]  # no line of its name: its sector's money barely grew
    growth = sector_growth(SECTOR_FUNCTIONS["waste"])
    assert (waste.how, waste.amount) == (BY_SECTOR, growth)
    assert waste.status == (SECTOR_GROWS if growth >= waste.cost else NOT_SEEN) == NOT_SEEN
    lights = rows["P3"]  # 7061 is matched to the water: the rest of 706 grew by more than the lighting costs
    rest = line("7062").planned[2027] - line("7062").planned[2026]
    assert (lights.how, lights.amount, lights.status) == (BY_SECTOR, rest, SECTOR_GROWS if rest >= lights.cost else NOT_SEEN)
    assert [r.priority.option.id for r in follow.to_match] == ["P2", "P3"]
    assert follow.not_funded == [waste] and waste.missing == waste.cost


def test_a_persons_match_is_kept_in_the_ledger_and_wins(monitoring_year):
    member = Actor("Айгүл Сыдыкова", MONITOR)
    with open_workspace(monitoring_year) as ws:
        FollowService(ws).match("sample-2026/P2", "705", member)
    with open_workspace(monitoring_year) as ws:  # another session sees it
        follow = FollowService(ws).follow()
        records = ws.ledger.records(STREAM)
        assert ws.ledger.verify(STREAM) == []
    waste = next(r for r in follow.rows if r.priority.option.id == "P2")
    amount = line("705").planned[2027]
    assert (waste.how, waste.line.code, waste.amount) == (BY_PERSON, "705", amount)
    assert waste.status == PARTLY and waste.missing == waste.cost - amount
    assert records[-1].actor == member.name and records[-1].payload["code"] == "705" and records[-1].payload["before"] is None
    assert "Таштанды чогултуу" in promise_text(waste, "ky") and "жетпейт" in promise_text(waste, "ky")
    with open_workspace(monitoring_year) as ws:  # "no line gives it money", the latest match winning
        FollowService(ws).match("sample-2026/P2", "", member)
        waste = next(r for r in FollowService(ws).follow().rows if r.priority.option.id == "P2")
        assert (waste.how, waste.status, waste.missing) == (BY_PERSON, NOT_FUNDED, waste.cost)
        assert ws.ledger.records(STREAM)[-1].payload["before"] == "705"


@pytest.mark.parametrize("actor, key, code, error", [
    (Actor("Observer", OBSERVER), "sample-2026/P2", "705", NotAllowed),
    (Actor("Member", MONITOR), "sample-2026/P9", "705", FollowError),
    (Actor("Member", MONITOR), "sample-2026/P2", "1111", FollowError),  # a revenue line
    (Actor("Member", MONITOR), "sample-2026/P2", "999", FollowError),
])
def test_a_bad_match_is_refused_and_nothing_is_written(monitoring_year, actor, key, code, error):
    with open_workspace(monitoring_year) as ws:
        with pytest.raises(error) as raised:
            FollowService(ws).match(key, code, actor)
        assert raised.value.render("ru") != raised.value.render("en")
        assert STREAM not in ws.ledger.streams()


def test_execution_lists_the_biggest_shortfalls_first(monitoring_year):
    with open_workspace(monitoring_year) as ws:
        follow = FollowService(ws).follow()
    expected = sorted(((l.planned[2026] - l.executed[2026], l.code) for l in ADOPTED_BUDGET.lines if 2026 in l.executed),
                      key=lambda x: -x[0])
    assert follow.execution_year == 2026
    assert [(e.shortfall, e.code) for e in follow.execution][:5] == expected[:5]
    assert [e.shortfall for e in follow.execution] == sorted((e.shortfall for e in follow.execution), reverse=True)


def test_without_the_adopted_budget_it_says_so(demo_copy):
    with open_workspace(demo_copy) as ws:
        follow = FollowService(ws).follow()
    assert follow.year == 2027 and {r.status for r in follow.rows} == {NO_BUDGET}
    assert "pbtools budget import" in follow_lines(follow, "ky")[0] and "2027" in follow_lines(follow, "ky")[0]


def test_cli_follow_and_match(monitoring_year):
    shown = run("monitoring", "follow", "--json", "--workspace", str(monitoring_year))
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert {p["priority"]: p["status"] for p in data["priorities"]}["sample-2026/P2"] == NOT_SEEN
    bad = run("monitoring", "match", "sample-2026/P2", "999", "--workspace", str(monitoring_year), "--lang", "ru")
    assert bad.returncode == 1 and "999" in bad.stderr and "нет строки расходов" in bad.stderr
    neither = run("monitoring", "match", "sample-2026/P2", "--workspace", str(monitoring_year), "--lang", "ky")
    assert neither.returncode == 1 and "--none" in neither.stderr
    good = run("monitoring", "match", "sample-2026/P2", "705", "--by", "Айгүл", "--workspace", str(monitoring_year))
    assert good.returncode == 0, good.stderr
    text = run("monitoring", "follow", "--workspace", str(monitoring_year), "--lang", "ky")
    assert "жарым-жартылай каржыланат" in text.stdout


def test_a_changed_match_is_not_shown(monitoring_year):
    import sqlite3

    with open_workspace(monitoring_year) as ws:
        FollowService(ws).match("sample-2026/P2", "705", Actor("Member", MONITOR))
    db = sqlite3.connect(monitoring_year / "pbtools.sqlite")
    payload = json.loads(db.execute("SELECT payload FROM ledger_records WHERE stream = ?", (STREAM,)).fetchone()[0])
    payload["code"] = "7062"  # someone moves the match to a line with more money
    db.execute("UPDATE ledger_records SET payload = ? WHERE stream = ?", (json.dumps(payload), STREAM))
    db.commit()
    db.close()
    with open_workspace(monitoring_year) as ws:
        with pytest.raises(FollowError):
            FollowService(ws).follow()
    shown = run("monitoring", "follow", "--workspace", str(monitoring_year), "--lang", "ru")
    assert shown.returncode == 1 and "не проходят проверку" in shown.stderr and "7062" not in shown.stdout


def test_a_projects_budget_code_matches_its_priority_to_the_line(monitoring_year):
    from pbtools.monitoring import MonitoringService

    member = Actor("Айгүл Сыдыкова", MONITOR)
    with open_workspace(monitoring_year) as ws:
        svc = MonitoringService(ws)
        by_option = {p.link.option_id: p for p in svc.projects() if p.link and p.link.hearing_id == "sample-2026"}
        before = {r.priority.option.id: r for r in FollowService(ws).follow().rows}
        assert before["P2"].how == BY_SECTOR and before["P1"].how == BY_NAME
        svc.update(member, by_option["P2"].id, budget_code="705")  # the waste: no line of its name
        svc.update(member, by_option["P1"].id, budget_code="7062")  # the code wins over the line's name
        follow = FollowService(ws).follow()
        rows = {r.priority.option.id: r for r in follow.rows}
        waste, water = rows["P2"], rows["P1"]
        assert (waste.how, waste.line.code, waste.amount) == (BY_CODE, "705", line("705").planned[2027])
        assert waste.status == (FUNDED if waste.amount >= waste.cost else PARTLY)
        assert (water.how, water.line.code) == (BY_CODE, "7062")
        assert "P2" not in [r.priority.option.id for r in follow.to_match]
        assert FollowService(ws).follow(codes={}).rows == list(before.values())  # codes given: only those
        FollowService(ws).match("sample-2026/P2", "", member)  # a person's match wins over the code
        assert {r.priority.option.id: r for r in FollowService(ws).follow().rows}["P2"].how == BY_PERSON


@pytest.mark.parametrize("year", ["27", "2027²", "٢٠٢٧", "２０２７"])
def test_follow_refuses_a_year_in_digits_that_are_not_ascii(monitoring_year, year):
    result = run("monitoring", "follow", "--year", year, "--workspace", str(monitoring_year))
    assert result.returncode == 2 and "--year" in result.stderr and year in result.stderr


def test_a_match_decided_on_matches_put_back_meanwhile_is_not_written(monitoring_year, tmp_path):
    """The copy put back between the read and the write holds no match at all: the record would say it replaced
    line 705 there. Refused, nothing written; another screen's match after the read does not refuse it."""
    from tests.fixtures.db_copies import before_the_next_write, copy_db, restore_db
    member = Actor("Айгүл Сыдыкова", MONITOR)
    backup = copy_db(monitoring_year, tmp_path / "backup.sqlite")
    with open_workspace(monitoring_year) as ws:
        follow = FollowService(ws)
        follow.match("sample-2026/P2", "705", member)
        before_the_next_write(ws, lambda: restore_db(monitoring_year, backup))
        with pytest.raises(FollowError) as e:
            follow.match("sample-2026/P2", "", member)
        assert "nothing was saved" in e.value.render("en")
        assert "ничего не сохранено" in e.value.render("ru") and "сакталган жок" in e.value.render("ky")
        assert STREAM not in ws.ledger.streams() or ws.ledger.records(STREAM) == []
        follow.match("sample-2026/P2", "705", member)
        with open_workspace(monitoring_year, create=False) as other:
            before_the_next_write(ws, lambda: FollowService(other).match("sample-2026/P1", "", member))
            follow.match("sample-2026/P2", "", member)
        assert [(r.payload["priority"], r.payload["code"]) for r in ws.ledger.records(STREAM)] == [
            ("sample-2026/P2", "705"), ("sample-2026/P1", ""), ("sample-2026/P2", "")]
