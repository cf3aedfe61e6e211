"""Photos and documents: kept once, large photos reduced, thumbnails made, the EXIF location kept, checked by verify."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from pbtools.monitoring import DOCUMENT, PHOTO, FileRefused, MonitoringService
from pbtools.monitoring.demo_year import draw_photo
from pbtools.monitoring.files import MAX_SIDE, THUMB_SIDE, exif_location
from tests.monitoring.conftest import MEMBER, STAFF


@pytest.fixture
def project(svc):
    return svc.add_project(STAFF, {"ru": "Освещение"})


def test_the_same_photo_twice_is_stored_once_and_recorded_once(svc, project, tmp_path):
    photo = draw_photo(tmp_path / "a.jpg", 1)
    copy = tmp_path / "copy-of-a.jpg"
    copy.write_bytes(photo.read_bytes())
    first = svc.add_file(MEMBER, project.id, photo)
    again = svc.add_file(MEMBER, project.id, copy)
    assert again == first
    assert svc.project(project.id).attachments == (first,)
    files = [p for p in (Path(svc.ws.path) / "monitoring-files").rglob("*") if p.is_file()]
    assert len(files) == 2  # the photo and its thumbnail
    assert svc.file_path(first).read_bytes() == photo.read_bytes()  # small enough: kept as it is


def test_a_different_photo_is_kept_beside_the_first(svc, project, tmp_path):
    a = svc.add_file(MEMBER, project.id, draw_photo(tmp_path / "a.jpg", 1))
    b = svc.add_file(MEMBER, project.id, draw_photo(tmp_path / "b.jpg", 2))
    assert a.sha256 != b.sha256 and len(svc.project(project.id).photos) == 2
    assert svc.file_path(a).is_file() and svc.file_path(b).is_file()


def test_a_large_photo_is_reduced_and_gets_a_thumbnail(svc, project, tmp_path):
    big = draw_photo(tmp_path / "big.jpg", 0, size=(4000, 3000), gps=(42.5, 74.6))
    a = svc.add_file(MEMBER, project.id, big)
    assert a.kind == PHOTO and a.reduced and max(a.width, a.height) == MAX_SIDE
    assert a.original_size == big.stat().st_size and a.size == svc.file_path(a).stat().st_size
    with Image.open(svc.file_path(a)) as stored:
        assert stored.size == (a.width, a.height) == (MAX_SIDE, MAX_SIDE * 3 // 4)
        assert exif_location(stored)[:2] == (a.latitude, a.longitude)  # the reduced file keeps its EXIF too
    with Image.open(svc.file_path(a, thumbnail=True)) as thumb:
        assert max(thumb.size) == THUMB_SIDE
    assert hashlib.sha256(svc.file_path(a).read_bytes()).hexdigest() == a.sha256
    assert a.original_sha256 == hashlib.sha256(big.read_bytes()).hexdigest()


def test_the_exif_location_is_read_and_kept_in_the_record(svc, project, tmp_path):
    lat, lon = 42.8746, -74.5698  # a west longitude too, to check the sign
    a = svc.add_file(MEMBER, project.id, draw_photo(tmp_path / "gps.jpg", 0, gps=(lat, lon)))
    assert a.has_location and abs(a.latitude - lat) < 1e-4 and abs(a.longitude - lon) < 1e-4
    kept = svc.project(project.id).attachments[0]
    assert (kept.latitude, kept.longitude) == (a.latitude, a.longitude)
    plain = svc.add_file(MEMBER, project.id, draw_photo(tmp_path / "plain.jpg", 3))
    assert not plain.has_location


def test_an_upright_phone_photo_is_turned_as_the_camera_said(svc, project, tmp_path):
    image = Image.new("RGB", (3000, 1000), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to view
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    (tmp_path / "phone.jpg").write_bytes(out.getvalue())
    a = svc.add_file(MEMBER, project.id, tmp_path / "phone.jpg")
    assert a.height == MAX_SIDE and abs(a.width - MAX_SIDE / 3) <= 1  # upright, reduced


def test_a_document_is_kept_byte_for_byte(svc, project, tmp_path):
    pdf = tmp_path / "келишим.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% a contract\n" + bytes(range(256)) * 10)
    a = svc.add_file(MEMBER, project.id, pdf, "Келишим")
    assert a.kind == DOCUMENT and a.media_type == "application/pdf" and a.caption == "Келишим"
    assert svc.file_path(a).read_bytes() == pdf.read_bytes() and svc.project(project.id).documents == (a,)


def test_empty_or_missing_files_are_refused_and_nothing_recorded(svc, project, tmp_path):
    (tmp_path / "empty.jpg").write_bytes(b"")
    for path in (tmp_path / "empty.jpg", tmp_path / "none.jpg", tmp_path):
        with pytest.raises(FileRefused):
            svc.add_file(MEMBER, project.id, path)
    assert svc.project(project.id).attachments == ()


def test_verify_finds_a_stored_file_missing_or_changed(svc, project, tmp_path):
    a = svc.add_file(MEMBER, project.id, draw_photo(tmp_path / "a.jpg", 1))
    assert svc.verify() == []
    path = svc.file_path(a)
    path.write_bytes(path.read_bytes() + b"x")
    assert [p.seq for p in svc.verify()] == [2] and "changed" in svc.verify()[0].message.render("en")
    path.unlink()
    assert "missing" in svc.verify()[0].message.render("en")


def test_photos_of_acts_are_stored_as_project_photos_are(svc, project, tmp_path):
    g = svc.add_member(STAFF, "Айгүл")
    photo = draw_photo(tmp_path / "site.jpg", 2, gps=(42.1, 75.2))
    act = svc.file_act(MEMBER, project.id, date="2026-06-01", members=[g.id], findings="ok", photos=[photo, photo])
    assert len(act.photos) == 1 and act.photos[0].has_location
    assert MonitoringService(svc.ws).file_path(act.photos[0]).is_file()
