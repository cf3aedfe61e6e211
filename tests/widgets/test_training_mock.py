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
    mock.voters.value = 60
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
