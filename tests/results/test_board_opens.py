"""Which hearing the board opens on, and what it draws the moment the page is shown.

A preheated kernel builds the board before anyone opens the page (perhaps long before the hearing was opened and
ballots typed): on showing it, the board reads the ledger again, and nothing it drew before is visible."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from pbtools.hearings.model import APPROVAL, PB_VOTE, Ballot, Hearing, Option, Question
from pbtools.hearings.sample import create_sample_hearing
from pbtools.hearings.store import HearingStore, create_hearing, hearing_ids, state
from pbtools.hearings.store import hearing_under_way
from pbtools.storage import open_workspace

pytest.importorskip("ipywidgets")
from pbtools_widgets.results_app import ResultsApp  # noqa: E402


def new_hearing(ws, hearing_id: str, date: str, open_it: bool) -> HearingStore:
    s = create_hearing(ws, Hearing(hearing_id, "Кара-Булак", PB_VOTE, date, budget=Decimal(100_000)), actor="secretary")
    s.add_option(Option("x", 1, {"ky": "Көпүрө", "ru": "Мост", "en": "Bridge"}, Decimal(50_000)), actor="secretary")
    s.define_question(Question("v", APPROVAL, {"en": "Choose"}, ("x",)), actor="secretary")
    if open_it:
        s.open(actor="chair")
    return s


def shown_ballots(app) -> str:
    return re.search(r'id="pb-board-ballots">([^<]*)<', app.head.value).group(1)


def show(app) -> None:
    """What the browser does when it draws the page: the view's view count goes from 0 to 1."""
    app.view._view_count = 1


def test_the_hearing_to_show_open_then_draft_newest_first(ws):
    create_sample_hearing(ws)  # closed, 2026-04-18
    new_hearing(ws, "d-old", "2026-11-01", open_it=False)
    new_hearing(ws, "d-new", "2026-11-20", open_it=False)
    everything = lambda: [state(ws, h) for h in hearing_ids(ws)]  # noqa: E731
    assert hearing_under_way(everything()) == "d-new"  # no hearing open: the newest draft, not the closed sample
    new_hearing(ws, "o-old", "2026-10-01", open_it=True)
    new_hearing(ws, "o-new", "2026-10-05", open_it=True)
    assert hearing_under_way(everything()) == "o-new"  # an open one before any draft, even a newer draft
    assert hearing_under_way([]) is None


def test_a_board_built_early_moves_to_the_hearing_opened_later_but_keeps_a_choice(ws):
    sample = create_sample_hearing(ws)
    app = ResultsApp(ws, lang="ky")
    assert app.hearing.value == sample  # nothing else yet
    other = open_workspace(ws.path, create=False)  # another laptop's process
    try:
        new_hearing(other, "h-new", "2026-12-01", open_it=False)
        app.poll()
        assert app.hearing.value == "h-new"  # a draft before a closed hearing
        HearingStore(other, "h-new").open(actor="chair")
        app.poll()
        assert app.hearing.value == "h-new" and app.board.status == "open"
        app.hearing.value = sample  # the facilitator wants the sample on the screen
        new_hearing(other, "h-later", "2026-12-02", open_it=True)
        app.poll()
        show(app)
        assert app.hearing.value == sample and app.board.hearing_id == sample
    finally:
        other.close()


def test_the_first_count_drawn_once_shown_is_the_current_one(ws):
    new_hearing(ws, "h1", "2026-12-01", open_it=True)
    app = ResultsApp(ws, lang="ky")  # built by a preheated kernel: no ballot yet
    assert shown_ballots(app) == "0" and "pb-unread" in app.body._dom_classes  # drawn, but not visible
    other = open_workspace(ws.path, create=False)
    try:
        store = HearingStore(other, "h1")
        for _ in range(3):
            store.cast("v", Ballot((("x", 1),)), actor="clerk")
    finally:
        other.close()
    drawn = []
    app.head.observe(lambda change: drawn.append(change["new"]), "value")
    show(app)
    assert drawn, "showing the page drew nothing"
    first = re.search(r'id="pb-board-ballots">([^<]*)<', drawn[0]).group(1)
    assert first == "3" and shown_ballots(app) == "3"
    assert "pb-unread" not in app.body._dom_classes


def test_the_board_stays_on_what_it_shows_while_a_new_hearing_has_no_questions(ws):
    """A facilitator creating the next hearing must not blank the projector: the board moves to a new draft only
    once it has a question; and a hearing with nothing to show keeps nothing of the one shown before."""
    sample = create_sample_hearing(ws)
    app = ResultsApp(ws, lang="ru")
    app.reveal.value = True
    app.tabs.selected_index = 2  # Groups: a chart of the sample
    assert app.notes.value and app.panes["groups"].children
    create_hearing(ws, Hearing("h-empty", "Кара-Булак", PB_VOTE, "2026-12-20", budget=Decimal(100_000)), actor="secretary")
    app.poll()
    assert app.hearing.value == sample and app.board.hearing_id == sample  # not the empty draft
    new_hearing(ws, "h-ready", "2026-12-21", open_it=False)  # a draft with a question: the board may move there
    app.poll()
    assert app.hearing.value == "h-ready"
    app.hearing.value = "h-empty"  # chosen by hand: shown, and nothing of the sample stays under it
    assert "Слушаний с вопросами пока нет" in app.head.value
    assert app.notes.value == "" and all(not pane.children for pane in app.panes.values())
