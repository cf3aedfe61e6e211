"""The command line writes days as its ``--lang`` does (31.10.2026 in ky and ru, ISO in en), as the screens do; its
``--json`` keeps them ISO. They were ISO in every language: hearing list/show/codes, verify, projects show/overdue,
survey results, services plan; times were UTC or ISO (logins, an invitation's expiry, a project's history)."""

from __future__ import annotations

import json
import re
import shutil
import time
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from pbtools.cli import main
from pbtools.dates import shown_day
from pbtools.hearings.store import hearing_ids, state
from pbtools.monitoring import MonitoringService
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The sample workspace (a hearing, a monitoring year, services with surveys and a plan); the commands here only
    read it (``hearing codes`` adds codes, which no other test here reads)."""
    from pbtools.demo import create_demo

    folder = tmp_path_factory.mktemp("days") / "ws"
    create_demo(folder)
    return folder


@pytest.fixture(scope="module")
def facts(demo):
    with open_workspace(demo) as ws:
        (hearing,) = hearing_ids(ws)
        monitoring = MonitoringService(ws)
        plan = ServicesService(ws).followed("water")
        return SimpleNamespace(hearing=state(ws, hearing).hearing, projects=monitoring.projects(), acts=monitoring.acts(),
                               deadlines=[f.activity.deadline for f in plan if f.activity.deadline])


@pytest.fixture
def bishkek(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Bishkek")  # UTC+6 all year
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def said(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_hearings_list_and_show_write_the_day_as_the_language_does(demo, facts, capsys, lang):
    where = ("--workspace", str(demo), "--lang", lang)
    day = shown_day(facts.hearing.date, lang)
    listed, shown = said(capsys, "hearing", "list", *where), said(capsys, "hearing", "show", facts.hearing.id, *where)
    assert f"  {day}  " in listed and f", {day} (" in shown
    if lang != "en":
        assert day != facts.hearing.date and not ISO_DAY.search(listed.replace(facts.hearing.id, ""))
    assert json.loads(said(capsys, "hearing", "list", "--json", *where))[0]["date"] == facts.hearing.date  # JSON: ISO


def test_verify_recounts_with_the_day_as_the_language_writes_it(demo, facts, capsys, tmp_path):
    audit = tmp_path / "audit.jsonl"
    said(capsys, "export", facts.hearing.id, "--format", "audit", "--out", str(audit), "--workspace", str(demo))
    assert f", {shown_day(facts.hearing.date, 'ru')}\n" in said(capsys, "verify", str(audit), "--lang", "ru")


def test_code_cards_printed_from_the_command_line_say_the_day_as_the_console_does(demo, capsys, tmp_path):
    from pbtools.hearings.model import Hearing
    from pbtools.hearings.store import create_hearing

    folder = tmp_path / "ws"
    shutil.copytree(demo, folder)
    with open_workspace(folder) as ws:  # a hearing still being prepared: codes are issued for it
        draft = create_hearing(ws, Hearing(id="", municipality=ws.municipality().name("ky"), type="pb_vote", date="2026-11-21"), actor="t").id
    said(capsys, "hearing", "codes", draft, "--count", "2", "--out", str(tmp_path / "codes"), "--workspace", str(folder), "--lang", "ky")
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "codes.pdf").pages)
    assert "21.11.2026" in text and "2026-11-21" not in text.replace(draft, "")


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_a_project_and_the_overdue_acts_are_shown_with_the_language_s_days(demo, facts, capsys, bishkek, lang):
    where = ("--workspace", str(demo), "--lang", lang)
    p = next(p for p in facts.projects if p.planned_start and p.actual_start and any(a.project_id == p.id for a in facts.acts))
    shown = said(capsys, "projects", "show", p.id, *where)
    for day in (p.planned_start, p.planned_finish, p.actual_start, p.status_date,
                *(a.date for a in facts.acts if a.project_id == p.id)):
        assert shown_day(day, lang) in shown, day
    history = shown[shown.index("\n", shown.index(_history(lang))):]
    assert re.search(r"#\d+  \d\d\.\d\d\.\d{4} \d\d:\d\d \(UTC\+6\)  ", history)  # a stored moment: local, zone said
    # what is left in ISO is what the records keep (a change's values, as stored) and what people typed (a
    # response's text), not a day the command wrote
    written = re.sub(r"\{.*\}", "", shown)
    typed = [t for a in facts.acts for t in (a.findings, a.recommendations, *(r.text for r in a.responses))]
    for text in filter(None, typed + [s.reason for s in p.statuses]):
        written = written.replace(text, "")
    assert not ISO_DAY.search(written), ISO_DAY.findall(written)
    late = said(capsys, "projects", "overdue", "--today", "2026-12-01", *where)
    overdue = [a for a in facts.acts if a.response_due and a.response_due < "2026-12-01" and not a.responses and not a.corrected_by]
    assert overdue and all(shown_day(a.response_due, lang) in late for a in overdue) and not ISO_DAY.search(late)


def _history(lang: str) -> str:
    from pbtools.i18n import translator

    return translator(lang)("History:")


def test_survey_results_and_the_plan_say_their_days_as_the_language_does(demo, facts, capsys):
    where = ("--workspace", str(demo), "--lang", "ru")
    results = said(capsys, "survey", "results", "water", *where)
    assert re.match(r"Опрос \S+ от \d\d\.\d\d\.\d{4}: ", results), results[:80]
    plan = said(capsys, "services", "plan", "water", *where)
    assert facts.deadlines and all(f"\t{shown_day(d, 'ru')}\t" in plan for d in facts.deadlines)
    assert not ISO_DAY.search(plan)


def test_a_lock_and_an_invitation_say_their_moment_in_local_time_and_the_language_s_days(tmp_path, capsys, bishkek):
    from pbtools.cli.central import _print_invitation
    from pbtools.server.logins import LOCKOUT_FILE

    (tmp_path / LOCKOUT_FILE).write_text(json.dumps({"127.0.0.9": {"since": "2026-12-07T09:38:12+00:00", "failures": 10}}))
    shown = said(capsys, "logins", "--workspace", str(tmp_path), "--lang", "ru")
    assert "127.0.0.9" in shown and "07.12.2026 15:38 (UTC+6)" in shown and "2026-12-07" not in shown
    _print_invitation(SimpleNamespace(username="nurlan", code="ABCD-EFGH", expires_at=datetime(2026, 12, 7, 9, 38, tzinfo=timezone.utc)), "ky")
    assert "07.12.2026 15:38 (UTC+6)" in capsys.readouterr().out
