"""From a hearing to the counting core: elections, counts, notes, group breakdowns and participation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.counting.model import APPROVAL, CUMULATIVE, ORDINAL
from pbtools.hearings.model import Ballot
from pbtools.hearings.tally import tally_ballots
from pbtools.results import ResultsError, breakdown, compare_rules, count_question, election_for, participation
from pbtools.results.board import tally
from pbtools.results.groups import GROUPINGS, UNKNOWN
from tests.results.conftest import COSTS


def cast(store, question, *marks, answer=""):
    return store.cast(question, Ballot(tuple(marks), answer), actor="clerk")


def greedy_reference(votes: dict[str, int], budget: int) -> list[str]:
    """Most votes first, each taken if it fits (the test data has no ties)."""
    chosen, left = [], budget
    for o in sorted(votes, key=lambda o: -votes[o]):
        if COSTS[o] <= left:
            chosen.append(o)
            left -= COSTS[o]
    return chosen


def test_ballot_kinds_map_to_vote_types(store):
    cast(store, "ap", ("a", 1), ("c", 1))
    cast(store, "pt", ("b", 2), ("d", 1))
    cast(store, "rk", ("c", 2), ("a", 1))
    st = store.refresh()
    assert election_for(st, "ap").vote_type == APPROVAL
    points = election_for(st, "pt")
    assert points.vote_type == CUMULATIVE and points.ballots[0].points == (2, 1)
    ranking = election_for(st, "rk")
    assert ranking.vote_type == ORDINAL and ranking.ballots[0].choice == ("a", "c")  # best first
    assert [p.cost for p in ranking.projects] == [Decimal(c) for c in COSTS.values()]
    with pytest.raises(ResultsError) as e:
        election_for(st, "mo")
    assert e.value.message.render("ru") != e.value.message.render("en")


def test_voided_ballots_are_not_counted_and_paper_has_no_voter(store):
    keep = cast(store, "ap", ("a", 1))
    gone = cast(store, "ap", ("b", 1))
    store.void(gone.seq, actor="secretary", reason="typed twice")
    election = election_for(store.refresh(), "ap")
    assert [b.voter_id for b in election.ballots] == [str(keep.seq)]
    assert election.ballots[0].voter == {}


def test_greedy_count_matches_the_plain_rule(store):
    for marks in (["a", "b"], ["a", "c"], ["a"], ["b", "c"], ["b"], ["a", "d"]):  # a 4, b 3, c 2, d 1: no ties
        cast(store, "ap", *[(o, 1) for o in marks])
    st = store.refresh()
    votes = tally(st, "ap")
    result = count_question(st, "ap")
    assert list(result.selected) == greedy_reference(votes, 1_000_000)
    assert result.total_cost == sum(Decimal(COSTS[o]) for o in result.selected)
    assert result.options["notes"] == ()
    assert any("№1" in line for line in result.explain("ky"))  # options named as the hall knows them


def test_show_of_hands_counts_for_greedy_but_not_for_equal_shares(store):
    cast(store, "ap", ("b", 1))
    store.enter_count("ap", {"f": {"d": 7, "a": 1}, "m": {"d": 2}}, actor="commission", group_by="sex")
    st = store.refresh()
    assert tally(st, "ap")["d"] == 9
    greedy = count_question(st, "ap", "greedy")
    assert greedy.selected[0] == "d"
    (stated,) = greedy.options["notes"]  # how the hands were counted, said with the result
    assert "one vote" in stated.render("en") and "(10 hands)" in stated.render("en") and stated.render("ky") != stated.render("en")
    mes = count_question(st, "ap", "mes")
    assert "d" not in mes.selected
    (note,) = mes.options["notes"]
    assert "Show-of-hands" in note.render("en") and note.render("ky") != note.render("en")


def test_the_rule_comparison_counts_the_same_ballots_for_every_rule(store):
    cast(store, "ap", ("b", 1))
    store.enter_count("ap", {"f": {"d": 7, "a": 1}, "m": {"d": 2}}, actor="commission", group_by="sex")
    st = store.refresh()
    comparison = compare_rules(st, "ap")
    greedy = comparison.results["greedy"]
    assert greedy.selected == count_question(st, "ap", "greedy", with_hands=False).selected
    assert greedy.selected != count_question(st, "ap", "greedy").selected  # the hands would have funded d first
    (note,) = greedy.options["notes"]
    assert "same ballots" in note.render("en") and note.render("ru") != note.render("en")
    assert compare_rules(st, "ap", rules=("greedy", "greedy-no-skip")).results["greedy"].selected[0] == "d"  # greedy only: hands kept


def test_ranking_under_equal_shares_uses_supporters_and_says_so(store):
    cast(store, "rk", ("a", 1), ("b", 2))
    result = count_question(store.refresh(), "rk", "mes")
    assert result.score == "support"
    assert any("Borda" in n.render("en") for n in result.options["notes"])


def test_unknown_rule_is_refused_in_every_language(store):
    with pytest.raises(ResultsError) as e:
        count_question(store.refresh(), "ap", "dictator")
    assert "dictator" in e.value.message.render("ky")


def test_comparison_names_the_options_that_differ_and_why(sample):
    comparison = compare_rules(sample, "q1")
    funded = {rule: set(r.selected) for rule, r in comparison.results.items()}
    assert set(comparison.common) == set.intersection(*funded.values())
    assert {d.option for d in comparison.differences} == set.union(*funded.values()) - set.intersection(*funded.values())
    assert comparison.differences, "the sample is chosen so that the rules disagree"
    for d in comparison.differences:
        assert set(d.chosen_by) == {r for r in funded if d.option in funded[r]}
        number = f"№{sample.options[d.option].number}"
        for lang in ("ky", "ru", "en"):
            assert all(number in m.render(lang) for m in d.reasons.values())


@pytest.mark.parametrize("by", GROUPINGS)
def test_groups_add_up_to_the_whole_tally(sample, by):
    for question_id in sample.questions:
        groups = breakdown(sample, question_id, by)
        total = {}
        for g in groups:
            for k, v in g.tally.items():
                total[k] = total.get(k, 0) + v
        assert total == tally(sample, question_id)
        assert sum(g.ballots for g in groups) == len(sample.ballots_for(question_id))


def test_show_of_hands_by_sex_gives_women_and_men(sample):
    groups = {g.group: g for g in breakdown(sample, "q4", "sex")}
    count = sample.counts_for("q4")[0]
    assert set(groups) == {"f", "m"} and groups["f"].hands
    assert groups["f"].tally == count.counts["f"]
    by_village = breakdown(sample, "q4", "village")
    assert [g.group for g in by_village] == [UNKNOWN]  # a count by sex cannot be split by village


def test_paper_ballots_are_an_unknown_group(sample):
    (group,) = breakdown(sample, "q1", "sex")
    assert group.group == UNKNOWN and group.tally == tally_ballots(sample.questions["q1"], sample.ballots_for("q1"))


def test_participation_counts_and_shares(sample):
    p = participation(sample)
    people = list(sample.participants.values())
    assert p.total == len(people) and p.women == sum(1 for x in people if x.sex == "f")
    assert p.women_share == Decimal(p.women) / Decimal(p.total)
    for by, shares in p.by.items():
        assert sum(s.count for s in shares) == p.total
        assert abs(sum(s.share for s in shares) - 1) < Decimal("1e-20")
        field = {"sex": "sex", "age": "age", "village": "village", "category": "category"}[by]
        assert {s.key: s.count for s in shares} == {k: sum(1 for x in people if getattr(x, field) == k) for k in {getattr(x, field) for x in people}}
    assert [s.key for s in p.by["sex"]] == ["f", "m"]
    assert p.voters == {q: len(sample.ballots_for(q)) for q in sample.questions}


def test_participation_of_an_empty_hearing_has_no_share(store):
    p = participation(store.refresh())
    assert p.total == 0 and p.women_share is None


def test_the_comparison_includes_the_questions_own_rule(store):
    from dataclasses import replace

    for marks in ((("a", 1),), (("b", 1), ("c", 1)), (("d", 1),)):
        cast(store, "ap", *marks)
    st = store.refresh()
    st.questions["ap"] = replace(st.questions["ap"], rule="mes")  # counted by Equal Shares alone
    comparison = compare_rules(st, "ap")
    assert list(comparison.results)[0] == "mes"
    assert comparison.results["mes"].selected == count_question(st, "ap").selected  # what the board shows


def test_the_bars_show_the_votes_the_rule_counted(store):
    from dataclasses import replace

    from pbtools.results.board import snapshot

    cast(store, "ap", ("b", 1))
    store.enter_count("ap", {"f": {"d": 7}, "m": {"d": 2}}, actor="commission", group_by="sex")
    st = store.refresh()
    assert snapshot(st, "ap", hidden=False).tally["d"] == 9  # greedy counts the hands: its bars do
    st.questions["ap"] = replace(st.questions["ap"], rule="mes")
    board = snapshot(st, "ap", hidden=False)
    assert board.tally.get("d", 0) == 0 and board.tally["b"] == 1  # Equal Shares leaves them out: so do the bars
    assert any("Show-of-hands" in n.render("en") for n in board.notes)
