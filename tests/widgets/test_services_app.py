"""The Services app driven from Python, as a facilitator would: tabs opened, figures typed, buttons clicked, screens
read; every figure checked against the core's own answer."""

from __future__ import annotations

import html
from decimal import Decimal as D
from pathlib import Path

import pytest

from pbtools.fmt import money, number, percent
from pbtools.hearings.model import SINGLE, Hearing
from pbtools.hearings.store import create_hearing, state
from pbtools.i18n import translator
from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace
from tests.services.helpers import SAMPLE
from pbtools_widgets.services.app import ServicesApp


@pytest.fixture
def ws(tmp_path):
    with open_workspace(tmp_path / "ws") as workspace:
        svc = ServicesService(workspace)
        svc.import_file(SAMPLE, LOCAL)
        svc.start_survey("water", "2026", "2026-05-14", LOCAL)
        for line in ["1 1 1 4 2 1", "1 1 2 5 1 2", "1 2 3 4 3 3", "1 1 3 2 4 1", "2 2 4 3 5 2", "1 1 2 5 2 1"]:
            svc.enter_answer("water", "2026", line, LOCAL)
        yield workspace


def open_tab(app, tab) -> None:
    app.tab.selected_index = app.tabs.index(tab)


def test_the_register_shows_each_service_with_its_cost_and_tariffs(ws):
    app = ServicesApp(ws, lang="ru")
    shown = app.register.cards.value
    for s in ServicesService(ws).services():
        assert s.name("ru") in shown and money(s.yearly_cost, "ru") in shown
        assert all(money(t.amount, "ru") in shown for t in s.tariffs)
    assert "Статьи бюджета" in shown and percent(D("0.82"), "ru", digits=0) in shown


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_rate_boxes_give_their_examples_as_the_screen_writes_percentages(ws, lang):
    """They said «85 %» and «95 %» whatever the language: an English screen writes «82%» beside them."""
    app = ServicesApp(ws, lang=lang)
    open_tab(app, app.tariffs)
    assert app.register.form.rate.placeholder == percent(D("0.85"), lang, digits=0)
    assert app.tariffs.target.placeholder == percent(D("0.95"), lang, digits=0)
    assert app.tariffs.subsidy.placeholder == number(D(300_000), lang)  # «300,000» in English, as its amounts
    app.lang_switch.value = "en" if lang != "en" else "ru"
    assert app.tariffs.target.placeholder == percent(D("0.95"), app.lang, digits=0)
    assert app.tariffs.subsidy.placeholder == number(D(300_000), app.lang)


def test_tariff_options_match_the_core_and_a_bad_rate_changes_nothing(ws):
    app = ServicesApp(ws, lang="ru")
    open_tab(app, app.tariffs)
    t = app.tariffs
    t.target.value, t.subsidy.value = "95 %", "300 000"
    options = ServicesService(ws).tariff_options("water", D("0.95"), D(300_000))
    assert len(options) == 4
    for o in options:
        assert f'data-option="{o.option}"' in t.table.value and money(o.monthly, "ru") in t.table.value
    assert bytes(t.chart.value).startswith(b"\x89PNG")
    before = t.table.value
    t.target.value = "сто"
    assert "pb-error" in t.status.value and "сто" in t.status.value and "собираемост" in t.status.value
    assert t.table.value == before


def test_tariffs_are_put_to_a_draft_hearing_as_a_choice(ws):
    store = create_hearing(ws, Hearing(id="", municipality="Көк-Талаа", type="draft_budget", date="2026-05-10"), actor="Aida")
    app = ServicesApp(ws, lang="en")
    open_tab(app, app.tariffs)
    assert app.tariffs.hearing.value == store.id and not app.tariffs.as_choice.disabled
    app.tariffs.as_choice.click()
    st = state(ws, store.id)
    (q,) = st.questions.values()
    assert q.kind == SINGLE and q.choose_one and len(q.options) == 1  # no target or subsidy typed: today's only
    assert "pb-ok" in app.tariffs.status.value and q.id in app.tariffs.status.value


def test_the_survey_board_counts_flags_small_groups_and_follows_new_answers(ws):
    app = ServicesApp(ws, lang="en")
    open_tab(app, app.survey)
    board = app.survey.board.value
    assert "Answers: 6" in board
    assert "too few answers" in board  # village 2 has one respondent
    found = ServicesService(ws).results("water")
    village_two = next(g for g in found.questions[0].groups["village"] if g.n == 1)
    assert f'data-group="{village_two.key}"' in board
    ServicesService(ws).enter_answer("water", "2026", "2 2 2 5 1 4", LOCAL)  # typed in another window
    app.poll()
    assert "Answers: 7" in app.survey.board.value
    # phones: opened here, stored as a ledger record; the address and its QR code for the projector
    app.survey.address.value = "http://10.0.0.5:8866"
    app.survey.phones.value = True
    assert ServicesService(ws).phone_survey("water") == "2026"
    assert "http://10.0.0.5:8866/survey/water" in app.survey.projector.value and "data:image/svg+xml" in app.survey.projector.value
    app.survey.phones.value = False
    assert ServicesService(ws).phone_survey("water") is None


def test_a_scorecard_is_written_and_offered_for_download(ws):
    app = ServicesApp(ws, lang="ky")
    open_tab(app, app.scorecards)
    path = app.scorecards.write("docx")
    assert path is not None and Path(path).exists() and path.suffix == ".docx"
    assert "pb-download" in app.scorecards.link.value and path.name in app.scorecards.link.value
    said = app.scorecards.status.value  # the file made, never the server's folder (meaningless on another device)
    assert translator("ky")("Made: {file}", file=path.name) in said and str(ws.path) not in said


def test_the_console_agenda_gives_tariff_alternatives_no_cost(ws):
    from pbtools_widgets.console import ConsoleApp
    from tests.widgets.test_console import open_tab as open_console_tab

    store = create_hearing(ws, Hearing(id="", municipality="Көк-Талаа", type="draft_budget", date="2026-05-10"), actor="Aida")
    ServicesService(ws).put_tariffs_to_hearing(store.id, "water", LOCAL, D("0.95"), D(300_000))
    console = ConsoleApp(ws, lang="en")
    table = open_console_tab(console, "agenda").table.value
    yearly_cost = ServicesService(ws).service("water").yearly_cost
    assert table.count("<tr>") == 5 and money(yearly_cost, "en") not in table and "—" in table


def test_phones_opened_elsewhere_are_shown_and_nothing_is_written_for_it(ws):
    from pbtools.services.records import survey_stream

    app = ServicesApp(ws, lang="en")
    open_tab(app, app.survey)
    ServicesService(ws).open_to_phones("water", "2026", LOCAL)  # from the command line, or another window
    head = ws.ledger.head(survey_stream("water"))
    app.poll()
    assert app.survey.phones.value and "Stop answers from phones" == app.survey.phones.description
    assert ws.ledger.head(survey_stream("water")) == head  # the screen only showed it


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_villages_are_named_in_the_screen_s_language(ws, lang):
    """The register and the survey board showed a Russian screen the Kyrgyz names the file wrote («Көк-Талаа,
    Жаңы-Айыл»); the municipality has each village's name in every language, as the hearings' screens use them."""
    from pbtools.budget.municipality import read_municipality

    municipality = read_municipality(SAMPLE.parent)
    ws.save_municipality(municipality)
    names = {v.names["ky"]: v.name(lang) for v in municipality.villages}
    water = ServicesService(ws).service("water")
    assert water.villages and all(v in names and names[v] != v for v in water.villages)  # a real difference to show
    app = ServicesApp(ws, lang=lang)
    assert ", ".join(names[v] for v in water.villages) in app.register.cards.value
    open_tab(app, app.survey)
    app.survey.grouping.value = "village"
    board = app.survey.board.value
    assert all(names[v] in board for v in water.villages)
    for shown in (app.register.cards.value, board):
        assert not any(v in shown for v in water.villages), "a village in Kyrgyz on a screen in another language"


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_tariffs_table_says_why_a_year_is_not_twelve_months(ws, lang):
    from pbtools.services.tariffs import rounding_note

    app = ServicesApp(ws, lang=lang)
    open_tab(app, app.tariffs)
    (t,) = ServicesService(ws).tariff_options("water")
    assert t.monthly * 12 != t.yearly  # the sample shows the difference
    table = app.tariffs.table.value
    assert money(t.monthly, lang) in table and money(t.yearly, lang) in table
    assert 'class="pb-note pb-svc-rounding"' in table
    assert html.escape(rounding_note([t]).render(lang)) in table and money(t.monthly * 12, lang) in table


def test_a_service_is_registered_from_the_register_tab_and_is_on_disk(tmp_path):
    with open_workspace(tmp_path / "empty") as ws:
        app = ServicesApp(ws, lang="ru")
        f = app.register.form
        f.id.value = "water"
        f.register()  # nothing else typed: every missing field named, in Russian; nothing stored
        status = app.register.status.value
        assert "pb-error" in status and all(w in status for w in ("Название услуги", "Сёла", "Оказывает", "Уровень собираемости"))
        assert ServicesService(ws).services() == []
        f.names["ru"].value, f.villages.value, f.households.value = "Вода", "Көк-Талаа", "450"
        f.provider.value, f.rate.value, f.costs.value, f.tariffs.value = "enterprise", "82 %", "зарплата: 1 105 000", "кран: 150"
        f.basis.value = "household-month"
        f.register()
        assert "pb-ok" in app.register.status.value and "water" in app.register.status.value
        assert app.chosen.value == "water" and "pb-svc-water" in app.register.cards.value
        assert f.id.value == "" and f.costs.value == ""  # emptied for the next one
    with open_workspace(tmp_path / "empty") as ws:  # stored before the screen said so
        s = ServicesService(ws).service("water")
        assert (s.yearly_cost, s.households, s.tariffs[0].yearly()) == (D(1_105_000), 450, D(1800))


def test_the_register_file_is_imported_from_the_app_or_refused_by_row(tmp_path):
    with open_workspace(tmp_path / "empty") as ws:
        app = ServicesApp(ws, lang="en")
        bad = SAMPLE.read_text(encoding="utf-8").replace("450", "four hundred", 1)
        app.register.form.import_file("services.csv", bad.encode())
        status = app.register.status.value
        assert "pb-error" in status and "four hundred" in status and "row" in status.lower()
        assert ServicesService(ws).services() == []
        app.register.form.import_file("services.csv", SAMPLE.read_bytes())
        assert "pb-ok" in app.register.status.value
        assert {s.id for s in ServicesService(ws).services()} == {"water", "waste"}
        assert [v for _, v in app.chosen.options] == ["water", "waste"]


def test_a_survey_is_started_typed_and_closed_in_the_app(ws):
    app = ServicesApp(ws, lang="ky")
    open_tab(app, app.entry)
    e = app.entry
    e.new_id.value, e.new_date.value = "2027", "15.03.2027"
    e.start_survey()
    assert e.survey.value == "2027" and "pb-ok" in e.status.value
    e.typed.submit("1 1 2 4 2 1")
    e.typed.submit("2 2 3 5 - 3")
    found = ServicesService(ws).surveys("water")[-1]
    assert (found.id, found.date, len(found.answers)) == ("2027", "2027-03-15", 2)
    e.typed.submit("1 1 2 9 2 1")  # a wrong answer: named in Kyrgyz, the line handed back, nothing stored
    assert "pb-error" in e.status.value and "9" in e.status.value and e.typed.value == "1 1 2 9 2 1"
    assert len(ServicesService(ws).surveys("water")[-1].answers) == 2
    e.undo_last()
    assert len(ServicesService(ws).surveys("water")[-1].answers) == 1
    e.toggle_closed()
    assert ServicesService(ws).surveys("water")[-1].closed and e.typed.disabled
    e.typed.submit("1 1 2 4 2 1")
    assert len(ServicesService(ws).surveys("water")[-1].answers) == 1 and "pb-error" in e.status.value


def test_an_improvement_plan_is_made_typed_followed_and_its_progress_recorded_in_the_app(ws):
    from pbtools.monitoring.model import IN_PROGRESS

    app = ServicesApp(ws, lang="ru")
    open_tab(app, app.plan)
    p = app.plan
    assert "нет плана" in p.table.value
    p.start_plan()
    plan = ServicesService(ws).plan("water")
    assert plan is not None and plan.problems and "pb-svc-problem-p1" in p.table.value
    p.a_title.value, p.cost.value, p.deadline.value = "Замена насоса", "-5", "31.02.2027"
    p.add_activity()  # both named in Russian, nothing stored
    assert "Плановая стоимость" in p.status.value and "31.02.2027" in p.status.value
    assert ServicesService(ws).plan("water").activities == ()
    p.cost.value, p.a_start.value, p.deadline.value, p.problem.value = "450 000", "01.04.2027", "30.09.2027", "p1"
    p.add_activity()
    assert "pb-ok" in p.status.value and 'data-activity="a1"' in p.table.value and money(D(450_000), "ru") in p.table.value
    assert "01.04.2027 – 30.09.2027" in p.table.value  # the planned days as typed on a Russian screen (kept in ISO)
    p.follow_plan()
    assert p.activity.value == "a1"
    p.status_box.value, p.reason.value, p.actual_cost.value, p.actual_start.value = IN_PROGRESS, "Насос куплен", "460 000", "05.04.2026"
    p.save_progress()
    project = ServicesService(ws).followed("water")[0].project
    assert (project.status, project.actual.total, project.actual_start) == (IN_PROGRESS, D(460_000), "2026-04-05")  # an actual start is not in the future (monitoring)
    assert "pb-ok" in p.status.value and money(D(460_000), "ru") in p.table.value and "05.04.2026 – …" in p.table.value
    # the form starts again from the project, its days as the screen writes them (they were filled in ISO)
    assert (p.actual_start.value, p.actual_finish.value) == ("05.04.2026", "")
    assert p.actual_cost.value == number(D(460_000), "ru")  # as typed, not «460000»
    p.percent.value = "40"
    p.save_progress()  # the day as filled in is not a change: only the percent is sent
    project = ServicesService(ws).followed("water")[0].project
    assert "pb-ok" in p.status.value and (project.percent, project.actual_start) == (40, "2026-04-05")


def test_a_survey_too_small_shows_no_share_in_its_headline_either(tmp_path):
    """s23 finding 17: 2 answers hid their shares in the table, yet the headline said "100% satisfied"."""
    import subprocess
    import sys

    with open_workspace(tmp_path / "ws") as ws:
        svc = ServicesService(ws)
        svc.import_file(SAMPLE, LOCAL)
        svc.start_survey("water", "2026", "2026-05-14", LOCAL)
        for line in ["1 1 1 4 2 1", "1 1 2 5 1 2"]:
            svc.enter_answer("water", "2026", line, LOCAL)
        app = ServicesApp(ws, lang="en")
        open_tab(app, app.survey)
        board = app.survey.board.value
        assert "too few answers (n=2)" in board and "satisfied, mean" not in board and "100%" not in board
    done = subprocess.run([sys.executable, "-m", "pbtools", "survey", "results", "water", "--workspace", str(tmp_path / "ws"), "--lang", "ru"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "100" not in done.stdout and "n=2" in done.stdout


@pytest.mark.parametrize("lang, words", [("ky", "Угууну алып баруучунун панелинде"), ("ru", "пульте ведущего слушаний"),
                                         ("en", "Hearing console")])
def test_with_no_hearing_to_put_tariffs_to_the_tab_says_why_and_where_to_make_one(ws, lang, words):
    """s23 finding 11: an empty hearing list and two greyed buttons, with no word of why."""
    app = ServicesApp(ws, lang=lang)
    open_tab(app, app.tariffs)
    t = app.tariffs
    assert t.hearing.value is None and t.as_choice.disabled and t.as_motion.disabled
    assert 'id="pb-svc-no-hearing"' in t.no_hearing.value and words in html.unescape(t.no_hearing.value)
    create_hearing(ws, Hearing(id="", municipality="Көк-Талаа", type="draft_budget", date="2026-05-10"), actor="Aida")
    t.render()
    assert t.hearing.value is not None and not t.as_choice.disabled and t.no_hearing.value == ""


def test_tariffs_put_twice_from_the_tab_are_refused_in_the_screen_s_language(ws):
    store = create_hearing(ws, Hearing(id="", municipality="Көк-Талаа", type="draft_budget", date="2026-05-10"), actor="Aida")
    app = ServicesApp(ws, lang="ru")
    open_tab(app, app.tariffs)
    app.tariffs.target.value, app.tariffs.subsidy.value = "95 %", "300 000"
    app.tariffs.as_choice.click()
    assert "pb-ok" in app.tariffs.status.value
    app.tariffs.as_choice.click()
    status = html.unescape(app.tariffs.status.value)
    assert "pb-error" in status and "уже есть в повестке" in status and "q1" in status
    assert len(state(ws, store.id).questions) == 1 and len(state(ws, store.id).options) == 4
    app.lang_switch.value = "en"  # the refusal is said again in English, not wiped by the redraw
    assert "pb-error" in app.tariffs.status.value and "already on this hearing's agenda" in html.unescape(app.tariffs.status.value)


def test_a_wrong_subsidy_is_named_by_its_field(ws):
    app = ServicesApp(ws, lang="ru")
    open_tab(app, app.tariffs)
    before = app.tariffs.table.value
    app.tariffs.subsidy.value = "-100"
    status = html.unescape(app.tariffs.status.value)
    assert "pb-error" in status and "Субсидия из бюджета, сом в год: -100 — не сумма в сомах" in status
    assert app.tariffs.table.value == before


def _count_reads(ws, monkeypatch) -> dict:
    """How often each stream is read (ledger.records, or read_on by a fold), from now on."""
    reads: dict = {}

    def counting(read):
        def counted(stream, *args, **kw):
            reads[stream] = reads.get(stream, 0) + 1
            return read(stream, *args, **kw)
        return counted

    for name in ("records", "read_on"):
        monkeypatch.setattr(ws.ledger, name, counting(getattr(ws.ledger, name)))
    return reads


def test_a_typed_survey_line_reads_the_survey_once(ws, monkeypatch):
    """Each typed line read the survey's whole stream about 4 times (and the register 3 times)."""
    from pbtools.services.records import REGISTER, survey_stream

    app = ServicesApp(ws, lang="en")
    open_tab(app, app.entry)
    reads = _count_reads(ws, monkeypatch)
    for n, line in enumerate(["1 1 2 4 2 1", "1 2 3 5 - 3", "2 1 1 3 1 2"], start=1):
        app.entry.typed.submit(line)
        assert reads.get(survey_stream("water"), 0) == n and REGISTER not in reads
        assert f"Answers stored: {6 + n}" in app.entry.count.value
    app.entry.typed.submit("1 1 2 9 2 1")  # refused: read once too, the count unchanged
    assert reads[survey_stream("water")] == 4 and "Answers stored: 9" in app.entry.count.value
    ServicesService(ws).enter_answer("water", "2026", "1 1 1 1 1 1", LOCAL)  # typed in another window meanwhile
    app.entry.typed.submit("1 1 2 5 2 1")
    assert "Answers stored: 11" in app.entry.count.value  # the other window's answer is in the count too
    assert len(ServicesService(ws).surveys("water")[-1].answers) == 11


def test_the_plan_tab_reads_the_plan_once_per_draw(ws, monkeypatch):
    from pbtools.services.records import plan_stream

    svc = ServicesService(ws)
    svc.start_plan("water", LOCAL)
    app = ServicesApp(ws, lang="en")
    open_tab(app, app.plan)
    p = app.plan
    p.a_title.value, p.cost.value, p.deadline.value = "New pump", "450 000", "30.09.2027"
    p.add_activity()
    p.follow_plan()
    assert p.activity.value == "a1"
    reads = _count_reads(ws, monkeypatch)
    p.draw()
    assert reads[plan_stream("water")] == 1 and reads["services:register"] == 1
    assert reads["monitoring:project:water-a1"] == 1
    assert 'data-activity="a1"' in p.table.value and p.percent.value == "0"


def test_a_line_stored_just_after_another_windows_is_counted_with_it(ws, monkeypatch):
    """Another clerk's answer committed between this line's read and its write: the count said after the line
    has both (it stayed where it was, our own answer left out, until the next line)."""
    from pbtools.services import survey_store

    svc, other = ServicesService(ws), ServicesService(ws)
    before = len(svc.surveys("water")[-1].answers)
    real = survey_store.store_answers

    def another_clerk_first(*args, **kw):
        monkeypatch.setattr(survey_store, "store_answers", real)
        other.enter_answer("water", "2026", "1 1 1 1 1 1", LOCAL)
        return real(*args, **kw)

    monkeypatch.setattr(survey_store, "store_answers", another_clerk_first)
    svc.enter_answer("water", "2026", "1 1 2 4 2 1", LOCAL)
    assert len(svc.last_read("water", "2026").answers) == before + 2


def test_a_survey_closed_on_answers_put_back_meanwhile_is_refused_and_the_tab_shows_the_copy(ws, tmp_path):
    """A backup with 6 answers put back after the clerk clicked Close on 8: refused in the screen's language, the
    survey still open, and the tab counts the 6 on disk (it went on saying 8, and offered to reopen)."""
    from tests.fixtures.db_copies import before_the_next_write, copy_db, restore_db
    folder = tmp_path / "ws"
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    app = ServicesApp(ws, lang="ru")
    open_tab(app, app.entry)
    e = app.entry
    e.survey.value = "2026"
    for line in ["1 1 2 4 2 1", "2 2 3 5 1 3"]:
        e.typed.submit(line)
    assert "8" in e.count.value
    before_the_next_write(ws, lambda: restore_db(folder, backup))
    e.toggle_closed()
    assert "pb-error" in e.status.value and "ничего не записано" in e.status.value
    assert not ServicesService(ws).surveys("water")[0].closed
    assert "6" in e.count.value and "8" not in e.count.value and not e.typed.disabled
