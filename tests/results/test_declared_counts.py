"""A Pabulib file whose META ``num_votes``/``num_projects`` is not what it holds (a download cut short at a line end
reads as a whole, smaller election): said by ``count_file``, so by ``pbtools tally`` (text and ``--json``) and the
Pabulib app, in ky, ru and en (s27 H2)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pbtools.counting.pabulib import read_pb
from pbtools.results import pabulib as pb
from pbtools.storage import open_workspace
from tests.shared_data import PABULIB, pabulib_file, pabulib_names

ROOT = Path(__file__).resolve().parents[2]
GDYNIA = "Poland_Gdynia_2023_Kamienna_Gora__small.pb"  # num_votes;161, num_projects;8
KEPT = 22  # vote rows kept in the cut copy: "22 голоса", a plural form of its own in Russian


def cut_copy(tmp_path: Path) -> Path:
    """Gdynia cut right after its 22nd vote row, at a line end, as a download that stopped there."""
    lines = pabulib_file(GDYNIA).read_bytes().splitlines(keepends=True)
    votes = next(i for i, line in enumerate(lines) if line.strip() == b"VOTES")
    path = tmp_path / "cut.pb"
    path.write_bytes(b"".join(lines[:votes + 2 + KEPT]))  # VOTES, its header row, 22 votes
    return path


@pytest.mark.parametrize("engine", ["native", "python"])
def test_a_file_cut_at_a_line_end_is_counted_with_a_note_naming_both_numbers(tmp_path, engine):
    election = read_pb(cut_copy(tmp_path), engine=engine)
    assert pb.declared_counts(election) == [pb.Declared("num_votes", 161, KEPT)]
    result = pb.count_file(election, engine=engine)
    assert result.options["declared"] == (pb.Declared("num_votes", 161, KEPT),)
    note = result.options["notes"][0]  # said first
    assert note.render("en") == ("The file says 161 votes (num_votes) but holds 22 votes: it may be cut short. "
                                 "Is it the whole file?")
    assert "161 голос " in note.render("ru") and "22 голоса:" in note.render("ru")
    assert "161 добуш " in note.render("ky") and "22 добуш " in note.render("ky")


def test_a_project_count_that_differs_is_said_too(tmp_path):
    path = tmp_path / "more.pb"
    path.write_bytes(pabulib_file(GDYNIA).read_bytes().replace(b"num_projects;8", b"num_projects;21", 1))
    (note,) = [d.message() for d in pb.declared_counts(read_pb(path))]
    assert "21 projects (num_projects) but holds 8 projects" in note.render("en")
    assert "21 проект " in note.render("ru") and "8 проектов:" in note.render("ru")


@pytest.mark.parametrize("lang", ["en", "ru", "ky"])
def test_the_command_says_it_first_and_in_json(tmp_path, lang):
    path = cut_copy(tmp_path)
    text = subprocess.run([sys.executable, "-m", "pbtools", "tally", str(path), "--lang", lang], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    said = pb.declared_counts(read_pb(path))[0].message().render(lang)
    assert text.returncode == 0 and text.stdout.splitlines()[0] == said and text.stdout.count(said) == 1
    if lang == "en":
        out = subprocess.run([sys.executable, "-m", "pbtools", "tally", str(path), "--json"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        assert json.loads(out.stdout)["declared"] == [{"key": "num_votes", "declared": 161, "read": KEPT}]


def test_the_app_says_it_on_opening_and_after_counting(tmp_path):
    from pbtools_widgets.pabulib_app import PabulibApp

    path = cut_copy(tmp_path)
    data = path.read_bytes()
    with open_workspace(tmp_path / "ws") as ws:
        app = PabulibApp(ws, lang="ru")
        app.upload.value = ({"name": path.name, "type": "", "size": len(data), "content": memoryview(data),
                             "last_modified": datetime.now(timezone.utc)},)
        said = pb.declared_counts(read_pb(path))[0].message().render("ru")
        assert said in app.about.value
        app.count_button.click()
        assert said in app.outcome.value


def test_every_shared_real_file_holds_what_its_meta_declares():
    """No real file differs (checked on all of ../shared/pabulib): the note speaks of a damaged file only."""
    assert PABULIB.is_dir() or pabulib_file(GDYNIA)
    differ = {name: pb.declared_counts(read_pb(PABULIB / name)) for name in pabulib_names()}
    assert {name: d for name, d in differ.items() if d} == {}
