"""The Training app's Mock hearing tab, driven from Python: what a trainer does to a sandbox is what they meant."""

from __future__ import annotations

import pytest

from pbtools.storage import open_workspace
from pbtools_widgets.training.app import TrainingApp


@pytest.fixture
def app(demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("PBTOOLS_SANDBOXES", str(tmp_path / "sandboxes"))
    with open_workspace(demo_copy) as ws:
        app = TrainingApp(ws, lang="ru", root=tmp_path / "sandboxes")
        app.tabs[0].name.value = "семинар-1"
        app.tabs[0].open_button.click()
        yield app
        app.service.close()


def test_reset_asks_first_saying_what_goes_and_can_be_undone(app):
    """s23-3: "Reset the sandbox" wiped a workshop in one click. It asks first, beside the button, with the
    counts; Cancel keeps everything; confirmed, the old sandbox is kept and one button brings it back."""
    mock, service = app.tabs[0], app.service
    mock.voters.value = "60"
    mock.simulate_button.click()
    assert service.ballots() == 60 and mock.restore_button.layout.display == "none"

    mock.reset_button.click()
    assert service.ballots() == 60  # nothing reset yet
    assert mock.confirm.layout.display != "none"
    rows = list(mock.box.children)  # right under the row of the button, not at the top or the bottom of the tab
    assert rows.index(mock.confirm) == next(i for i, r in enumerate(rows) if mock.reset_button in getattr(r, "children", ())) + 1
    assert "Сбросить песочницу семинар-1?" in mock.question.value and "от 60 зарегистрированных участников" in mock.question.value
    app.lang = "ky"
    app.render()  # the question in the screen's language
    assert "семинар-1 машыгуу аянтын баштапкы абалга келтиресизби?" in mock.question.value
    mock.cancel_button.click()
    assert mock.confirm.layout.display == "none" and service.ballots() == 60

    mock.reset_button.click()
    mock.confirm_button.click()
    assert service.ballots() == 0 and mock.confirm.layout.display == "none"
    assert mock.restore_button.layout.display != "none"
    mock.restore_button.click()
    assert service.ballots() == 60 and "60" in mock.status.value


def test_phones_are_let_in_by_the_trainer_and_shown_their_address(app, monkeypatch):
    """s23-13: the tab promised phone voting with no address to give. Once the trainer lets phones in, the tab
    shows the mock hearing's own address (under /practice/<sandbox>/, served into the sandbox) and its QR code."""
    monkeypatch.setenv("PBTOOLS_PUBLIC_URL", "http://192.168.4.1:8870")
    monkeypatch.setenv("PBTOOLS_SERVE_HOST", "0.0.0.0")
    mock, service = app.tabs[0], app.service
    assert mock.phones.value == "" and mock.phones_button.layout.display is None
    mock.phones_button.click()
    assert service.phones_open()
    shown = "http://192.168.4.1:8870/practice/семинар-1/vote/" + service.sandbox.open_hearing  # as a person types it
    assert f'id="pb-phone-url">{shown}<' in mock.phones.value and 'id="pb-phone-qr"' in mock.phones.value
    assert service.phone_path() == "/practice/%D1%81%D0%B5%D0%BC%D0%B8%D0%BD%D0%B0%D1%80-1/vote/" + service.sandbox.open_hearing
    assert "pb-error" not in mock.phones.value and mock.phones_button.layout.display == "none"
    monkeypatch.setenv("PBTOOLS_SERVE_HOST", "127.0.0.1")  # `make run` without HOST: no phone reaches the laptop
    mock.render()
    assert "Сервер доступен только на этом ноутбуке" in mock.phones.value
    mock.reset_button.click()
    mock.confirm_button.click()  # as new: phones are let in again by the trainer, not by the old setting
    assert not service.phones_open() and mock.phones.value == "" and mock.phones_button.layout.display is None


def test_a_number_of_voters_out_of_range_is_refused_on_the_screen_not_changed(app):
    """s23-12: the box turned -5 into 60 and 1 000 000 000 into 350 and ran those halls. It keeps what was typed,
    and the core's refusal names the field and the range; nothing is stored."""
    mock, service = app.tabs[0], app.service
    for typed in ("-5", "1000000000"):
        mock.voters.value = typed
        assert mock.voters.value == typed
        mock.simulate_button.click()
        assert "pb-error" in mock.status.value and "Избиратели: укажите число избирателей от 60 до 350" in mock.status.value
        assert service.ballots() == 0 and not mock.simulate_button.disabled


def test_the_hall_box_says_its_range_before_simulate_is_pressed(app):
    """The leftover: the box (60-350 people) said nothing of its range until Simulate refused a number."""
    from pbtools.i18n import translator

    mock, service = app.tabs[0], app.service
    rows = list(mock.box.children)  # right under the row of the box
    assert rows.index(mock.voters_range) == next(i for i, r in enumerate(rows) if mock.voters in getattr(r, "children", ())) + 1
    assert "Число избирателей: от 60 до 350" in mock.voters_range.value and service.ballots() == 0
    for lang in ("ky", "en"):
        app.lang_switch.value = lang
        assert translator(lang)("From {low} to {high} voters, as at real hearings", low=60, high=350) in mock.voters_range.value
    assert "From 60 to 350 voters" in mock.voters_range.value


def test_status_lines_follow_a_language_switch(app):
    """s23-15: after simulating in Russian and switching to Kyrgyz, "Проголосовали 60 симулированных избирателей…"
    and "Добавлено вариантов в повестку…" stayed Russian on the Kyrgyz screen."""
    from pbtools.i18n import translator

    mock, needs = app.tabs[0], app.tabs[1]
    mock.voters.value = "60"
    mock.simulate_button.click()
    needs.render()
    needs.problem.value = "Суу жок"
    needs.add_problem.click()
    needs.session_village.value, needs.group.value = "Көк-Талаа", "Женщины"
    needs.add_session.click()
    needs.ranking.value = "1"
    needs.new_hearing.click()
    needs.carry.click()
    assert "Добавлено вариантов в повестку" in needs.carried.value  # under its button (s23-19)
    mock.voters.value = "5"
    mock.simulate_button.click()  # a refusal, then the language switch
    app.lang_switch.value = "ky"
    ky = translator("ky")
    assert ky("Voters") + ":" in mock.status.value and "Избиратели" not in mock.status.value
    assert ky("Options added to the agenda: {added}; already on it: {already}.", added=1, already=0) in needs.carried.value
    mock.voters.value = "60"
    mock.simulate_button.click()
    app.lang_switch.value = "en"
    assert "60 simulated voters have voted: the mock hearing now holds 120 ballots on question 1" in mock.status.value


def test_counts_are_said_with_their_plural_forms(app):
    """«в учебных слушаниях 302 бюллетеней», «Проголосовали 62 симулированных избирателей»: each count in the
    Russian form its number takes (one, few, many), as the reset question says «1602 бюллетеня»."""
    mock, service = app.tabs[0], app.service
    mock.voters.value = "62"
    mock.simulate_button.click()
    assert "Проголосовали 62 симулированных избирателя: теперь в учебных слушаниях 62 бюллетеня по вопросу 1" in mock.status.value
    mock.voters.value = "61"
    mock.simulate_button.click()
    assert "Проголосовал 61 симулированный избиратель: теперь в учебных слушаниях 123 бюллетеня по вопросу 1" in mock.status.value
    mock.open_button.click()
    assert "в учебных слушаниях 123 бюллетеня по вопросу 1." in mock.status.value
    app.lang_switch.value = "en"
    assert "the mock hearing now holds 123 ballots on question 1" in mock.status.value or "123 ballots on question 1 in its mock hearing" in mock.status.value
    assert service.ballots() == 123


def test_open_says_created_or_opened_offers_the_sandboxes_and_removes_one_after_asking(app, tmp_path):
    """«Песочница Кара-Суу открыта» was said whether it was opened or made (a typo made a new one unseen); there was
    no list of the sandboxes and no way to remove one from the app."""
    mock, service = app.tabs[0], app.service
    root = tmp_path / "sandboxes"
    assert "Создана новая песочница семинар-1" in mock.status.value  # the fixture's first open made it
    mock.name.value = "Кара-Суу"
    mock.open_button.click()
    assert "Создана новая песочница Кара-Суу" in mock.status.value and "были до неё: семинар-1" in mock.status.value
    assert set(mock.name.options) == {"семинар-1", "Кара-Суу"}  # offered in the box
    mock.name.value = "семинар-1"
    mock.open_button.click()
    assert "Песочница семинар-1 открыта" in mock.status.value and "Создана" not in mock.status.value

    mock.voters.value = "60"
    mock.simulate_button.click()
    mock.remove_button.click()  # asks first, saying what goes
    assert "Удалить песочницу семинар-1 навсегда?" in mock.question.value and "60 бюллетеней" in mock.question.value
    # all questions' ballots said so, beside the line that says question 1's (s28 L4: «360 бюллетеней» over «60»)
    questions = len(service.state().questions)
    assert f"{60 * questions} бюллетеней (все вопросы вместе)" in mock.question.value
    assert "60 бюллетеней по вопросу 1" in mock.status.value
    mock.cancel_button.click()
    assert (root / "семинар-1").is_dir() and service.ballots() == 60
    mock.remove_button.click()
    mock.confirm_button.click()
    assert not (root / "семинар-1").exists() and service.sandbox is None
    assert "Песочница семинар-1 удалена" in mock.status.value and mock.name.options == ("Кара-Суу",)
    assert mock.kept.value == ""  # a reload opens nothing (nor makes it again)


def test_simulating_or_letting_phones_in_before_a_sandbox_is_open_says_to_open_one(demo_copy, tmp_path, monkeypatch):
    """«Симулировать избирателей» before any sandbox was open silently made one called `training` (an English
    name on a Russian screen). It says to open or create one first; the name offered is in the screen's language."""
    root = tmp_path / "sandboxes"
    monkeypatch.setenv("PBTOOLS_SANDBOXES", str(root))
    with open_workspace(demo_copy) as ws:
        app = TrainingApp(ws, lang="ru", root=root)
        mock = app.tabs[0]
        assert mock.name.value == "семинар-1"
        app.lang_switch.value = "en"
        assert mock.name.value == "workshop-1"  # still no name of the trainer's: the new language's
        app.lang_switch.value = "ru"
        for button in (mock.simulate_button, mock.phones_button):
            button.click()
            assert "Сначала откройте или создайте песочницу" in mock.status.value and "pb-error" in mock.status.value
        assert app.service.sandbox is None and not (root.exists() and any(p for p in root.iterdir() if not p.name.startswith(".")))
        mock.name.value = "Ак-Жол"
        app.lang_switch.value = "ky"
        assert mock.name.value == "Ак-Жол"  # the trainer's own name stays
        app.service.close()


def test_boxes_refuse_what_is_not_a_number_naming_the_box_and_speak_the_screens_language(app):
    """«100.5» voters simulated 100, an emptied box the 100 before, an empty sandbox name said « не может быть
    именем…» (no name, a leading space); «Зерно (seed)» held English. Each box is read as typed, refused by name."""
    mock, service = app.tabs[0], app.service
    for typed, said in (("100.5", "Избиратели: «100.5» — не целое число"), ("", "Избиратели: ничего не введено"),
                        ("сто", "Избиратели: «сто» — не целое число")):
        mock.voters.value = typed
        mock.simulate_button.click()
        assert "pb-error" in mock.status.value and said in mock.status.value, mock.status.value
        assert mock.voters.value == typed and service.ballots() == 0
    mock.voters.value, mock.seed.value = "60", ""
    mock.simulate_button.click()
    assert "Вариант зала: ничего не введено" in mock.status.value and service.ballots() == 0
    for lang in ("ru", "ky"):
        app.lang_switch.value = lang
        labels = [mock.seed.description, mock.voters.description, app.tabs[1].top_n.description]
        assert not any("seed" in t.lower() for t in labels) and app.tabs[1].top_n.description != "N", labels
    app.lang_switch.value = "ru"
    mock.name.value = "  "
    mock.open_button.click()
    assert "Имя песочницы пустое" in mock.status.value and service.sandbox.name == "семинар-1"


def test_the_needs_boxes_refuse_zero_and_sessions_are_said_by_their_numbers(app):
    """Top N with N=0 silently became 1; sessions were shown by their record ids («s1»)."""
    needs = app.tabs[1]
    needs.render()
    needs.problem.value = "Питьевая вода"
    needs.add_problem.click()
    needs.session_village.value, needs.group.value = "Көк-Талаа", "Женщины"
    needs.add_session.click()
    assert "Встреча №1: Кок-Талаа · Женщины" in needs.status.value
    assert [label for label, _ in needs.session.options] == ["№1 · Кок-Талаа · Женщины"]
    assert "<td>№1</td>" in needs.lists.value and "<td>s1</td>" not in needs.lists.value
    needs.ranking.value = "1"
    needs.top_n.value = "0"
    assert needs.top_n.value == "0" and "pb-error" in needs.result.value
    assert "Первых мест (N): «0» — не целое число от 1" in needs.result.value
    needs.top_n.value = "2"
    assert "pb-error" not in needs.result.value and "Питьевая вода" in needs.result.value
    needs.new_hearing.click()
    needs.places.value = "0"
    needs.carry.click()
    assert "pb-error" in needs.carried.value and "Мест: «0» — не целое число от 1" in needs.carried.value


def test_what_if_shows_the_question_the_budget_and_each_option_s_cost_and_votes(app):
    """s28 M4: the "What if" table said only «финансируется» or «—» on the projector."""
    app.tabs[0].voters.value = "60"
    app.tabs[0].simulate_button.click()
    whatif = app.tabs[2]
    whatif.count_button.click()
    shown = whatif.rules.value
    assert "Подсчитан вопрос 1 «Выберите до 3 самых нужных проектов» (одобрение): 60 бюллетеней; бюджет — 3" in shown
    assert "<th>Стоимость</th><th>Голоса</th>" in shown and "Потрачено по правилу" in shown
    app.lang_switch.value = "en"
    assert "<th>Cost</th><th>Votes</th>" in whatif.rules.value and "Spent by the rule" in whatif.rules.value
