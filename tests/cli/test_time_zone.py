"""``pbtools time-zone``: the zone stored times are shown in, set for a workspace (a central server's municipality,
whose server runs in UTC), or the machine's own; a name that is no zone is refused and changes nothing."""

from __future__ import annotations

import time

import pytest

from pbtools.cli import main
from pbtools.moments import ZONE_SETTING
from pbtools.storage import open_workspace


@pytest.fixture
def machine_in_utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")  # as a central server often runs
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_zone_is_set_said_and_given_back_to_the_machine(tmp_path, capsys, machine_in_utc):
    folder = tmp_path / "ws"
    open_workspace(folder).close()
    where = ["--workspace", str(folder), "--lang", "ru"]
    assert main(["time-zone", *where]) == 0
    assert "этого компьютера (UTC," in capsys.readouterr().out
    assert main(["time-zone", "Asia/Bishkek", *where]) == 0
    assert "Asia/Bishkek (UTC+6," in capsys.readouterr().out
    assert main(["time-zone", "Asia/Bishkk", *where]) == 2  # a typo: refused, naming it, the zone kept
    assert "Asia/Bishkk" in capsys.readouterr().err
    with open_workspace(folder) as ws:
        assert ws.get_setting(ZONE_SETTING) == "Asia/Bishkek"
    assert main(["time-zone", "--machine", *where]) == 0
    assert "этого компьютера" in capsys.readouterr().out
    with open_workspace(folder) as ws:
        assert ws.time_zone() is None


def test_a_missing_workspace_is_not_made(tmp_path, capsys):
    assert main(["time-zone", "Asia/Bishkek", "--workspace", str(tmp_path / "none")]) == 2
    assert not (tmp_path / "none").exists()
