"""A clerk in a real browser presses Tab+Enter on "Undo last", then types the next ballot and Enter: it is
stored (the focus went back to the box), it does not void a second ballot."""

from __future__ import annotations

from pbtools.hearings.store import HearingStore
from pbtools.storage import open_workspace
from tests.browser.test_console_keyboard import console_server  # noqa: F401 - a fixture: a hearing of this module's own


def test_tab_enter_on_undo_then_the_next_ballot_is_stored(console_server, page):
    server, hearing_id = console_server
    page.goto(server.url + "/voila/render/console.ipynb?lang=ky")
    page.locator("#pb-console-summary").wait_for()
    page.get_by_role("tab", name="Кагаз бюллетендер").click()
    page.locator(".pb-ballot-entry input").click()
    for i, text in enumerate(("1 2", "2 4"), 1):
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        page.locator("#pb-ballot-count", has_text=f": {i}").wait_for()
    page.keyboard.press("Tab")  # to "Undo last"
    page.keyboard.press("Enter")
    page.locator(".pb-ok", has_text="2-бюллетень (2 4) жокко чыгарылды").wait_for()
    page.locator(".pb-ballot-entry input:focus").wait_for()  # the focus is back in the box
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    page.locator(".pb-ok", has_text="2-бюллетень сакталды").wait_for()
    with open_workspace(server.workspace) as ws:
        st = HearingStore(ws, hearing_id).state
    typed = sorted(" ".join(str(st.options[o].number) for o in b.ballot.option_ids()) for b in st.ballots_for("q1"))
    assert typed == ["1 2", "3"] and len(st.voids) == 1
