"""A needs assessment held by a screen while the workspace's database is replaced under it (an older copy put back,
another copy's history): the next look shows what is on disk, and what is typed next is checked against it (a
session of the history put aside is no session; a problem's number is the next one on disk)."""

from __future__ import annotations

import pytest

from pbtools.needs.errors import NeedsError
from pbtools.needs.store import NeedsStore
from pbtools.roles import LOCAL
from pbtools.storage import open_workspace
from tests.fixtures.db_copies import before_the_next_write, copy_db, restore_db


@pytest.fixture
def held(tmp_path):
    """A workspace with two problems and a session, and a screen's store holding them."""
    with open_workspace(tmp_path / "ws") as ws:
        store = NeedsStore(ws)
        store.add_problem({"en": "Water"}, LOCAL)
        store.add_problem({"en": "Roads"}, LOCAL)
        store.add_session("Ак-Суу", "women", LOCAL)
        yield tmp_path / "ws", ws, store


def titles(st) -> dict[str, str]:
    return {p.id: p.titles["en"] for p in st.problems.values()}


def test_an_older_copy_put_back_is_what_the_store_shows_and_checks(held, tmp_path):
    folder, ws, store = held
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    store.add_problem({"en": "School"}, LOCAL)
    gone = store.add_session("Ак-Суу", "men", LOCAL)
    store.set_ranking("s1", "3 1", LOCAL)

    restore_db(folder, backup)
    st = store.refresh()
    assert titles(st) == {"p1": "Water", "p2": "Roads"} and set(st.sessions) == {"s1"} and st.rankings == {}
    with pytest.raises(NeedsError, match="no session"):
        store.set_ranking(gone.id, "1 2", LOCAL)
    with pytest.raises(NeedsError):  # problem 3 is not on disk
        store.set_ranking("s1", "3 1", LOCAL)
    assert store.set_ranking("s1", "2 1", LOCAL) == ("p2", "p1")  # the first ranking on disk: it replaces none
    assert store.add_problem({"en": "Clinic"}, LOCAL).id == "p3"
    assert store.state == NeedsStore(ws).state
    assert ws.ledger.verify("needs:main") == []


def test_another_copys_longer_history_is_folded_from_its_start(held, tmp_path):
    folder, ws, store = held
    other = tmp_path / "other"
    other.mkdir()
    copy_db(folder, other / "pbtools.sqlite")
    store.add_problem({"en": "School"}, LOCAL)
    store.add_session("Ак-Суу", "men", LOCAL)
    with open_workspace(other, create=False) as ows:
        there = NeedsStore(ows)
        for title in ("Bridge", "Clinic", "Lights"):
            there.add_problem({"en": title}, LOCAL)
        there.set_ranking("s1", "5 3", LOCAL)
    assert there.state.seq > store.state.seq

    restore_db(folder, other / "pbtools.sqlite")
    st = store.refresh()
    assert titles(st) == {"p1": "Water", "p2": "Roads", "p3": "Bridge", "p4": "Clinic", "p5": "Lights"}
    assert set(st.sessions) == {"s1"} and st.rankings == {"s1": ("p5", "p3")}
    assert store.add_problem({"en": "School"}, LOCAL).id == "p6"
    assert store.state == NeedsStore(ws).state


def test_a_ranking_typed_on_a_state_put_aside_meanwhile_is_not_written(held, tmp_path):
    """The copy is put back after the ranking "3 1" was checked against the screen's problems, before it is
    written: problem 3 is not on disk, so nothing is written and the screen reads what is."""
    folder, ws, store = held
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    store.add_problem({"en": "School"}, LOCAL)
    kept = ws.ledger.tip("needs:main")
    before_the_next_write(ws, lambda: restore_db(folder, backup))
    with pytest.raises(NeedsError) as e:
        store.set_ranking("s1", "3 1", LOCAL)
    assert "read again" in e.value.render("en") and "прочитать заново" in e.value.render("ru")
    assert ws.ledger.tip("needs:main") != kept and store.state == NeedsStore(ws).state and store.state.rankings == {}
    assert titles(store.state) == {"p1": "Water", "p2": "Roads"}


def test_two_screens_adding_a_problem_at_once_give_it_two_numbers(held, tmp_path):
    """Another screen adds a problem after this one numbered its own, before it is written: this one is numbered
    again (both took number 3, and the second hid the first)."""
    folder, ws, store = held
    with open_workspace(folder, create=False) as other:
        before_the_next_write(ws, lambda: NeedsStore(other).add_problem({"en": "Bridge"}, LOCAL))
        school = store.add_problem({"en": "School"}, LOCAL)
    assert school.id == "p4" and titles(store.state) == {"p1": "Water", "p2": "Roads", "p3": "Bridge", "p4": "School"}
    with open_workspace(folder, create=False) as other:
        before_the_next_write(ws, lambda: NeedsStore(other).set_ranking("s1", "1 2", LOCAL))
        store.set_ranking("s1", "4 3", LOCAL)  # replaces the other screen's, which is voided, not left beside it
    assert store.state.rankings == {"s1": ("p4", "p3")} and store.state == NeedsStore(ws).state
    assert ws.ledger.verify("needs:main") == []


def test_what_a_screen_typed_on_records_replaced_since_is_refused_as_the_screen_said_it(held, tmp_path):
    """A screen drew its lists (``point``); the records were put back to an older copy; what it types next was
    meant for those lists: refused in the user's language, naming the session by its number, nothing written. The
    command line (no point) writes on the records as they are."""
    from pbtools.needs.errors import Replaced
    from pbtools.needs.service import NeedsService

    folder, ws, store = held
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    svc = NeedsService(ws)
    svc.add_session("Ак-Суу", "men", LOCAL)
    shown = svc.point
    restore_db(folder, backup)
    before = ws.ledger.tip("needs:main")
    for write in (lambda: svc.set_ranking("s2", "1", LOCAL, seen=shown),
                  lambda: svc.set_ranking("s1", "1", LOCAL, seen=shown),
                  lambda: svc.add_problem("Bath", "en", LOCAL, seen=shown),
                  lambda: svc.add_session("Ак-Суу", "youth", LOCAL, seen=shown)):
        with pytest.raises(Replaced):
            write()
    with pytest.raises(Replaced) as e:
        svc.set_ranking("s2", "1", LOCAL, seen=shown)
    assert e.value.render("en").startswith("The ranking of session №2 was not saved: the needs assessment's records were replaced")
    assert e.value.render("ru").startswith("Рейтинг встречи №2 не сохранён: записи изучения нужд заменены")
    assert e.value.render("ky").startswith("№2 жолугушуунун рейтинги сакталган жок:")
    assert ws.ledger.tip("needs:main") == before
    assert svc.add_problem("Bath", "en", LOCAL, seen=svc.point).id == "p3"  # on the lists as they are now


def test_a_reset_between_the_screen_s_check_and_the_write_is_refused_too(held, tmp_path):
    from pbtools.needs.errors import Replaced

    folder, ws, store = held
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    store.add_problem({"en": "School"}, LOCAL)
    shown = (store.state.seq, store.state.hash)
    before_the_next_write(ws, lambda: restore_db(folder, backup))
    with pytest.raises(Replaced):
        store.add_problem({"en": "Bath"}, LOCAL, seen=shown)
    assert titles(NeedsStore(ws).state) == {"p1": "Water", "p2": "Roads"}
