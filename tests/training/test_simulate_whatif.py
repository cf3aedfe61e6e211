"""What if the ballot kind changed: the same preferences as other ballots, counted by every rule, written nowhere."""

from __future__ import annotations

import pytest

from pbtools.hearings.model import APPROVAL, KNAPSACK, POINTS, RANKING
from pbtools.hearings.store import state
from pbtools.results.count import COMPARED, count_question
from pbtools.storage import open_workspace
from pbtools.training.errors import SimulationError
from pbtools.training.population import village_populations
from pbtools.training.preferences import hall_ballots, simulate_preferences
from pbtools.training.sandbox import create_sandbox
from pbtools.training.simulate import simulate_hall
from pbtools.training.whatif import compare_kinds, count_ballots, question_as
from tests.training.conftest import TRAINER_ACTOR, snapshot


@pytest.fixture(scope="module")
def voted(tmp_path_factory):
    """A sandbox whose open hearing a hall of 45 has voted in on paper, and that hall's preferences (read only)."""
    box = create_sandbox("w", actor=TRAINER_ACTOR, root=tmp_path_factory.mktemp("sandboxes"))
    with open_workspace(box.path) as ws:
        simulate_hall(ws, box.open_hearing, 45, 17, actor=TRAINER_ACTOR)
        st = state(ws, box.open_hearing)
        hall = simulate_preferences(st, 45, 17, village_populations(ws, st.hearing))
    return box, st, hall


def test_counting_the_halls_ballots_in_memory_equals_counting_the_stored_hearing(voted):
    box, st, hall = voted
    for question_id in ("q1", "q2", "q3", "q4", "q5"):
        question = st.questions[question_id]
        groups = [v.voter.about() for v in hall.voters]
        comparison = count_ballots(st, question, hall_ballots(hall, question, st.hearing.budget), groups)
        assert set(comparison.results) >= set(COMPARED)
        for rule, result in comparison.results.items():
            stored = count_question(st, question_id, rule)
            assert result.selected == stored.selected, (question_id, rule)
            assert result.total_cost == stored.total_cost


def test_each_ballot_kind_is_counted_by_every_rule_and_nothing_is_written(voted):
    box, st, hall = voted
    before = snapshot(box.path)
    table = compare_kinds(st, hall, "q1")
    assert list(table) == [APPROVAL, POINTS, RANKING, KNAPSACK]
    for kind, comparison in table.items():
        assert set(comparison.results) == set(COMPARED)
        for result in comparison.results.values():
            assert result.selected and result.total_cost <= st.hearing.budget
    assert table[POINTS].results["greedy"].score == "points"
    assert table[RANKING].results["greedy"].score == "borda"
    assert snapshot(box.path) == before


def test_another_budget_is_the_one_every_rule_spends(voted):
    box, st, hall = voted
    small = compare_kinds(st, hall, "q4", kinds=[APPROVAL, KNAPSACK], budget=st.hearing.budget / 3)
    for comparison in small.values():
        for result in comparison.results.values():
            assert result.budget == st.hearing.budget / 3 and result.total_cost <= result.budget


def test_a_motion_is_not_a_budget_question(voted):
    box, st, hall = voted
    with pytest.raises(SimulationError) as e:
        question_as(st.questions["q6"], APPROVAL)
    assert e.value.render("ky") != e.value.render("en")
    with pytest.raises(SimulationError):
        compare_kinds(st, hall, "nope")
