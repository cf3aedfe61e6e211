"""The practice console (trial s28 H1): the hearing console on a training sandbox, opened from the Training app's
link, where a trainer types paper ballots into the mock hearing; a sandbox it cannot open is said, nothing opened."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

import pytest

from pbtools.hearings.store import state
from pbtools.roles import OBSERVER, TRAINER, Actor
from pbtools.storage import open_workspace
from pbtools.training.sandbox import create_sandbox, get_sandbox
from pbtools_widgets.training.app import TrainingApp
from pbtools_widgets.training.practice_console import NoPracticeConsole, PracticeConsoleApp, practice_console

NAME = "семинар-1"


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    folder = tmp_path_factory.mktemp("practice") / "sandboxes"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PBTOOLS_SANDBOXES", str(folder))  # never the user's sandboxes
        yield folder


@pytest.fixture(scope="module")
def sandbox(root):
    """One sandbox for the module (a first one builds the template: seconds)."""
    return create_sandbox(NAME, actor=Actor("Aida", TRAINER), root=root)


def type_ballot(app, question: str, text: str) -> None:
    app.tabs.selected_index = list(app.panels).index("paper")
    paper = app.panels["paper"]
    paper.question.value = question
    paper.typed.submit(text)  # what the browser sends on Enter


def test_a_trainer_on_the_hub_types_a_paper_ballot_into_the_mock_hearing(sandbox, root, monkeypatch):
    """The page opened as the link opens it (?sandbox=, ?lang=), by a hub trainer (SANDBOX only, no HEARING): the
    sandbox's mock hearing is chosen, the heading names the sandbox, and a typed ballot is in its database."""
    monkeypatch.setenv("PBTOOLS_ROLE", TRAINER)
    monkeypatch.setenv("PBTOOLS_USER", "aida")
    monkeypatch.setenv("QUERY_STRING", urlencode({"sandbox": NAME, "lang": "ru"}))
    app = practice_console(root=root)
    assert isinstance(app, PracticeConsoleApp) and app.lang == "ru"
    assert app.ws.path == sandbox.path and app.store.id == sandbox.open_hearing
    assert "Учебный пульт песочницы «семинар-1»" in app.heading.value
    assert "только в песочницу «семинар-1»" in app.practice_note.value
    assert not app.panels["reports"].hand_in.shown  # a laptop's hearing is handed in to the municipality, never here
    app.operator.value = "Айгуль"
    type_ballot(app, "q1", "1 2")
    paper = app.panels["paper"]
    assert "pb-ok" in paper.message.value, paper.message.value
    with open_workspace(sandbox.path, create=False) as ws:  # what another process reads
        ballots = list(state(ws, sandbox.open_hearing).ballots.values())
    assert [(b.question, b.channel, b.actor) for b in ballots] == [("q1", "paper", "Айгуль")]


@pytest.mark.parametrize("lang, said", [("ru", "Песочницы «семинар-2» нет"), ("ky", "«семинар-2» машыгуу аянты жок"),
                                        ("en", "There is no sandbox «семинар-2»")])
def test_an_unknown_sandbox_is_said_with_the_way_back_and_nothing_is_opened(sandbox, root, lang, said):
    before = sorted(os.listdir(root))
    page = practice_console("семинар-2", lang=lang, root=root, actor=Actor("Aida", TRAINER))
    assert isinstance(page, NoPracticeConsole)
    assert said in page.message.value and f'href="training.ipynb?lang={lang}"' in page.message.value
    assert sorted(os.listdir(root)) == before  # nothing made


@pytest.mark.parametrize("name", [None, "", "../семинар-1", "/etc", ".kept-семинар-1"])
def test_a_missing_or_path_like_name_opens_nothing(sandbox, root, name, monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    page = practice_console(name, lang="ru", root=root, actor=Actor("Aida", TRAINER))
    assert isinstance(page, NoPracticeConsole) and "pb-practice-refused" in page.message.value
    assert "приложении «Обучение»" in page.message.value


def test_a_role_that_may_not_change_sandboxes_gets_no_console(sandbox, root):
    page = practice_console(NAME, lang="ru", root=root, actor=Actor("Bek", OBSERVER))
    assert isinstance(page, NoPracticeConsole) and "pb-practice-refused" in page.message.value


def test_the_training_app_links_the_open_sandboxs_console_in_a_new_tab(root, demo_copy):
    with open_workspace(demo_copy) as ws:
        app = TrainingApp(ws, lang="ky", root=root)
        mock, needs = app.tabs[0], app.tabs[1]
        assert mock.console.value == "" and needs.console.value == ""  # no sandbox open: no link
        mock.name.value = NAME
        mock.open_button.click()
        href = 'href="practice_console.ipynb?sandbox=%D1%81%D0%B5%D0%BC%D0%B8%D0%BD%D0%B0%D1%80-1&amp;lang=ky"'
        for tab in (mock, needs):
            assert href in tab.console.value and 'target="_blank"' in tab.console.value
            assert "бул машыгуу аянтынын панелин ачуу" in tab.console.value
        app.lang_switch.value = "ru"
        assert "lang=ru" in mock.console.value and "открыть пульт этой песочницы" in needs.console.value
        app.service.close()


def test_after_a_reset_from_the_training_app_the_open_console_types_into_the_sandbox_as_new(root):
    """The Training app resets the sandbox while its console is open in another tab: the console's next ballot goes
    into the sandbox now in place, never into the copy the reset kept aside."""
    from pbtools.training.sandbox import kept_sandbox, reset_sandbox

    trainer = Actor("Aida", TRAINER)
    create_sandbox("сброс-1", actor=trainer, root=root)
    app = practice_console("сброс-1", lang="en", root=root, actor=trainer)
    type_ballot(app, "q1", "1")
    fresh = reset_sandbox("сброс-1", actor=trainer, root=root)
    app.poll()  # the page's timer
    type_ballot(app, "q1", "2")
    assert "pb-ok" in app.panels["paper"].message.value, app.panels["paper"].message.value
    with open_workspace(fresh.path, create=False) as ws:
        assert len(state(ws, fresh.open_hearing).ballots) == 1
    kept = kept_sandbox("сброс-1", root)
    with open_workspace(kept.path, create=False) as ws:
        assert len(state(ws, kept.open_hearing).ballots) == 1


def test_the_needs_draft_hearing_gets_its_costs_in_the_practice_console(root):
    """The Needs tab's draft hearing (its options cost 0) is in the console's list; a cost typed in its agenda is
    stored in the sandbox (trial s28 H1: no screen reachable from the apps showed that draft)."""
    from pbtools.training.service import TrainingService

    trainer = Actor("Aida", TRAINER)
    service = TrainingService(root, actor=trainer)
    service.open("нужды-1")
    needs = service.needs()
    village = needs.villages("ru")[0]
    needs.add_problem("Баня", "ru", trainer, village=village)
    needs.add_problem("Дорога", "ru", trainer, village=village)
    session = needs.add_session(village, "women", trainer)
    needs.set_ranking(session.id, "2 1", trainer)
    draft = service.new_draft_hearing()
    carried = needs.to_hearing(draft, 2, trainer)
    assert carried.added and all(o.cost == 0 for o in carried.added)
    path = service.sandbox.path
    service.close()

    app = practice_console("нужды-1", lang="ru", root=root, actor=trainer)
    assert draft in [v for _, v in app.choice.options]
    app.choice.value = draft
    app.tabs.selected_index = list(app.panels).index("agenda")
    agenda = app.panels["agenda"]
    agenda.f_pick.value = carried.added[0].id
    agenda.f_cost.value = "150 000"
    agenda.f_add.click()
    assert "pb-ok" in agenda.message.value, agenda.message.value
    with open_workspace(path, create=False) as ws:
        assert state(ws, draft).options[carried.added[0].id].cost == 150_000


def test_the_workshop_printouts_are_offered_in_the_screens_language(root, demo_copy):
    """Trial s28 M1: the guide, the handout and the needs paper form were only in the CLI. The Mock hearing tab
    makes them in the screen's language, as links that download them; the form with the sandbox's problems."""
    import base64
    import re

    with open_workspace(demo_copy) as ws:
        app = TrainingApp(ws, lang="ru", root=root)
        mock = app.tabs[0]
        mock.name.value = NAME
        mock.open_button.click()
        mock.printouts_button.click()
        links = re.findall(r'download="([^"]+)" href="data:application/pdf;base64,([^"]+)">([^<]+)<', mock.printouts.value)
        assert [(name, text) for name, _, text in links] == [
            ("guide-ru.pdf", "Руководство к семинару"), ("handout-ru.pdf", "Раздаточный материал семинара"),
            ("needs-form-ru.pdf", "Изучение нужд: ранжирование проблем")]
        assert all(base64.b64decode(data).startswith(b"%PDF") for _, data, _ in links)
        app.lang_switch.value = "ky"
        assert mock.printouts.value == ""  # the Russian ones are not offered on a Kyrgyz screen
        app.service.close()


def test_the_printouts_button_and_links_are_on_the_mock_hearing_tab(root, demo_copy):
    """What a test clicks from Python is also on the screen (the button was made, and not placed in the tab)."""
    with open_workspace(demo_copy) as ws:
        app = TrainingApp(ws, lang="en", root=root)
        mock = app.tabs[0]

        def shown(box):
            return [w for c in box.children for w in (shown(c) if hasattr(c, "children") else [c])]

        assert mock.printouts_button in shown(mock.box) and mock.printouts in shown(mock.box)
        assert mock.console in shown(mock.box) and app.tabs[1].console in shown(app.tabs[1].box)
        app.service.close()


def test_the_phone_voting_tab_gives_the_sandboxs_own_address(sandbox, root, monkeypatch):
    """The real console's phone address (/vote/<hearing>) is served into the real workspace: the practice console
    gives the sandbox's (/practice/<sandbox>/vote/<hearing>), and the real console keeps its own."""
    from pbtools_widgets.console.app import ConsoleApp
    from pbtools_widgets.console.phones import hall_vote_url

    monkeypatch.setenv("PBTOOLS_PUBLIC_URL", "http://192.168.4.1:8870")
    monkeypatch.setenv("PBTOOLS_SERVE_HOST", "0.0.0.0")
    app = practice_console(NAME, lang="en", root=root, actor=Actor("Aida", TRAINER))
    assert hall_vote_url(app) == ("http://192.168.4.1:8870/practice/%D1%81%D0%B5%D0%BC%D0%B8%D0%BD%D0%B0%D1%80-1/vote/"
                                  + sandbox.open_hearing)
    with open_workspace(sandbox.path, create=False) as ws:
        assert hall_vote_url(ConsoleApp(ws, lang="en")) == "http://192.168.4.1:8870/vote/" + sandbox.open_hearing


def test_a_sandbox_removed_in_the_training_app_takes_its_console_away_said(root):
    """Removed while its console is open in another tab: the next tick says so and hides the tabs (a ballot typed
    after it went into a deleted database, said as saved)."""
    from pbtools.training.sandbox import remove_sandbox

    trainer = Actor("Aida", TRAINER)
    create_sandbox("удалить-1", actor=trainer, root=root)
    app = practice_console("удалить-1", lang="ru", root=root, actor=trainer)
    app.poll()
    assert app.tabs.layout.display is None and "pb-error" not in app.notice.value
    remove_sandbox("удалить-1", actor=trainer, root=root)
    app.poll()
    assert app.tabs.layout.display == "none"
    assert "Песочница «удалить-1» удалена в приложении «Обучение»" in app.notice.value
    create_sandbox("удалить-1", actor=trainer, root=root)  # made again under its name: the console is back
    app.poll()
    assert app.tabs.layout.display is None and "удалена" not in app.notice.value
    type_ballot(app, "q1", "1")
    assert "pb-ok" in app.panels["paper"].message.value, app.panels["paper"].message.value
    again = get_sandbox("удалить-1", root)
    with open_workspace(again.path, create=False) as ws:
        assert len(state(ws, again.open_hearing).ballots) == 1  # in the sandbox there now


def test_a_ballot_typed_before_the_tick_that_sees_the_sandbox_removed_is_refused_and_makes_no_folder(root):
    """A tab the browser left behind ticks once a minute: a ballot typed there after the sandbox was removed, before
    any tick, is refused (was: said as stored into the removed database, and its code key made the folder again,
    unmarked, so that the name could not be used for a new sandbox)."""
    from pbtools.training.sandbox import remove_sandbox

    trainer = Actor("Aida", TRAINER)
    create_sandbox("удалить-2", actor=trainer, root=root)
    app = practice_console("удалить-2", lang="ru", root=root, actor=trainer)
    app.poll()
    remove_sandbox("удалить-2", actor=trainer, root=root)
    type_ballot(app, "q1", "1 2")
    said = app.panels["paper"].message.value
    assert "pb-error" in said and "Песочница «удалить-2» удалена" in said, said
    assert not (Path(root) / "удалить-2").exists()
    create_sandbox("удалить-2", actor=trainer, root=root)  # the name is free again
