"""Sync from the field: a laptop's hearing (SQLite) handed in to the central PostgreSQL as its audit export, the
continuation after that, and a copy taken back to a laptop; tampered, cut, foreign, divergent and duplicate files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pbtools.central.registry import NoAccess
from pbtools.hearings import records as R
from pbtools.hearings.store import HearingStore, create_hearing, hearing_ids, state
from pbtools.reports.audit import write_audit
from pbtools.roles import NotAllowed
from pbtools.storage import open_workspace
from pbtools.hearings.hand_in_log import SYNC_LOG
from pbtools.sync.push import SyncRefused, hand_in
from pbtools.sync.pull import take_copy
from tests.sync.conftest import CODE, more_ballots, open_hearing

pytestmark = pytest.mark.postgres
LANGS = ("ky", "ru", "en")


def server_records(central, hearing_id):
    with central.workspace(CODE) as ws:
        return ws.ledger.records(R.stream_of(hearing_id))


def test_a_closed_hearing_is_stored_as_it_was_made_and_twice_is_once(central, laptop, tmp_path):
    hid = hearing_ids(laptop)[0]
    audit = write_audit(laptop, hid, tmp_path / "handed.jsonl")
    with central.workspace(CODE) as ws:
        first = hand_in(ws, audit, central.actor("aida", CODE))
        again = hand_in(ws, audit, central.actor("aida", CODE))
        theirs = laptop.ledger.records(R.stream_of(hid))
        assert first.appended == len(theirs) and first.sealed
        assert again.appended == 0 and again.head_hash == first.head_hash
        assert ws.ledger.records(R.stream_of(hid)) == theirs  # own hashes, actors, times
        assert len(ws.ledger.records(SYNC_LOG)) == 1  # one hand-in stored something
        assert ws.ledger.records(SYNC_LOG)[0].actor == "aida"
        # the server's own audit export of it is the laptop's file, so the protocol's printed hash holds
        assert write_audit(ws, hid, tmp_path / "server.jsonl").read_text() == audit.read_text()
        assert state(ws, hid).counters == state(laptop, hid).counters


def test_a_laptop_that_carried_on_hands_in_only_the_continuation(central, laptop, tmp_path):
    store = open_hearing(laptop)
    hand_in_path = write_audit(laptop, store.id, tmp_path / "1.jsonl")
    with central.workspace(CODE) as ws:
        assert hand_in(ws, hand_in_path, central.actor("aida", CODE)).appended == len(laptop.ledger.records(store.stream))
        before = ws.ledger.head(store.stream)
        more_ballots(store, 4)
        store.close(actor="Айпери")
        handed = hand_in(ws, write_audit(laptop, store.id, tmp_path / "2.jsonl"), central.actor("aida", CODE))
        assert handed.appended == ws.ledger.head(store.stream) - before > 4
        assert handed.sealed and ws.ledger.records(store.stream) == laptop.ledger.records(store.stream)
        # the earlier (shorter) file again: nothing to add, nothing refused
        assert hand_in(ws, hand_in_path, central.actor("aida", CODE)).appended == 0


def _unchanged(central, hid, expect):
    assert server_records(central, hid) == expect


def test_changed_cut_and_divergent_files_are_refused_and_nothing_is_stored(central, laptop, tmp_path):
    store = open_hearing(laptop)
    good = write_audit(laptop, store.id, tmp_path / "good.jsonl")
    lines = good.read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[5])
    changed["actor"] = "someone else"
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join(lines[:5] + [json.dumps(changed, ensure_ascii=False)] + lines[6:]) + "\n", encoding="utf-8")
    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join(lines[:-2]) + "\n", encoding="utf-8")  # header still counts them all
    with central.workspace(CODE) as ws:
        for bad, where in ((tampered, "5"), (cut, "")):
            with pytest.raises(SyncRefused) as e:
                hand_in(ws, bad, central.actor("aida", CODE))
            for lang in LANGS:
                assert bad.name in e.value.render(lang) and where in e.value.render(lang)
            _unchanged(central, store.id, [])
        hand_in(ws, good, central.actor("aida", CODE))
        stored = server_records(central, store.id)
        # another laptop ran a hearing with the same id differently (or this one was restored and re-run)
    other_path = tmp_path / "other"
    with open_workspace(other_path) as other:
        other.save_municipality(laptop.municipality())
        o = open_hearing(other)
        more_ballots(o, 1)
        diverged = write_audit(other, o.id, tmp_path / "diverged.jsonl")
    with central.workspace(CODE) as ws:
        with pytest.raises(SyncRefused) as e:
            hand_in(ws, diverged, central.actor("aida", CODE))
        assert "differs from what the server has from record 1" in e.value.render("en")
        assert "сервердеги" in e.value.render("ky") and "на сервере" in e.value.render("ru")
    _unchanged(central, store.id, stored)


def test_who_may_hand_in_what(central, laptop, tmp_path):
    hid = hearing_ids(laptop)[0]
    audit = write_audit(laptop, hid, tmp_path / "a.jsonl")
    with central.workspace(CODE) as ws:
        for user in ("meder", "saule", "olga"):  # monitor, trainer, observer
            with pytest.raises(NotAllowed) as e:
                hand_in(ws, audit, central.actor(user, CODE))
            assert user in e.value.render("ru")
        with pytest.raises(NoAccess) as e:  # another municipality's facilitator
            central.actor("bakyt", CODE)
        assert "bakyt" in e.value.render("ky") and CODE in e.value.render("ru")
        assert ws.ledger.streams() == ["workspace:deleted-hearings"] or R.stream_of(hid) not in ws.ledger.streams()
    # a hearing of Ak-Suu handed in to Kara-Too (by its own facilitator) is refused: the file names its municipality
    with central.workspace("kara_too") as kt:
        with pytest.raises(SyncRefused) as e:
            hand_in(kt, audit, central.actor("bakyt", "kara_too"))
        assert "Кара-Тоо" in e.value.render("ky")
        assert kt.ledger.streams() == []
    assert central.actor("root", "kara_too").role == "admin"
    assert central.visible("aida") == [CODE] and central.visible("root") == ["ak_suu", "kara_too"]


def test_round_trip_server_to_laptop_and_back(central, tmp_path):
    # the facilitator prepares the agenda on the server, takes it to the hall, runs the hearing offline, hands it in
    with central.workspace(CODE) as server:
        from tests.sync.conftest import agenda
        from pbtools.hearings.model import APPROVAL, PB_VOTE, Hearing, Question
        from decimal import Decimal

        draft = create_hearing(server, Hearing("2026-06-01-c3d4", server.municipality().name("ru"), PB_VOTE, "2026-06-01",
                                               budget=Decimal(700_000)), actor="aida")
        draft.add_options(list(agenda().values()), actor="aida")
        draft.define_question(Question("q1", APPROVAL, {"en": "Choose"}, tuple(agenda()), max_choices=2), actor="aida")
        drafted = server.ledger.records(draft.stream)
    demo = tmp_path / "budget-source"
    from pbtools.demo import create_demo

    create_demo(demo)
    with open_workspace(demo) as d, central.workspace(CODE) as server:
        server.save_budget(d.load_budget())
    hall = tmp_path / "hall"
    done = subprocess.run([sys.executable, "-m", "pbtools", "sync", "pull", "--db", central.url, "--municipality", CODE,
                           "--workspace", str(hall), "--user", "aida"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with open_workspace(hall, create=False) as ws:
        assert ws.municipality() is not None and ws.load_budget() is not None
        assert ws.ledger.records(draft.stream) == drafted
        store = HearingStore(ws, draft.id)
        store.open(actor="Айпери")
        more_ballots(store, 5)
        store.close(actor="Айпери")
        audit = write_audit(ws, draft.id, tmp_path / "back.jsonl")
        laptop_records = ws.ledger.records(draft.stream)
    done = subprocess.run([sys.executable, "-m", "pbtools", "sync", "push", str(audit), "--db", central.url,
                           "--user", "aida", "--lang", "ru"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert server_records(central, draft.id) == laptop_records
    # the observer may not take a copy; the refusal says so in the chosen language, and the laptop gets nothing
    done = subprocess.run([sys.executable, "-m", "pbtools", "sync", "pull", "--db", central.url, "--municipality", CODE,
                           "--workspace", str(tmp_path / "olga"), "--user", "olga", "--lang", "ky"], capture_output=True, text=True)
    assert done.returncode == 2 and "olga" in done.stderr and "байкоочу" in done.stderr
    assert not (tmp_path / "olga").exists()


def test_cli_push_refuses_a_changed_file_in_the_users_language(central, laptop, tmp_path):
    hid = hearing_ids(laptop)[0]
    audit = write_audit(laptop, hid, tmp_path / "a.jsonl")
    lines = audit.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[3])
    record["payload"]["cost"] = "1"
    lines[3] = json.dumps(record, ensure_ascii=False)
    audit.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pbtools", "sync", "push", str(audit), "--db", central.url,
                           "--user", "aida", "--lang", "ru"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "a.jsonl" in done.stderr and "ничего не изменено" in done.stderr, done.stderr
    assert server_records(central, hid) == []


def test_a_copy_brings_a_laptop_up_to_date_and_never_overwrites_what_it_did(central, tmp_path):
    from decimal import Decimal

    from pbtools.hearings.model import APPROVAL, PB_VOTE, Hearing, Question
    from tests.sync.conftest import agenda

    with central.workspace(CODE) as server, open_workspace(tmp_path / "hall") as laptop:
        draft = create_hearing(server, Hearing("2026-07-01-e5f6", server.municipality().name("en"), PB_VOTE, "2026-07-01",
                                               budget=Decimal(500_000)), actor="aida")
        first = take_copy(server, laptop, central.actor("aida", CODE))
        assert first.hearings == [draft.id] and first.records == 1 and not first.problems
        draft.add_options(list(agenda().values()), actor="aida")  # the agenda goes on on the server
        second = take_copy(server, laptop, central.actor("aida", CODE))
        assert second.records == len(agenda()) and laptop.ledger.records(draft.stream) == server.ledger.records(draft.stream)
        assert take_copy(server, laptop, central.actor("aida", CODE)).records == 0  # nothing new: nothing copied
        # the laptop carries on (a question); the server's copy then has less: the laptop's is left as it is
        on_laptop = HearingStore(laptop, draft.id)
        on_laptop.define_question(Question("q1", APPROVAL, {"en": "Choose"}, tuple(agenda()), max_choices=2), actor="Айпери")
        ahead = laptop.ledger.records(draft.stream)
        assert take_copy(server, laptop, central.actor("aida", CODE)).problems == []
        assert laptop.ledger.records(draft.stream) == ahead
        # someone changes the draft on the server meanwhile: the two differ, the laptop's is kept and the copy says so
        draft.define_question(Question("q9", APPROVAL, {"en": "Other"}, tuple(agenda()), max_choices=1), actor="aida")
        differs = take_copy(server, laptop, central.actor("aida", CODE))
        assert draft.id in differs.problems[0].render("en") and "ноутбуктагы" in differs.problems[0].render("ky")
        assert laptop.ledger.records(draft.stream) == ahead
        with pytest.raises(NotAllowed):  # a trainer takes no copy (a monitor takes hers: test_pull_roles)
            take_copy(server, laptop, central.actor("saule", CODE))


def test_push_without_a_municipality_checks_the_file_once_and_folds_it_once(central, laptop, tmp_path, monkeypatch, capsys):
    """``pbtools sync push FILE`` without --municipality read and checked the whole file to find its municipality,
    then again to hand it in; and a hand-in's check folded every record twice (the record-by-record check of
    ``adopted``, then the recount's fold). A hearing of 50 000 records is seconds of each. Now: once, and once."""
    import pbtools.hearings.adopted as adopted
    import pbtools.reports.audit as audit
    from pbtools.cli import main

    hid = hearing_ids(laptop)[0]
    path = write_audit(laptop, hid, tmp_path / "h.jsonl")
    count = {"read": 0, "apply": 0}

    def counting(module, name, what):
        real = getattr(module, name)

        def counted(*args, **kw):
            count[what] += 1
            return real(*args, **kw)
        monkeypatch.setattr(module, name, counted)

    counting(audit, "_read", "read")
    counting(audit, "apply", "apply")
    counting(adopted, "apply", "apply")
    assert main(["sync", "push", str(path), "--db", central.url, "--user", "aida", "--lang", "en"]) == 0
    records = laptop.ledger.records(R.stream_of(hid))
    assert count == {"read": 1, "apply": len(records)}
    assert server_records(central, hid) == records and f"{len(records)} records" in capsys.readouterr().out
