"""Paper ballots as they are, in Chromium, in Russian: a paper with too many choices is refused with a hint and
recorded as invalid with one keystroke (Ctrl+Enter); an earlier ballot is voided by its number; the Registration
tab warns that cards printed from a server on 127.0.0.1 carry an address no phone can open; once the hearing is
closed (from another process) the box is disabled and the tab says why."""

from __future__ import annotations

from pbtools.hearings.store import HearingStore
from pbtools.i18n import gettext
from pbtools.storage import open_workspace
from tests.browser.test_console_keyboard import console_server  # noqa: F401 - a fixture: a hearing of this module's own


def ru(msgid: str, **params) -> str:
    text = gettext("ru", msgid)
    return text.format(**params) if params else text


def on_disk(server, hearing_id):
    with open_workspace(server.workspace) as ws:
        return HearingStore(ws, hearing_id).state


def test_paper_ballots_as_they_are(console_server, page):
    server, hearing_id = console_server
    page.goto(server.url + "/voila/render/console.ipynb?lang=ru")
    page.locator("#pb-console-summary").wait_for()
    page.get_by_role("tab", name=ru("Paper ballots")).click()
    box = page.locator(".pb-ballot-entry input")
    box.click()
    page.keyboard.type("1 2 3")  # "choose up to 2": the paper itself has three marks
    page.keyboard.press("Enter")
    page.locator("#pb-refused-hint", has_text="Ctrl+Enter").wait_for()
    assert box.input_value() == "1 2 3"
    page.keyboard.press("Control+Enter")
    page.locator("#pb-invalid-count", has_text=ru("Invalid ballots: {n}", n=1)).wait_for()
    assert box.input_value() == ""
    for i, text in enumerate(("1", "2", "3 4"), 1):
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        page.locator("#pb-ballot-count", has_text=ru("Ballots counted: {n}", n=i)).wait_for()
    # ballot 2 of 3 is voided by its number: "Undo last" could only reach ballot 3
    page.get_by_label(ru("Ballot №")).fill("2")
    page.get_by_label(ru("Reason")).fill("из другой пачки")
    page.get_by_role("button", name=ru("Void this ballot")).click()
    page.locator(".pb-ok", has_text=ru("Ballot {n} ({text}) was voided.", n=2, text="2")).wait_for()
    page.locator("#pb-ballot-count", has_text=ru("Ballots counted: {n}", n=2)).wait_for()
    st = on_disk(server, hearing_id)
    assert len(st.invalid_for("q1")) == 1 and len(st.ballots_for("q1")) == 2
    [void] = st.voids.values()
    assert void.reason == "из другой пачки" and st.voided[void.target].ballot.option_ids() == ["p2"]

    page.get_by_role("tab", name=ru("Registration")).click()
    page.locator("#pb-cards-unreachable", has_text="127.0.0.1").wait_for()  # `pbtools serve` on loopback

    with open_workspace(server.workspace) as ws:  # the chair closes the hearing from another screen
        HearingStore(ws, hearing_id).close(actor="chair")
    page.locator("#pb-registration-closed").wait_for()
    assert page.get_by_role("button", name=ru("Register"), exact=True).is_disabled()
    page.get_by_role("tab", name=ru("Paper ballots")).click()
    page.locator("#pb-paper-closed").wait_for()
    assert box.is_disabled()
