"""A double-entry pile whose two entries differ is disputed: the count says so, and the hearing cannot be closed
until each differing ballot is corrected from the paper (on a real ledger, SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from pbtools.hearings.deletion import delete_hearing
from pbtools.hearings.double_entry import Dispute, dispute_note, disputes
from pbtools.hearings.errors import PilesDisputed
from pbtools.hearings.model import CLOSED, MOTION, OPEN, Question
from pbtools.hearings.store import HearingStore, state
from pbtools.hearings.tally import summary
from pbtools.reports.voting import question_blocks, question_reports
from pbtools.results.board import snapshot
from tests.hearings.conftest import build

TITLES = {"en": "Repair the school roof", "ru": "Ремонт крыши школы", "ky": "Мектептин чатырын оңдоо"}


@pytest.fixture
def store(ws):
    store = build(ws, open_it=False)
    store.define_question(Question("roof", MOTION, TITLES), actor="facilitator")
    store.open(actor="chair")
    return store


def type_pile(store, question: str, pile: str, first: list[str], second: list[str]) -> None:
    for entry, typed in ((1, first), (2, second)):
        for text in typed:
            store.cast_typed(question, text, actor=f"clerk {entry}", pile=pile, entry=entry)


@pytest.mark.parametrize("lang, words", [
    ("ru", ["Слушания нельзя закрыть", "«Ремонт крыши школы»", "пачка 1:", "в 1 бюллетене (№ 2)", "ввод 1"]),
    ("ky", ["Угууну жабууга болбойт", "«Мектептин чатырын оңдоо»", "1-топтом", "1 бюллетенде", "(№ 2)"]),
    ("en", ["cannot be closed", '"Repair the school roof"', "pile 1:", "1 ballot (no. 2)", "entry 1 is counted"]),
])
def test_closing_is_refused_naming_the_question_pile_and_ballot_and_nothing_is_stored(store, lang, words):
    type_pile(store, "roof", "1", ["1", "1", "2"], ["1", "2", "2"])  # the trial's pile: ballot 2 differs
    before = store.ws.ledger.head(store.stream)
    with pytest.raises(PilesDisputed) as refused:
        store.close(actor="chair")
    text = "\n".join(p.render(lang) for p in refused.value.problems)
    for word in words:
        assert word in text, (word, text)
    assert store.ws.ledger.head(store.stream) == before and not store.ws.ledger.sealed(store.stream)
    assert state(store.ws, "h1").status == OPEN  # folded afresh from the database


def test_closing_is_allowed_once_the_ballot_is_corrected_from_the_paper(store):
    type_pile(store, "roof", "1", ["1", "1", "2"], ["1", "2", "2"])
    with pytest.raises(PilesDisputed):
        store.close(actor="chair")
    store.correct("roof", "1", 2, "2", actor="chair")  # the paper says no: entry 1 was wrong
    assert disputes(store.state) == []
    store.close(actor="chair")
    st = state(store.ws, "h1")
    assert st.status == CLOSED and store.ws.ledger.sealed(store.stream)
    assert sorted(b.ballot.answer for b in st.ballots_for("roof")) == ["no", "no", "yes"]  # the paper's, not entry 1's


def test_a_pile_settled_by_voiding_and_typing_again_may_close(store):
    type_pile(store, "roof", "1", ["1", "3"], ["1", "1"])
    wrong = next(b for b in store.state.pile("1", 2) if b.position == 2)
    store.void(wrong.seq, actor="chair", reason="typed wrong")
    store.cast_typed("roof", "3", actor="clerk 2", pile="1", entry=2, position=2)
    assert store.differences("1") == [] and disputes(store.state) == []
    store.close(actor="chair")
    assert store.state.status == CLOSED


def test_each_question_and_pile_is_named_and_a_ballot_only_the_second_clerk_typed_is_disputed(store):
    type_pile(store, "approval", "W", ["1", "2 3", "4", "5"], ["1", "2 5", "4", "1"])
    type_pile(store, "roof", "M", ["1"], ["1", "2"])  # a paper the first clerk missed
    type_pile(store, "roof", "K", ["1"], ["1"])  # agrees: not named
    st = store.refresh()
    # by question in the hearing's order (approval was defined before roof), then pile
    assert disputes(st) == [Dispute("approval", "W", (2, 4)), Dispute("roof", "M", (2,))]
    assert disputes(st, "roof") == [Dispute("roof", "M", (2,))]
    with pytest.raises(PilesDisputed) as refused:
        store.close(actor="chair")
    lines = [p.render("ru") for p in refused.value.problems]
    assert len(lines) == 3 and "пачка W" in lines[1] and "в 2 бюллетенях (№ 2, 4)" in lines[1] and "пачка M" in lines[2]
    assert all("пачка K" not in line for line in lines)


def test_the_count_shown_before_closing_says_the_pile_is_disputed(store):
    type_pile(store, "roof", "1", ["1", "1", "2"], ["1", "2", "2"])
    st = store.refresh()
    note = dispute_note(st, Dispute("roof", "1", (2,)))
    assert note in snapshot(st, "roof", hidden=False).notes  # the board, when results are shown
    (report,) = [r for r in question_reports(st) if r.question.id == "roof"]
    assert report.disputes == [note]  # the protocol draft
    texts = [getattr(b, "text", "") for b in question_blocks(st, report, 1, "ru", charts=False)]
    assert note.render("ru") in texts
    (item,) = [q for q in summary(st)["questions"] if q["id"] == "roof"]
    assert item["disputed_piles"] == [{"pile": "1", "positions": [2]}]  # pbtools hearing show --json
    store.correct("roof", "1", 2, "1", actor="chair")  # entry 2 was wrong: the paper says yes
    st = store.refresh()
    assert snapshot(st, "roof", hidden=False).notes == () and question_reports(st)[-1].disputes == []
    assert "disputed_piles" not in next(q for q in summary(st)["questions"] if q["id"] == "roof")


def test_a_hearing_without_double_entry_closes_as_before(store):
    for text in ("1", "2", "1"):
        store.cast_typed("roof", text, actor="clerk")
    assert disputes(store.state) == []
    store.close(actor="chair")
    assert store.state.status == CLOSED


def test_a_practice_hearing_with_a_disputed_pile_can_still_be_deleted(ws):
    store = build(ws, practice=True)
    type_pile(store, "motion", "1", ["1"], ["2"])
    delete_hearing(ws, "h1", actor="trainer", reason="practice over")
    assert HearingStore(ws, "h1").state.status == CLOSED


def test_a_pile_typed_once_or_whose_second_entry_is_under_way_is_not_disputed(store):
    """Entry 2 is typed after entry 1: until it reaches a ballot there is nothing to compare it with. A pile typed
    once (double entry ticked, then dropped) is not disputed either, and does not keep the hearing open; a ballot
    entry 2 has past entry 1's end is a paper entry 1 missed: disputed."""
    type_pile(store, "roof", "1", ["1", "1", "2", "1", "3"], [])
    type_pile(store, "roof", "2", ["1", "2", "2", "1"], ["1", "2"])  # clerk 2 has typed two so far: they agree
    assert disputes(store.state) == []
    type_pile(store, "roof", "3", ["1"], ["1", "2"])  # a second paper only clerk 2 saw
    assert disputes(store.state) == [Dispute("roof", "3", (2,))]
    store.correct("roof", "3", 2, "2", actor="chair")
    assert disputes(store.state) == []
    store.close(actor="chair")
    assert state(store.ws, "h1").status == CLOSED


def test_a_long_dispute_lists_its_first_ballots_only(store):
    type_pile(store, "roof", "1", ["1"] * 14, ["2"] * 14)
    (dispute,) = disputes(store.state)
    text = dispute_note(store.state, dispute).render("en")
    assert len(dispute.positions) == 14 and "14 ballots (no. 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …)" in text
