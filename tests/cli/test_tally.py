"""``pbtools tally``: how it ends when its reader stops early (``pbtools tally FILE | head``), what it says of the
file's own outcome, and the README's row."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_data import pabulib_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("json", [False, True])
def test_a_reader_that_stops_early_gets_no_traceback(json):
    """s27 L3: ``pbtools tally FILE | head -3`` ended with a BrokenPipeError traceback."""
    args = [sys.executable, "-m", "pbtools", "tally", str(pabulib_file("Poland_Wieliczka_2023_Green_Budget.pb"))]
    proc = subprocess.Popen(args + (["--json"] if json else []), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line is written (the count takes longer than this)
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert stderr == ""


def test_the_readmes_tally_row_names_every_rule_score_and_option():
    """s27 L11: the row named neither ``mes-add1-ens`` nor ``--score``."""
    from pbtools.cli import build_parser
    from pbtools.counting.count import RULES
    from pbtools.counting.profile import SCORES

    row = next(line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("| `pbtools tally"))
    named = set(row.replace("\\|", " ").replace(",", " ").replace("[", " ").replace("]", " ").replace("`", " ").split())
    assert set(RULES) <= named and set(SCORES) <= named
    tally = next(a for a in build_parser("en")._subparsers._group_actions[0].choices.items() if a[0] == "tally")[1]
    options = {o for a in tally._actions for o in a.option_strings if o.startswith("--") and o not in ("--help", "--lang")}
    assert options <= named, options - named


def test_the_count_is_compared_with_the_files_official_outcome_in_text_and_json(tmp_path):
    """s27 L5: the app said whether a count funds the projects the file marks selected; the command did not."""
    import json

    from tests.results.test_pabulib_view import FILE

    def tally(path, *more):
        out = subprocess.run([sys.executable, "-m", "pbtools", "tally", str(path), *more], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout

    path = tmp_path / "mock.pb"
    path.write_text(FILE)  # selected: 1 and 2, which greedy funds with the file's threshold
    assert "The same projects as the official outcome." in tally(path)
    assert "Те же проекты, что и в официальном итоге." in tally(path, "--lang", "ru")
    data = json.loads(tally(path, "--json"))
    assert data["official"] == ["1", "2"] and data["same_as_official"] is True
    other = json.loads(tally(path, "--json", "--rule", "phragmen", "--ignore-file-limits"))
    assert other["same_as_official"] is (set(other["selected"]) == {"1", "2"})
    marked = tmp_path / "marked.pb"  # the file says 1 and 3 were funded
    marked.write_text(FILE.replace("2;40;Street lights;1", "2;40;Street lights;0").replace("3;30;Playground;0", "3;30;Playground;1"))
    assert ("Not the official outcome: funded here but not officially: 2; funded officially but not here: 3."
            in tally(marked))
    assert json.loads(tally(marked, "--json"))["same_as_official"] is False
    unmarked = tmp_path / "unmarked.pb"
    unmarked.write_text(FILE.replace("project_id;cost;name;selected", "project_id;cost;name;x"))
    data = json.loads(tally(unmarked, "--json"))
    assert data["official"] is None and data["same_as_official"] is None
    assert "official" not in tally(unmarked)


def test_projects_are_named_in_the_lang_asked_where_the_file_names_them_so(tmp_path):
    """A hearing's export (name: Kyrgyz; name_ru, name_en) was told by project id only, whatever --lang; --json keeps
    its keys and ids and adds each project's name in --lang."""
    import json

    from tests.results.test_pabulib_view import FILE

    path = tmp_path / "hearing.pb"
    path.write_text(FILE.replace("project_id;cost;name;selected", "project_id;cost;name;selected;name_ru;name_en")
                    .replace("3;30;Playground;0", "3;30;Playground;0;;").replace("4;10;Bench;0", "4;10;Bench;0;;")
                    .replace("1;60;School roof;1", "1;60;Мектептин чатыры;1;Крыша школы;School roof")
                    .replace("2;40;Street lights;1", "2;40;Street lights;1;;"))

    def tally(*more):
        out = subprocess.run([sys.executable, "-m", "pbtools", "tally", str(path), *more], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout

    said = tally("--lang", "ru")
    assert "1 Крыша школы (голосов: 4)" in said and "Выбрано (2): 1 Крыша школы, 2 Street lights" in said
    assert "Мектептин" not in said and "School roof" not in said
    assert "Тандалды (2): 1 Мектептин чатыры, 2 Street lights" in tally("--lang", "ky")
    data = json.loads(tally("--json", "--lang", "en"))
    assert data["selected"] == ["1", "2"] and data["names"] == {"1": "School roof", "2": "Street lights", "3": "Playground", "4": "Bench"}
    assert json.loads(tally("--json", "--lang", "ru"))["names"]["1"] == "Крыша школы"


@pytest.mark.parametrize("lang, missing, folder", [
    ("ru", "Файла", "это папка, а не файл"), ("ky", "файлы жок", "бул папка, файл эмес"),
    ("en", "There is no file", "is a folder, not a file")])
def test_a_file_that_cannot_be_read_is_said_in_the_users_language_and_as_json(tmp_path, lang, missing, folder):
    """s27 L4: the system's words stayed English ("No such file or directory" under --lang ru), and --json said its
    errors as plain text only."""
    import json

    def tally(path, *more):
        return subprocess.run([sys.executable, "-m", "pbtools", "--lang", lang, "tally", str(path), *more], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)

    gone = tally(tmp_path / "nothing.pb")
    assert gone.returncode == 1 and missing in gone.stderr and "No such file" not in gone.stderr
    assert folder in tally(tmp_path).stderr
    as_json = tally(tmp_path / "nothing.pb", "--json")
    assert as_json.returncode == 1 and missing in json.loads(as_json.stdout)["error"]
