"""A file whose rule is ``equalshares/add1-comparison`` (Wieliczka 2023, pabulib's copy): counted by Equal Shares as on
equalshares.net by default, with a note that the city's comparison with greedy is not made by pbtools (s27 M1: it
was counted by greedy without a word, 23 projects against the 30 official)."""

from __future__ import annotations

from pbtools.counting.pabulib import read_pb
from pbtools.results import pabulib as pb
from tests.shared_data import pabulib_file

WIELICZKA = "Poland_Wieliczka_2023_Green_Budget.pb"


def test_a_compared_file_is_counted_by_equal_shares_with_a_note_and_matches_the_official_outcome():
    election = read_pb(pabulib_file(WIELICZKA))
    f = pb.facts(election)
    assert f.official_rule == "equalshares/add1-comparison" and pb.default_rule(f) == "mes-add1-ens"
    result = pb.count_file(election)
    assert result.rule == "mes-add1-ens"
    assert set(result.selected) == set(f.official) and len(f.official) == 30
    assert pb.versus_official(election, result).render("en") == "The same projects as the official outcome."
    (note,) = result.options["notes"]
    assert "pbtools does not make that comparison" in note.render("en")
    assert "pbtools такого сравнения не делает" in note.render("ru")
    assert "pbtools мындай салыштырбайт" in note.render("ky")
    assert "(equalshares/add1-comparison)" in pb.official_rule(f).render("ru")  # named as the rule counted, and as written
    assert pb.count_file(election, "greedy").options["notes"] == ()  # no word of it where the user chose another rule


def test_a_rule_pbtools_does_not_count_is_said_when_greedy_counts_instead():
    """Poznań 2026's "greedy-custom" (and any name pbtools does not know) was counted by greedy without a word."""
    from pbtools.counting.pabulib import parse_pb
    from tests.results.test_pabulib_view import FILE

    election = parse_pb(FILE.replace("rule;greedy", "rule;greedy-custom"))
    result = pb.count_file(election)
    assert result.rule == "greedy"
    said = {lang: [n.render(lang) for n in result.options["notes"]] for lang in ("en", "ru", "ky")}
    assert said["en"] == ["Counted by the greedy rule because the file's rule, greedy-custom, is not one pbtools counts."]
    assert said["ru"] == ["Подсчитано жадным правилом, потому что правило файла, greedy-custom, pbtools не считает."]
    assert "greedy-custom" in said["ky"][0] and "Ач көз" in said["ky"][0]
    assert pb.count_file(election, "mes").options["notes"] == ()
    assert pb.count_file(parse_pb(FILE)).options["notes"] == ()  # a rule it counts: nothing to say
