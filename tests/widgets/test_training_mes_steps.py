"""The Equal Shares step-by-step tab while phones vote: a walkthrough keeps its figures, the tab opened shows the
ballots stored now, and newer ballots are said, with a button to start over on them."""

from __future__ import annotations

from pbtools.storage import open_workspace
from pbtools.training.service import TrainingService
from pbtools_widgets.training.app import TrainingApp


def test_a_walkthrough_keeps_its_ballots_and_says_when_newer_ones_are_stored(demo_copy, tmp_path, monkeypatch):
    """The tab showed «Начало: 260 избирателей» while "what if" counted 302 ballots, then Next silently recounted
    the 302 midway (round 0 then said other figures)."""
    root = tmp_path / "sandboxes"
    monkeypatch.setenv("PBTOOLS_SANDBOXES", str(root))
    with open_workspace(demo_copy) as ws:
        app = TrainingApp(ws, lang="ru", root=root)
        mock, steps = app.tabs[0], app.tabs[3]
        mock.name.value = "семинар-1"
        mock.open_button.click()
        mock.voters.value = "60"
        mock.simulate_button.click()
        phones = TrainingService(root)  # ballots stored by another process meanwhile (the server's phone pages)
        phones.open("семинар-1", create=False)
        try:
            phones.simulate(61, seed=2)  # before the tab is opened: opened, it counts them
            app.tab.selected_index = 3
            assert "Начало: 121 избиратель" in steps.caption.value and steps.again.layout.display == "none"
            steps.next.click()
            round_1, round_0 = steps.caption.value, app.service.round_picture(0, "ru").caption

            phones.simulate(62, seed=3)  # during the walkthrough: kept, and said
            steps.next.click()
            steps.back.click()
            assert steps.caption.value == round_1  # the same figures as before the new ballots
            steps.back.click()
            assert round_0 in steps.caption.value and "Начало: 121 избиратель" in steps.caption.value
            assert "(121 бюллетень по вопросу 1)" in steps.newer.value and "сейчас в учебных слушаниях 183 бюллетеня по вопросу 1" in steps.newer.value
            assert steps.again.layout.display != "none"
            app.tab.selected_index = 0
            app.tab.selected_index = 3  # opened again at the start: the ballots stored now
            assert "Начало: 183 избирателя" in steps.caption.value and steps.newer.value == ""

            steps.next.click()
            phones.simulate(60, seed=4)
            app.tab.selected_index = 0
            app.tab.selected_index = 3  # opened again midway: kept, and said
            assert "сейчас в учебных слушаниях 243 бюллетеня по вопросу 1" in steps.newer.value
            steps.again.click()
            assert "Раунд 0 из" in steps.where.value and "Начало: 243 избирателя" in steps.caption.value
            assert steps.newer.value == "" and steps.again.layout.display == "none"
        finally:
            phones.close()
            app.service.close()
