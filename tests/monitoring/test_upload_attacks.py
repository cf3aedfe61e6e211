"""Attacks through monitoring uploads: a tiny file that declares a huge picture, the same photo added from two
threads at once, odd EXIF values. Each is refused by name or kept whole; nothing is left half written."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from pbtools.monitoring import FileRefused
from pbtools.monitoring.demo_year import draw_photo
from pbtools.monitoring.files import store_file
from tests.monitoring.conftest import MEMBER, STAFF


def stored_files(ws) -> list[Path]:
    return [p for p in (Path(ws.path) / "monitoring-files").rglob("*") if p.is_file()]


def test_a_small_png_of_a_hundred_million_pixels_is_refused_before_it_is_decoded(ws, tmp_path):
    """Pillow refuses only above twice its 89 million pixels and warns below: a 20 KB PNG of 13,000 x 13,000
    pixels was decoded (9.5 s, 1.1 GB of memory), though the message says more than 89 million is refused."""
    bomb = tmp_path / "bomb.png"
    Image.new("1", (10_000, 9_500)).save(bomb)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(FileRefused) as refused:
        store_file(ws, bomb)
    assert "89 million pixels" in refused.value.message.render("en")
    assert stored_files(ws) == []


def test_a_picture_just_under_the_limit_is_still_a_photo(ws, tmp_path):
    path = tmp_path / "wide.png"
    Image.new("1", (9_000, 9_000)).save(path)  # 81 million pixels
    assert store_file(ws, path).kind == "photo"


def test_the_same_photo_from_two_threads_at_once_is_kept_whole(svc, tmp_path):
    project = svc.add_project(STAFF, {"ru": "Освещение"})
    photo = draw_photo(tmp_path / "a.jpg", 1)
    Image.open(photo).resize((3000, 2000)).save(photo)  # reduced on the way in: written, not copied
    results, errors = [], []
    start = threading.Barrier(4)

    def add():
        start.wait()
        try:
            results.append(store_file(svc.ws, photo))
        except Exception as e:  # noqa: BLE001 - the test reports it
            errors.append(e)

    threads = [threading.Thread(target=add) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    assert len({r.sha256 for r in results}) == 1
    for path in stored_files(svc.ws):
        assert not path.name.endswith(".tmp")
        with Image.open(path) as image:
            image.load()
    assert svc.file_path(results[0]).is_file()


@pytest.mark.parametrize("gps", [{1: "N", 2: (0, 0, 0), 3: "E", 4: (1e308, 1e308, 1e308)},
                                 {1: "N", 2: (91, 0, 0), 3: "E", 4: (10, 0, 0)},
                                 {1: "N", 2: (IFDRational(1, 0), 0, 0), 3: "E", 4: (10, 0, 0)}])
def test_odd_exif_locations_are_left_out(ws, tmp_path, gps):
    path = tmp_path / "odd.jpg"
    image = Image.new("RGB", (40, 30))
    exif = image.getexif()
    gps_ifd = exif.get_ifd(0x8825)
    gps_ifd.update(gps)
    image.save(path, exif=exif)
    kept = store_file(ws, path)
    assert kept.kind == "photo" and (kept.latitude, kept.longitude) == (None, None)
