"""What `pbtools sync pack` puts on the stick: the hearing named and nothing else; the monitoring only when asked
(`--monitoring`), the summary saying which; the demo's fictional hearing and monitoring never (a laptop set up the
README's way, `make run`, holds them). SQLite only: no server is needed to pack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pbtools.hearings.store import hearing_ids
from pbtools.i18n import gettext
from pbtools.monitoring import records as M
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import LOCAL
from pbtools.storage import open_workspace
from pbtools.sync.pack import MANIFEST, PackRefused, pack
from tests.sync.conftest import open_hearing

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("ky", "ru", "en")


def run_pack(*args: str, lang: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", "--lang", lang, "sync", "pack", *args],
                          capture_output=True, text=True, cwd=ROOT)


def manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def test_a_hearing_is_packed_alone_and_monitoring_only_when_asked(laptop, tmp_path):
    hid = "2026-05-14-a1b2"
    open_hearing(laptop, hid)
    open_hearing(laptop, "2026-05-15-c3d4")  # another hearing on the laptop: not packed
    MonitoringService(laptop).add_project(LOCAL, {"ky": "Суу түтүгү", "en": "Water pipe"})
    streams = [s for s in laptop.ledger.streams() if M.is_monitoring(s)]
    assert len(hearing_ids(laptop)) == 3 and len(streams) > 1
    alone = pack(laptop, tmp_path / "alone", hearings=[hid])
    assert manifest(alone.path)["hearings"] == [f"hearing-{hid}.jsonl"]
    assert manifest(alone.path)["streams"] == manifest(alone.path)["files"] == []
    assert not (alone.path / "monitoring").exists() and not (alone.path / "monitoring-files").exists()
    assert sorted(p.name for p in alone.path.iterdir()) == sorted([MANIFEST, f"hearing-{hid}.jsonl"])
    for lang in LANGS:  # the summary says no monitoring went, and how it would
        said = "\n".join(m.render(lang) for m in alone.summary())
        assert hid in said and "--monitoring" in said, said
    both = pack(laptop, tmp_path / "both", hearings=[hid], monitoring=True)
    assert manifest(both.path)["hearings"] == [f"hearing-{hid}.jsonl"]
    assert sorted(both.streams) == sorted(streams) and len(manifest(both.path)["streams"]) == len(streams)
    said = "\n".join(m.render("ru") for m in both.summary())
    assert all(stream in said for stream in streams), said


def test_the_command_packs_the_hearing_named_and_says_what_it_packed(laptop, tmp_path):
    hid = "2026-05-14-a1b2"
    open_hearing(laptop, hid)
    MonitoringService(laptop).add_project(LOCAL, {"ky": "Суу түтүгү", "en": "Water pipe"})
    laptop.close()
    out = tmp_path / "stick"
    done = run_pack(str(out), "--hearing", hid, "--workspace", str(laptop.path), lang="ru")
    assert done.returncode == 0, done.stderr
    assert manifest(out)["hearings"] == [f"hearing-{hid}.jsonl"] and manifest(out)["streams"] == []
    assert gettext("ru", "No monitoring was packed (pbtools sync pack --monitoring packs it too)") in done.stdout
    done = run_pack(str(out), "--hearing", hid, "--monitoring", "--workspace", str(laptop.path), lang="ky")
    assert done.returncode == 0, done.stderr
    assert any(s.startswith("monitoring/monitoring-project-") for s in manifest(out)["streams"])


@pytest.fixture
def demo_laptop(demo_copy):
    """A laptop set up the README's way: the demo workspace, its mark kept."""
    with open_workspace(demo_copy) as ws:
        yield ws


def test_the_demo_hearing_and_monitoring_never_leave_the_laptop(demo_laptop, tmp_path):
    (sample,) = hearing_ids(demo_laptop)
    real = "2026-05-14-a1b2"
    open_hearing(demo_laptop, real)
    packed = pack(demo_laptop, tmp_path / "all")  # every hearing: but the demo's
    assert packed.hearings == [real] and packed.left_out == [sample]
    assert manifest(packed.path)["hearings"] == [f"hearing-{real}.jsonl"]
    for lang in LANGS:
        assert sample in "\n".join(m.render(lang) for m in packed.summary())
    with pytest.raises(PackRefused) as e:
        pack(demo_laptop, tmp_path / "sample", hearings=[sample])
    assert sample in e.value.render("ky") and not (tmp_path / "sample").exists()
    with pytest.raises(PackRefused) as e:
        pack(demo_laptop, tmp_path / "monitoring", hearings=[real], monitoring=True)
    for lang in LANGS:
        assert M.GROUP in e.value.render(lang) and M.ACTS in e.value.render(lang)
    assert not (tmp_path / "monitoring").exists()
    demo_laptop.close()
    done = run_pack(str(tmp_path / "cli"), "--hearing", real, "--monitoring", "--workspace", str(demo_laptop.path),
                    lang="ru")
    assert done.returncode == 2 and M.GROUP in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "cli").exists()


def test_a_hearing_not_on_the_laptop_is_named(laptop, tmp_path):
    with pytest.raises(PackRefused) as e:
        pack(laptop, tmp_path / "none", hearings=["2030-01-01-ffff"])
    assert all("2030-01-01-ffff" in e.value.render(lang) for lang in LANGS)
    assert not (tmp_path / "none").exists()


def test_a_practice_hearing_is_left_on_the_laptop(laptop, tmp_path):
    """The server refuses a practice hearing (tests/sync/test_hand_in_whose.py): the stick never carries one."""
    (real,) = hearing_ids(laptop)
    practice = open_hearing(laptop, "2026-05-14-dead")
    practice.update(actor="Айпери", practice=True)
    packed = pack(laptop, tmp_path / "all")
    assert packed.hearings == [real] and packed.left_out == [practice.id]
    for lang in LANGS:
        assert practice.id in "\n".join(m.render(lang) for m in packed.summary())
    with pytest.raises(PackRefused) as e:
        pack(laptop, tmp_path / "named", hearings=[practice.id])
    assert practice.id in e.value.render("ru") and "учебные" in e.value.render("ru")
    assert not (tmp_path / "named").exists()
