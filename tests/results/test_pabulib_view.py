"""A Pabulib election for the screens: what the file says, what each rule picks, and the official outcome."""

from __future__ import annotations

from decimal import Decimal

from pbtools.counting.count import RULES, count
from pbtools.counting.pabulib import parse_pb, read_pb
from pbtools.fmt import money
from pbtools.results import pabulib as pb
from tests.native_built import require_native
from tests.shared_data import pabulib_file

# Greedy by supporters takes 1 and 2 (4 supporters each, the tie to 1 by id), which fill the budget. Under Equal
# Shares the 4 supporters of 1 hold 4 x 100/7 < 60 between them: 1 is never bought, so MES is not the official outcome.
FILE = """META
key;value
country;Kyrgyzstan
unit;Ak-Suu
instance;2026
description;A mock vote
budget;100
vote_type;approval
rule;greedy
currency;EUR
min_project_score_threshold;2
PROJECTS
project_id;cost;name;selected
1;60;School roof;1
2;40;Street lights;1
3;30;Playground;0
4;10;Bench;0
VOTES
voter_id;vote
a;1
b;1
c;1,3
d;1,2
e;2,3
f;2,3
g;2,4
"""


def election():
    return parse_pb(FILE, "mock.pb")


def test_facts_say_what_the_file_says():
    f = pb.facts(election())
    assert f.title == "Kyrgyzstan · Ak-Suu · 2026" and f.description == "A mock vote"
    assert (f.voters, f.projects, f.budget, f.currency) == (7, 4, Decimal(100), "EUR")
    assert f.official_rule == "greedy" and f.official == ("1", "2") and f.min_score == 2
    assert pb.default_rule(f) == "greedy"


def test_no_selected_column_means_no_official_outcome():
    e = parse_pb(FILE.replace("project_id;cost;name;selected", "project_id;cost;name;x"), "mock.pb")
    assert pb.facts(e).official is None
    assert pb.versus_official(e, count(e, "greedy")) is None
    assert all(row.official is None for row in pb.rows(e, {"greedy": count(e, "greedy")}, "en"))


def with_points(text: str) -> str:
    """The VOTES of ``text`` with one point per chosen option."""
    head, votes = text.split("VOTES\n", 1)
    lines = votes.splitlines()
    rows = [lines[0] + ";points"] + [f"{line};{','.join('1' for _ in line.split(';')[1].split(','))}" for line in lines[1:] if line]
    return head + "VOTES\n" + "\n".join(rows) + "\n"


def test_scores_each_rule_can_count():
    assert pb.scores("approval", "mes") == ("support",)
    assert pb.scores("cumulative", "mes") == ("support", "points")
    assert pb.scores("ordinal", "greedy") == ("support", "borda")
    assert pb.scores("ordinal", "mes-add1") == ("support",)  # MES has no Borda
    assert pb.scores("cumulative", "phragmen") == ("support",)  # Phragmén counts supporters only
    for vote_type in ("approval", "cumulative", "ordinal"):
        for rule in RULES:  # what is offered is what count() takes
            text = FILE.replace("vote_type;approval", f"vote_type;{vote_type}")
            if vote_type == "cumulative":  # a points file must say the points (the reader refuses it otherwise)
                text = with_points(text)
            e = parse_pb(text, "mock.pb")
            for score in pb.scores(vote_type, rule):
                count(e, rule, score=score)


def test_rows_follow_the_lead_rules_order_and_mark_every_rules_picks():
    e = election()
    results = {rule: count(e, rule) for rule in ("greedy", "mes")}
    for lead in results:
        rows = pb.rows(e, results, "en", lead=lead)
        chosen = results[lead].selected
        assert tuple(r.project for r in rows[: len(chosen)]) == chosen  # funded first, in the order bought
        for row in rows:
            for rule, result in results.items():
                place = row.picked[rule]
                assert (place is None) == (row.project not in result.selected)
                assert place is None or result.selected[place - 1] == row.project
            assert row.official == (row.project in ("1", "2"))
    supporters = {r.project: r.supporters for r in pb.rows(e, results, "en")}
    assert supporters == {"1": 4, "2": 4, "3": 3, "4": 1}


def test_the_official_outcome_is_compared_by_projects():
    e = election()
    greedy = count(e, "greedy")
    assert set(greedy.selected) == {"1", "2"}
    assert pb.versus_official(e, greedy).render("en") == "The same projects as the official outcome."
    mes = count(e, "mes")
    assert set(mes.selected) != {"1", "2"}
    said = pb.versus_official(e, mes).render("ru")
    extra, missing = sorted(set(mes.selected) - {"1", "2"}), sorted({"1", "2"} - set(mes.selected))
    assert "официальн" in said and ", ".join(extra) in said and ", ".join(missing) in said


def test_the_explanation_names_the_projects():
    e = election()
    lines = pb.named(count(e, "greedy"), e).explain("en")
    assert any("1 School roof" in line for line in lines) and any("2 Street lights" in line for line in lines)


def test_a_citys_official_equal_shares_outcome_is_found_by_its_own_rule():
    e = read_pb(pabulib_file("Poland_Swiecie_2023.pb"))
    f = pb.facts(e)
    rule = pb.default_rule(f)
    assert (f.official_rule, rule) == ("equalshares/add1", "mes-add1-ens")
    result = count(e, rule, score=pb.default_score(f, rule))
    assert pb.versus_official(e, result).render("en") == "The same projects as the official outcome."
    assert money(f.budget, "ru", currency=f.currency) == "1\u00a0070\u00a0000\u00a0PLN"


GROUPED = FILE.replace("voter_id;vote\n", "voter_id;vote;age;sex;district;note\n").replace(
    "a;1\nb;1\nc;1,3\nd;1,2\ne;2,3\nf;2,3\ng;2,4\n",
    "a;1;17;F;North;x1\nb;1;25;M;North;x2\nc;1,3;61;F;South;x3\nd;1,2;None;f;North;x4\ne;2,3;44;M;;x5\nf;2,3;45;F;South;x6\ng;2,4;30;K;South;x7\n")


def test_ages_fall_in_the_hearings_age_groups():
    assert [pb.age_group(a) for a in ("17", "18", "29", "30", "44", "45", "59", "60", "99")] == [
        "under_18", "18_29", "18_29", "30_44", "30_44", "45_59", "45_59", "60_plus", "60_plus"]
    assert pb.age_group("") == pb.age_group("about 40") == ""


def test_votes_by_group_add_up_to_the_votes():
    e = parse_pb(GROUPED, "mock.pb")
    # "note" has a value per voter (7 values, allowed) but one voter each: still a field; known fields come first
    assert pb.voter_fields(e)[:3] == ["sex", "age", "district"]
    by_sex = pb.groups(e, "sex")
    assert [(g.value, g.voters) for g in by_sex] == [("f", 4), ("m", 2), ("k", 1)]  # "F" and "f" are one group
    supporters = {r.project: r.supporters for r in pb.rows(e, {}, "en")}
    for field in ("sex", "age", "district"):
        found = pb.groups(e, field)
        assert sum(g.voters for g in found) == 7
        for pid, n in supporters.items():
            assert sum(g.votes.get(pid, 0) for g in found) == n
    ages = [g.value for g in pb.groups(e, "age")]
    assert ages == ["under_18", "18_29", "30_44", "45_59", "60_plus", ""]  # young to old, the unknown last
    assert pb.groups(e, "district")[-1].value == ""  # e gave no district



def test_names_are_put_into_an_explanation_only_when_it_is_read():
    """Rules compared on a screen show one explanation: naming the others' projects makes no step of theirs (greedy's
    steps, an Add1 count's final run and its ties), and what is read then is what naming the made steps gives."""
    require_native()  # the compiled engine's Add1 count leaves its final run to be made when read
    e = read_pb(pabulib_file("Poland_Swiecie_2023.pb"))
    first = pb.project_label(e.projects[0], "en")
    for rule, engine in (("greedy", "python"), ("greedy", "native"), ("mes-add1", "native")):
        made = count(e, rule, engine=engine)
        tuple(made.steps), tuple(made.ties)  # made before naming
        counted = count(e, rule, engine=engine)
        named = pb.named(counted, e)
        assert named.steps._list is None and counted.steps._list is None, rule  # nothing made by naming
        if rule == "mes-add1":
            assert named.ties._list is None, rule
        assert named.explain("ru") == pb.named(made, e).explain("ru"), rule
        assert any(first in line for line in named.explain("ky")), rule
        assert [t.message.render("en") for t in named.ties] == [t.message.render("en") for t in pb.named(made, e).ties]


def test_a_files_names_per_language_name_its_projects_in_the_language_shown():
    """A hearing's export names its projects in ru and en beside the Kyrgyz ``name``: the table's labels and the
    explanation (steps, ties, notes) follow the language it is read in; a name the file lacks falls back to ``name``."""
    e = parse_pb(FILE.replace("project_id;cost;name;selected", "project_id;cost;name;selected;name_ru;name_en")
                 .replace("3;30;Playground;0", "3;30;Playground;0;;").replace("4;10;Bench;0", "4;10;Bench;0;;")
                 .replace("1;60;School roof;1", "1;60;Мектептин чатыры;1;Крыша школы;School roof")
                 .replace("2;40;Street lights;1", "2;40;Көчө жарыгы;1;;Street lights"))
    named = pb.named(pb.count_file(e, "greedy"), e)
    for lang, school, lights in (("ky", "Мектептин чатыры", "Көчө жарыгы"), ("ru", "Крыша школы", "Көчө жарыгы"),
                                 ("en", "School roof", "Street lights")):
        assert [r.label for r in pb.rows(e, {"greedy": named}, lang)][:2] == [f"1 {school}", f"2 {lights}"]
        said = "\n".join(named.explain(lang))
        assert f"1 {school}" in said and f"2 {lights}" in said, said
    assert pb.project_names(e, "ru") == {"1": "Крыша школы", "2": "Көчө жарыгы", "3": "Playground", "4": "Bench"}
    assert pb.project_label(parse_pb(FILE.replace(";name;", ";title;")).projects[0], "ru") == "1"  # no name: the id
