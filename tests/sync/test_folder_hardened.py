"""The USB hand-in, hardened: the same bytes kept as two documents are both stored and both checked; a folder with
nothing in it is refused, not a crash; a zip is read only as far as its manifest names, never past a bound set by
its own size; a damaged zip is named in the user's language only. A laptop (SQLite) hands in to a central server's
workspace (PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pbtools.i18n import gettext, translator
from pbtools.monitoring.files import MAX_BYTES
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import FACILITATOR, LOCAL
from pbtools.server.limits import SYNC_BODY
from pbtools.storage import open_workspace
from pbtools.sync import folder as F
from pbtools.sync.folder import hand_in_folder
from pbtools.sync.pack import MANIFEST, pack
from pbtools.hearings.hand_in_log import SYNC_LOG
from pbtools.sync.push import SyncRefused
from tests.sync.conftest import CODE
from tests.sync.test_folder_hand_in import (LANGS, ROOT, monitored, monitoring_streams, recorded_files,  # noqa: F401
                                             stored_files)

pytestmark = pytest.mark.postgres
EMPTY = "The folder holds nothing to hand in: no hearing and no monitoring record"


@pytest.fixture
def same_bytes_twice(laptop, tmp_path):
    """One project with the bytes attached as plan.pdf, another with the same bytes as plan.docx."""
    service = MonitoringService(laptop)
    water = service.add_project(LOCAL, {"ky": "Суу түтүгү", "ru": "Водопровод", "en": "Water pipe"})
    school = service.add_project(LOCAL, {"ky": "Мектептин чатыры", "ru": "Крыша школы", "en": "School roof"})
    data = b"%PDF-1.4 smeta 120 000 som\n"
    (tmp_path / "plan.pdf").write_bytes(data)
    (tmp_path / "plan.docx").write_bytes(data)
    service.add_file(LOCAL, water.id, tmp_path / "plan.pdf")
    service.add_file(LOCAL, school.id, tmp_path / "plan.docx")
    return laptop


def test_the_same_bytes_as_two_documents_are_both_stored(central, same_bytes_twice, tmp_path):
    laptop_files = recorded_files(same_bytes_twice)
    plans = [f for f in laptop_files if f.endswith((".pdf", ".docx"))]
    assert len(plans) == 2 and len({Path(f).stem for f in plans}) == 1  # one hash, two files
    folder = pack(same_bytes_twice, tmp_path / "usb", monitoring=True).path
    with central.workspace(CODE) as ws:
        handed = hand_in_folder(ws, folder, central.actor("aida", CODE))
        assert {f for f in stored_files(ws) if "/thumbs/" not in f} == laptop_files
        assert MonitoringService(ws).verify() == []  # every record points at its file
        assert sum(h.files for h in handed) == len(laptop_files)


def test_the_second_of_two_same_bytes_documents_is_checked(central, same_bytes_twice, tmp_path):
    folder = pack(same_bytes_twice, tmp_path / "usb", monitoring=True).path
    plans = sorted(f for f in recorded_files(same_bytes_twice) if f.endswith((".pdf", ".docx")))
    for stored in plans:  # each of the two, missing in turn
        gone = folder / stored
        kept = gone.read_bytes()
        gone.unlink()
        with central.workspace(CODE) as ws:
            with pytest.raises(SyncRefused) as e:
                hand_in_folder(ws, folder, central.actor("aida", CODE))
            assert stored in e.value.render("ru")
            assert stored_files(ws) == set() and monitoring_streams(ws) == {}
        gone.write_bytes(kept)


@pytest.fixture
def empty_folder(tmp_path):
    """The hand-in folder of a laptop with no hearing and no monitoring."""
    with open_workspace(tmp_path / "empty-laptop") as ws:
        return pack(ws, tmp_path / "usb-empty").path


def test_a_folder_with_nothing_is_refused_in_every_language(central, empty_folder):
    with central.workspace(CODE) as ws:
        for lang in LANGS:
            with pytest.raises(SyncRefused) as e:
                hand_in_folder(ws, empty_folder, central.actor("aida", CODE))
            assert gettext(lang, EMPTY) in e.value.render(lang)
        assert ws.ledger.records(SYNC_LOG) == []


def test_the_command_says_so_and_fails(central, empty_folder, tmp_path, pg_fresh_url):
    done = subprocess.run([sys.executable, "-m", "pbtools", "sync", "push", str(empty_folder), "--db", pg_fresh_url,
                           "--user", "aida", "--municipality", CODE, "--lang", "ky"], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PBTOOLS_CENTRAL_DIR": str(tmp_path / "central")})
    assert done.returncode != 0
    assert gettext("ky", EMPTY) in done.stdout + done.stderr


def test_the_console_says_so(central, empty_folder, monkeypatch, tmp_path):
    from tests.widgets.test_console_hand_in import hub_user, reports, upload

    hub_user(monkeypatch, "aida", FACILITATOR)
    archive = Path(shutil.make_archive(str(tmp_path / "empty"), "zip", empty_folder))
    with central.workspace(CODE) as ws:
        _, section = reports(ws, lang="ru")
        upload(section, archive)
        assert "pb-error" in section.result.value and translator("ru")(EMPTY) in section.result.value


def _zip(archive: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return archive


def test_a_zip_bomb_is_refused_by_its_ratio_before_it_fills_the_disk(central, monitored, tmp_path, monkeypatch):  # noqa: F811
    folder = pack(monitored, tmp_path / "usb", monitoring=True).path
    members = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    stream = next(n for n in members if n.startswith("monitoring/"))
    members[stream] = b"\n" * (60 * 2**20)  # 60 MB of nothing, a few dozen KB zipped
    archive = _zip(tmp_path / "bomb.zip", members)
    assert archive.stat().st_size * F.MAX_ZIP_RATIO < 60 * 2**20
    written = []
    real = F._read_zip

    def measured(path, zf, root, manifest_only):  # how much reached the disk when it was refused
        try:
            real(path, zf, root, manifest_only)
        finally:
            written.append(sum(p.stat().st_size for p in root.rglob("*") if p.is_file()))

    monkeypatch.setattr(F, "_read_zip", measured)
    with central.workspace(CODE) as ws:
        for lang in LANGS:
            with pytest.raises(SyncRefused) as e:
                hand_in_folder(ws, archive, central.actor("aida", CODE))
            assert gettext(lang, "The zip {file} unpacks to more than {n} times its size: it is not a laptop's "
                                 "hand-in").format(file="bomb.zip", n=F.MAX_ZIP_RATIO) in e.value.render(lang)
        assert monitoring_streams(ws) == {} and stored_files(ws) == set()
    assert written and max(written) <= F.MAX_ZIP_RATIO * max(archive.stat().st_size, 2**20)


def test_only_what_the_manifest_names_is_read_from_a_zip(central, monitored, tmp_path, monkeypatch):  # noqa: F811
    folder = pack(monitored, tmp_path / "usb", monitoring=True).path
    members = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    members["junk/zeros.bin"] = b"\0" * (60 * 2**20)  # named by nothing: never unpacked, never counted
    archive = _zip(tmp_path / "with-junk.zip", members)
    seen = []
    real = F._read_zip

    def listed(path, zf, root, manifest_only):
        real(path, zf, root, manifest_only)
        seen.extend(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    monkeypatch.setattr(F, "_read_zip", listed)
    with central.workspace(CODE) as ws:
        handed = hand_in_folder(ws, archive, central.actor("aida", CODE))
        assert monitoring_streams(ws) == monitoring_streams(monitored) and sum(h.files for h in handed)
    assert "junk/zeros.bin" not in seen and MANIFEST in seen


def test_a_member_bigger_than_its_kind_is_refused_while_read(central, monitored, tmp_path, monkeypatch):  # noqa: F811
    import pbtools.monitoring.files as files

    folder = pack(monitored, tmp_path / "usb", monitoring=True).path
    photo = max(recorded_files(monitored), key=lambda f: (folder / f).stat().st_size)
    monkeypatch.setattr(files, "MAX_BYTES", (folder / photo).stat().st_size - 1)
    archive = Path(shutil.make_archive(str(tmp_path / "big"), "zip", folder))
    with central.workspace(CODE) as ws, pytest.raises(SyncRefused) as e:
        hand_in_folder(ws, archive, central.actor("aida", CODE))
    assert photo in e.value.render("ky")


def test_a_damaged_zip_is_named_in_the_users_language_only(central, monitored, tmp_path):  # noqa: F811
    folder = pack(monitored, tmp_path / "usb", monitoring=True).path
    archive = Path(shutil.make_archive(str(tmp_path / "damaged"), "zip", folder))
    data = bytearray(archive.read_bytes())
    data[200] ^= 0xFF
    archive.write_bytes(bytes(data))
    with central.workspace(CODE) as ws:
        for lang in ("ky", "ru"):
            with pytest.raises(SyncRefused) as e:
                hand_in_folder(ws, archive, central.actor("aida", CODE))
            said = e.value.render(lang)
            assert gettext(lang, "The zip {file} cannot be read: it is damaged or is not a zip").format(
                file="damaged.zip") in said
            assert not any(word in said for word in ("Error", "CRC", "Bad", "invalid")), said


def test_the_hub_takes_a_hand_in_bigger_than_one_allowed_file():
    assert SYNC_BODY > MAX_BYTES
