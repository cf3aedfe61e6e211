"""The results board in a real browser: ballots typed at the console in one tab appear on the board in another
without reloading; the facilitator reveals the results, goes full screen and exports the charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from matplotlib.image import imread

from pbtools.hearings.model import Hearing, Option, Question
from pbtools.hearings.store import create_hearing, state
from pbtools.results.board import set_results_hidden
from pbtools.storage import open_workspace
from tests.fixtures.browser import Server, free_port
from tests.fixtures.shared_server import own_hearing

BALLOTS = ["1 2", "2", "3 1"]


def open_hearing(workspace) -> str:
    with open_workspace(workspace) as ws:
        store = create_hearing(ws, Hearing(id="", municipality="Көк-Талаа", type="pb_vote", date="2026-05-14",
                                           villages=("Көк-Талаа", "Ак-Жар"), budget=Decimal(1_000_000)), actor="test")
        store.add_options([Option(id=f"p{i}", number=i, titles={"en": f"Project {i}", "ky": f"Долбоор {i}"},
                                  cost=Decimal(300_000 * i)) for i in range(1, 4)], actor="test")
        store.define_question(Question(id="q1", kind="approval", titles={"en": "Choose up to two"},
                                       options=("p1", "p2", "p3"), max_choices=2), actor="test")
        store.open(actor="test")
        return store.id


@pytest.fixture(scope="module")
def board_server(shared_server):
    return shared_server, own_hearing(shared_server, open_hearing)


def ready(page) -> None:
    """Wait until the page's kernel answers: switch to English and see the board's title change.

    The page is hidden until its kernel has drawn it for this page (widgets.url_lang); on a loaded machine that can
    take long; the 2-second promise of the board starts once the page is live."""
    page.locator("#pb-board-ballots").wait_for()
    page.get_by_role("button", name="English").click()
    page.locator(".pb-app .pb-title", has_text="Results").wait_for(timeout=90_000)
    # the title is the first thing the new language redraws: the Full screen button comes a moment later, and a
    # test that switched on at once could still meet the page's first language there (full screen then said its
    # way out in English after a switch to Russian: the English labels arrived after the Russian were read)
    page.locator(".pb-fullscreen-button .pb-fs-enter", has_text="Full screen").wait_for(state="attached")


def test_board_follows_the_console_without_reloading(board_server, page):
    server, hearing_id = board_server
    board = page
    board.goto(server.url + "/voila/render/results.ipynb?lang=en")
    ready(board)
    board.locator("#pb-board-ballots", has_text="0").wait_for()
    board.locator(".pb-hidden-note", has_text="hidden").wait_for()  # an open hearing: hidden until revealed

    console = board.context.new_page()
    console.goto(server.url + "/voila/render/console.ipynb?lang=en")
    console.locator("#pb-console-summary").wait_for()
    console.get_by_role("tab", name="Paper ballots").click()
    box = console.locator(".pb-ballot-entry input")
    board.bring_to_front()  # the projector shows the board; the clerk's tab types in the background
    for i, text in enumerate(BALLOTS, 1):
        box.fill(text)
        box.press("Enter")
        console.locator("#pb-ballot-count", has_text=f": {i}").wait_for()
        # the other tab is never reloaded: its own timer brings each ballot within a couple of seconds
        board.locator("#pb-board-ballots", has_text=str(i)).wait_for(timeout=5_000)  # 2 s promised, 3 s margin

    board.locator(".pb-reveal").click()
    board.locator(".pb-results img").first.wait_for(state="visible")
    with open_workspace(server.workspace) as ws:
        assert ws.get_setting(f"results_hidden:{hearing_id}") is False
        assert len(state(ws, hearing_id).ballots_for("q1")) == len(BALLOTS)

    board.locator(".pb-fullscreen-button").click()
    board.wait_for_function("document.fullscreenElement !== null || document.querySelector('.pb-results.pb-full') !== null")
    full = board.evaluate("(document.fullscreenElement || document.querySelector('.pb-full')).classList.contains('pb-results')")
    assert full
    assert not board.locator(".pb-controls").is_visible()  # only the board is on the screen


def test_export_writes_png_and_svg(board_server, page):
    server, hearing_id = board_server
    with open_workspace(server.workspace) as ws:
        set_results_hidden(ws, hearing_id, False)
    page.goto(server.url + "/voila/render/results.ipynb?lang=ru")
    ready(page)
    page.locator(".pb-export").click()
    page.locator("#pb-exported").wait_for()
    folder = server.workspace / "exports"
    pngs = sorted(folder.glob(f"results-{hearing_id}-q1-*.png"))
    svgs = sorted(folder.glob(f"results-{hearing_id}-q1-*.svg"))
    names = {p.stem.rsplit("-", 1)[-1] for p in pngs}
    assert {"votes", "budget", "participation", "rules", "rounds"} <= names
    assert [p.with_suffix("") for p in pngs] == [s.with_suffix("") for s in svgs]
    for png in pngs:
        assert imread(png).shape[0] > 100  # opens as an image
    for svg in svgs:
        assert ET.parse(svg).getroot().tag.endswith("svg")
    links = page.locator("#pb-exported ~ ul a[download]")
    assert links.count() == len(pngs) + len(svgs)


def test_full_screen_keeps_show_hide_and_escape_leaves_the_fallback(board_server, page):
    """Without the Fullscreen API the board is pinned over the page; Show/Hide results stays on the screen there,
    and Escape leaves it as it leaves the real full screen."""
    server, hearing_id = board_server
    with open_workspace(server.workspace) as ws:
        set_results_hidden(ws, hearing_id, False)
    page.goto(server.url + "/voila/render/results.ipynb?lang=en")
    ready(page)
    page.locator(".pb-results img").first.wait_for(state="visible")
    page.evaluate("Element.prototype.requestFullscreen = undefined")  # an old browser
    page.locator(".pb-fullscreen-button").click()
    page.locator(".pb-results.pb-full").wait_for()
    assert not page.locator(".pb-controls").is_visible()
    reveal = page.locator(".pb-reveal")
    assert reveal.is_visible()
    reveal.click()  # hide the results without leaving full screen
    page.locator(".pb-hidden-note").wait_for()
    with open_workspace(server.workspace) as ws:
        assert ws.get_setting(f"results_hidden:{hearing_id}") is True
    page.keyboard.press("Escape")
    page.wait_for_function("document.querySelector('.pb-results.pb-full') === null")
    page.locator(".pb-controls").first.wait_for(state="visible")


@pytest.mark.parametrize("mode", ["api", "fallback"])
def test_full_screen_says_how_to_leave_and_its_button_leaves(board_server, page, mode):
    """Full screen hides the hearing and question choosers; its one button still read «Во весь экран», so a
    facilitator saw no way back to them but Escape, which they may not know. In full screen the button says how to
    leave, in the board's language, and a click leaves (the real full screen, and the pinned board of an old browser)."""
    from pbtools.i18n import gettext

    server, _hearing = board_server
    page.goto(server.url + "/voila/render/results.ipynb?lang=ru")
    ready(page)
    page.get_by_role("button", name="Русский").click()
    button = page.locator(".pb-fullscreen-button")
    enter, leave = gettext("ru", "Full screen"), gettext("ru", "Exit full screen (Esc)")
    page.locator(".pb-fullscreen-button .pb-fs-enter", has_text=enter).wait_for()
    page.locator(".pb-fullscreen-button .pb-fs-leave", has_text=leave).wait_for(state="attached")  # one update: both
    assert button.inner_text() == enter  # on the page: only the way in
    if mode == "fallback":
        page.evaluate("Element.prototype.requestFullscreen = undefined")  # an old browser: the pinned board
    button.click()
    page.wait_for_function("document.fullscreenElement !== null || document.querySelector('.pb-results.pb-full') !== null")
    assert not page.locator(".pb-controls").is_visible()
    assert button.is_visible() and button.inner_text() == leave and "Esc" in leave
    button.click()  # no keyboard
    page.wait_for_function("document.fullscreenElement === null && document.querySelector('.pb-results.pb-full') === null")
    page.locator(".pb-controls").first.wait_for(state="visible")  # the question can be changed again
    assert button.inner_text() == enter


def test_the_console_phone_count_follows_phone_ballots(tmp_path, chromium):
    """The Phone voting tab's count of phone ballots moves on as phones vote, without reloading the console (it
    stayed at 0 while the board showed the phone votes)."""
    import os
    from unittest import mock

    from pbtools.hearings.model import Ballot
    from pbtools.hearings.store import HearingStore
    from tests.fixtures.browser import local_page

    workspace = tmp_path / "ws"
    with open_workspace(workspace) as ws:
        store = create_hearing(ws, Hearing(id="", municipality="Жаңы-Айыл", type="pb_vote", date="2026-12-01",
                                           budget=Decimal(1_000_000)), actor="test")
        store.add_options([Option(id="p1", number=1, titles={"en": "Well"}, cost=Decimal(100_000))], actor="test")
        store.define_question(Question(id="q1", kind="approval", titles={"en": "Choose"}, options=("p1",)), actor="test")
        store.open(actor="test")
        hearing_id = store.id
    # a server of its own: its kernels have a hall address for the tab (the shared server's have none, as a
    # laptop's `pbtools serve` on 127.0.0.1: test_paper_as_they_are.py counts on it)
    with mock.patch.dict(os.environ, {"PBTOOLS_PUBLIC_URL": "http://192.168.4.1:8866"}):  # a hall address for the tab
        server = Server(workspace, free_port(), tmp_path / "serve.log")
    try:
        with local_page(chromium, viewport={"width": 1366, "height": 900}) as page:
            page.goto(server.url + "/voila/render/console.ipynb?lang=en")
            page.locator("#pb-console-summary").wait_for(timeout=90_000)
            page.get_by_role("tab", name="Phone voting").click()
            page.locator("#pb-phone-counts", has_text="Choose — 0").wait_for()
            with open_workspace(workspace, create=False) as ws:  # a phone votes (the server's process, in effect)
                HearingStore(ws, hearing_id).cast("q1", Ballot((("p1", 1),)), actor="phone:a", channel="phone")
            page.locator("#pb-phone-counts", has_text="Choose — 1").wait_for(timeout=10_000)  # the console polls each second
    finally:
        server.stop()
