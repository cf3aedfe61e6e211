"""Handing in from a USB stick: a laptop (SQLite) packs its hearings, its monitoring and the photos those name into a
folder; the central server (PostgreSQL) stores them verified, the photos content-addressed as the monitoring store
keeps them; a photo missing, changed, too big or not a picture refuses the whole folder in ky/ru/en, nothing stored."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from pbtools.hearings import records as R
from pbtools.hearings.store import hearing_ids
from pbtools.i18n import gettext
from pbtools.monitoring import records as M
from pbtools.monitoring.files import store_file
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import LOCAL, NotAllowed
from pbtools.sync.folder import hand_in_folder
from pbtools.sync.pack import MANIFEST, pack
from pbtools.hearings.hand_in_log import SYNC_LOG
from pbtools.sync.push import SyncRefused
from tests.sync.conftest import CODE

pytestmark = pytest.mark.postgres
LANGS = ("ky", "ru", "en")
ROOT = Path(__file__).resolve().parents[2]


def picture(path: Path, color: str, size=(640, 480), fmt="JPEG") -> Path:
    Image.new("RGB", size, color).save(path, fmt)
    return path


@pytest.fixture
def monitored(laptop, tmp_path):
    """The laptop's monitoring: two projects, the same photo added to both, a PNG and a document."""
    service = MonitoringService(laptop)
    water = service.add_project(LOCAL, {"ky": "Суу түтүгү", "ru": "Водопровод", "en": "Water pipe"})
    school = service.add_project(LOCAL, {"ky": "Мектептин чатыры", "ru": "Крыша школы", "en": "School roof"})
    same = picture(tmp_path / "site.jpg", "red")
    service.add_file(LOCAL, water.id, same)
    service.add_file(LOCAL, school.id, same)  # the same photo twice: one file
    service.add_file(LOCAL, school.id, picture(tmp_path / "roof.png", "blue", fmt="PNG"))
    (tmp_path / "estimate.txt").write_text("smeta 120 000 som\n", encoding="utf-8")
    service.add_file(LOCAL, water.id, tmp_path / "estimate.txt")
    return laptop


def monitoring_streams(ws) -> dict[str, list]:
    return {s: ws.ledger.records(s) for s in ws.ledger.streams() if M.is_monitoring(s)}


def recorded_files(ws) -> set[str]:
    """Every file the workspace's monitoring records name (a project's, an act's photos)."""
    found = set()
    for records in monitoring_streams(ws).values():
        for r in records:
            if r.kind == M.FILE_ADDED:
                found.add(r.payload["stored"])
            elif r.kind == M.ACT_FILED:
                found |= {a["stored"] for a in r.payload.get("photos", ())}
    return found


def stored_files(ws) -> set[str]:
    folder = Path(ws.path) / "monitoring-files"
    return {str(p.relative_to(ws.path)) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def test_a_folder_round_trip_stores_records_and_photos_once(central, monitored, tmp_path):
    folder = pack(monitored, tmp_path / "usb" / "ak-suu", monitoring=True).path
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    laptop_files = recorded_files(monitored)
    assert set(manifest["files"]) == laptop_files and len(manifest["files"]) == len(laptop_files)  # shared: once
    assert len([f for f in (Path(monitored.path) / "monitoring-files").rglob("*") if f.is_file()]) > len(laptop_files)
    for stored in laptop_files:  # beside the audit files, as the laptop keeps them
        assert (folder / stored).read_bytes() == (Path(monitored.path) / stored).read_bytes()
    with central.workspace(CODE) as ws:
        handed = hand_in_folder(ws, folder, central.actor("aida", CODE))
        assert {h.hearing for h in handed} == {*monitoring_streams(monitored), *hearing_ids(monitored)}
        for stream, records in monitoring_streams(monitored).items():
            assert ws.ledger.records(stream) == records  # own hashes, actors, times
        hid = hearing_ids(monitored)[0]
        assert ws.ledger.records(R.stream_of(hid)) == monitored.ledger.records(R.stream_of(hid))
        assert {f for f in stored_files(ws) if "/thumbs/" not in f} == laptop_files
        for stored in laptop_files:
            assert (Path(ws.path) / stored).read_bytes() == (Path(monitored.path) / stored).read_bytes()
        server = MonitoringService(ws)
        assert server.verify() == []  # every record's file is there and unchanged
        for project in server.projects():
            for photo in project.photos:
                assert server.file_path(photo, thumbnail=True).is_file()
        assert sum(h.files for h in handed) == len(laptop_files)
        log = len(ws.ledger.records(SYNC_LOG))
        again = hand_in_folder(ws, folder, central.actor("aida", CODE))  # twice is once
        assert all(h.appended == 0 and h.files == 0 for h in again) and len(ws.ledger.records(SYNC_LOG)) == log


def test_the_command_takes_a_zip_of_the_folder(central, monitored, tmp_path, pg_fresh_url):
    out = tmp_path / "usb" / "ak-suu"
    subprocess.run([sys.executable, "-m", "pbtools", "sync", "pack", str(out), "--monitoring", "--workspace",
                    str(monitored.path)],
                   check=True, capture_output=True, cwd=ROOT)
    archive = shutil.make_archive(str(tmp_path / "ak-suu"), "zip", out.parent, out.name)  # the folder in the zip
    env = {"PBTOOLS_CENTRAL_DIR": str(tmp_path / "central")}
    done = subprocess.run([sys.executable, "-m", "pbtools", "sync", "push", archive, "--db", pg_fresh_url, "--user",
                           "aida", "--lang", "ru"], capture_output=True, text=True, cwd=ROOT,
                          env={**__import__("os").environ, **env})
    assert done.returncode == 0, done.stderr
    with central.workspace(CODE) as ws:
        assert monitoring_streams(ws) == monitoring_streams(monitored)
        assert {f for f in stored_files(ws) if "/thumbs/" not in f} == recorded_files(monitored)
    assert "записей" in done.stdout


def _refused_everywhere(central, folder, *expected: str) -> None:
    """Refused in every language with the problem named; nothing of the folder stored."""
    with central.workspace(CODE) as ws:
        for lang in LANGS:
            with pytest.raises(SyncRefused) as e:
                hand_in_folder(ws, folder, central.actor("aida", CODE))
            said = e.value.render(lang)
            assert gettext(lang, "{file} was not stored, nothing was changed:").split("{file}")[1].strip() in said
            for text in expected:
                assert text in said, (lang, said)
        assert ws.ledger.streams() == [] or all(not ws.ledger.records(s) for s in ws.ledger.streams())
        assert stored_files(ws) == set()


def _photo_of(folder: Path, ws, name: str) -> Path:
    """The folder's copy of the file recorded as ``name`` on the laptop."""
    stored = next(r.payload["stored"] for records in monitoring_streams(ws).values() for r in records
                  if r.kind == M.FILE_ADDED and r.payload["name"] == name)
    return folder / stored


def test_a_missing_or_changed_photo_refuses_the_whole_folder(central, monitored, tmp_path):
    folder = pack(monitored, tmp_path / "missing", monitoring=True).path
    gone = _photo_of(folder, monitored, "roof.png")
    gone.unlink()
    _refused_everywhere(central, folder, "roof.png", gone.name)
    folder = pack(monitored, tmp_path / "changed", monitoring=True).path
    photo = _photo_of(folder, monitored, "site.jpg")
    picture(photo, "green")  # another picture under the recorded one's name
    _refused_everywhere(central, folder, "site.jpg")
    with central.workspace(CODE) as ws:
        with pytest.raises(SyncRefused) as e:
            hand_in_folder(ws, folder, central.actor("aida", CODE))
        assert "изменено" in e.value.render("ru") or "изменен" in e.value.render("ru")


def test_a_photo_too_big_is_refused(central, monitored, tmp_path, monkeypatch):
    import pbtools.monitoring.files as files

    folder = pack(monitored, tmp_path / "big", monitoring=True).path
    size = _photo_of(folder, monitored, "site.jpg").stat().st_size
    monkeypatch.setattr(files, "MAX_BYTES", size - 1)  # the store's limit, lowered below this real photo
    _refused_everywhere(central, folder, "site.jpg")


def test_a_record_calling_a_text_a_photo_is_refused(central, monitored, tmp_path):
    """A laptop whose chain says 'photo' for a file that is no picture (a consistent rewrite of its database):
    every hash agrees, the content does not."""
    service = MonitoringService(monitored)
    project = service.projects()[0]
    fake = tmp_path / "notes.txt"
    fake.write_text("not a picture", encoding="utf-8")
    document = store_file(monitored, fake)
    payload = M.plain(document) | {"kind": "photo", "media_type": "image/jpeg"}
    monitored.ledger.append(M.project_stream(project.id), M.FILE_ADDED, payload, actor="Айпери",
                            key=document.original_sha256)
    folder = pack(monitored, tmp_path / "fake", monitoring=True).path
    _refused_everywhere(central, folder, "notes.txt")
    with central.workspace(CODE) as ws:
        with pytest.raises(SyncRefused) as e:
            hand_in_folder(ws, folder, central.actor("aida", CODE))
        assert "не является изображением" in e.value.render("ru")


def test_only_who_may_hand_in_and_record_monitoring(central, monitored, tmp_path):
    folder = pack(monitored, tmp_path / "roles", monitoring=True).path
    with central.workspace(CODE) as ws:
        for user in ("meder", "saule", "olga"):  # monitor, trainer, observer
            with pytest.raises(NotAllowed):
                hand_in_folder(ws, folder, central.actor(user, CODE))
        assert stored_files(ws) == set()


def test_a_zip_reaching_outside_its_folder_is_refused(central, tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../outside.txt", "x")
    with central.workspace(CODE) as ws, pytest.raises(SyncRefused) as e:
        hand_in_folder(ws, archive, central.actor("aida", CODE))
    assert "../../outside.txt" in e.value.render("ky")
    assert not (tmp_path.parent / "outside.txt").exists()


def test_a_damaged_zip_is_refused_not_a_crash(central, monitored, tmp_path):
    folder = pack(monitored, tmp_path / "usb", monitoring=True).path
    archive = Path(shutil.make_archive(str(tmp_path / "damaged"), "zip", folder))
    data = bytearray(archive.read_bytes())
    data[200] ^= 0xFF  # inside the first member's compressed data: its CRC no longer holds
    archive.write_bytes(bytes(data))
    with central.workspace(CODE) as ws, pytest.raises(SyncRefused) as e:
        hand_in_folder(ws, archive, central.actor("aida", CODE))
    assert "damaged.zip" in e.value.render("ru") and stored_files(ws) == set() and monitoring_streams(ws) == {}
