"""The budget matches ("did the budget follow the hearing?", stream ``budget-follow``) travel as the monitoring does:
packed with --monitoring, handed in (checked record by record, set aside when recorded apart or of a hearing the
server lacks), pulled by a role that records monitoring, never the demo's. In ky/ru/en."""

from __future__ import annotations

import pytest

from pbtools.budget.read import read_budget
from pbtools.demo import DEMO_SETTING
from pbtools.monitoring.follow.compare import BY_PERSON
from pbtools.monitoring.follow.service import MATCHED, STREAM, FollowService
from pbtools.roles import LOCAL, MONITOR, Actor
from pbtools.storage import open_workspace
from pbtools.sync.folder import hand_in_folder
from pbtools.sync.pack import PackRefused, pack
from pbtools.sync.pull import take_copy
from pbtools.sync.push import SyncRefused
from tests.fixtures.monitoring_year import ADOPTED
from tests.sync.conftest import CODE

pytestmark = pytest.mark.postgres
LANGS = ("ky", "ru", "en")
SAMPLE = "sample-2026"  # the laptop's closed hearing, whose funded options are the 2027 budget's priorities
MEDER = Actor("meder", MONITOR)


def adopted(ws) -> None:
    """The adopted 2027 budget imported into ``ws`` (the operator's on the server, the laptop's own import)."""
    ws.save_budget(read_budget(ADOPTED)[0])


def row(ws, option: str):
    return next(r for r in FollowService(ws).follow(2027).rows if r.priority.option.id == option)


def said(handed, lang: str) -> str:
    return "\n".join(h.summary().render(lang) + "\n" + "\n".join(p.render(lang) for p in h.problems) for h in handed)


def hearing_on_server(central, laptop, tmp_path) -> None:
    """The laptop's sample hearing handed in (no monitoring) and the adopted budget imported on the server."""
    with central.workspace(CODE) as ws:
        hand_in_folder(ws, pack(laptop, tmp_path / "hearing", hearings=[SAMPLE]).path, central.actor("aida", CODE))
        adopted(ws)


def test_a_match_made_on_a_laptop_reaches_the_servers_follow_view(central, laptop, tmp_path):
    adopted(laptop)
    FollowService(laptop).match(f"{SAMPLE}/P2", "705", LOCAL)
    packed = pack(laptop, tmp_path / "usb", monitoring=True)
    assert STREAM in packed.streams
    with central.workspace(CODE) as ws:
        handed = {h.hearing: h for h in hand_in_folder(ws, packed.path, central.actor("aida", CODE))}
        assert handed[STREAM].appended == 1 and not handed[STREAM].refused
        assert ws.ledger.records(STREAM) == laptop.ledger.records(STREAM)  # the laptop's hashes, who and when
        for lang in LANGS:  # said as a monitoring stream's, not as a hearing's
            assert STREAM in handed[STREAM].summary().render(lang)
        assert "1 запись" in handed[STREAM].summary().render("ru")
        adopted(ws)
        shown = row(ws, "P2")  # the server's follow view reads the laptop's match
        assert (shown.how, shown.line.code) == (BY_PERSON, "705")


def test_a_match_made_on_the_server_reaches_a_pulled_laptop_which_carries_on(central, laptop, tmp_path):
    hearing_on_server(central, laptop, tmp_path)
    with central.workspace(CODE) as server, open_workspace(tmp_path / "hall") as hall:
        FollowService(server).match(f"{SAMPLE}/P2", "705", central.actor("meder", CODE))
        copied = take_copy(server, hall, central.actor("meder", CODE))
        assert STREAM in copied.streams and not copied.problems, [p.render("en") for p in copied.problems]
        assert hall.ledger.records(STREAM) == server.ledger.records(STREAM)
        shown = row(hall, "P2")
        assert (shown.how, shown.line.code) == (BY_PERSON, "705")
        # offline, the laptop matches another priority: handed in, it is the continuation of the server's matches
        FollowService(hall).match(f"{SAMPLE}/P1", "", MEDER)
        handed = {h.hearing: h for h in hand_in_folder(server, pack(hall, tmp_path / "usb", monitoring=True).path,
                                                         central.actor("aida", CODE))}
        assert handed[STREAM].appended == 1 and not handed[STREAM].refused
        assert server.ledger.records(STREAM) == hall.ledger.records(STREAM)


def test_matches_recorded_apart_are_set_aside_and_said_the_hearing_stored(central, laptop, tmp_path):
    hearing_on_server(central, laptop, tmp_path)
    with central.workspace(CODE) as ws:
        FollowService(ws).match(f"{SAMPLE}/P2", "705", MEDER)  # on the server...
        theirs = ws.ledger.records(STREAM)
    adopted(laptop)
    FollowService(laptop).match(f"{SAMPLE}/P2", "", LOCAL)  # ...and, meanwhile, on the laptop
    with central.workspace(CODE) as ws:
        handed = hand_in_folder(ws, pack(laptop, tmp_path / "usb", monitoring=True).path, central.actor("aida", CODE))
        by = {h.hearing: h for h in handed}
        assert by[STREAM].refused and by[STREAM].appended == 0
        assert ws.ledger.records(STREAM) == theirs  # the server's matches as they were
        assert not any(h.refused for h in handed if h.hearing != STREAM)  # the rest of the folder went in
        for lang in LANGS:
            text = said([by[STREAM]], lang)
            assert STREAM in text and "pbtools monitoring match" in text and "pbtools sync pull" in text, text
        assert "в двух местах" in said(handed, "ru") and "сопоставления с бюджетом" in said(handed, "ru")
        assert "эки жерде" in said(handed, "ky") and "дал келтирүүлөрүн" in said(handed, "ky")
        assert "two places" in said(handed, "en") and "budget matches" in said(handed, "en")


@pytest.fixture
def bare(laptop, tmp_path):
    """A laptop of ak_suu holding only its municipality: what it hands in is the matches alone."""
    with open_workspace(tmp_path / "bare") as ws:
        ws.save_municipality(laptop.municipality())
        yield ws


@pytest.mark.parametrize("kind, payload, problem", [
    ("follow.removed", {"year": 2027, "priority": f"{SAMPLE}/P2", "code": "705"},
     {"en": "writes no record of this kind in the budget matches",
      "ru": "в сопоставления с бюджетом записей такого вида", "ky": "бюджеттин дал келтирүүлөрүнө мындай түрдөгү"}),
    (MATCHED, {"year": "2027", "priority": f"{SAMPLE}/P2", "code": "705"},  # the follow view compares an int
     {"en": "field year: 2027 is not what pbtools writes there", "ru": "поле year: 2027", "ky": "year"}),
    (MATCHED, {"year": 2027, "code": "705"},  # the follow view reads payload["priority"]
     {"en": "field priority: None is not", "ru": "поле priority", "ky": "priority"}),
])
def test_a_match_record_pbtools_does_not_write_refuses_the_folder(central, bare, tmp_path, kind, payload, problem):
    bare.ledger.append(STREAM, kind, payload, actor="x")  # correct hashes: only the content refuses it
    folder = pack(bare, tmp_path / "usb", monitoring=True).path
    with central.workspace(CODE) as ws:
        with pytest.raises(SyncRefused) as refused:
            hand_in_folder(ws, folder, central.actor("aida", CODE))
        assert STREAM not in ws.ledger.streams()
        for lang in LANGS:
            assert problem[lang] in refused.value.render(lang) and "1" in refused.value.render(lang)


def test_matches_of_a_hearing_the_server_lacks_are_set_aside(central, bare, tmp_path):
    match = {"year": 2027, "priority": "kara-too-2026/P1", "code": "705", "before": None, "role": MONITOR}
    bare.ledger.append(STREAM, MATCHED, match, actor="meder")  # as FollowService.match writes it, of another hearing
    with central.workspace(CODE) as ws:
        handed = hand_in_folder(ws, pack(bare, tmp_path / "usb", monitoring=True).path, central.actor("aida", CODE))
        assert [h.hearing for h in handed] == [STREAM] and handed[0].refused
        assert STREAM not in ws.ledger.streams() or ws.ledger.records(STREAM) == []
        for lang in LANGS:
            assert "kara-too-2026" in said(handed, lang) and "--hearing" in said(handed, lang)


def test_the_demos_matches_never_leave_it(demo_copy, tmp_path):
    """A demo workspace marked before the matches travelled (its mark lists no ``budget-follow``)."""
    with open_workspace(demo_copy) as demo:
        mark = demo.get_setting(DEMO_SETTING)
        demo.set_setting(DEMO_SETTING, {**mark, "streams": [s for s in mark["streams"] if s != STREAM]})
        adopted(demo)
        FollowService(demo).match(f"{SAMPLE}/P2", "705", LOCAL)
        with pytest.raises(PackRefused):
            pack(demo, tmp_path / "usb", monitoring=True)
        with open_workspace(tmp_path / "hall") as hall:  # a server that held the demo gives no one its matches
            copied = take_copy(demo, hall, MEDER)
            assert STREAM not in copied.streams and STREAM not in hall.ledger.streams()
