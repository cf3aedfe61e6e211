"""The console's hold on a hearing when the workspace's database is replaced under it while it runs (an older copy
put back, another copy's history): the next look shows what is on disk, and a ballot is checked against it, never
against the hearing as it was before (a code issued only in the history put aside is not issued; one used there
only can be used; one used in the copy now in place is used)."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from pbtools.hearings.casting import CastItem
from pbtools.hearings.codes import KEY_FILE
from pbtools.hearings.console_service import ConsoleService
from pbtools.hearings.errors import CodeUsed, HearingError
from pbtools.hearings.model import Ballot, Participant
from pbtools.hearings.store import HearingStore, state
from pbtools.storage import open_workspace
from tests.fixtures.db_copies import before_the_next_write, copy_db, restore_db
from tests.hearings.conftest import build

PERSON = Participant("f", "30_44", "Ак-Суу")


def one(option: str) -> Ballot:
    return Ballot(((option, 1),))


@pytest.fixture
def hall(tmp_path):
    """A workspace with hearing h1 open, and a console holding it."""
    with open_workspace(tmp_path / "ws") as ws:
        build(ws)
        console = ConsoleService(ws)
        console.choose("h1")
        yield tmp_path / "ws", ws, console


def fork(folder, to):
    """Another copy of the workspace as it is now (its codes' key too), to write another history in."""
    to.mkdir()
    copy_db(folder, to / "pbtools.sqlite")
    if (folder / KEY_FILE).exists():
        shutil.copy(folder / KEY_FILE, to / KEY_FILE)
    return to


def test_an_older_copy_put_back_is_what_the_console_shows_and_checks(hall, tmp_path):
    folder, ws, console = hall
    kept, voted = console.store.issue_codes(2, actor="secretary")
    console.store.cast("single", one("P1"), actor="tablet", code=voted)
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    at_backup = console.refresh().seq
    # what the copy does not hold: a code issued, the kept code used, a person registered
    (later,) = console.store.issue_codes(1, actor="secretary")
    console.store.cast("single", one("P2"), actor="tablet", code=kept)
    console.store.register(PERSON, actor="door")
    assert console.refresh().seq == at_backup + 3

    restore_db(folder, backup)
    assert console.has_news()
    st = console.refresh()
    assert st.seq == at_backup and st.counters.total == 0 and len(st.ballots) == 1
    assert st == state(ws, "h1")
    with pytest.raises(HearingError, match="not issued"):  # issued in the history put aside only
        console.store.cast("single", one("P3"), actor="tablet", code=later)
    with pytest.raises(CodeUsed):
        console.store.cast("single", one("P3"), actor="tablet", code=voted)
    receipt = console.store.cast("single", one("P3"), actor="tablet", code=kept)  # used in the history put aside only
    assert (receipt.seq, receipt.number) == (at_backup + 1, 2)
    assert console.state.ballots[receipt.seq].ballot == one("P3") and console.state == state(ws, "h1")
    assert ws.ledger.verify("hearing:h1") == []


def test_another_copys_longer_history_is_folded_from_its_start(hall, tmp_path):
    folder, ws, console = hall
    first, second = console.store.issue_codes(2, actor="secretary")
    other = fork(folder, tmp_path / "other")
    # this copy: a code issued, the first code used, one person
    (here_only,) = console.store.issue_codes(1, actor="secretary")
    console.store.cast("single", one("P1"), actor="tablet", code=first)
    console.store.register(PERSON, actor="door")
    held = console.refresh().seq
    # the other copy, from the same start: a code issued (before record ``held``), the second code used, more people
    with open_workspace(other, create=False) as ows:
        there = HearingStore(ows, "h1")
        (there_only,) = there.issue_codes(1, actor="secretary")
        there.cast("single", one("P4"), actor="tablet", code=second)
        for _ in range(4):
            there.register(PERSON, actor="door")
        assert there.state.seq > held

    restore_db(folder, other / "pbtools.sqlite")
    st = console.refresh()
    assert st == state(ws, "h1") and st.counters.total == 4 and [b.ballot for b in st.ballots.values()] == [one("P4")]
    with pytest.raises(HearingError, match="not issued"):
        console.store.cast("single", one("P2"), actor="tablet", code=here_only)
    with pytest.raises(CodeUsed):
        console.store.cast("single", one("P2"), actor="tablet", code=second)
    console.store.cast("single", one("P2"), actor="tablet", code=there_only)
    receipt = console.store.cast("single", one("P3"), actor="tablet", code=first)
    assert receipt.number == 3 and console.state == state(ws, "h1")


def test_another_history_of_the_same_length_is_news(hall, tmp_path):
    """The console polls the stream's head: another copy ending at the same record number is news too."""
    folder, ws, console = hall
    other = fork(folder, tmp_path / "other")
    console.store.register(PERSON, actor="door")
    with open_workspace(other, create=False) as ows:
        HearingStore(ows, "h1").register(Participant("m", "60_plus", "Кара-Булак"), actor="door")
    assert not console.has_news()
    restore_db(folder, other / "pbtools.sqlite")
    assert console.has_news()
    assert console.refresh().counters.men == 1 and console.state == state(ws, "h1")


def test_a_ballot_decided_on_a_state_put_aside_meanwhile_is_not_written(hall, tmp_path):
    """The copy is put back after the console checked the code against its fold, before the ballot is written: the
    code was issued only in the history put aside, so the ballot is refused, nothing is written, and the console
    shows what is on disk."""
    folder, ws, console = hall
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    kept = ws.ledger.tip("hearing:h1")
    (later,) = console.store.issue_codes(1, actor="secretary")
    before_the_next_write(ws, lambda: restore_db(folder, backup))
    with pytest.raises(HearingError) as e:
        console.store.cast("single", one("P1"), actor="tablet", code=later)
    assert "read again" in e.value.render("en") and "прочитать заново" in e.value.render("ru")
    assert ws.ledger.tip("hearing:h1") == kept and console.store.state == state(ws, "h1") and not console.store.state.ballots
    with pytest.raises(HearingError, match="not issued"):
        console.store.cast("single", one("P1"), actor="tablet", code=later)
    # phones' ballots, many at once, likewise
    (other,) = console.store.issue_codes(1, actor="secretary")
    before_the_next_write(ws, lambda: restore_db(folder, backup))
    (result,) = console.store.cast_many([CastItem("single", one("P1"), "tablet", "code", code=other)])
    assert isinstance(result, HearingError) and "read again" in result.render("en")
    assert ws.ledger.tip("hearing:h1") == kept and console.store.state == state(ws, "h1")


def test_another_screens_record_before_the_write_does_not_refuse_it(hall):
    """Records appended by others after the fold (a phone's ballot, a person at the door) take nothing back from
    what the ballot was checked against: it is written."""
    folder, ws, console = hall
    (code,) = console.store.issue_codes(1, actor="secretary")
    with open_workspace(folder, create=False) as other:
        door = HearingStore(other, "h1")
        before_the_next_write(ws, lambda: door.register(PERSON, actor="door"))
        receipt = console.store.cast("single", one("P1"), actor="tablet", code=code)
    assert console.refresh().counters.total == 1 and console.state.ballots[receipt.seq].ballot == one("P1")


def test_a_question_is_not_replaced_once_a_ballot_came_after_the_look(hall):
    """The question had no ballot when the console looked; a phone's ballot comes before the new wording is
    written: the question stays as the ballot was cast on it."""
    folder, ws, console = hall
    st = console.refresh()
    (qid, question), *_ = st.questions.items()
    assert not st.ballots_for(qid)
    (code,) = console.store.issue_codes(1, actor="secretary")
    with open_workspace(folder, create=False) as other:
        phone = HearingStore(other, "h1")
        before_the_next_write(ws, lambda: phone.cast(qid, one("P1"), actor="phone", channel="code", code=code))
        reworded = replace(question, titles={**question.titles, "en": "Another question"})
        with pytest.raises(HearingError, match="already has ballots"):
            console.store.define_question(reworded, actor="secretary")
    assert console.refresh().questions[qid] == question and len(console.state.ballots_for(qid)) == 1
