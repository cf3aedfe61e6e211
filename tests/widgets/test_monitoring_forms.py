"""The Monitoring app's act, response and progress forms driven from Python on the demo workspace: what is typed for
one project never goes to another, and what the forms refuse is said by the field it is about."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pbtools.dates import shown_day
from pbtools.fmt import percent
from pbtools.monitoring import MonitoringService
from pbtools.monitoring.forms import is_late
from pbtools.storage import open_workspace
from pbtools_widgets.monitoring.app import MonitoringApp
from tests.widgets.test_monitoring_app import ledger_size, png, upload

TODAY = date(2026, 12, 6)


@pytest.fixture
def ws(demo_copy):
    with open_workspace(demo_copy) as workspace:  # the session's sample workspace, copied (tests/fixtures/demo.py)
        yield workspace


def test_an_act_typed_for_one_project_stays_with_it_when_another_is_chosen(ws):
    """The trial: findings and a photo typed for the water project were still in the form on the waste project,
    ready to be filed there."""
    svc = MonitoringService(ws)
    water, waste = svc.projects()[:2]
    waste_acts = svc.acts(waste.id)
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.operator.value = "Айгүл Сыдыкова"
    form = app.act_form
    app.page.choice.value = water.id
    form.findings.value, form.due.value = "Выводы по воде", "2026-12-20"
    form.ticks[app.members[0].id].value = True
    upload(form.upload, ("site_visit.png", png()))
    assert [n for n, _c in form.pending] == ["site_visit.png"]
    app.page.choice.value = waste.id
    assert waste.title("ru") in form.heading.value
    assert (form.findings.value, form.due.value, form.pending) == ("", "", [])
    assert not any(t.value for t in form.ticks.values()) and "site_visit.png" not in form.pending_list.value
    before = ledger_size(ws)
    form.file.click()  # nothing of the water act is filed on the waste project
    assert "pb-error" in form.said.value and ledger_size(ws) == before
    app.page.choice.value = water.id  # and the draft comes back with its project
    assert (form.findings.value, form.due.value, [n for n, _c in form.pending]) == ("Выводы по воде", "2026-12-20", ["site_visit.png"])
    assert form.ticks[app.members[0].id].value
    form.file.click()
    act = svc.acts(water.id)[-1]
    assert (act.findings, len(act.photos)) == ("Выводы по воде", 1) and svc.acts(waste.id) == waste_acts


def test_a_response_typed_for_one_projects_act_is_not_recorded_on_anothers(ws):
    svc = MonitoringService(ws)
    with_acts = [p for p in svc.projects() if any(not a.corrected for a in svc.acts(p.id))]
    first, second = with_acts[:2]
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.operator.value = "Айгүл Сыдыкова"
    app.page.choice.value = first.id
    app.responses.text.value = "Ответ по первому проекту"
    app.page.choice.value = second.id
    assert app.responses.text.value == ""
    app.page.choice.value = first.id
    assert app.responses.text.value == "Ответ по первому проекту"


def test_the_progress_form_takes_the_day_of_the_status_and_the_actual_dates(ws):
    svc = MonitoringService(ws)
    project = next(p for p in svc.projects() if p.status == "in_progress")
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.operator.value = "Жамиля Токтосунова"
    app.page.choice.value = project.id
    page = app.page
    # the days in the screen's form (06.12.2026 on a Russian screen), read back as the ISO days they are
    assert page.day.value == "06.12.2026" and page.started.value == shown_day(project.actual_start, "ru") != project.actual_start
    before = ledger_size(ws)
    page.status.value, page.percent.value, page.reason.value = "completed", "80", "Объект принят комиссией"
    page.day.value, page.finished.value = "28.11.2026", "25.11.2026"
    page.save.click()
    said = page.said.value
    assert "pb-error" in said and percent(Decimal("0.8"), "ru", 0) in said and "Выполняется" in said and ledger_size(ws) == before
    page.percent.value = "100"
    page.save.click()
    assert "pb-ok" in page.said.value
    done = svc.project(project.id)
    assert (done.status, done.status_date, done.actual_start, done.actual_finish, done.percent) == (
        "completed", "2026-11-28", project.actual_start, "2026-11-25", 100)
    assert "25.11.2026" in page.page.value and "2026-11-25" not in page.page.value  # the actual dates on the project's page


def test_a_response_dated_as_the_message_asks_is_recorded(ws):
    """The trial (ky): a response dated 01.12.2026 was refused by a message asking for 14.05.2026."""
    svc = MonitoringService(ws)
    act = next(a for a in svc.acts() if not a.responses and not a.corrected)
    app = MonitoringApp(ws, lang="ky", today=TODAY)
    app.operator.value = "Чынара Абдыкадырова"
    app.page.choice.value = act.project_id
    form = app.responses
    form.act.value = act.id
    form.day.value, form.text.value = "01.12.2026", "Мердигер менен келишим кайра каралды."
    form.save.click()
    assert "pb-ok" in form.said.value, form.said.value
    assert svc.act(act.id).response.date == "2026-12-01"


def test_an_enormous_cost_is_refused_and_one_far_beyond_the_plan_is_saved_only_once_confirmed(ws):
    svc = MonitoringService(ws)
    project = next(p for p in svc.projects() if p.status == "in_progress" and p.planned.total)
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.operator.value = "Жамиля Токтосунова"
    app.page.choice.value = project.id
    page = app.page
    before = ledger_size(ws)
    page.cost.value = "1 000 000 000 000"
    page.save.click()
    assert "pb-error" in page.said.value and "Фактическая стоимость" in page.said.value
    assert page.confirm.layout.display == "none" and ledger_size(ws) == before  # refused outright: nothing to confirm
    far = project.planned.total * 20
    page.cost.value = str(far)
    page.save.click()
    assert "в 20 раз" in page.said.value and page.confirm.layout.display != "none" and ledger_size(ws) == before
    page.cost.value = str(far + 1)  # another figure: the question was about the one before
    assert page.confirm.layout.display == "none"
    page.cost.value = str(far)
    page.save.click()
    page.confirm.click()
    assert "pb-ok" in page.said.value and svc.project(project.id).actual.total == far
    assert page.confirm.layout.display == "none"


def test_what_the_report_tab_and_the_history_export_said_follows_a_language_switch(ws):
    """The trial: after a language switch the Report tab still said «Записано: … / Скачать акт» in Russian."""
    from pbtools.i18n import translator

    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.files.act.value = MonitoringService(ws).acts()[0].id
    out = app.files.write_act("docx")
    app.page.export.click()
    assert translator("ru")("Download the act") in app.files.result.value
    assert translator("ru")("Download the history") in app.page.exported.value
    app.lang_switch.value = "ky"
    ky = translator("ky")
    assert ky("Download the act") in app.files.result.value and ky("Made: {file}", file=out.name) in app.files.result.value
    assert translator("ru")("Download the act") not in app.files.result.value
    assert ky("Download the history") in app.page.exported.value


def test_the_report_tab_names_both_bad_days_of_its_period(ws):
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.files.start.value, app.files.end.value = "01.13.2026", "2026-02-30"
    assert app.files.write_report("pdf") is None
    said = app.files.said.value
    assert "С: 01.13.2026" in said and "По: 2026-02-30" in said and "pb-error" in said


def test_the_progress_form_starts_from_the_actual_cost_recorded(ws):
    """The trial (ky): the water project had 1 300 000 som spent, but the form's cost was empty (its placeholder
    «мисалы, 1 200 000» only) while its actual start was filled in."""
    from pbtools.fmt import number

    svc = MonitoringService(ws)
    water = next(p for p in svc.projects() if p.status == "in_progress" and p.actual.total)
    split = next(p for p in svc.projects() if p.actual.is_split)
    none = next(p for p in svc.projects() if not p.actual.total)
    app = MonitoringApp(ws, lang="ky", today=TODAY)
    app.operator.value = "Айгүл Сыдыкова"
    page = app.page
    page.choice.value = water.id
    assert page.cost.value == number(water.actual.total, "ky") and page.started.value == shown_day(water.actual_start, "ky")
    page.choice.value = none.id
    assert page.cost.value == ""  # none recorded: the placeholder says what to type
    page.choice.value = split.id  # saved as it is: nothing changes, the split of the cost kept
    before = ledger_size(ws)
    page.save.click()
    assert "pb-ok" in page.said.value and ledger_size(ws) == before
    assert svc.project(split.id).actual == split.actual

    app.lang_switch.value = "en"
    page.choice.value = water.id
    assert page.cost.value == number(water.actual.total, "en")
    page.percent.value = str(water.percent + 5)
    page.save.click()
    assert "pb-ok" in page.said.value, page.said.value
    last = svc.history(water.id)[-1]
    assert set(last.after) == {"percent"} and svc.project(water.id).actual == water.actual


def test_every_percentage_of_the_kyrgyz_screen_is_written_one_way(ws):
    """The trial: «75 % аткарылды» (the status line) and «60% аткарылды» (the late list) on one Kyrgyz screen."""
    import re

    svc = MonitoringService(ws)
    project = next(p for p in svc.projects() if p.status == "in_progress" and is_late(p, TODAY))
    app = MonitoringApp(ws, lang="ky", today=TODAY)
    app.operator.value = "Айгүл Сыдыкова"
    app.page.choice.value = project.id
    app.page.percent.value, app.page.reason.value = "75", "Түтүктөр тартылды"
    app.page.save.click()
    said = app.page.said.value
    assert "pb-ok" in said
    seventy_five = percent(Decimal("0.75"), "ky", 0)
    assert seventy_five == percent(Decimal("0.75"), "ru", 0)  # the Russian form, a no-break space before the sign
    assert seventy_five in said and seventy_five in app.table.value and seventy_five in app.page.page.value
    for shown in (said, app.table.value, app.page.page.value, app.summary.value):
        assert not re.search(r"\d%", shown), re.search(r".{30}\d%.{10}", shown)


def test_the_report_and_the_history_say_which_file_was_made_never_where_the_server_keeps_it(ws):
    """The trial: «Записано: /tmp/…/workspace/reports/monitoring-report-ru.pdf», the server's path (the home folder in
    it), meaningless on the phone or tablet that downloads the file by the link beside it."""
    from pbtools.i18n import translator

    _ = translator("ru")
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    report = app.files.write_report("xlsx")
    app.page.export.click()
    history = next((ws.path / "reports").glob("history-*.xlsx"))
    for shown, out, link in ((app.files.result.value, report, "Download the report"), (app.page.exported.value, history, "Download the history")):
        assert _("Made: {file}", file=out.name) in shown and _(link) in shown and f'download="{out.name}"' in shown
        assert str(ws.path) not in shown and str(out.parent) not in shown


def test_the_groups_positions_are_in_the_screens_language(ws):
    """The trial: the Russian act form listed «Айгүл Сыдыкова (айылдык кеңештин депутаты)», the sample's Kyrgyz."""
    from pbtools.monitoring.demo_year import MEMBERS

    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.page.choice.value = MonitoringService(ws).projects()[0].id
    for lang in ("ru", "ky", "en"):
        app.lang_switch.value = lang
        ticks = [t.description for t in app.act_form.ticks.values()]
        assert ticks == [f"{name} ({position[lang]})" for name, position in MEMBERS]
