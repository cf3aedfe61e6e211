"""Closing a hearing while a second clerk (another kernel, its own connection to the same database) is still
typing: the close and every write are consistent whatever the order. A closed hearing never has a disputed pile
and never a record after its closing but the seal; a write that comes too late is refused as "closed".

Each test has two real writers on one real database (an SQLite file, a PostgreSQL server), each its own
``Workspace`` (engine, connections), in two threads. The moment the other one acts is fixed by a listener on the
database engine, called as a transaction starts and before it asks for any lock (SQLite's BEGIN IMMEDIATE,
PostgreSQL's first statement), or by the check's own call: no fixed sleep decides the order.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

import pytest

from pbtools.hearings import double_entry
from pbtools.hearings import records as R
from pbtools.hearings.casting import CastItem, Receipt
from pbtools.hearings.errors import HearingClosed, HearingError, PilesDisputed
from pbtools.hearings.model import CLOSED, OPEN, Ballot, Participant
from pbtools.hearings.store import HearingStore, state
from pbtools.i18n import LANGS, gettext
from pbtools.storage import SEALED, open_workspace
from tests.hearings.conftest import build
from tests.storage.locks import on_begin, stream_locked

CLOSED_MSG = "The hearing is closed; nothing can be changed"


@pytest.fixture
def chair(ws):
    """The chair's screen: an open hearing whose pile 1 entry 1 has two ballots and entry 2 (under way) one."""
    store = build(ws)
    for entry, typed in ((1, ["1", "1"]), (2, ["1"])):
        for t in typed:
            store.cast_typed("motion", t, actor=f"clerk {entry}", pile="1", entry=entry)
    assert double_entry.disputes(store.refresh()) == []
    return store


@pytest.fixture
def clerk(chair, tmp_path, db_url):
    """The second clerk's screen: its own workspace object, engine and connections, on the same database."""
    with open_workspace(tmp_path / "ws", db_url=db_url, create=False) as ws:
        yield HearingStore(ws, chair.id)


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list]:
    """``work`` started in a thread of its own; the list gets its result or the HearingError it raised."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(work())
        except HearingError as e:
            outcome.append(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def after_closing(store: HearingStore) -> list[str]:
    """The kinds of the records stored after the hearing's closing record, read afresh from the database."""
    kinds = [r.kind for r in store.ws.ledger.records(store.stream)]
    return kinds[kinds.index(R.HEARING_CLOSED) + 1:]


def refused_as_closed(outcome: Any) -> bool:
    return isinstance(outcome, HearingClosed) and [p.msgid for p in outcome.problems] == [CLOSED_MSG] and all(
        outcome.render(lang) == gettext(lang, CLOSED_MSG) for lang in LANGS)


def test_an_entry_saved_just_before_the_close_takes_its_lock_stops_the_close(chair, clerk):
    """The chair's screen looked at the piles (none disputed), then the second clerk saved a ballot that differs
    from entry 1, then the close began to write: the close sees that ballot and is refused, nothing stored."""
    differing = []

    def clerk_types_first() -> None:
        if not differing:  # once: the clerk's ballot is committed before the close's transaction asks for the lock
            differing.append(clerk.cast_typed("motion", "2", actor="clerk 2", pile="1", entry=2))

    on_begin(chair.ws, clerk_types_first, writes_only=True)
    with pytest.raises(PilesDisputed) as refused:
        chair.close(actor="chair")
    assert isinstance(differing[0], Receipt)
    assert any("pile 1" in p.render("en") for p in refused.value.problems)
    st = state(chair.ws, chair.id)
    assert st.status == OPEN and not chair.ws.ledger.sealed(chair.stream)
    assert [d.positions for d in double_entry.disputes(st)] == [(2,)]
    clerk.correct("motion", "1", 2, "1", actor="chair")  # the paper says yes: entry 2 was wrong
    chair.close(actor="chair")
    assert state(chair.ws, chair.id).status == CLOSED and after_closing(chair) == [SEALED]


def test_an_entry_typed_while_the_close_checks_waits_and_is_refused_as_closed(chair, clerk, monkeypatch):
    """The second clerk saves a differing ballot at the moment the close is checking the piles (none disputed):
    the close holds the write lock while it checks, so the clerk waits, and is told the hearing is closed. Never a
    closed hearing with a disputed pile."""
    check = double_entry.close_problems
    typed: list = []

    def check_while_the_clerk_types(st):
        problems = check(st)
        thread, outcome = in_thread(lambda: clerk.cast_typed("motion", "2", actor="clerk 2", pile="1", entry=2))
        typed.append((thread, outcome))
        if not stream_locked(chair.ws.url, chair.stream):
            thread.join()  # nothing holds the clerk back: the ballot is stored between the check and the close
        return problems

    monkeypatch.setattr(double_entry, "close_problems", check_while_the_clerk_types)
    chair.close(actor="chair")
    [(thread, outcome)] = typed
    thread.join(timeout=120)
    assert not thread.is_alive()
    st = state(chair.ws, chair.id)
    assert st.status == CLOSED  # what the close checked (no dispute) is what it stored
    assert double_entry.disputes(st) == [], "a closed hearing with a disputed pile"
    assert after_closing(chair) == [SEALED]
    assert refused_as_closed(outcome[0]), outcome


WRITES = {
    "second entry": lambda s: s.cast_typed("motion", "1", actor="clerk 2", pile="1", entry=2),
    "phone ballots": lambda s: s.cast_many([CastItem("motion", Ballot(answer="yes"), "phone", "phone",
                                                     key="device:1")])[0],  # its result: a receipt or the refusal
    "void": lambda s: s.void(max(s.state.ballots), actor="clerk 1", reason="typed twice"),
    "correction": lambda s: s.correct("motion", "1", 2, "2", actor="chair"),
    "show of hands": lambda s: s.enter_count("motion", {"all": {"yes": 3, "no": 1}}, actor="table"),
    "registration": lambda s: s.register(Participant("f", "30_44", "Ак-Суу"), actor="door"),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_checked_before_the_close_and_saved_after_it_is_refused_as_closed(chair, clerk, write):
    """The clerk's screen checked that the hearing is open, then the close was stored; the clerk's write that
    follows must not land in the closed hearing (after its closing record) but be refused as closed."""
    checked, go = threading.Event(), threading.Event()

    def wait_for_the_close() -> None:  # the clerk's checks are done; its transaction has not asked for the lock
        if not checked.is_set():
            checked.set()
            assert go.wait(120)

    on_begin(clerk.ws, wait_for_the_close, writes_only=True)
    thread, outcome = in_thread(lambda: WRITES[write](clerk))
    assert checked.wait(120)

    def let_the_clerk_write() -> None:  # the hearing's closing is committed: the clerk writes now
        if not go.is_set() and clerk.ws.ledger.keyed(chair.stream, "closed") is not None:
            go.set()
            thread.join(timeout=120)

    on_begin(chair.ws, let_the_clerk_write, writes_only=False)
    chair.close(actor="chair")
    go.set()
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert after_closing(chair) == [SEALED], "a record stored after the hearing closed"
    assert refused_as_closed(outcome[0]), outcome


def test_a_hearing_closed_but_not_sealed_is_sealed_by_closing_again(chair):
    """Before closing and sealing were one transaction, a crash between them left a closed stream unsealed:
    closing again seals it, without a second closing record and without checking the piles again."""
    chair.cast_typed("motion", "2", actor="clerk 2", pile="1", entry=2)  # a pile disputed when it closed
    chair.ws.ledger.append(chair.stream, R.HEARING_CLOSED, {}, actor="chair", key="closed")  # then the crash
    assert double_entry.disputes(chair.refresh()) and not chair.ws.ledger.sealed(chair.stream)
    chair.close(actor="chair")
    assert chair.ws.ledger.sealed(chair.stream) and after_closing(chair) == [SEALED]
    assert [r.kind for r in chair.ws.ledger.records(chair.stream)].count(R.HEARING_CLOSED) == 1
