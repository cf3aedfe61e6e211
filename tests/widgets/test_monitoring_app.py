"""The Monitoring app driven from Python, as a user would: filters set, forms typed, uploads given, screens read,
and what the ledger holds checked after each write (nothing stored on a refusal)."""

from __future__ import annotations

import html
import io
import re
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from PIL import Image

from pbtools.dates import shown_day
from pbtools.moments import shown_moment
from pbtools.i18n import translator
from pbtools.monitoring import MonitoringService, is_overdue
from pbtools.monitoring.forms import is_late
from pbtools.storage import open_workspace
from pbtools_widgets.monitoring.app import MonitoringApp

TODAY = date(2026, 12, 6)  # after the demo year's planned finishes (2026-10-31) and its late response (2026-08-25)


@pytest.fixture
def ws(demo_copy):
    with open_workspace(demo_copy) as workspace:  # the session's sample workspace, copied (tests/fixtures/demo.py)
        yield workspace


def png(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


def upload(widget, *files: tuple[str, bytes]) -> None:
    widget.value = tuple({"name": n, "type": "", "size": len(c), "content": memoryview(c), "last_modified": datetime.now(timezone.utc)}
                         for n, c in files)


def rows(app) -> list[str]:
    return re.findall(r'<tr class="pb-status-[^"]*" data-project="([^"]+)"', app.table.value)


def late_rows(app) -> list[str]:
    return re.findall(r'<tr class="pb-status-[^"]* pb-late" data-project="([^"]+)"', app.table.value)


def ledger_size(ws) -> int:
    return sum(len(ws.ledger.records(s)) for s in ws.ledger.streams())


def test_the_table_follows_the_filters_and_marks_late_projects(ws):
    svc = MonitoringService(ws)
    projects = svc.projects()
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    assert rows(app) == [p.id for p in projects]
    assert late_rows(app) == [p.id for p in projects if is_late(p, TODAY)] and late_rows(app)  # the demo has late ones
    village = next(p.village for p in projects if p.village)
    app.village.value = village
    assert rows(app) == [p.id for p in projects if p.village == village]
    app.status.value = "stalled"
    assert rows(app) == [p.id for p in projects if p.village == village and p.status == "stalled"]
    assert [v for _, v in app.page.choice.options] == rows(app)  # the project chooser lists what the table shows
    app.village.value = app.status.value = ""
    app.sector.value = "lighting"
    assert rows(app) == [p.id for p in projects if p.sector == "lighting"]
    # the overdue response is named over the table
    overdue = [a for a in svc.acts() if is_overdue(a, TODAY)]
    app.sector.value = ""
    assert overdue and all(a.id in app.table.value for a in overdue)


def test_the_charts_are_drawn_when_their_tab_opens(ws):
    app = MonitoringApp(ws, lang="ky", today=TODAY)
    assert not app.timeline.value and not app.costs.value
    app.tabs.selected_index = 1
    assert bytes(app.timeline.value).startswith(b"\x89PNG")
    app.tabs.selected_index = 2
    assert bytes(app.costs.value).startswith(b"\x89PNG")


def test_a_projects_page_shows_its_facts_photos_acts_and_history(ws):
    svc = MonitoringService(ws)
    with_photo = next(p for p in svc.projects() if p.photos)
    app = MonitoringApp(ws, lang="ky", today=TODAY)
    app.page.choice.value = with_photo.id
    page = app.page.page.value
    acts = svc.acts(with_photo.id)
    assert page.count('<img alt=') == len(with_photo.photos) + sum(len(a.photos) for a in acts)
    assert all(f'data-act="{a.id}"' in page for a in acts)
    history = svc.history(with_photo.id)
    assert re.findall(r'data-seq="(\d+)"', page) == [str(e.seq) for e in history]
    assert with_photo.contractor in page and "Тарых" in page  # Kyrgyz headings
    located = [a for a in with_photo.photos if a.has_location]
    assert located and all(f"GPS {a.latitude:.5f}, {a.longitude:.5f}" in page for a in located)  # the EXIF location kept


def test_an_act_with_a_photo_is_stored_then_shown(ws):
    svc = MonitoringService(ws)
    project = svc.projects()[2]
    members = svc.members()
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.page.choice.value = project.id
    form = app.act_form
    app.operator.value = "Нурбек Алиев"
    upload(form.upload, ("site.png", png()))
    form.ticks[members[0].id].value = form.ticks[members[2].id].value = True
    form.day.value = "01.12.2026"
    form.findings.value = "Работы возобновлены, подрядчик на месте."
    form.due.value = "2026-12-20"
    form.file.click()
    assert "pb-ok" in form.said.value
    act = svc.acts(project.id)[-1]
    assert (act.date, act.members, act.findings, act.response_due) == ("2026-12-01", (members[0].id, members[2].id),
                                                                        "Работы возобновлены, подрядчик на месте.", "2026-12-20")
    assert len(act.photos) == 1 and svc.file_path(act.photos[0]).read_bytes() == png()
    assert svc.history(project.id)  # and the act's record is in the acts' stream, written by the name typed
    assert ws.ledger.records("monitoring:acts")[-1].actor == "Нурбек Алиев"
    assert act.id in form.said.value and f'data-act="{act.id}"' in app.page.page.value
    assert form.findings.value == "" and form.pending == []  # the form is emptied once stored
    assert svc.verify() == []


@pytest.mark.parametrize("lang, words", [("ky", "сүрөт эмес"), ("ru", "не фотография"), ("en", "is not a photo")])
def test_a_file_that_is_no_photo_is_refused_by_name(ws, lang, words):
    app = MonitoringApp(ws, lang=lang, today=TODAY)
    upload(app.act_form.upload, ("смета.xlsx", b"PK\x03\x04 not a picture"))
    assert "pb-error" in app.act_form.said.value and words in app.act_form.said.value
    assert "смета.xlsx" in app.act_form.said.value and app.act_form.pending == []


def test_a_bad_act_says_what_is_wrong_and_stores_nothing(ws):
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    form = app.act_form
    before = ledger_size(ws)
    form.findings.value = "Что-то"
    form.ticks[app.members[0].id].value = True
    form.file.click()  # no name
    assert "Ваше имя" in form.said.value
    app.operator.value = "Айгүл Сыдыкова"
    form.findings.value = "   "
    form.day.value = "31.11.2026"
    form.file.click()
    said = form.said.value
    assert "pb-error" in said and "31.11.2026" in said and "2026-05-14" in said
    assert ledger_size(ws) == before
    app.lang_switch.value = "ky"  # the refusal stays on screen, now in Kyrgyz
    assert translator("ky")("{value} is not a date (write it as 2026-05-14 or 14.05.2026)", value="31.11.2026") in form.said.value
    assert form.findings.value == "   " and form.day.value == "31.11.2026"  # what was typed is kept to correct


def test_progress_is_recorded_with_its_reason_and_shown_in_the_history(ws):
    svc = MonitoringService(ws)
    project = next(p for p in svc.projects() if p.status == "stalled")
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.page.choice.value = project.id
    app.operator.value = "Жамиля Токтосунова"
    page = app.page
    before = ledger_size(ws)
    page.status.value, page.percent.value, page.cost.value = "in_progress", "140", "сто"
    page.save.click()
    said = page.said.value
    assert "140" in said and "сто" in said and "почему меняется статус" in said
    assert ledger_size(ws) == before
    page.status.value, page.percent.value, page.cost.value = "in_progress", "45", "1 250 000,50"
    page.reason.value = "Подрядчик вернулся на объект"
    page.save.click()
    assert "pb-ok" in page.said.value
    now = svc.project(project.id)
    assert (now.status, now.percent, now.actual.total, now.status_reason) == ("in_progress", 45, Decimal("1250000.50"),
                                                                             "Подрядчик вернулся на объект")
    last = svc.history(project.id)[-1]
    assert last.actor == "Жамиля Токтосунова" and last.before["status"] == "stalled" and last.after["status"] == "in_progress"
    assert f'data-seq="{last.seq}"' in page.page.value and "Подрядчик вернулся на объект" in page.page.value


def test_the_report_tab_writes_the_monitoring_report_with_the_acts(ws):
    from openpyxl import load_workbook

    app = MonitoringApp(ws, lang="en", today=TODAY)
    out = app.files.write_report("xlsx")
    assert out is not None and out.is_file() and "pb-download" in app.files.result.value
    cells = {str(c.value) for sheet in load_workbook(out).worksheets for row in sheet.iter_rows() for c in row if c.value}
    assert all(a.findings in cells for a in MonitoringService(ws).acts())
    app.files.start.value = "2026-13-01"
    assert app.files.write_report("pdf") is None and "2026-13-01" in app.files.said.value


def test_a_response_clears_the_overdue_flag_and_a_correction_refers_to_its_act(ws):
    svc = MonitoringService(ws)
    late = next(a for a in svc.acts() if is_overdue(a, TODAY))
    app = MonitoringApp(ws, lang="ky", today=TODAY)
    app.page.choice.value = late.project_id
    app.operator.value = "Чынара Абдыкадырова"
    form = app.responses
    assert form.act.value == late.id  # the act still waiting for its response comes first
    form.text.value = "   "
    form.save.click()
    assert "pb-error" in form.said.value and svc.act(late.id).responses == ()
    form.text.value = "Мердигер менен келишим кайра каралды."
    form.day.value = "2026-12-01"
    form.save.click()
    assert "pb-ok" in form.said.value
    answered = svc.act(late.id)
    assert [(r.text, r.date, r.actor) for r in answered.responses] == [("Мердигер менен келишим кайра каралды.", "2026-12-01", "Чынара Абдыкадырова")]
    assert not is_overdue(answered, TODAY) and late.id not in app.table.value  # no longer listed as late
    # a correction: a new act that names the one it corrects; the old one stays, shown as corrected
    acts = app.act_form
    acts.corrects.value = late.id
    acts.findings.value = "Иш токтоп турат (мурунку актыда күнү жаңылыш жазылган)."
    acts.ticks[app.members[0].id].value = True
    acts.day.value = "2026-08-06"
    acts.file.click()
    fixed = svc.acts(late.project_id)[-1]
    assert fixed.corrects == late.id and svc.act(late.id).corrected_by == fixed.id
    assert f'data-act="{late.id}"' in app.page.page.value and "pb-corrected" in app.page.page.value
    assert late.id not in [v for _, v in acts.corrects.options]  # a corrected act is not corrected twice


def test_photos_added_to_a_project_are_kept_once_and_shown(ws):
    svc = MonitoringService(ws)
    project = next(p for p in svc.projects() if not p.photos)
    app = MonitoringApp(ws, lang="en", today=TODAY)
    app.page.choice.value = project.id
    app.operator.value = "Azamat"
    upload(app.page.add_photos, ("a.png", png((10, 200, 10))), ("notes.txt", b"not a photo"))
    assert "notes.txt" in app.page.tools_said.value and svc.project(project.id).photos == ()  # none stored
    upload(app.page.add_photos, ("a.png", png((10, 200, 10))), ("b.png", png((10, 10, 200))))
    upload(app.page.add_photos, ("a-again.png", png((10, 200, 10))))
    assert [a.name for a in svc.project(project.id).photos] == ["a.png", "b.png"]  # the same photo twice: kept once
    assert app.page.page.value.count("<img alt=") == 2 + sum(len(a.photos) for a in svc.acts(project.id))


def test_the_history_is_exported_with_every_record(ws):
    from openpyxl import load_workbook

    svc = MonitoringService(ws)
    project = svc.projects()[0]
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.page.choice.value = project.id
    app.page.export.click()
    out = ws.path / "reports" / f"history-{project.id}.xlsx"
    assert out.is_file() and "pb-download" in app.page.exported.value
    sheet = load_workbook(out).worksheets[0]
    assert sheet.max_row - 1 == len(svc.history(project.id))  # a header, then one row per record


def test_a_closed_hearings_funded_projects_are_handed_over_once(tmp_path):
    from pbtools.hearings.sample import create_sample_hearing

    with open_workspace(tmp_path / "ws") as ws:
        hearing_id = create_sample_hearing(ws, participants=40)
        app = MonitoringApp(ws, lang="ru", today=TODAY)
        assert "Добавить проекты" in app.table.value  # the empty list says where projects come from
        app.tabs.selected_index = 5
        assert app.intake.hearing.value == hearing_id and not app.intake.hand_over.disabled
        app.operator.value = "Гүлнара Осмонова"
        app.intake.hand_over.click()
        projects = MonitoringService(ws).projects()
        assert projects and all(p.link.hearing_id == hearing_id for p in projects)
        assert rows(app) == [p.id for p in projects] and "pb-ok" in app.intake.said.value
        before = ledger_size(ws)
        app.intake.hand_over.click()  # a second handover creates nothing again
        assert ledger_size(ws) == before and str(len(projects)) in app.intake.said.value


def test_an_action_plan_with_errors_lists_each_problem_and_imports_nothing(ws):
    plan = ("№;Иш-чаранын аталышы;Айыл;Жалпы наркы;Мөөнөтү\n"
            "1;Суу түтүгүн оңдоо;Көк-Талаа;1 25о;01.09.2026\n"
            "2;Мектептин чатырын жабуу;Бел-Саз;300;31.02.2026\n")
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.operator.value = "Айгүл Сыдыкова"
    before = ledger_size(ws)
    upload(app.intake.upload, ("план.csv", plan.encode()))
    problems = re.findall(r"<li>(.*?)</li>", app.intake.problems.value)
    assert len(problems) == 2 and all("план.csv" in p for p in problems)
    assert any("строка 2" in p and "Жалпы наркы" in p for p in problems) and any("строка 3" in p and "Мөөнөтү" in p for p in problems)
    assert ledger_size(ws) == before
    good = plan.replace("1 25о", "1 250").replace("31.02.2026", "28.02.2026")
    upload(app.intake.upload, ("план.csv", good.encode()))
    assert app.intake.problems.value == "" and "pb-ok" in app.intake.said.value
    titles = [p.title("ky") for p in MonitoringService(ws).projects()]
    assert "Суу түтүгүн оңдоо" in titles and "Мектептин чатырын жабуу" in titles


def test_what_is_typed_in_the_progress_form_survives_a_language_switch(ws):
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    page = app.page
    page.percent.value, page.reason.value = "55", "проверено на месте"
    app.lang_switch.value = "ky"
    assert (page.percent.value, page.reason.value) == ("55", "проверено на месте")
    page.choice.value = [v for _, v in page.choice.options][1]  # another project: the form starts from it
    assert page.reason.value == "" and page.percent.value == str(page.project.percent)


def test_records_changed_behind_pbtools_back_show_nothing_but_the_warning(ws):
    from sqlalchemy import text

    with ws.engine.begin() as conn:
        conn.execute(text("UPDATE ledger_records SET actor = 'someone else' WHERE stream LIKE 'monitoring:project:%' AND seq = 1"))
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    assert "pb-error" in app.summary.value and "monitoring:project:" in app.summary.value
    assert app.table.value == "" and app.page.choice.options == () and app.page.page.value == ""


def test_an_act_just_filed_is_the_one_the_response_form_offers(ws):
    """File an act on a project whose only act is answered: the response form turns to the new act (it waits for an
    answer), not the answered one still selected, so the response is not recorded on the wrong act."""
    svc = MonitoringService(ws)
    answered = next(a for a in svc.acts() if a.responses and not a.corrected and
                    all(b.responses or b.corrected for b in svc.acts(a.project_id)))
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    app.page.choice.value = answered.project_id
    app.operator.value = "Айгүл Сыдыкова"
    assert app.responses.act.value == answered.id
    form = app.act_form
    form.ticks[svc.members()[0].id].value = True
    form.day.value = "2026-12-03"
    form.findings.value = "Трубы уложены на 2,5 км."
    form.file.click()
    filed = svc.acts(answered.project_id)[-1]
    assert filed.id != answered.id and app.responses.act.value == filed.id
    app.responses.text.value = "Письмо подрядчику отправлено."
    app.responses.save.click()
    assert [r.text for r in svc.act(filed.id).responses] == ["Письмо подрядчику отправлено."]
    assert len(svc.act(answered.id).responses) == len(answered.responses)


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_the_summary_counts_completed_projects_under_a_plural_label(ws, lang):
    """The tile counted completed projects under the one project's status «Завершён»; it says «Завершённые проекты»."""
    from pbtools.i18n import translator
    from pbtools.monitoring import status_label

    app = MonitoringApp(ws, lang=lang, today=TODAY)
    labels = re.findall(r'class="label">([^<]*)<', app.summary.value)
    assert translator(lang)("Completed projects") in labels and status_label("completed", lang) not in labels


def test_a_corrected_act_says_so_where_acts_are_chosen_for_printing(ws):
    from pbtools.i18n import translator

    svc = MonitoringService(ws)
    corrected = [a for a in svc.acts() if a.corrected]
    assert corrected, "the demo year has a correction"
    app = MonitoringApp(ws, lang="ru", today=TODAY)
    labels = {value: text for text, value in app.files.act.options}
    for a in svc.acts():
        note = translator("ru")("corrected by act {id}", id=a.corrected_by)
        assert (note in labels[a.id]) == bool(a.corrected), labels[a.id]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_village_is_named_in_the_screen_s_language_and_is_one_village(ws, lang):
    """s23 trial (24): on Russian and English screens the village filter offered «Көк-Талаа», «Жаңы-Айыл» (the
    Kyrgyz names the projects store) while the table said Кок-Талаа / Kok-Talaa, and the history said «Село:
    Жаңы-Айыл»; a project typed as "Kok-Talaa" was a village of its own in the filter. Every place now names a
    village by the municipality's list of villages, in the screen's language."""
    from pbtools.roles import FACILITATOR, Actor

    svc = MonitoringService(ws)
    municipality = ws.municipality()
    names = {v.names["ky"]: v.name(lang) for v in municipality.villages}
    staff = Actor("Гүлнара", FACILITATOR)
    typed = svc.add_project(staff, {"en": "Bus stop"}, village="Kok-Talaa", sector="roads")  # typed in English
    assert typed.village == "Көк-Талаа"  # stored as a hearing stores it
    moved = svc.update(staff, typed.id, "wrong village", village="zhany-aiyl")  # by the id of villages.csv
    assert moved.village == "Жаңы-Айыл"
    app = MonitoringApp(ws, lang=lang, today=TODAY)
    offered = [label for label, value in app.village.options if value]  # (the first: every village)
    stored = {p.village for p in svc.projects() if p.village}
    assert sorted(offered) == sorted(names[v] for v in stored) and len(offered) == len(stored)  # one per village
    assert not set(offered) & (set(names) - set(names.values()))  # no Kyrgyz spelling on a ru/en screen
    app.village.value = "Жаңы-Айыл"
    assert typed.id in rows(app)
    table = app.table.value
    assert names["Жаңы-Айыл"] in table and "Жаңы-Айыл" not in table
    app.page.choice.value = typed.id
    page = app.page.page.value
    field = translator(lang)("Village")
    assert f"{field}: {names['Көк-Талаа']} → {names['Жаңы-Айыл']}" in page  # the history, in the screen's language
    assert "Жаңы-Айыл" not in page and "Көк-Талаа" not in page
    assert names["Жаңы-Айыл"] in app.page.choice.label


ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def typed_texts(svc) -> list[str]:
    """What people wrote in their own words (a reason may well say "act of 2026-09-30"): left out of the check."""
    texts = [s.reason for p in svc.projects() for s in p.statuses] + [p.notes for p in svc.projects()]
    for a in svc.acts():
        texts += [a.findings, a.recommendations, a.place] + [r.text for r in a.responses]
    return [html.escape(t, quote=True) for t in texts if t] + [t for t in texts if t]


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_days_are_shown_as_the_screen_s_language_writes_them(ws, lang):
    """Seen on a Russian screen: the overdue list, the table and a project's page gave 2026-10-31 where 31.10.2026 is
    how people here write it (stored days stay ISO)."""
    svc = MonitoringService(ws)
    app = MonitoringApp(ws, lang=lang, today=TODAY)
    projects, acts = svc.projects(), svc.acts()
    screens = {"table": app.table.value, "acts to print": str(app.files.act.options)}
    for p in projects:
        app.page.choice.value = p.id
        photos = re.sub(r'src="data:[^"]*"', "", app.page.page.value)
        screens[p.id] = photos + str(app.act_form.corrects.options) + str(app.responses.act.options)
    free = sorted(typed_texts(svc), key=len, reverse=True)
    for where, text in screens.items():
        for typed in free:
            text = text.replace(typed, "")
        assert not ISO_DAY.findall(text), (where, ISO_DAY.findall(text))
    late = [p for p in projects if is_late(p, TODAY)]
    overdue = [a for a in acts if is_overdue(a, TODAY)]
    assert late and overdue  # the demo has both: the list over the table names their days as the screen writes them
    assert all(shown_day(p.planned_finish, lang) in app.table.value for p in late)
    assert all(shown_day(a.response_due, lang) in app.table.value for a in overdue)
    dated = next(p for p in projects if p.actual_start and p.planned_start)
    app.page.choice.value = dated.id
    assert f"{shown_day(dated.planned_start, lang)} – {shown_day(dated.planned_finish, lang)}" in app.page.page.value
    assert all(f"{shown_day(a.date, lang)}" in app.page.page.value for a in acts if a.project_id == dated.id)
    history = svc.history(dated.id)
    assert all(shown_moment(e.at, app.zone, lang) in app.page.page.value for e in history)  # the history's «when»


def test_an_english_screen_keeps_iso_days(ws):
    svc = MonitoringService(ws)
    app = MonitoringApp(ws, lang="en", today=TODAY)
    late = [p for p in svc.projects() if is_late(p, TODAY)]
    assert late and all(f"planned to finish by {p.planned_finish}" in app.table.value for p in late)


def test_the_history_shows_its_times_in_the_workspaces_time_zone_and_names_it(ws):
    """The trial: the history's column said «Качан (UTC)», its times six hours off in Kyrgyzstan (UTC+6)."""
    from datetime import timedelta

    from pbtools.moments import ZONE_SETTING

    ws.set_setting(ZONE_SETTING, "Asia/Bishkek")
    svc = MonitoringService(ws)
    project = svc.projects()[0]
    for lang, head in (("ky", "Качан (UTC+6)"), ("ru", "Когда (UTC+6)"), ("en", "When (UTC+6)")):
        app = MonitoringApp(ws, lang=lang, today=TODAY)
        app.page.choice.value = project.id
        page = app.page.page.value
        assert f"<th>{head}</th>" in page and "(UTC)" not in page
        for e in svc.history(project.id):
            when = re.search(rf'<tr data-seq="{e.seq}"><td>([^<]*)</td>', page).group(1)
            utc = e.at.astimezone(timezone.utc)
            assert when.endswith(f"{utc + timedelta(hours=6):%H:%M}") and f"{utc:%H:%M}" not in when, (when, utc)


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_timeline_names_the_projects_it_leaves_out_for_want_of_dates(ws, lang):
    """The trial: «Уличное освещение» (Кара-Суу), with no dates, was missing from the timeline without a word."""
    from pbtools.charts.monitoring import undated
    from pbtools.monitoring.places import project_village

    svc = MonitoringService(ws)
    left_out = undated(svc.projects())
    assert left_out and len(left_out) < len(svc.projects())  # the demo year has one
    app = MonitoringApp(ws, lang=lang, today=TODAY)
    assert app.undated.value == ""  # drawn with the chart, when its tab opens
    app.tabs.selected_index = 1
    note = app.undated.value
    assert translator(lang)("Not on the timeline, having no planned or actual dates: {projects}.", projects="").rstrip(".") in note
    for p in svc.projects():
        named = f"{p.title(lang)} ({project_village(p, ws.municipality(), lang)})"
        assert (named in note) == (p in left_out), named
    app.village.value = next(v for _, v in app.village.options if v and v != left_out[0].village)  # filtered away: not named
    app.tabs.selected_index = 0
    app.tabs.selected_index = 1
    assert left_out[0].title(lang) not in app.undated.value


def test_a_response_to_an_act_gone_with_a_copy_put_back_saves_nothing_and_the_acts_are_read_again(ws, tmp_path):
    """The workspace's database is put back from a copy taken before the act was filed, while the response form
    offers it: the response is refused in the screen's language (no such act: put back between the look and the
    write, the acts were replaced: tests/monitoring/test_rewound.py), nothing is written, and the form offers the
    acts on disk (it went on offering the act gone)."""
    from tests.fixtures.db_copies import copy_db, restore_db

    svc = MonitoringService(ws)
    backup = copy_db(ws.path, tmp_path / "backup.sqlite")
    project = svc.projects()[0]
    member = svc.members()[0]
    app = MonitoringApp(ws, lang="ky", today=TODAY)
    app.operator.value = "Чынара Абдыкадырова"
    app.page.choice.value = project.id
    app.act_form.findings.value = "Иш токтоп турат."
    app.act_form.ticks[member.id].value = True
    app.act_form.day.value = "2026-12-01"
    app.act_form.file.click()
    filed = svc.acts(project.id)[-1]
    form = app.responses
    assert form.act.value == filed.id
    before = ledger_size(ws)
    restore_db(ws.path, backup)
    form.text.value = "Мердигер менен сүйлөштүк."
    form.save.click()
    assert "pb-error" in form.said.value and filed.id in form.said.value, form.said.value
    assert ledger_size(ws) < before and filed.id not in [a.id for a in svc.acts()]  # the copy's acts, nothing added
    assert filed.id not in [value for _, value in form.act.options]
    app.lang_switch.value = "ru"
    assert f"Акта мониторинга {filed.id} нет" in form.said.value
