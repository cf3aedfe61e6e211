"""Every place a person types a day reads it the one way (``pbtools.dates``): 2026-05-14 and 14.05.2026 are the same
day, kept in ISO; a day that is no date is refused with the one message, naming the field, in ky/ru/en, and nothing
is stored. A screen shows a day the one way too (``shown_day``), in a form the same reader takes back."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from pbtools.dates import NOT_A_DATE, as_typed, is_iso_day, long_day, not_a_date, parse_date, shown_day
from pbtools.i18n import LANGS, N_, translator
from pbtools.moments import moment_text, shown_moment, zone_named
from pbtools.roles import LOCAL, Actor, FACILITATOR, MONITOR
from pbtools.storage import open_workspace


@pytest.mark.parametrize("typed, day", [
    ("2026-05-14", "2026-05-14"), ("14.05.2026", "2026-05-14"), (" 14.05.2026 ", "2026-05-14"), ("14/05/2026", "2026-05-14"),
    ("14.05.26", "2026-05-14"), ("2026-05-14T10:30", "2026-05-14"), (date(2026, 5, 14), "2026-05-14"),
    ("", ""), ("—", ""), (None, ""),
    ("31.02.2026", None), ("2026-13-01", None), ("May 14", None), ("14.05", None), ("2026-5-14x", None),
])
def test_a_day_is_read_in_either_form(typed, day):
    assert parse_date(typed) == day
    assert as_typed(typed) == (day or typed if isinstance(typed, str) else typed)
    assert is_iso_day(typed) == (day is not None and day != "" and typed == day)


def test_the_message_names_the_field_and_both_forms_in_every_language():
    for lang in LANGS:
        text = not_a_date("31.02.2026", N_("Date of the visit")).render(lang)
        assert text.startswith(translator(lang)("Date of the visit") + ": ")
        assert "31.02.2026" in text and "2026-05-14" in text and "14.05.2026" in text
        assert text.endswith(translator(lang)(NOT_A_DATE, value="31.02.2026"))
    assert not_a_date("x").render("en") == "x is not a date (write it as 2026-05-14 or 14.05.2026)"


@pytest.mark.parametrize("lang, shown", [("ru", "31.10.2026"), ("ky", "31.10.2026"), ("en", "2026-10-31")])
def test_a_screen_shows_a_day_as_its_language_writes_it_and_reads_it_back(lang, shown):
    """Seen on a Russian screen: the overdue list said 2026-10-31. Every form shown is one the date reader takes, so a
    day copied off a screen into a form is the same day."""
    for day in ("2026-10-31", date(2026, 10, 31), datetime(2026, 10, 31, 23, 59)):
        assert shown_day(day, lang) == shown
    assert parse_date(shown) == "2026-10-31"
    assert shown_day("2026-01-05", lang) == {"en": "2026-01-05"}.get(lang, "05.01.2026")  # day and month kept apart
    assert shown_day("", lang) == shown_day(None, lang) == "—" and shown_day("", lang, "…") == "…"
    assert shown_day("not a day", lang) == "not a day"  # an older record's text is shown, never hidden
    utc = datetime(2026, 10, 31, 9, 5, tzinfo=timezone.utc)
    assert shown_moment(utc, timezone.utc, lang) == f"{shown} 09:05"
    assert moment_text(utc, zone_named("Asia/Bishkek"), lang) == f"{shown} 15:05 (UTC+6)"


def test_a_printed_day_is_written_out_in_the_document_s_language():
    assert long_day("2026-10-31", "ru") == "31 октября 2026\u202fг."
    assert long_day("2026-10-31", "en") == "October 31, 2026"
    assert "2026" in long_day("2026-10-31", "ky") and "окт" in long_day("2026-10-31", "ky")
    assert long_day("", "ru") == "—"


# ---- each entry point: (how a day typed there is stored, and read back) -> the stored ISO day, or its refusal

STAFF = Actor("Гүлнара", FACILITATOR)
MEMBER = Actor("Айгүл", MONITOR)


def _monitoring(ws):
    from pbtools.monitoring import MonitoringService

    return MonitoringService(ws)


def project_planned_start(ws, typed):
    return _monitoring(ws).add_project(STAFF, {"ky": "Көпүрө"}, planned_start=typed).planned_start


def act_visit(ws, typed):
    svc = _monitoring(ws)
    p = svc.add_project(STAFF, {"ky": "Суу"})
    m = svc.add_member(STAFF, "Айгүл Сыдыкова")
    return svc.file_act(MEMBER, p.id, date=typed, members=[m.id], findings="ok").date


def act_deadline(ws, typed):
    svc = _monitoring(ws)
    p = svc.add_project(STAFF, {"ky": "Суу"})
    m = svc.add_member(STAFF, "Айгүл Сыдыкова")
    return svc.file_act(MEMBER, p.id, date="2026-05-01", members=[m.id], findings="ok", response_due=typed).response_due


def act_response(ws, typed):
    svc = _monitoring(ws)
    p = svc.add_project(STAFF, {"ky": "Суу"})
    m = svc.add_member(STAFF, "Айгүл Сыдыкова")
    act = svc.file_act(MEMBER, p.id, date="2026-05-01", members=[m.id], findings="ok")
    return svc.record_response(STAFF, act.id, "Оңдолду", on=typed).responses[-1].date


def milestone_planned(ws, typed):
    svc = _monitoring(ws)
    p = svc.add_project(STAFF, {"ky": "Суу"})
    return svc.add_milestone(STAFF, p.id, "Долбоор", planned=typed).planned


def milestone_done(ws, typed):
    svc = _monitoring(ws)
    p = svc.add_project(STAFF, {"ky": "Суу"})
    m = svc.add_milestone(STAFF, p.id, "Долбоор", planned="2026-05-01")
    return svc.milestone_done(STAFF, p.id, m.id, done=typed).done


def report_period(ws, typed):
    from pbtools.monitoring.forms import read_period

    return read_period(typed, "")[0].isoformat()


def _services(ws):
    from pbtools.services.service import ServicesService
    from tests.services.helpers import village_water

    svc = ServicesService(ws)
    svc.save(village_water(), LOCAL)
    return svc


def survey_date(ws, typed):
    return _services(ws).start_survey("water", "s1", typed, LOCAL).date


def plan_activity_deadline(ws, typed):
    from pbtools.services.plan_edit import ActivityForm, add_activity

    _services(ws)
    return add_activity(ws, "water", ActivityForm(title="Pump", cost="1000", deadline=typed), LOCAL).deadline


def plan_activity_start(ws, typed):
    from pbtools.services.plan_edit import ActivityForm, add_activity

    _services(ws)
    return add_activity(ws, "water", ActivityForm(title="Pump", cost="1000", start=typed, deadline="2027-01-01"), LOCAL).start


def plan_saved(ws, typed):
    from pbtools.services.plan import Activity, Plan

    svc = _services(ws)
    plan = svc.save_plan(Plan("water", (), (Activity("a1", {"en": "Pump"}, {"budget": Decimal(10)}, typed),)), LOCAL)
    assert svc.plan("water") == plan
    return plan.activities[0].deadline


def hearing_date(ws, typed):
    from pbtools.budget.model import Municipality, Village
    from pbtools.hearings.console_service import ConsoleService

    ws.save_municipality(Municipality({"ky": "Ак-Суу айыл аймагы"}, (Village({"ky": "Ак-Суу"}, 900),)))
    service = ConsoleService(ws)
    hearing_id = service.create_hearing(type="pb_vote", date=typed, venues={"ky": "Мектеп"}, villages=["Ак-Суу"],
                                        budget="1 000 000", practice=False, actor="f")
    return service.choose(hearing_id).hearing.date


def needs_session(ws, typed):
    from pbtools.needs.service import NeedsService

    return NeedsService(ws).add_session("Ак-Суу", "women", LOCAL, date=typed).date


# (entry point, the field its message names: None where a file's row and column name it)
ENTRIES = {
    "project planned start": (project_planned_start, N_("Planned start")),
    "act visit": (act_visit, N_("Date of the visit")),
    "act deadline": (act_deadline, N_("Response deadline")),
    "act response": (act_response, N_("Date of the response")),
    "milestone planned": (milestone_planned, N_("Date")),
    "milestone done": (milestone_done, N_("Date")),
    "report period": (report_period, N_("From")),
    "survey": (survey_date, N_("Date")),
    "plan activity deadline": (plan_activity_deadline, N_("Planned finish")),
    "plan activity start": (plan_activity_start, N_("Planned start")),
    "plan saved": (plan_saved, N_("Planned finish")),
    "hearing": (hearing_date, N_("Date")),
    "needs session": (needs_session, N_("Date")),
}


@pytest.mark.parametrize("typed", ["2026-05-14", "14.05.2026"])
@pytest.mark.parametrize("entry", ENTRIES)
def test_each_entry_point_takes_both_forms(tmp_path, entry, typed):
    with open_workspace(tmp_path / "ws") as ws:
        assert ENTRIES[entry][0](ws, typed) == "2026-05-14"


@pytest.mark.parametrize("entry", ENTRIES)
def test_each_entry_point_refuses_a_wrong_day_with_the_one_message(tmp_path, entry):
    read, field = ENTRIES[entry]
    with open_workspace(tmp_path / "ws") as ws:
        with pytest.raises(Exception) as refused:
            read(ws, "31.02.2026")
        for lang in LANGS:
            assert not_a_date("31.02.2026", field).render(lang) in refused.value.render(lang), (entry, lang)


# ---- a refusal naming days (one before the other, one still to come) says them as the screen writes days

def _act_with(ws, **typed):
    svc = _monitoring(ws)
    p = svc.add_project(STAFF, {"ky": "Суу"})
    m = svc.add_member(STAFF, "Айгүл Сыдыкова")
    return svc, svc.file_act(MEMBER, p.id, members=[m.id], findings="ok", **typed)


def deadline_before_visit(ws):
    _act_with(ws, date="14.05.2026", response_due="10.05.2026")


def response_before_act(ws):
    svc, act = _act_with(ws, date="14.05.2026")
    svc.record_response(STAFF, act.id, "Оңдолду", on="10.05.2026")


def status_before_the_current_one(ws):
    svc = _monitoring(ws)
    p = svc.add_project(STAFF, {"ky": "Суу"})
    svc.set_status(STAFF, p.id, "in_progress", on="14.05.2026")
    svc.set_status(STAFF, p.id, "stalled", on="10.05.2026")


def finish_before_start(ws):
    _monitoring(ws).add_project(STAFF, {"ky": "Көпүрө"}, planned_start="14.05.2026", planned_finish="10.05.2026")


def activity_finish_before_start(ws):
    from pbtools.services.plan_edit import ActivityForm, add_activity

    _services(ws)
    add_activity(ws, "water", ActivityForm(title="Pump", cost="1000", start="14.05.2026", deadline="10.05.2026"), LOCAL)


def period_backwards(ws):
    from pbtools.monitoring.forms import read_period

    read_period("14.05.2026", "10.05.2026")


def report_period_backwards(ws):
    from pbtools.monitoring.period_files import write_monitoring_report

    write_monitoring_report(ws, "pdf", "ru", ws.path / "r.pdf", start=date(2026, 5, 14), end=date(2026, 5, 10))


def visit_to_come(ws):
    _act_with(ws, date="14.05.2099")


ORDERED = {f.__name__: f for f in (deadline_before_visit, response_before_act, status_before_the_current_one, finish_before_start,
                                   activity_finish_before_start, period_backwards, report_period_backwards, visit_to_come)}


@pytest.mark.parametrize("case", ORDERED)
def test_a_refusal_says_its_days_as_the_screen_writes_them(tmp_path, case):
    """They were said in ISO (the core keeps days so) on a ky/ru screen: «the deadline 2026-05-10 is before the visit
    2026-05-14» for a deadline typed 10.05.2026."""
    with open_workspace(tmp_path / "ws") as ws:
        with pytest.raises(Exception) as refused:
            ORDERED[case](ws)
    days = ["14.05.2099"] if case == "visit_to_come" else ["14.05.2026", "10.05.2026"]
    for lang in ("ky", "ru"):
        said = refused.value.render(lang)
        assert all(day in said for day in days) and "2026-05-" not in said and "2099-" not in said, (lang, said)
    assert all(parse_date(day) in refused.value.render("en") for day in days)  # ISO in English, as before


# ---- the commands: (arguments before the day, the option taking it, the field the message names, the stored day)

def _stored_survey(ws):
    from pbtools.services.service import ServicesService

    return ServicesService(ws).surveys("water")[0].date


def _stored_session(ws):
    from pbtools.needs.service import NeedsService

    return next(iter(NeedsService(ws).store.refresh().sessions.values())).date


def _stored_deadline(ws):
    from pbtools.services.service import ServicesService

    return ServicesService(ws).plan("water").activities[0].deadline


COMMANDS = {
    "survey start": (["survey", "start", "water", "s1"], "--date", N_("Date"), _stored_survey),
    "needs add-session": (["needs", "add-session", "Ак-Суу", "women"], "--date", N_("Date"), _stored_session),
    "services plan": (["services", "plan", "water", "--add", "Pump", "--cost", "1000"], "--deadline", N_("Planned finish"),
                      _stored_deadline),
    "projects overdue": (["projects", "overdue"], "--today", "--today", None),
}


def _workspace(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        _services(ws)
    return tmp_path / "ws"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_takes_both_forms_and_refuses_a_wrong_day(tmp_path, capsys, command):
    from pbtools.cli import main

    before, option, field, stored = COMMANDS[command]
    args = list(before)  # (monitoring report --from: tests/monitoring/test_report_files.py)
    for n, typed in enumerate(("14.05.2026", "2026-05-14")):
        folder = _workspace(tmp_path / str(n))
        assert main([*args, option, typed, "--workspace", str(folder)]) == 0, capsys.readouterr().err
        if stored is not None:
            with open_workspace(folder) as ws:
                assert stored(ws) == "2026-05-14"
    capsys.readouterr()
    folder = _workspace(tmp_path / "bad")
    assert main([*args, option, "31.02.2026", "--workspace", str(folder), "--lang", "ru"]) != 0  # (needs says 2)
    assert not_a_date("31.02.2026", field).render("ru") in capsys.readouterr().err
    if stored is not None:
        with open_workspace(folder) as ws:
            with pytest.raises(Exception):
                stored(ws)  # nothing stored
