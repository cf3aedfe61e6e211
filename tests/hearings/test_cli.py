"""pbtools hearing list | show | codes | agenda, run as a user runs them."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pbtools.hearings.codes import check_code
from pbtools.hearings.model import Participant
from pbtools.hearings.store import HearingStore
from tests.hearings.conftest import build

ROOT = Path(__file__).resolve().parents[2]


def pbtools(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def workspace(tmp_path):
    from pbtools.storage import open_workspace

    path = tmp_path / "ws"
    with open_workspace(path) as ws:
        store = build(ws)
        for sex in "ffm":
            store.register(Participant(sex, "30_44", "Ак-Суу"), actor="door")
        store.cast_typed("approval", "1 2", actor="clerk")
        store.cast_typed("approval", "2", actor="clerk")
        store.enter_count("motion", {"f": {"yes": 2}, "m": {"no": 1}}, actor="commission", group_by="sex")
    return path


def test_list_and_show(workspace):
    done = pbtools("hearing", "list", "--workspace", str(workspace), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"id": "h1", "type": "pb_vote", "date": "2026-05-14", "status": "open",
                                         "participants": 3, "ballots": 2}]
    done = pbtools("hearing", "list", "--workspace", str(workspace), "--lang", "ky")
    assert "h1" in done.stdout and "Ачык" in done.stdout and "катышуучулар: 3" in done.stdout
    done = pbtools("hearing", "show", "h1", "--workspace", str(workspace), "--json")
    data = json.loads(done.stdout)
    approval = next(q for q in data["questions"] if q["id"] == "approval")
    assert approval["tally"]["P2"] == 2 and approval["tally"]["P1"] == 1
    assert data["participants"]["women"] == 2
    done = pbtools("hearing", "show", "h1", "--workspace", str(workspace), "--lang", "ru")
    assert done.returncode == 0, done.stderr
    assert "Участников: 3, женщин: 2, мужчин: 1" in done.stdout
    # the built hearing has no venue: the line says the budget alone, no "Место: ;"
    assert "Место:" not in done.stdout and "Бюджет на проекты" in done.stdout


def test_unknown_hearing_and_workspace(workspace, tmp_path):
    done = pbtools("hearing", "show", "nope", "--workspace", str(workspace), "--lang", "ru")
    assert done.returncode == 2 and "Слушаний nope нет" in done.stderr
    done = pbtools("hearing", "list", "--workspace", str(tmp_path / "missing"))
    assert done.returncode == 2 and "There is no workspace" in done.stderr


def test_codes_csv_and_cards(workspace, tmp_path):
    out = tmp_path / "codes.csv"
    done = pbtools("hearing", "codes", "h1", "--count", "23", "--out", str(out), "--workspace", str(workspace))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == 23 and all(check_code(c) == [] for c in codes)
    pdf = out.with_suffix(".pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Count 3" in pdf  # 23 cards, ten to a page
    from pbtools.storage import open_workspace

    with open_workspace(workspace) as ws:  # the printed codes are the issued ones: each votes once
        store = HearingStore(ws, "h1")
        assert len(store.state.codes) == 23
        store.cast_typed("single", "1", actor="tablet", code=codes[0])
    done = pbtools("hearing", "codes", "h1", "--count", "0", "--out", str(out), "--workspace", str(workspace))
    assert done.returncode == 2 and "between 1 and" in done.stderr


@pytest.mark.parametrize("given, base", [("cards.pdf", "cards"), ("cards.csv", "cards"), ("cards", "cards"),
                                         ("cards.txt", "cards")])
def test_codes_csv_and_pdf_never_overwrite_each_other(workspace, tmp_path, given, base):
    # --out X.pdf used to get the CSV, then the PDF written over it: the issued codes were lost
    done = pbtools("hearing", "codes", "h1", "--count", "12", "--out", str(tmp_path / given), "--workspace", str(workspace))
    assert done.returncode == 0, done.stderr
    csv_path, pdf_path = tmp_path / f"{base}.csv", tmp_path / f"{base}.pdf"
    assert str(csv_path) in done.stdout and str(pdf_path) in done.stdout
    codes = [r["code"] for r in csv.DictReader(csv_path.open(encoding="utf-8"))]
    assert len(set(codes)) == 12 and all(check_code(c) == [] for c in codes)
    assert pdf_path.read_bytes().startswith(b"%PDF") and b"/Count 2" in pdf_path.read_bytes()
    from pbtools.storage import open_workspace
    from pbtools.hearings.codes import code_hash, code_key

    with open_workspace(workspace) as ws:  # the codes in the CSV are the ones recorded as issued
        assert {code_hash("h1", c, code_key(workspace)) for c in codes} <= HearingStore(ws, "h1").state.codes


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_agenda_export_imports_back_the_same(workspace, tmp_path, suffix):
    from pbtools.hearings.agenda_io import read_agenda
    from pbtools.storage import open_workspace

    out = tmp_path / f"agenda{suffix}"
    done = pbtools("hearing", "agenda", "h1", "--out", str(out), "--workspace", str(workspace), "--lang", "ru")
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    options, problems = read_agenda(out)
    assert problems == []
    with open_workspace(workspace) as ws:
        stored = HearingStore(ws, "h1").state.options
    assert len(stored) == 5 and {o.id: o for o in options} == stored


def test_agenda_export_refuses_other_files(workspace, tmp_path):
    done = pbtools("hearing", "agenda", "h1", "--out", str(tmp_path / "agenda.pdf"), "--workspace", str(workspace), "--lang", "ky")
    assert done.returncode == 2 and "agenda.pdf" in done.stderr and ".xlsx" in done.stderr
    assert not (tmp_path / "agenda.pdf").exists()
    done = pbtools("hearing", "agenda", "nope", "--out", str(tmp_path / "a.csv"), "--workspace", str(workspace))
    assert done.returncode == 2 and "nope" in done.stderr and not (tmp_path / "a.csv").exists()


def test_show_says_a_disputed_double_entry_pile(workspace):
    from pbtools.storage import open_workspace

    with open_workspace(workspace) as ws:
        store = HearingStore(ws, "h1")
        for entry, text in ((1, "1"), (1, "2"), (2, "1"), (2, "1")):  # two clerks disagree on ballot 2 of pile 1
            store.cast_typed("motion", text, actor=f"clerk {entry}", pile="1", entry=entry)
    done = pbtools("hearing", "show", "h1", "--workspace", str(workspace), "--lang", "ru")
    assert done.returncode == 0, done.stderr
    assert "«Send to the council», пачка 1: два ввода расходятся в 1 бюллетене (№ 2)" in done.stdout
    done = pbtools("hearing", "show", "h1", "--workspace", str(workspace), "--json")
    motion = next(q for q in json.loads(done.stdout)["questions"] if q["id"] == "motion")
    assert motion["disputed_piles"] == [{"pile": "1", "positions": [2]}]


def test_show_says_everything_in_the_language_asked(tmp_path_factory):
    """A new-user trial: `hearing show` in Russian printed the key «unknown» for a village not given, an untranslated
    «all:» line beside the total of an ungrouped show of hands, the municipality in Kyrgyz, and no invalid ballot."""
    from pbtools.hearings.model import UNKNOWN, label
    from pbtools.storage import open_workspace

    from tests.fixtures.demo import copy_demo, template

    path = copy_demo(template(tmp_path_factory), tmp_path_factory.mktemp("show") / "ws")  # the sample municipality
    with open_workspace(path) as ws:
        m = ws.municipality()
        store = build(ws, id="h9", municipality=m.name("ky"), villages=tuple(v.name("ky") for v in m.villages))
        store.register(Participant("f", "30_44", UNKNOWN), actor="door")
        store.register(Participant("m", "30_44", m.villages[0].name("ky")), actor="door")
        store.record_invalid("single", actor="clerk")
        store.cast_typed("single", "1", actor="clerk")
        store.enter_count("motion", {"all": {"yes": 2}}, actor="commission", group_by="")
        hearing = store.state.id
    done = pbtools("hearing", "show", hearing, "--workspace", str(path), "--lang", "ru")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith(m.name("ru") + " — ")  # no title: the municipality, as Russian names it
    assert "unknown" not in out and f"{label(UNKNOWN, 'ru')}: 1" in out and f"{m.villages[0].name('ru')}: 1" in out
    assert "all:" not in out and out.count("поднятием рук") == 1
    assert "недействительных 1" in out


def test_show_says_one_ballot_in_the_singular(tmp_path):
    """s28 L11: «1 ballots, 0 invalid»: the number's plural form, in English as in Russian and Kyrgyz."""
    from pbtools.storage import open_workspace

    with open_workspace(tmp_path / "ws") as ws:
        build(ws).cast_typed("approval", "1 2", actor="clerk")
    said = {lang: pbtools("hearing", "show", "h1", "--workspace", str(tmp_path / "ws"), "--lang", lang).stdout
            for lang in ("en", "ru", "ky")}
    assert ": 1 ballot, 0 invalid, 0 voided" in said["en"] and "1 ballots" not in said["en"]
    assert ": 0 ballots, 0 invalid" in said["en"]  # the question with none
    assert "бюллетеней 1, недействительных 0" in said["ru"] and "бюллетендер 1, жараксыз 0" in said["ky"]
