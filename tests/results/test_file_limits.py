"""A Pabulib file counted the same by ``pbtools tally`` and the Pabulib app: the file's own limits by default (as
the city applied them), without them on request (as pabutools), and both say which limits they applied."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pbtools.counting.count import count
from pbtools.counting.pabulib import parse_pb, read_pb
from pbtools.results import pabulib as pb
from pbtools.storage import open_workspace
from tests.results.test_pabulib_view import FILE
from tests.shared_data import pabulib_file

ROOT = Path(__file__).resolve().parents[2]




def tally(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", "tally", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_warszawa_2026_add1_counts_the_same_in_the_command_and_the_app(tmp_path):
    """Issue 14: the command funded 49 projects where the app funded 24 (it ignored the file's 3000-vote threshold)."""
    from pbtools_widgets.pabulib_app import PabulibApp

    path = pabulib_file("Poland_Warszawa_2026.pb")
    election = read_pb(path)
    assert pb.file_limits(election) == [pb.Limit("min_project_score_threshold", 3000)]
    cli = json.loads(tally(str(path), "--rule", "mes-add1", "--json").stdout)
    assert cli["limits"] == [{"key": "min_project_score_threshold", "value": 3000}] and cli["ignored_limits"] == []
    raw = json.loads(tally(str(path), "--rule", "mes-add1", "--ignore-file-limits", "--json").stdout)
    assert raw["limits"] == [] and raw["ignored_limits"] == cli["limits"]
    # without the limits: as pabutools counts it (the counting core's plain call, compared with pabutools elsewhere)
    assert raw["selected"] == list(count(election, "mes-add1").selected) != cli["selected"]
    assert len(cli["selected"]) < len(raw["selected"])  # the threshold leaves projects out (24 against 49)

    with open_workspace(tmp_path / "ws") as ws:
        app = PabulibApp(ws, lang="en")
        data = path.read_bytes()
        app.upload.value = ({"name": path.name, "type": "", "size": len(data), "content": memoryview(data),
                             "last_modified": datetime.now(timezone.utc)},)
        assert "a score below 3,000" in app.about.value and app.ignore_limits.layout.display != "none"
        app.rule.value = "mes-add1"
        app.count_button.click()
        assert list(app.results["mes-add1"].selected) == cli["selected"]
        assert "Limits of the file applied" in app.outcome.value
        app.ignore_limits.value = True  # the switch: as pabutools
        assert app.results == {}  # the count made with the limits no longer holds
        app.count_button.click()
        assert list(app.results["mes-add1"].selected) == raw["selected"]
        assert "without the file's limits" in html.unescape(app.outcome.value)


@pytest.mark.parametrize("lang", ["en", "ru", "ky"])
def test_the_text_output_lists_the_limits(tmp_path, lang):
    path = tmp_path / "mock.pb"
    path.write_text(FILE)
    text = tally(str(path), "--lang", lang).stdout
    assert "min_project_score_threshold" in text and "2" in text.splitlines()[0]
    ignored = tally(str(path), "--lang", lang, "--ignore-file-limits").stdout
    assert "--ignore-file-limits" in ignored.splitlines()[0]
    assert text.splitlines()[0] != ignored.splitlines()[0]


def test_the_commands_default_rule_is_the_files_as_in_the_app(tmp_path):
    path = tmp_path / "mock.pb"
    path.write_text(FILE.replace("rule;greedy", "rule;equalshares"))
    out = json.loads(tally(str(path), "--json").stdout)
    assert out["rule"] == pb.default_rule(pb.facts(parse_pb(path.read_text()))) == "mes"


def test_a_greedy_threshold_file_is_named_in_the_screens_language_and_counted_greedily_with_its_threshold(tmp_path):
    """Warszawa 2026 (and six other Polish files) name their rule "greedy-threshold": the app wrote that raw in a
    Russian screen ("Официальное правило (как в файле): greedy-threshold."); it is the greedy rule with the file's
    threshold, so it is said as such and counted so, by the command and the app alike."""
    from pbtools_widgets.pabulib_app import PabulibApp

    path = tmp_path / "threshold.pb"
    path.write_text(FILE.replace("rule;greedy", "rule;greedy-threshold"))
    election = parse_pb(path.read_text())
    assert pb.default_rule(pb.facts(election)) == "greedy"
    out = json.loads(tally(str(path), "--json").stdout)
    assert out["rule"] == "greedy" and out["limits"] == [{"key": "min_project_score_threshold", "value": 2}]
    assert out["selected"] == list(count(election, "greedy", min_points=2).selected)
    data = path.read_bytes()
    for lang in ("ru", "ky", "en"):
        with open_workspace(tmp_path / f"ws-{lang}") as ws:
            app = PabulibApp(ws, lang=lang)
            app.upload.value = ({"name": path.name, "type": "", "size": len(data), "content": memoryview(data),
                                 "last_modified": datetime.now(timezone.utc)},)
            greedy = app._(pb.NAMES["greedy"])
            assert f"{greedy} (greedy-threshold)" in app.about.value.replace("&#x27;", "'")
            assert app.rule.value == "greedy"
            app.count_button.click()
            assert list(app.results["greedy"].selected) == out["selected"]


def test_a_pabulib_count_funding_a_project_nobody_voted_for_says_so():
    """pabutools' greedy takes a project without votes last if it fits: kept, and said."""
    text = FILE.replace("min_project_score_threshold;2\n", "").replace("4;10;Bench;0", "4;10;Bench;0\n5;0;Nothing;0")
    text = text.replace("g;2,4", "g;2").replace("budget;100", "budget;110")  # 1 and 2 take 100; the bench fits
    election = parse_pb(text)
    result = pb.named(pb.count_file(election, "greedy"), election)
    assert pb.unsupported_funded(election, result) == ["4", "5"] == [p for p in result.selected if p in ("4", "5")]
    (note,) = result.options["notes"]
    for lang in ("en", "ru", "ky"):
        assert "4 Bench, 5 Nothing" in note.render(lang)
    assert "pabutools" in note.render("en")
    assert pb.count_file(election, "mes").options["notes"] == ()  # Equal Shares never funds one


@pytest.mark.parametrize("written, read", [("2", 2), ("²", None), ("٢", None), ("２", None), ("0", None)])
def test_a_threshold_in_digits_that_are_not_ascii_is_no_threshold(written, read):
    # str.isdigit() takes "²", which int() refuses: a .pb anyone may hand over must not crash the app
    election = parse_pb(FILE.replace("min_project_score_threshold;2", f"min_project_score_threshold;{written}"))
    assert pb.facts(election).min_score == read


@pytest.mark.parametrize("written, group", [("34", "30_44"), (" 17 ", "under_18"), ("3²", ""), ("٣٤", ""), ("３４", ""), ("", "")])
def test_a_voters_age_is_read_from_ascii_digits_only(written, group):
    assert pb.age_group(written) == group


POINTS_FILE = """META
key;value
num_projects;3
num_votes;4
budget;100
vote_type;cumulative
rule;greedy-threshold
min_project_score_threshold;10
PROJECTS
project_id;cost;votes;score;name;selected
1;60;1;9;Few voters, many points;1
2;60;3;6;Many voters, few points;0
3;30;2;4;Cheap;0
VOTES
voter_id;vote;points
a;1,2;9,1
b;2,3;3,2
c;2,3;2,2
d;;
"""


def test_a_points_files_threshold_is_on_the_points_given_not_the_voters(tmp_path):
    """Częstochowa 2025 (points ballots, min_project_score_threshold 300): the threshold was read as a number of
    voters, 20 of 26 projects left out and 5 funded where the city funded 13 (new-user trial s27 H1). Pabulib's score
    is the points given: project 1 (one voter, 9 points) passes a threshold of 9, project 2 (three voters, 6 points)
    does not; with a threshold of 10 neither does."""
    path = tmp_path / "points.pb"
    path.write_text(POINTS_FILE.replace("threshold;10", "threshold;9"))
    election = parse_pb(path.read_text())
    result = pb.named(pb.count_file(election), election)
    assert result.selected == ("1",)  # 2 and 3 have 6 and 4 points, under 9: not eligible
    out = {s.project: s for s in result.steps if getattr(s, "kind", "") == "ineligible"}
    assert set(out) == {"2", "3"} and out["2"].points == 6 and out["2"].min_points == 9
    assert "6 points, fewer than the 9 needed" in out["2"].message.render("en")
    assert "баллов 6" in out["2"].message.render("ru") and "6 упай" in out["2"].message.render("ky")
    cli = json.loads(tally(str(path), "--json").stdout)
    assert cli["selected"] == ["1"] and cli["limits"] == [{"key": "min_project_score_threshold", "value": 9}]
    assert pb.count_file(parse_pb(POINTS_FILE)).selected == ()  # 9 points is under 10: nothing eligible
    limit, = pb.file_limits(election)
    assert "a score below 9" in limit.message().render("en") and "оценкой меньше 9" in limit.message().render("ru")


def test_czestochowas_official_outcomes_are_reproduced_with_their_threshold():
    for name, funded in (("Poland_Czestochowa_2025_Polnoc.pb", 13), ("Poland_Czestochowa_2025.pb", 3)):
        election = read_pb(pabulib_file(name))
        official = set(pb.facts(election).official)
        assert len(official) == funded
        assert set(pb.count_file(election).selected) == official, name
        assert set(pb.count_file(election, engine="python").selected) == official, name
