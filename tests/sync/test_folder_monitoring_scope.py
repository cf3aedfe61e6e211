"""A hand-in folder's monitoring on the server: a stream that is not this municipality's (a project carrying out a
hearing the server does not have, a village it does not list, an act of such a project), or one recorded on the
server and on the laptop apart since the last hand-in (the group, the acts: one stream per municipality), is set
aside and named with what to do; the folder's hearing and its other streams are stored. In ky/ru/en."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pbtools.hearings import records as R
from pbtools.monitoring import records as M
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import LOCAL, MONITOR, Actor
from pbtools.storage import open_workspace
from pbtools.sync.folder import hand_in_folder
from pbtools.sync.pack import pack
from tests.sync.conftest import CODE, open_hearing

pytestmark = pytest.mark.postgres
LANGS = ("ky", "ru", "en")
ROOT = Path(__file__).resolve().parents[2]
HID = "2026-05-14-a1b2"


@pytest.fixture
def fresh(central, laptop, tmp_path):
    """A laptop of ak_suu with no monitoring yet and an open hearing (as one set up for the municipality is)."""
    with open_workspace(tmp_path / "fresh") as ws:
        ws.save_municipality(laptop.municipality())
        open_hearing(ws, HID)
        yield ws


def said(handed, lang: str) -> str:
    return "\n".join(h.summary().render(lang) + "\n" + "\n".join(p.render(lang) for p in h.problems) for h in handed)


def test_a_group_recorded_apart_is_named_and_the_hearing_is_stored(central, fresh, tmp_path, pg_fresh_url):
    MonitoringService(fresh).add_member(LOCAL, "Асель Ж.", "monitor")  # offline: g1 on the laptop
    project = MonitoringService(fresh).add_project(LOCAL, {"ky": "Суу түтүгү", "en": "Water pipe"})
    with central.workspace(CODE) as ws:
        MonitoringService(ws).add_member(Actor("meder", MONITOR), "Бакыт К.", "monitor")  # meanwhile: g1 there
        server_group = ws.ledger.records(M.GROUP)
    folder = pack(fresh, tmp_path / "usb", hearings=[HID], monitoring=True).path
    with central.workspace(CODE) as ws:
        handed = hand_in_folder(ws, folder, central.actor("aida", CODE))
        by = {h.hearing: h for h in handed}
        assert by[HID].appended == len(fresh.ledger.records(R.stream_of(HID))) and not by[HID].refused
        assert ws.ledger.records(R.stream_of(HID)) == fresh.ledger.records(R.stream_of(HID))
        assert by[M.project_stream(project.id)].appended == 1  # the laptop's own project: stored
        assert by[M.GROUP].refused and by[M.GROUP].appended == 0
        assert ws.ledger.records(M.GROUP) == server_group  # the server's group as it was
        for lang in LANGS:
            text = said(handed, lang)
            assert M.GROUP in text and "--monitoring" in text, text
        assert "в двух местах" in said(handed, "ru") and "two places" in said(handed, "en")
    fresh.close()
    env = {**os.environ, "PBTOOLS_CENTRAL_DIR": str(tmp_path / "central")}
    done = subprocess.run([sys.executable, "-m", "pbtools", "--lang", "ky", "sync", "push", str(folder), "--db",
                           pg_fresh_url, "--user", "aida"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 1 and M.GROUP in done.stdout and "Traceback" not in done.stderr, done


def test_projects_of_a_hearing_the_server_lacks_and_their_acts_are_set_aside(central, laptop, tmp_path):
    """A laptop whose demo's monitoring lost its mark (packed by an older pbtools, say): its projects carry out the
    demo's hearing, which the server does not have; the real hearing goes in, they do not."""
    open_hearing(laptop, HID)
    (sample,) = [h for h in {p.link.hearing_id for p in MonitoringService(laptop).projects() if p.link}]
    folder = pack(laptop, tmp_path / "usb", hearings=[HID], monitoring=True).path
    with central.workspace(CODE) as ws:
        handed = hand_in_folder(ws, folder, central.actor("aida", CODE))
        by = {h.hearing: h for h in handed}
        assert by[HID].appended > 0 and not by[HID].refused
        linked = [p for p in MonitoringService(laptop).projects() if p.link]
        assert linked and all(by[M.project_stream(p.id)].refused for p in linked)
        assert all(ws.ledger.records(M.project_stream(p.id)) == [] for p in linked)
        assert by[M.ACTS].refused and ws.ledger.records(M.ACTS) == []  # acts of those projects
        for lang in LANGS:
            text = said(handed, lang)
            assert sample in text and linked[0].id in text, text


def test_a_project_of_a_village_the_municipality_lacks_is_set_aside_until_corrected(central, fresh, tmp_path):
    service = MonitoringService(fresh)
    project = service.add_project(LOCAL, {"ky": "Көпүрө", "en": "Bridge"}, village="Жаңы-Жер")
    with central.workspace(CODE) as ws:
        villages = [v.name("ky") for v in ws.municipality().villages]
        assert villages and "Жаңы-Жер" not in villages
        handed = hand_in_folder(ws, pack(fresh, tmp_path / "one", monitoring=True).path, central.actor("aida", CODE))
        by = {h.hearing: h for h in handed}
        assert by[M.project_stream(project.id)].refused and by[HID].appended > 0
        assert ws.ledger.records(M.project_stream(project.id)) == []
        for lang in LANGS:  # the municipality's villages in the user's language (s26 L3)
            village = ws.municipality().villages[0].name(lang)
            assert "Жаңы-Жер" in said(handed, lang) and village in said(handed, lang)
            assert ws.municipality().name(lang) in said(handed, lang)
        service.update(LOCAL, project.id, village=villages[0])  # corrected on the laptop: now it goes in
        handed = hand_in_folder(ws, pack(fresh, tmp_path / "two", monitoring=True).path, central.actor("aida", CODE))
        assert not any(h.refused for h in handed)
        assert ws.ledger.records(M.project_stream(project.id)) == fresh.ledger.records(M.project_stream(project.id))


def test_the_console_shows_the_hearing_stored_and_the_stream_set_aside(central, fresh, monkeypatch, tmp_path):
    import shutil

    from pbtools.roles import FACILITATOR
    from tests.widgets.test_console_hand_in import hub_user, reports, upload

    hub_user(monkeypatch, "aida", FACILITATOR)
    MonitoringService(fresh).add_member(LOCAL, "Асель Ж.", "monitor")
    with central.workspace(CODE) as ws:
        MonitoringService(ws).add_member(Actor("meder", MONITOR), "Бакыт К.", "monitor")
        folder = pack(fresh, tmp_path / "usb", hearings=[HID], monitoring=True).path
        _, section = reports(ws, lang="ky")
        upload(section, tmp_path / shutil.make_archive(str(tmp_path / "usb"), "zip", folder))
        shown = section.result.value
        assert "pb-ok" in shown and HID in shown and "pb-error" in shown and M.GROUP in shown, shown
        assert len(ws.ledger.records(R.stream_of(HID))) == len(fresh.ledger.records(R.stream_of(HID)))
