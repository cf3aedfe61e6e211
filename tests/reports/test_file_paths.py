"""Every file named after an id or a name is made by ``paths.file_in``, which never leaves its folder (s23 F5: a
handed-in hearing id "../../../tmp/x" made the console's Pabulib export write /tmp/x-q1.pb)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pbtools.hearings import records as R
from pbtools.hearings.checks import check_hearing
from pbtools.hearings.model import PB_VOTE, Hearing
from pbtools.i18n import Msg, N_
from pbtools.paths import UnsafeName, file_in
from pbtools.reports.errors import ReportError
from pbtools.reports.make import default_path, write_export

ROOT = Path(__file__).resolve().parents[2]
NOT_AN_ID = N_('{id} is not a hearing id: an id has only Latin letters, digits, "-" and "_" (at most 64)')
BAD = ["../x", "a/b", "a\\b", "..", ".", "", "x\0y", "C:x", "a" * 300, "line\nbreak"]


def test_file_in_keeps_a_name_in_its_folder(tmp_path):
    assert file_in(tmp_path, "protocol-2026-05-14-a1b2-ky.pdf") == tmp_path / "protocol-2026-05-14-a1b2-ky.pdf"
    assert file_in(tmp_path, "Көк-Талаа 2026.pb") == tmp_path / "Көк-Талаа 2026.pb"
    for bad in BAD:
        with pytest.raises(UnsafeName):
            file_in(tmp_path, bad)
    (tmp_path / "link.pb").symlink_to(tmp_path.parent / "elsewhere.pb")  # a link of the name, pointing out
    with pytest.raises(UnsafeName):
        file_in(tmp_path, "link.pb")


def test_only_ids_pbtools_makes_are_hearing_ids():
    from pbtools.hearings.store import new_hearing_id

    for good in (new_hearing_id("2026-05-14"), "sample-2026", "mock-7", "h", "a" * 64):
        assert R.is_hearing_id(good) and not R.check_hearing_id(good)
    for bad in BAD[:-4] + [".hidden", "a" * 65, "a b", "a.b", "-a", "a\n", "Бюджет", None, 5]:
        assert not R.is_hearing_id(bad) and R.check_hearing_id(bad)
    # a hearing is never created under one (the same check as a hand-in's)
    problems = check_hearing(Hearing("../x", "Ак-Суу", PB_VOTE, "2026-05-14"))
    assert Msg(NOT_AN_ID, id="../x") in problems


def test_an_export_is_never_named_outside_its_folder(ws, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for bad in ("../../../../tmp/pbtools-s23-x", "..", "a/b"):
        for fmt in ("pb", "pdf", "audit"):
            with pytest.raises(ReportError):
                default_path(folder, bad, fmt, "ky", "q1")
        with pytest.raises(ReportError) as refused:
            write_export(ws, bad, "pb", folder / "x.pb", question="q1")
        assert refused.value.message == Msg(NOT_AN_ID, id=bad)
    assert default_path(folder, "2026-05-14-a1b2", "pb", question="q1") == folder / "2026-05-14-a1b2-q1.pb"
    assert [p.name for p in tmp_path.iterdir()] == ["reports"] and not any(folder.iterdir())


@pytest.mark.parametrize("command", [["export", "--format", "pb"], ["report", "--format", "pdf"]])
def test_the_command_refuses_an_id_that_is_no_hearing_id(sample, tmp_path, command):
    bad = "../../../../tmp/pbtools-s23-cli"
    env = dict(os.environ, PBTOOLS_LANG="ru", PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / ".pyalias")]))
    run = subprocess.run([sys.executable, "-m", "pbtools", command[0], bad, *command[1:], "--workspace", str(sample[0])],
                         cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2
    assert Msg(NOT_AN_ID, id=bad).render("ru") in run.stderr
    assert not list(tmp_path.iterdir()) and not Path("/tmp/pbtools-s23-cli.pb").exists()
