"""`sync pull` copies the municipality's monitoring (projects, the group, the acts, their photos and documents) with
the server's hashes, so that a laptop carries on the server's streams and hands them in as their continuation; a
stream the laptop has apart or one whose photo is missing on the server is named and left as it is while the rest
is copied; nothing is copied into the demo's workspace or another municipality's. In ky/ru/en."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pbtools.demo import DEMO_SETTING
from pbtools.monitoring import records as M
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import LOCAL, MONITOR, Actor
from pbtools.storage import open_workspace
from pbtools.sync.folder import hand_in_folder
from pbtools.sync.pack import named_files, pack
from pbtools.sync.pull import take_copy
from tests.sync.conftest import CODE, open_hearing
from tests.sync.test_folder_hand_in import picture

pytestmark = pytest.mark.postgres
LANGS = ("ky", "ru", "en")
ROOT = Path(__file__).resolve().parents[2]
MEDER = Actor("meder", MONITOR)


@pytest.fixture
def served(central, tmp_path):
    """The server's monitoring: a member of the group, a project with a photo and a document, an act with a photo."""
    with central.workspace(CODE) as ws:
        service = MonitoringService(ws)
        member = service.add_member(MEDER, "Бакыт К.", "monitor")
        water = service.add_project(MEDER, {"ky": "Суу түтүгү", "ru": "Водопровод", "en": "Water pipe"})
        service.add_file(MEDER, water.id, picture(tmp_path / "site.jpg", "red"))
        (tmp_path / "estimate.txt").write_text("smeta 120 000 som\n", encoding="utf-8")
        service.add_file(MEDER, water.id, tmp_path / "estimate.txt")
        service.file_act(MEDER, water.id, date="2026-08-01", members=[member.id], findings="Траншея вырыта",
                         photos=[picture(tmp_path / "trench.jpg", "green")])
        yield ws, water


def streams(ws) -> dict[str, list]:
    return {s: ws.ledger.records(s) for s in ws.ledger.streams() if M.is_monitoring(s)}


def files_named(ws) -> set[str]:
    return {f.attachment.stored for recs in streams(ws).values() for f in named_files(recs)}


def test_the_servers_monitoring_is_copied_and_the_laptop_carries_it_on(central, served, tmp_path):
    server, water = served
    with open_workspace(tmp_path / "hall") as laptop:
        copied = take_copy(server, laptop, central.actor("aida", CODE))
        assert not copied.problems, [p.render("en") for p in copied.problems]
        assert streams(laptop) == streams(server) and len(copied.streams) == 3  # the group, the project, the acts
        assert copied.stream_records == sum(len(r) for r in streams(server).values())
        named = files_named(server)
        assert copied.files == len(named) == 3
        for stored in named:  # the same bytes where the laptop's monitoring store keeps them
            assert (Path(laptop.path) / stored).read_bytes() == (Path(server.path) / stored).read_bytes()
        assert [p.title("en") for p in MonitoringService(laptop).projects()] == ["Water pipe"]
        again = take_copy(server, laptop, central.actor("aida", CODE))  # twice: nothing more
        assert (again.streams, again.stream_records, again.files, again.problems) == ([], 0, 0, [])
        assert streams(laptop) == streams(server)
        # offline in the hall: the group and the acts go on from the server's; handed in, they are its continuation
        laptop.save_municipality(server.municipality())
        open_hearing(laptop, "2026-05-14-a1b2")
        MonitoringService(laptop).add_member(LOCAL, "Асель Ж.", "monitor")
        folder = pack(laptop, tmp_path / "usb", hearings=["2026-05-14-a1b2"], monitoring=True).path
        handed = {h.hearing: h for h in hand_in_folder(server, folder, central.actor("aida", CODE))}
        assert not handed[M.GROUP].refused and handed[M.GROUP].appended == 1
        assert server.ledger.records(M.GROUP) == laptop.ledger.records(M.GROUP)


def test_a_stream_the_laptop_has_apart_is_named_and_left_the_rest_copied(central, served, tmp_path):
    server, water = served
    with open_workspace(tmp_path / "hall") as laptop:
        MonitoringService(laptop).add_member(LOCAL, "Асель Ж.", "monitor")  # the laptop's own g1
        own = laptop.ledger.records(M.GROUP)
        copied = take_copy(server, laptop, central.actor("aida", CODE))
        assert laptop.ledger.records(M.GROUP) == own  # nothing of it changed
        assert M.GROUP not in copied.streams and len(copied.problems) == 1
        assert laptop.ledger.records(M.project_stream(water.id)) == server.ledger.records(M.project_stream(water.id))
        assert laptop.ledger.records(M.ACTS) == server.ledger.records(M.ACTS)
        for lang in LANGS:
            assert M.GROUP in copied.problems[0].render(lang)
        assert "расходится с серверным" in copied.problems[0].render("ru")
        assert "сервердегиден айырмаланат" in copied.problems[0].render("ky")
        assert "differs from the server's" in copied.problems[0].render("en")


def test_a_photo_missing_on_the_server_keeps_its_stream_out(central, served, tmp_path):
    server, water = served
    project = M.project_stream(water.id)
    (photo,) = [f.attachment.stored for f in named_files(server.ledger.records(project))
                if f.attachment.name == "site.jpg"]
    (Path(server.path) / photo).unlink()
    with open_workspace(tmp_path / "hall") as laptop:
        copied = take_copy(server, laptop, central.actor("aida", CODE))
        assert project not in laptop.ledger.streams() and project not in copied.streams
        # the one act is about that project: an act is never copied without its project (s27 note)
        assert set(copied.streams) == {M.GROUP} and M.ACTS not in laptop.ledger.streams()
        assert len(copied.problems) == 2 and all(water.id in p.render(lang) for p in copied.problems for lang in LANGS)
        assert "site.jpg" in copied.problems[0].render("ru") and "не скопирован" in copied.problems[0].render("ru")
        assert "көчүрүлгөн жок" in copied.problems[0].render("ky")
        acts = {lang: copied.problems[1].render(lang) for lang in LANGS}
        assert "A-2026-001" in acts["en"] and "Water pipe" in acts["en"] and "«Водопровод»" in acts["ru"]
        assert "актылар" in acts["ky"] and "«Суу түтүгү»" in acts["ky"]


def test_acts_are_copied_up_to_the_first_about_a_project_left_out(central, served, tmp_path):
    """The acts are one chain: those before the first act about a project left out are copied, the rest named; once
    the project is copied, the next copy brings the rest as their continuation."""
    server, water = served
    service = MonitoringService(server)
    road = service.add_project(MEDER, {"ky": "Жол", "ru": "Дорога", "en": "Road"})
    service.add_file(MEDER, road.id, picture(tmp_path / "road.jpg", "blue"))
    member = service.members()[0]
    service.file_act(MEDER, road.id, date="2026-08-02", members=[member.id], findings="Щебень завезён")
    service.file_act(MEDER, water.id, date="2026-08-03", members=[member.id], findings="Трубы уложены")
    (photo,) = [f.attachment.stored for f in named_files(server.ledger.records(M.project_stream(road.id)))]
    kept = (Path(server.path) / photo).read_bytes()
    (Path(server.path) / photo).unlink()
    theirs = server.ledger.records(M.ACTS)
    with open_workspace(tmp_path / "hall") as laptop:
        copied = take_copy(server, laptop, central.actor("meder", CODE))
        assert laptop.ledger.records(M.ACTS) == theirs[:1]  # A-2026-001 (the water pipe's); not A-002 nor A-003
        assert [(a.id, a.project_id) for a in MonitoringService(laptop).acts()] == [("A-2026-001", water.id)]
        said = copied.problems[-1].render("en")
        assert "from A-2026-002 on" in said and "Road" in said and road.id in said
        assert "«Дорога»" in copied.problems[-1].render("ru")
        (Path(server.path) / photo).write_bytes(kept)  # the photo found again: the rest comes as the continuation
        again = take_copy(server, laptop, central.actor("meder", CODE))
        assert not again.problems and laptop.ledger.records(M.ACTS) == theirs
        assert {a.project_id for a in MonitoringService(laptop).acts()} == {water.id, road.id}


def test_nothing_is_pulled_into_the_demo_or_another_municipalitys_workspace(central, served, laptop, tmp_path):
    """A pull into the demo's workspace saved the server's municipality over the demo's and mixed the server's
    hearings and monitoring with the demo's fictional ones (new-user trial s26 H2): refused, nothing copied."""
    from pbtools.budget.model import Municipality
    from pbtools.sync.pull import PullRefused

    server, _water = served
    demo = [s for s in laptop.ledger.streams() if M.is_monitoring(s)]
    laptop.set_setting(DEMO_SETTING, {"hearings": [], "streams": demo})
    before, municipality = {s: laptop.ledger.records(s) for s in laptop.ledger.streams()}, laptop.municipality()
    with pytest.raises(PullRefused) as refused:
        take_copy(server, laptop, central.actor("aida", CODE))
    assert {s: laptop.ledger.records(s) for s in laptop.ledger.streams()} == before
    assert laptop.municipality() == municipality
    said = {lang: refused.value.message.render(lang) for lang in LANGS}
    assert "--workspace" in said["en"] and "демонстрацию" in said["ru"] and "демонстрация" in said["ky"]
    with open_workspace(tmp_path / "other") as other:  # a workspace of another municipality
        other.save_municipality(Municipality({"ky": "Кара-Тоо", "ru": "Кара-Тоо", "en": "Kara-Too"}))
        with pytest.raises(PullRefused) as refused:
            take_copy(server, other, central.actor("aida", CODE))
        assert other.ledger.streams() == [] and other.municipality().names["en"] == "Kara-Too"
        assert "Kara-Too's, not" in refused.value.message.render("en")
        assert "«Кара-Тоо»" in refused.value.message.render("ru")


def test_cli_pull_says_what_monitoring_it_copied(central, served, tmp_path):
    env = {**os.environ, "PBTOOLS_CENTRAL_DIR": str(tmp_path / "central")}
    hall = tmp_path / "hall"
    server, _ = served
    cmd = [sys.executable, "-m", "pbtools", "sync", "pull", "--db", central.url, "--municipality", CODE,
           "--workspace", str(hall), "--user", "aida", "--lang", "ru"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "Мониторинг скопирован: 3 потока" in done.stdout and "фотографий и документов: 3" in done.stdout, done.stdout
    with open_workspace(hall, create=False) as ws:
        assert streams(ws) == streams(server)
    done = subprocess.run(cmd[:-1] + ["ky"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0 and "Мониторинг" not in done.stdout, done.stdout  # twice: nothing more to say
