"""The console's hand-in on a central server takes the zip of a laptop's hand-in folder (hearings, monitoring and
their photos), as `pbtools sync push` does; a zip with a changed photo is refused in the user's language."""

from __future__ import annotations

import shutil

import pytest

from pbtools.i18n import translator
from pbtools.monitoring import records as M
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import FACILITATOR
from pbtools.sync.pack import pack
from pbtools.hearings.hand_in_log import SYNC_LOG
from tests.sync.conftest import CODE
from tests.sync.test_folder_hand_in import monitored, monitoring_streams, picture, recorded_files  # noqa: F401
from tests.widgets.test_console_hand_in import hub_user, reports, upload

pytestmark = pytest.mark.postgres


def zipped(folder, tmp_path, name):
    return tmp_path / shutil.make_archive(str(tmp_path / name), "zip", folder)


def test_a_zipped_folder_uploaded_in_the_console(central, monitored, monkeypatch, tmp_path):  # noqa: F811
    hub_user(monkeypatch, "aida", FACILITATOR)
    folder = pack(monitored, tmp_path / "usb", monitoring=True).path
    bad = pack(monitored, tmp_path / "usb-bad", monitoring=True).path
    photo = next(bad / f for f in sorted(recorded_files(monitored)) if f.endswith(".jpg"))
    picture(photo, "green")
    with central.workspace(CODE) as ws:
        _, section = reports(ws, lang="ru")
        upload(section, zipped(bad, tmp_path, "bad"))
        refused = translator("ru")("{file} was not stored, nothing was changed:", file="bad.zip")
        assert "pb-error" in section.result.value and refused in section.result.value, section.result.value
        assert "содержимое изменено" in section.result.value
        assert ws.ledger.records(SYNC_LOG) == [] and monitoring_streams(ws) == {}
        upload(section, zipped(folder, tmp_path, "good"))
        assert "pb-ok" in section.result.value, section.result.value
        assert monitoring_streams(ws) == monitoring_streams(monitored)
        assert MonitoringService(ws).verify() == []
        assert any(r.kind == M.FILE_ADDED for s in monitoring_streams(ws).values() for r in s)
