"""Spoiled and blank paper ballots (their own ledger records, never counted for an option), ballots compared
with registrations, and the number a voided ballot had on the clerk's screen. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from pbtools.hearings import records as R
from pbtools.hearings.model import BLANK, SPOILED, Ballot, Participant
from pbtools.hearings.store import HearingError, HearingStore
from pbtools.hearings.tally import summary, tally_ballots
from pbtools.hearings.turnout import turnout


def reread(store) -> HearingStore:
    return HearingStore(store.ws, store.id)  # what another process folds from the database


def test_invalid_ballots_are_records_of_their_own_and_never_counted(store, ws):
    store.cast_typed("approval", "1 2", actor="clerk")
    first = store.cast_typed("approval", "0", actor="clerk")
    second = store.record_invalid("approval", actor="clerk", why=BLANK)
    third = store.cast_typed("approval", " - ", actor="clerk")
    store.cast_typed("motion", "0", actor="clerk")  # a spoiled motion ballot too
    kinds = {r.seq: r for r in ws.ledger.records(store.stream)}
    assert kinds[first.seq].kind == R.BALLOT_INVALID and kinds[first.seq].payload["why"] == SPOILED
    assert kinds[second.seq].payload["why"] == kinds[third.seq].payload["why"] == BLANK
    assert [first.number, second.number, third.number] == [1, 2, 3]  # their own running count
    st = reread(store).state
    assert len(st.ballots_for("approval")) == 1 and len(st.invalid_for("approval")) == 3
    assert len(st.invalid_for("motion")) == 1 and st.ballots_for("motion") == []
    q = st.questions["approval"]
    assert tally_ballots(q, st.ballots_for("approval")) == {"P1": 1, "P2": 1, "P3": 0, "P4": 0, "P5": 0}
    item = next(i for i in summary(st)["questions"] if i["id"] == "approval")
    assert item["ballots"] == 1 and item["invalid_ballots"] == 3


def test_an_invalid_ballot_can_be_undone_and_only_paper_can_be_invalid(store):
    store.cast_typed("single", "2", actor="clerk")
    receipt = store.cast_typed("single", "0", actor="clerk")
    assert store.undo_last("single", actor="clerk") == receipt.seq  # the last one typed, invalid or not
    st = reread(store).state
    assert st.invalid_for("single") == [] and st.voided[receipt.seq].invalid
    assert [v.seq for v in st.voided_ballots_for("single")] == [receipt.seq]
    with pytest.raises(HearingError) as e:
        store.cast("single", Ballot(answer=SPOILED), actor="phone", channel="phone", key="phone:1")
    assert "paper" in e.value.render("en") and "кагаз" in e.value.render("ky")
    assert reread(store).state.invalid_for("single") == []


def test_invalid_ballots_in_a_double_entry_pile_are_compared_and_corrected(store):
    for entry, texts in ((1, ["1", "0", "3"]), (2, ["1", "2", "3"])):
        for text in texts:
            store.cast_typed("single", text, actor=f"clerk {entry}", pile="A", entry=entry)
    [d] = store.differences("A")
    assert d.position == 2 and d.first == Ballot(answer=SPOILED) and d.second.option_ids() == ["P2"]
    store.correct("single", "A", 2, "0", actor="chair")  # the paper is spoiled: entry 2 is corrected
    assert store.differences("A") == []
    st = reread(store).state
    assert len(st.invalid_for("single")) == 1 and len(st.ballots_for("single")) == 2


def test_the_number_of_a_voided_ballot_is_the_one_the_clerk_saw(store):
    receipts = [store.cast_typed("approval", t, actor="clerk") for t in ("1", "2", "3")]
    store.void(receipts[1].seq, actor="clerk", reason="typed twice")
    fourth = store.cast_typed("approval", "4", actor="clerk")
    # one more than the last standing ballot: two standing ballots never share a number (the clerk voids by it)
    assert fourth.number == 4
    st = reread(store).state
    assert st.number_when_cast(st.voided[receipts[1].seq]) == 2
    assert [st.number_when_cast(st.ballots[r.seq]) for r in (receipts[0], receipts[2], fourth)] == [1, 3, 4]
    # ballot 3 ("3") was numbered 3 when stored, and that stays so after ballot 2 was voided
    undone = store.undo_last("approval", actor="clerk")  # undo last: the retyped ballot takes the same number
    assert undone == fourth.seq and store.cast_typed("approval", "4", actor="clerk").number == 4


def test_ballots_beyond_the_registrations_give_a_warning(store):
    assert turnout(store.state, "approval").warning is None  # no registrations: nothing to compare with
    for sex in "fm":
        store.register(Participant(sex, "30_44", "Ак-Суу"), actor="door")
    store.cast_typed("approval", "1", actor="clerk")
    store.cast("approval", Ballot((("P2", 1),)), actor="phone", channel="phone", key="phone:a")
    t = turnout(store.state, "approval")
    assert (t.paper, t.phone, t.invalid, t.registered, t.excess, t.warning) == (1, 1, 0, 2, 0, None)  # equal: fine
    store.cast_typed("approval", "0", actor="clerk")
    t = turnout(reread(store).state, "approval")
    assert (t.ballots, t.excess) == (3, 1)
    texts = {lang: t.warning.render(lang) for lang in ("en", "ru", "ky")}
    assert "3 ballots" in texts["en"] and "(2)" in texts["en"] and "by 1" in texts["en"]
    assert "бюллетеней по этому вопросу: 3" in texts["ru"] and "на 1 больше" in texts["ru"]
    assert "3 бюллетень" in texts["ky"] and "жараксыз 1" in texts["ky"]
    assert turnout(store.state, "single").warning is None  # another question: its own ballots only
