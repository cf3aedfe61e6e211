"""Secrets at rest: the workspace folder is the owner's only, so is everything pbtools writes in it and the code
cards written anywhere; voting codes are kept keyed with a secret that is not in the database."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat

import pytest

from pbtools.hearings import records as R
from pbtools.hearings.cards import write_code_files
from pbtools.hearings.errors import HearingError
from pbtools.hearings.codes import KEY_FILE, code_hash, code_key, new_codes
from pbtools.hearings.model import Ballot
from pbtools.hearings.store import HearingStore
from pbtools.storage import open_workspace
from tests.server.hall import make_hall


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_workspace_and_what_is_written_in_it_are_owner_only(tmp_path):
    workspace = tmp_path / "ws"
    hearing, codes = make_hall(workspace, codes=2)
    assert mode(workspace) == 0o700
    for name in ("pbtools.sqlite", KEY_FILE):
        assert mode(workspace / name) == 0o600, name
    for extra in ("pbtools.sqlite-wal", "pbtools.sqlite-shm"):
        if (workspace / extra).exists():
            assert mode(workspace / extra) == 0o600, extra


def test_an_older_world_readable_workspace_is_made_owner_only_when_opened(tmp_path):
    workspace = tmp_path / "ws"
    make_hall(workspace, codes=1)
    os.chmod(workspace, 0o755)
    os.chmod(workspace / "pbtools.sqlite", 0o644)
    (workspace / "codes.csv").write_text("n,code\n")
    os.chmod(workspace / "codes.csv", 0o644)
    (workspace / "notes.txt").write_text("the user's own file")
    os.chmod(workspace / "notes.txt", 0o644)
    open_workspace(workspace, create=False).close()
    assert mode(workspace) == 0o700 and mode(workspace / "pbtools.sqlite") == 0o600
    assert mode(workspace / "codes.csv") == 0o600
    assert mode(workspace / "notes.txt") == 0o644  # not pbtools': left as it is (the folder guards it)


def test_code_lists_and_cards_are_owner_only_wherever_they_are_written(tmp_path):
    elsewhere = tmp_path / "desk"
    elsewhere.mkdir()
    (elsewhere / "codes.pdf").write_bytes(b"old")
    os.chmod(elsewhere / "codes.pdf", 0o644)  # an older world-readable file of the same name
    csv_path, pdf_path = write_code_files(new_codes(3), elsewhere / "codes")
    assert mode(csv_path) == 0o600 and mode(pdf_path) == 0o600
    assert pdf_path.read_bytes().startswith(b"%PDF") and len(csv_path.read_text().splitlines()) == 4


def test_codes_are_kept_keyed_and_a_copy_of_the_database_alone_does_not_check_them(tmp_path):
    workspace = tmp_path / "ws"
    hearing, codes = make_hall(workspace, codes=3)
    key = code_key(workspace)
    assert mode(workspace / KEY_FILE) == 0o600 and len(key) == 32
    with open_workspace(workspace, create=False) as ws:
        issued = HearingStore(ws, hearing).state.codes
        raw = repr([r.payload for r in ws.ledger.records(HearingStore(ws, hearing).stream)])
    assert {code_hash(hearing, c, key) for c in codes} == issued
    assert not {hashlib.sha256(f"{hearing}:{c.replace('-', '')}".encode()).hexdigest()[:32] for c in codes} & issued
    assert issued and all(c.replace("-", "") not in raw.replace("-", "") for c in codes)

    # the database copied without the key file: the codes are not recognised (a guess cannot be checked offline)
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    shutil.copy(workspace / "pbtools.sqlite", stolen / "pbtools.sqlite")
    with open_workspace(stolen, create=False) as ws:
        store = HearingStore(ws, hearing)
        assert code_key(stolen) != key
        with pytest.raises(HearingError) as refused:
            store.cast("motion", Ballot(answer="yes"), "t", channel="phone", code=codes[0])
        assert "This voting code was not issued for this hearing" in str(refused.value.problems[0].render("en"))


def test_codes_issued_before_the_key_still_vote(tmp_path):
    """A workspace from before keyed codes: its records hold plain hashes (part of the chain, never rewritten)."""
    workspace = tmp_path / "ws"
    hearing, _ = make_hall(workspace, codes=1)
    old = new_codes(2)
    with open_workspace(workspace, create=False) as ws:
        store = HearingStore(ws, hearing)
        store.write(R.CODES_ISSUED, {"hashes": [code_hash(hearing, c) for c in old]}, "older pbtools")
        receipt = store.cast("motion", Ballot(answer="yes"), "phone", channel="phone", code=old[0])
        assert store.state.used_codes[f"motion:{code_hash(hearing, old[0])}"] == receipt.seq
        assert store.verify() == []


@pytest.fixture
def usual_umask():
    """A laptop's terminal: umask 022, under which a plain write is 0644 and a folder 0755 (the server sets 077)."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def modes_under(folder) -> dict[str, int]:
    """Every file and folder below ``folder`` (itself included, as "."), with its mode."""
    found = {".": mode(folder)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = mode(path)
    return found


def test_exports_and_hand_in_folders_are_owner_only_under_a_usual_umask(tmp_path, usual_umask):
    """s26 L10: `pbtools export ID --format audit` wrote ./audit-….jsonl 0644, monitoring-files/ in the 0700
    workspace was 0755, `sync pack` wrote 0644 files in 0755 folders: each holds the hearing's or monitoring's data."""
    import subprocess
    import sys
    from pathlib import Path

    from PIL import Image

    from pbtools.monitoring.service import MonitoringService
    from pbtools.reports.make import write_export, write_report
    from pbtools.roles import LOCAL
    from pbtools.sync.pack import pack

    workspace = tmp_path / "ws"
    hearing, _codes = make_hall(workspace, codes=2)
    Image.new("RGB", (64, 48), "red").save(tmp_path / "site.jpg")
    with open_workspace(workspace, create=False) as ws:
        service = MonitoringService(ws)
        project = service.add_project(LOCAL, {"ky": "Суу түтүгү", "ru": "Водопровод", "en": "Water pipe"})
        service.add_file(LOCAL, project.id, tmp_path / "site.jpg")
        assert set(modes_under(workspace / "monitoring-files").values()) <= {0o700, 0o600}, modes_under(workspace / "monitoring-files")
        desk = tmp_path / "desk"
        desk.mkdir()
        written = [write_export(ws, hearing, fmt, desk / f"export.{fmt}") for fmt in ("xlsx", "csv", "audit")]
        written.append(write_report(ws, hearing, "pdf", "ru", desk / "protocol.pdf"))
        written.append(write_report(ws, hearing, "docx", "ky", desk / "protocol.docx"))
        assert {p.name: mode(p) for p in written} == {p.name: 0o600 for p in written}
        usb = pack(ws, tmp_path / "usb" / "ak-suu", hearings=[hearing], monitoring=True).path
    packed = modes_under(usb)
    assert any(name.startswith("monitoring-files/") and name.endswith(".jpg") for name in packed), packed
    assert {name: m for name, m in packed.items() if m not in (0o600, 0o700)} == {}, packed
    assert mode(usb.parent) == 0o700  # made by the pack on the way
    # the command as the trial ran it, in the current folder, under the terminal's umask
    here = tmp_path / "here"
    here.mkdir()
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "pbtools", "export", hearing, "--format", "audit", "--workspace",
                           str(workspace)], cwd=here, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    [audit] = here.iterdir()
    assert audit.name.startswith("audit-") and mode(audit) == 0o600


def test_an_older_world_readable_monitoring_folder_is_made_owner_only_when_opened(tmp_path):
    workspace = tmp_path / "ws"
    make_hall(workspace, codes=1)
    (workspace / "monitoring-files" / "ab").mkdir(parents=True)
    os.chmod(workspace / "monitoring-files", 0o755)
    open_workspace(workspace, create=False).close()
    assert mode(workspace / "monitoring-files") == 0o700
