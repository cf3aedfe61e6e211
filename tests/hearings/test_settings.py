"""The hearing's people and options as typed in the console: checked, stored with ``update``, read back by anyone."""

from __future__ import annotations

import pytest

from pbtools.hearings.model import Participant
from pbtools.hearings.settings import hearing_changes, split_lines
from pbtools.hearings.store import HearingError, HearingStore
from tests.hearings.conftest import build

FORM = {"title": " Жарандардын бюджети ", "chair": "Гүлнара Осмонова", "secretary": "Бакыт Жумабаев",
        "facilitator": "Айпери Токтогулова", "commission": "Нурлан Асанов\n Жылдыз Кадырова, Эрмек Сатыбалдиев\n\n",
        "record_names": True, "allow_under_18": True}


def test_split_lines():
    assert split_lines(" a \n\nb, c ,\n") == ("a", "b", "c")


def test_changes_are_stored_and_read_back(ws):
    store = build(ws, open_it=False)
    changes, problems = hearing_changes(store.state, FORM)
    assert problems == []
    assert changes["title"] == "Жарандардын бюджети"
    assert changes["commission"] == ("Нурлан Асанов", "Жылдыз Кадырова", "Эрмек Сатыбалдиев")
    store.update(actor="facilitator", **changes)
    h = HearingStore(ws, "h1").state.hearing  # another reader, from the database
    assert (h.chair, h.secretary, h.facilitator, h.record_names, h.allow_under_18) == (
        "Гүлнара Осмонова", "Бакыт Жумабаев", "Айпери Токтогулова", True, True)
    assert h.commission == changes["commission"]
    again, problems = hearing_changes(HearingStore(ws, "h1").state, FORM)
    assert (again, problems) == ({}, [])  # nothing differs: nothing to store


def test_bad_values_are_named_and_change_nothing(ws):
    store = build(ws)
    store.update(actor="f", allow_under_18=True)
    store.register(Participant("f", "under_18", "Ак-Суу"), actor="door")
    form = {**FORM, "chair": "x" * 121, "secretary": "a\tb", "commission": "Нурлан\nНурлан", "allow_under_18": False}
    changes, problems = hearing_changes(store.refresh(), form)
    assert changes == {}
    text = [p.render("ru") for p in problems]
    assert any(t.startswith("Председатель") and "121" in t for t in text), text
    assert any(t.startswith("Секретарь") for t in text), text
    assert any("Нурлан" in t for t in text) and any("18" in t and "1" in t for t in text), text
    assert all(p.render("ky") != p.render("en") for p in problems)


def test_a_closed_hearing_refuses_changes(ws):
    store = build(ws)
    store.close(actor="chair")
    changes, _ = hearing_changes(store.state, FORM)
    with pytest.raises(HearingError) as e:
        store.update(actor="f", **changes)
    assert "closed" in e.value.render("en")
    assert HearingStore(ws, "h1").state.hearing.chair == ""
