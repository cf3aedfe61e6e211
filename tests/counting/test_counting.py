"""Behaviour of count(): tie rules, explanations in three languages, eligibility, areas, caps, the CLI."""

import json
import re
import subprocess
import sys
from decimal import Decimal

import pytest

from pbtools.counting.count import CountError, count
from pbtools.counting.model import Ballot, Election, Project
from pbtools.counting.steps import AreaBudget
from pbtools.counting.ties import TieRule


def election(costs, ballots, budget, vote_type="approval", areas=None, sectors=None):
    projects = tuple(
        Project(pid, Decimal(c), {"": f"Option {pid}"}, (areas or {}).get(pid), (sectors or {}).get(pid)) for pid, c in costs.items()
    )
    return Election(projects, [Ballot(tuple(b), voter_id=f"v{i}") for i, b in enumerate(ballots)], Decimal(budget), vote_type)


def test_field_tie_rule_prefers_cheaper_then_more_votes_then_lot():
    e = election({"a": 5, "b": 3, "c": 3}, [["a", "b", "c"]] * 2, 5)
    r = count(e, "greedy", tie_rule=TieRule("field", seed=1))
    assert r.selected == ("b",) or r.selected == ("c",)
    assert r.ties and r.ties[0].criterion == "lot" and set(r.ties[0].tied) == {"a", "b", "c"}
    # the same seed draws the same lot; another seed may not
    assert count(e, "greedy", tie_rule=TieRule("field", seed=1)).selected == r.selected
    seeds = {count(e, "greedy", tie_rule=TieRule("field", seed=s)).selected for s in range(20)}
    assert seeds == {("b",), ("c",)}
    lex = count(e, "greedy")
    assert lex.selected == ("a",) and lex.ties[0].criterion == "id"


def test_greedy_explanation_gives_running_total_and_reasons_in_three_languages():
    e = election({"1": 60, "2": 50, "3": 30}, [["1", "2"], ["1"], ["2", "3"], ["1"]], 100)
    r = count(e, "greedy")
    assert r.selected == ("1", "3") and r.total_cost == 90
    assert [s.kind for s in r.steps] == ["take", "skip", "take"]
    assert r.steps[1].left_before == 40
    en, ru, ky = r.explain("en"), r.explain("ru"), r.explain("ky")
    assert "skipped" in en[1] and "40" in en[1]
    assert "пропускается" in ru[1] and "40" in ru[1]
    assert "өткөрүлүп" in ky[1]
    no_skip = count(e, "greedy-no-skip")
    assert no_skip.selected == ("1",) and no_skip.steps[-1].kind == "stop"


def test_mes_explains_who_paid_and_how_much():
    e = election({"x": 30, "y": 40}, [["x"], ["x", "y"], ["y"], ["y"]], 100)
    r = count(e, "mes")
    buy = r.steps[0]
    assert buy.kind == "buy"
    paid = sum(p["voters"] * p["each"] for p in buy.payments)
    assert paid == buy.cost
    ids = sorted(v for p in buy.payments for v in p["voter_ids"])
    supporters = sorted(b.voter_id for b in e.ballots if buy.project in b.choice)
    assert ids == supporters
    assert "Раунд 1" in buy.message.render("ru") and "айлампа" in buy.message.render("ky")


@pytest.mark.parametrize("rule", ["greedy", "mes", "phragmen"])
def test_explained_amounts_say_their_currency(rule):
    """Read aloud, "costs 60, only 40 is left" leaves the hall guessing; every amount says som (or the file's unit)."""
    e = election({"1": 60, "2": 50, "3": 30}, [["1", "2"], ["1"], ["2", "3"], ["1"]], 100)
    for currency, unit in (("KGS", {"ru": "сом", "ky": "сом", "en": "som"}), ("EUR", {"ru": "€", "ky": "€", "en": "€"})):
        e.currency = currency
        r = count(e, rule)
        for lang in ("ky", "ru", "en"):
            for line in r.explain(lang):
                assert unit[lang] in line, (lang, line)
        cost = r.steps[0].message.params["cost"].render("en")
        assert cost.endswith(unit["en"]) and cost[0].isdigit()


def test_eligibility_threshold_removes_options_first():
    e = election({"a": 10, "b": 10}, [["a"], ["a"], ["b"]], 100)
    r = count(e, "greedy", min_votes=2)
    assert r.selected == ("a",) and r.steps[0].kind == "ineligible" and r.steps[0].project == "b"
    assert count(e, "mes", min_share=Decimal("0.5")).selected == ("a",)


def test_area_budgets_count_each_village_on_its_own():
    areas = {"n1": "North", "n2": "North", "s1": "South"}
    e = election({"n1": 50, "n2": 50, "s1": 80}, [["n1", "s1"], ["n1"], ["n2"], ["s1"]], 0, areas=areas)
    r = count(e, "greedy", area_budgets={"North": Decimal(60), "South": Decimal(80)})
    assert r.selected == ("n1", "s1") and r.total_cost == 130
    assert [s.area for s in r.steps if isinstance(s, AreaBudget)] == ["North", "South"]


def test_sector_caps_hold_on_every_rule():
    sectors = {"a": "roads", "b": "roads", "c": "water"}
    e = election({"a": 40, "b": 40, "c": 40}, [["a", "b"], ["a", "b"], ["c"]], 120, sectors=sectors)
    for rule in ("greedy", "mes-add1", "phragmen"):
        r = count(e, rule, sector_caps={"roads": Decimal(50)})
        roads = sum(40 for p in r.selected if sectors[p] == "roads")
        assert roads <= 50, rule
        assert "c" in r.selected


def test_unknown_rule_and_borda_mes_are_refused_clearly():
    e = election({"a": 1}, [["a"]], 1, vote_type="ordinal")
    with pytest.raises(CountError) as err:
        count(e, "knapsack")
    assert "knapsack" in err.value.message.render("ky")
    with pytest.raises(CountError):
        count(e, "mes", score="borda")


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "pbtools", "tally", *args], capture_output=True, text=True, timeout=120)


def test_tally_prints_exactly_one_json_object(tmp_path):
    from pbtools.counting.pabulib import write_pb

    e = election({"1": 60, "2": 50, "10": 50}, [["1", "2", "10"], ["2", "10"]], 100)
    path = tmp_path / "e.pb"
    write_pb(e, path)
    out = run_cli(str(path), "--rule", "greedy", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["rule"] == "greedy" and data["selected"] == list(count(e, "greedy").selected) == ["10", "2"]
    assert data["total_cost"] == 100 and data["ties"][0]["tied"] == ["10", "2"]


def test_tally_reports_a_bad_file_in_the_chosen_language(tmp_path):
    path = tmp_path / "bad.pb"
    path.write_text("META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;ten\nVOTES\nvoter_id;vote\n")
    out = run_cli(str(path), "--lang", "ru")
    assert out.returncode == 1 and "строка 7" in out.stderr and "ten" in out.stderr


def test_a_long_add1_count_says_how_far_it_is(capsys, monkeypatch):
    from pbtools.cli import tally

    e = election({"a": 40, "b": 70, "c": 90}, [["a", "b"], ["b"], ["c"], ["a", "c"]] * 3, 150)
    heard = []
    result = count(e, "mes-add1", progress=lambda budget, runs: heard.append((budget, runs)))
    assert [runs for _, runs in heard] == list(range(1, result.options["runs"] + 1))
    assert [b for b, _ in heard] == sorted(b for b, _ in heard) and heard[0][0] == Decimal(150) / 12
    monkeypatch.setattr(tally, "PROGRESS_EVERY", 0.0)
    tally._progress("ky", "KGS")(Decimal("4512.6"), 300)
    said = re.sub(r"\s", " ", capsys.readouterr().err.strip())  # Babel groups digits with a no-break space
    assert said == "Эсептөө уланууда: ар бир шайлоочунун бюджети азыр 4 513 KGS (азырынча 300 эсептөө)."


def test_option_counts_break_down_by_voter_attribute_and_check_quorum():
    from pbtools.counting.tallies import option_counts, quorum_met

    ballots = [
        Ballot(("a", "b"), None, {"sex": "F", "village": "Ak-Suu"}, "1"),
        Ballot(("a",), None, {"sex": "M"}, "2", weight=2),
        Ballot((), None, {"sex": "F"}, "3"),
    ]
    e = Election([Project("a", Decimal(1)), Project("b", Decimal(1))], ballots, Decimal(1), "ordinal")
    counts = option_counts(e, by=("sex", "village"))
    assert counts["a"].votes == 3 and counts["a"].breakdown["sex"] == {"F": 1, "M": 2}
    assert counts["a"].breakdown["village"] == {"Ak-Suu": 1, "": 2}
    assert counts["a"].borda == 2 + 2 * 2 and counts["b"].borda == 1
    assert quorum_met(e, 4) and not quorum_met(e, 5)


def test_mes_says_apart_the_supporters_who_have_nothing_left():
    """v2 spent all on 1 and 2 before round 3: a supporter of 0, but paying nothing, so not among those who pay
    ("2 people pay all they have left" read wrong when they had nothing)."""
    e = election({"0": 10, "1": 20, "2": 20}, [["0"], ["2"], ["0", "1", "2"], ["2"], ["1"], ["1"]], 60)
    r = count(e, "mes")
    last = r.steps[-1]
    assert r.selected == ("1", "2", "0") and last.project == "0"
    paid = {v: p["each"] for p in last.payments for v in p["voter_ids"]}
    assert paid == {"v0": 10, "v2": 0}  # both supporters are in the record of who paid
    assert last.message.render("en").replace("\u00a0", " ") == ("Round 3: 0 is bought for 10 som. Supporters who pay: 1, each at most 10 som. "
                                         "Supporters with nothing left, who pay nothing: 1.")
    assert "ничего не осталось" in last.message.render("ru") and "эч нерсеси калган жок" in last.message.render("ky")
    assert all("nothing left" not in m for m in r.explain("en")[:2])


def test_each_kind_of_step_is_its_own_type_with_its_figures():
    """The explanation is typed: a screen reads a greedy step's money left or an Equal Shares purchase's price from
    fields, not from a dict, and the kinds in words still name them."""
    from pbtools.counting.steps import Buy, Select, Skip, Take

    e = election({"a": 60, "b": 50, "c": 30}, [["a", "b"], ["a"], ["b", "c"], ["a"]], 100)
    greedy = count(e, "greedy")
    assert [type(s) for s in greedy.steps] == [Take, Skip, Take]
    assert greedy.steps[1].reason == "budget" and greedy.steps[1].left_before == 40 and greedy.steps[1].kind == "skip"
    assert greedy.steps[2].total_after == 90
    mes = count(e, "mes")
    buys = [s for s in mes.steps if isinstance(s, Buy)]
    assert buys and all(sum(p["voters"] * p["each"] for p in s.payments) == s.cost for s in buys)
    assert [s.round for s in buys] == list(range(1, len(buys) + 1))
    phragmen = count(e, "phragmen")
    assert all(isinstance(s, Select) for s in phragmen.steps if s.project in phragmen.selected)
    assert greedy.steps[0].data["cost"] == 60 and "message" not in greedy.steps[0].data
