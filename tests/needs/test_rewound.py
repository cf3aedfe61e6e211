"""A needs assessment held by a screen while the workspace's database is replaced under it (an older copy put back,
another copy's history): the next look shows what is on disk, and what is typed next is checked against it (a
session of the history put aside is no session; a problem's number is the next one on disk)."""

from __future__ import annotations

from dataclasses import replace

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


def _draft(ws):
    from decimal import Decimal

    from pbtools.hearings.model import Hearing
    from pbtools.hearings.store import create_hearing
    return create_hearing(ws, Hearing("", "Ак-Суу", "pb_vote", "2026-05-12", budget=Decimal(1000000)), actor="Aida")


def test_the_top_problems_carried_are_those_the_screen_showed(held, tmp_path):
    """A screen showed "Water" on top; another screen's rankings put "Roads" there: «make the top problem an option»
    on the stale screen is refused, said, nothing written (it wrote "Roads", which the screen never showed). Records
    that leave the top as shown are let through; on the results as they are now, the new top is carried."""
    from pbtools.needs.errors import Replaced
    from pbtools.needs.service import NeedsService

    folder, ws, store = held
    store.set_ranking("s1", "1 2", LOCAL)
    hearing, svc = _draft(ws), NeedsService(ws)
    shown = svc.point
    with open_workspace(folder, create=False) as other:
        NeedsStore(other).add_problem({"en": "School"}, LOCAL)  # the top stays "Water"
    assert [o.titles["en"] for o in svc.to_hearing(hearing.id, 1, LOCAL, seen=shown).added] == ["Water"]
    hearing.remove_option("1", "Aida")
    shown = svc.point
    with open_workspace(folder, create=False) as other:
        there = NeedsStore(other)
        for group in ("men", "youth"):
            there.set_ranking(there.add_session("Ак-Суу", group, LOCAL).id, "2 1", LOCAL)
    with pytest.raises(Replaced) as e:
        svc.to_hearing(hearing.id, 1, LOCAL, seen=shown)
    said = {lang: e.value.render(lang) for lang in ("en", "ru", "ky")}
    assert said["en"] == (f"Nothing was added to the agenda of hearing {hearing.id}: the top problems changed after this "
                          "screen showed them (rankings were added or changed in another screen); the results now show "
                          "them as they are")
    assert said["ru"].startswith(f"В повестку слушаний {hearing.id} ничего не добавлено: главные проблемы изменились")
    assert said["ky"].startswith(f"{hearing.id} угуусунун күн тартибине эч нерсе кошулган жок: бул экран")
    assert hearing.refresh().options == {}
    assert [o.titles["en"] for o in svc.to_hearing(hearing.id, 1, LOCAL, seen=svc.point).added] == ["Roads"]


def test_a_screen_that_showed_no_record_yet_is_told_the_top_changed(tmp_path):
    from pbtools.needs.errors import Replaced
    from pbtools.needs.service import NeedsService

    with open_workspace(tmp_path / "ws") as ws:
        hearing, svc = _draft(ws), NeedsService(ws)
        shown = svc.point  # nothing typed yet
        svc.add_problem("Water", "en", LOCAL)
        svc.set_ranking(svc.add_session("Ак-Суу", "women", LOCAL).id, "1", LOCAL)
        with pytest.raises(Replaced) as e:
            svc.to_hearing(hearing.id, 1, LOCAL, seen=shown)
        assert "the top problems changed" in e.value.render("en") and hearing.refresh().options == {}


def test_a_ranking_between_the_carry_s_look_and_its_write_is_checked_under_the_hearing_s_lock(held, tmp_path):
    """The rankings that change the top come after the carry took the top problems, before the hearing's write:
    the screen's carry is refused (nothing written); the command line's takes the top again and carries it."""
    from pbtools.needs.errors import Replaced
    from pbtools.needs.service import NeedsService

    folder, ws, store = held
    store.set_ranking("s1", "1 2", LOCAL)
    hearing, svc = _draft(ws), NeedsService(ws)

    def others_rank(ranking, times):
        with open_workspace(folder, create=False) as other:
            there = NeedsStore(other)
            for _ in range(times):
                there.set_ranking(there.add_session("Ак-Суу", "men", LOCAL).id, ranking, LOCAL)
    before_the_next_write(ws, lambda: others_rank("2 1", 2))
    with pytest.raises(Replaced):
        svc.to_hearing(hearing.id, 1, LOCAL, seen=svc.point)
    assert hearing.refresh().options == {}
    before_the_next_write(ws, lambda: others_rank("1 2", 2))  # "Roads" was on top when the carry looked
    assert [o.titles["en"] for o in svc.to_hearing(hearing.id, 1, LOCAL).added] == ["Water"]


def test_a_draft_or_a_carry_on_records_replaced_since_is_refused_as_the_screen_said_it(held, tmp_path):
    """A backup put back (a sandbox reset) after the screen drew its lists: «New draft hearing» and «Make the top
    problems its options» are refused, said, nothing written; also when it comes between the look and the write."""
    from pbtools.hearings.store import create_hearing, hearing_ids
    from pbtools.needs.errors import Replaced
    from pbtools.needs.service import NeedsService

    folder, ws, store = held
    hearing = _draft(ws)
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    svc = NeedsService(ws)
    svc.set_ranking("s1", "2 1", LOCAL)
    shown = svc.point
    restore_db(folder, backup)
    with pytest.raises(Replaced) as e:
        svc.to_hearing(hearing.id, 1, LOCAL, seen=shown)
    assert e.value.render("en").startswith(f"Nothing was added to the agenda of hearing {hearing.id}: the needs "
                                           "assessment's records were replaced")
    with pytest.raises(Replaced) as e:
        svc.for_draft(shown)
    assert e.value.render("ru").startswith("Черновик слушаний не создан: записи изучения нужд заменены")
    assert e.value.render("ky").startswith("Угуунун долбоору түзүлгөн жок: бул экран")
    assert hearing.refresh().options == {} and hearing_ids(ws) == [hearing.id]

    svc.set_ranking("s1", "2 1", LOCAL)
    check = svc.for_draft(svc.point)
    before_the_next_write(ws, lambda: restore_db(folder, backup))
    with pytest.raises(Replaced):
        create_hearing(ws, replace(hearing.state.hearing, id=""), actor="Aida", check=check)
    assert hearing_ids(ws) == [hearing.id]
