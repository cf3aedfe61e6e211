"""The results board's service, without widgets: which hearing the projector shows, when new records arrived, and
how each tab's count is chosen."""

from __future__ import annotations

from decimal import Decimal

from pbtools.hearings.model import PB_VOTE, Hearing
from pbtools.hearings.store import HearingStore, create_hearing
from pbtools.results.count import family
from pbtools.results.service import ROUNDS_RULE, ResultsService, hearing_to_show


def test_the_board_stays_on_the_chosen_or_open_hearing_and_moves_off_a_draft(store, ws):
    service = ResultsService(ws)
    create_hearing(ws, Hearing("h0", "Ак-Суу", PB_VOTE, "2026-01-10", budget=Decimal(10)), actor="f")  # a draft
    listed = service.hearings("en")
    assert [h.id for h in listed.items] == ["h0", "h1"]  # oldest first
    assert hearing_to_show(listed, None, None) == "h1"  # the open one, with questions
    assert hearing_to_show(listed, None, "h0") == "h1"  # a draft nobody chose: on to the hearing to show
    assert hearing_to_show(listed, "h0", "h1") == "h0"  # the facilitator's choice stays
    assert hearing_to_show(listed, "gone", "h1") == "h1"  # a choice no longer listed: the open one stays


def test_new_records_from_another_store_are_news_and_fold_once(store, ws):
    service = ResultsService(ws)
    assert service.choose("h1").id == "h1" and service.broken is None and not service.has_news()
    HearingStore(ws, "h1").cast_typed("ap", "1 2", actor="tablet")  # as another process would
    assert service.has_news()
    assert len(service.refresh().ballots_for("ap")) == 1 and not service.has_news()
    assert service.hidden()  # open: hidden from the projector until voting closes
    service.set_hidden(False)
    assert not service.hidden() and not service.board("ap").hidden


def test_the_rounds_tab_explains_equal_shares_whatever_the_question_counts_by(store, ws):
    service = ResultsService(ws)
    service.choose("h1")
    HearingStore(ws, "h1").cast_typed("ap", "1 2", actor="tablet")
    service.refresh()
    service.set_hidden(False)
    board = service.board("ap")
    result, voters = service.rounds(board)
    assert family(result.rule) == "mes" and voters == 1
    if family(board.result.rule) != "mes":
        assert result.rule == ROUNDS_RULE
    assert service.rounds(service.board("mo")) is None and service.comparison("mo") is None
    assert set(service.comparison("ap").results) >= {"greedy", "phragmen"}
