"""A ballot typed while the app stops (the server shutting down, the laptop's lid closed) is never stored: the box
empties at Enter for speed, so it used to vanish with the count unmoved and nothing said. Each line sent is answered
by the app once dealt with; a line still unanswered after a few seconds is shown under the box, in the screen's
language, so the clerk types it again."""

from __future__ import annotations

from pbtools.hearings.store import HearingStore
from pbtools.i18n import Msg, N_
from pbtools.storage import open_workspace
from tests.browser.test_console_keyboard import open_hearing
from tests.fixtures.browser import demo_server_with

UNCONFIRMED = N_("Not confirmed as stored yet: {lines}. If the app does not answer, reload the page, check the count "
                 "and type them again.")


def test_a_line_the_app_never_answers_is_shown_not_lost_silently(tmp_path_factory, page):
    # a server of its own: it is killed
    with demo_server_with(tmp_path_factory, "unconfirmed", open_hearing) as (server, hearing_id):
        page.goto(server.url + "/voila/render/console.ipynb?lang=ru")
        page.locator("#pb-console-summary").wait_for()
        page.get_by_role("tab", name="Бумажные бюллетени").click()
        box = page.locator(".pb-ballot-entry input")
        box.click()
        page.keyboard.type("1 2")
        page.keyboard.press("Enter")
        page.locator("#pb-ballot-count", has_text=": 1").wait_for()
        page.wait_for_timeout(3500)  # answered: nothing is shown as unconfirmed
        assert page.locator(".pb-unconfirmed").is_hidden()

        server.process.kill()  # the app stops without a word
        server.process.wait(timeout=20)
        page.keyboard.type("3")
        page.keyboard.press("Enter")
        late = page.locator(".pb-unconfirmed")
        late.wait_for(state="visible", timeout=15000)
        assert late.inner_text() == Msg(UNCONFIRMED, lines="«3»").render("ru")
        assert box.input_value() == ""  # (emptied at Enter, as always: the line is named below it instead)
        with open_workspace(server.workspace) as ws:
            assert len(HearingStore(ws, hearing_id).state.ballots_for("q1")) == 1  # indeed never stored
