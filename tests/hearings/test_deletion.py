"""Deleting a practice hearing: only a practice hearing or one nobody took part in; the hearing leaves the lists,
its records stay in the chain, and nothing more can be recorded in it. From the core and from `pbtools hearing
delete`."""

from __future__ import annotations

import json

import pytest

from pbtools.hearings import records as R
from pbtools.hearings.deletion import DELETIONS, HEARING_DELETED, delete_hearing, deleted_ids
from pbtools.hearings.model import Ballot, Participant
from pbtools.hearings.store import HearingError, HearingStore, hearing_ids
from pbtools.storage import open_workspace
from tests.hearings.conftest import build
from tests.hearings.test_cli import pbtools


def test_a_hearing_people_took_part_in_cannot_be_deleted(ws):
    store = build(ws)
    store.register(Participant("f", "30_44", "Ак-Суу"), actor="door")
    head = ws.ledger.head(store.stream)
    with pytest.raises(HearingError) as refused:
        delete_hearing(ws, "h1", actor="trainer")
    assert "cannot be deleted" in refused.value.render("en") and "удалить" in refused.value.render("ru")
    assert hearing_ids(ws) == ["h1"] and ws.ledger.head(store.stream) == head and deleted_ids(ws) == set()
    # a voided registration still counts: a person gave it
    store.void(store.last_registration, actor="door", reason="wrong")
    with pytest.raises(HearingError):
        delete_hearing(ws, "h1", actor="trainer")


def test_an_empty_hearing_is_deleted_and_its_records_stay_in_the_chain(ws):
    store = build(ws)  # open, agenda and questions, nobody registered
    records_before = [r.hash for r in ws.ledger.records(store.stream)]
    delete_hearing(ws, "h1", actor="trainer", reason="made by mistake")
    assert hearing_ids(ws) == [] and hearing_ids(ws, include_deleted=True) == ["h1"]
    assert [r.hash for r in ws.ledger.records(store.stream)][:len(records_before)] == records_before
    assert ws.ledger.sealed(store.stream) and ws.ledger.verify(store.stream) == [] and ws.ledger.verify(DELETIONS) == []
    [deletion] = ws.ledger.records(DELETIONS)
    assert (deletion.kind, deletion.payload, deletion.reason) == (HEARING_DELETED, {"hearing": "h1"}, "made by mistake")
    # nothing more can be recorded in it (a phone still holding its page is refused)
    with pytest.raises(HearingError):
        HearingStore(ws, "h1").cast("approval", Ballot((("P1", 1),)), actor="phone", channel="phone", key="phone:x")
    with pytest.raises(HearingError) as again:
        delete_hearing(ws, "h1", actor="trainer")
    assert "already deleted" in again.value.render("en")


def test_a_practice_hearing_with_ballots_is_deleted_even_when_closed(ws):
    store = build(ws, practice=True)
    store.register(Participant("f", "30_44", "Ак-Суу"), actor="door")
    store.cast_typed("approval", "1 2", actor="clerk")
    store.close(actor="chair")
    delete_hearing(ws, "h1", actor="trainer")
    assert hearing_ids(ws) == [] and HearingStore(ws, "h1").state.ballots_for("approval")  # still readable by id
    assert ws.ledger.records(store.stream)[-1].kind != HEARING_DELETED  # the sealed stream was not touched


def test_the_practice_flag_is_stored_and_changed_like_any_detail(ws):
    store = build(ws, open_it=False)
    assert store.state.hearing.practice is False
    store.update(actor="trainer", practice=True)
    assert HearingStore(ws, "h1").state.hearing.practice is True
    assert any(r.kind == R.HEARING_UPDATED and r.payload == {"practice": True} for r in ws.ledger.records(store.stream))


def test_cli_delete(tmp_path):
    path = tmp_path / "ws"
    with open_workspace(path) as ws:
        real = build(ws)
        real.register(Participant("f", "30_44", "Ак-Суу"), actor="door")
        build(ws, id="mock", practice=True)
    done = pbtools("hearing", "delete", "h1", "--workspace", str(path), "--lang", "ky")
    assert done.returncode == 2 and "өчүрүүгө болбойт" in done.stderr
    done = pbtools("hearing", "delete", "mock", "--workspace", str(path), "--lang", "ru", "--reason", "тренинг")
    assert done.returncode == 0, done.stderr
    assert "Слушания mock удалены" in done.stdout
    listed = json.loads(pbtools("hearing", "list", "--workspace", str(path), "--json").stdout)
    assert [row["id"] for row in listed] == ["h1"]
    done = pbtools("hearing", "delete", "nope", "--workspace", str(path), "--lang", "en")
    assert done.returncode == 2 and "nope" in done.stderr
