"""A handed-in monitoring stream's every record is checked to be one the core writes there before anything is stored
(its chain alone let in a group member with no id, with correct hashes, which then broke the server's group view
with a TypeError). Forged streams have correct hashes: only their content refuses them. In ky/ru/en."""

from __future__ import annotations

import pytest

from pbtools.monitoring import records as M
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import LOCAL
from pbtools.storage import open_workspace
from pbtools.sync.folder import hand_in_folder
from pbtools.sync.pack import pack
from pbtools.sync.push import SyncRefused
from tests.sync.conftest import CODE

pytestmark = pytest.mark.postgres
LANGS = ("ky", "ru", "en")


@pytest.fixture
def bare(laptop, tmp_path):
    """A laptop of ak_suu holding only its municipality."""
    with open_workspace(tmp_path / "bare") as ws:
        ws.save_municipality(laptop.municipality())
        yield ws


@pytest.mark.parametrize("stream, kind, payload, problem", [
    (M.GROUP, M.MEMBER_ADDED, {"name": "Асель Ж.", "position": "monitor"},  # no id: the group view's TypeError
     {"en": "Record 2 (member.added): its content is not what pbtools writes in such a record",
      "ru": "Запись 2", "ky": "2"}),
    (M.GROUP, "member.promoted", {"id": "g1"},
     {"en": "Record 2 (member.promoted): pbtools writes no record of this kind in monitoring:group",
      "ru": "pbtools не пишет в monitoring:group записей такого вида",
      "ky": "pbtools monitoring:group агымына мындай түрдөгү жазуу жазбайт"}),
    (M.ACTS, M.ACT_FILED, {"id": "A-1", "project_id": "p1"},  # no date, no members: the acts view could not fold it
     {"en": "Record 1 (act.filed): its content is not", "ru": "Запись 1", "ky": "1"}),
])
def test_a_record_pbtools_does_not_write_refuses_the_folder(central, bare, tmp_path, stream, kind, payload, problem):
    MonitoringService(bare).add_member(LOCAL, "Бакыт К.", "monitor")  # a true record first: the forged one is named
    bare.ledger.append(stream, kind, payload, actor="x")
    folder = pack(bare, tmp_path / "usb", monitoring=True).path
    with central.workspace(CODE) as ws:
        with pytest.raises(SyncRefused) as refused:
            hand_in_folder(ws, folder, central.actor("aida", CODE))
        assert [s for s in ws.ledger.streams() if M.travels(s)] == []  # nothing stored, the true member neither
        for lang in LANGS:
            assert problem[lang] in refused.value.render(lang), refused.value.render(lang)


def test_the_streams_pbtools_writes_go_in(central, bare, tmp_path):
    """The check refuses no stream the core writes: a group, a project with a milestone, an act and its response."""
    service = MonitoringService(bare)
    member = service.add_member(LOCAL, "Бакыт К.", "monitor")
    project = service.add_project(LOCAL, {"ky": "Көпүрө", "en": "Bridge"})
    service.add_milestone(LOCAL, project.id, "Траншея", "2026-08-01")
    act = service.file_act(LOCAL, project.id, date="2026-08-01", members=[member.id], findings="Траншея вырыта")
    service.record_response(LOCAL, act.id, "Исправим", "2026-08-05")
    with central.workspace(CODE) as ws:
        handed = hand_in_folder(ws, pack(bare, tmp_path / "usb", monitoring=True).path, central.actor("aida", CODE))
        assert not any(h.refused for h in handed)
        assert [a.responses[0].text for a in MonitoringService(ws).acts()] == ["Исправим"]
