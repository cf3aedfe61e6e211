"""The simulated hall: who comes, what they prefer, and the ballots of every kind that follow (nothing written)."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from statistics import mean

import pytest

from pbtools.hearings.ballots import validate
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import APPROVAL, KNAPSACK, MOTION, OPEN, PB_VOTE, POINTS, RANKING, SINGLE, Hearing
from pbtools.hearings.sample import sample_setting
from pbtools.training.errors import SimulationError
from pbtools.training.mock_hearing import mock_questions
from pbtools.training.population import AGE_WEIGHTS, WOMEN_SHARE, apportion, hall_population
from pbtools.training.preferences import ballot_for, hall_ballots, simulate_preferences
from pbtools.training.whatif import KINDS, question_as


def mock_state(**hearing_fields) -> tuple[HearingState, dict[str, int]]:
    """The sandbox's open hearing held in memory, and its villages' populations."""
    municipality, population, options = sample_setting()
    fields = dict(id="mock", municipality=municipality, type=PB_VOTE, date="2026-10-15", villages=tuple(population),
                  budget=Decimal(3_800_000), practice=True)
    hearing = Hearing(**{**fields, **hearing_fields})
    questions = {q.id: q for q in mock_questions(tuple(o.id for o in options), seed=1)}
    return HearingState("mock", hearing, OPEN, {o.id: o for o in options}, questions=questions), population


@pytest.mark.parametrize("n", [60, 150, 350])
def test_the_hall_follows_the_villages_populations_and_the_share_of_women(n):
    state, population = mock_state()
    people = hall_population(state.hearing, n, random.Random(n), population)
    assert len(people) == n and [p.number for p in people] == list(range(1, n + 1))
    total = sum(population.values())
    villages = Counter(p.village for p in people)
    for village, size in population.items():
        assert abs(villages[village] / n - size / total) <= 1 / n, village
    women = sum(p.sex == "f" for p in people) / n
    assert abs(women - WOMEN_SHARE) <= len(population) / (2 * n) + 1 / n
    ages = Counter(p.age for p in people)
    assert set(ages) <= {"18_29", "30_44", "45_59", "60_plus"}  # this hearing registers no one under 18
    assert len(ages) == 4


def test_under_18_come_only_where_the_hearing_registers_them():
    state, population = mock_state(allow_under_18=True)
    people = hall_population(state.hearing, 350, random.Random(1), population)
    share = sum(p.age == "under_18" for p in people) / 350
    expected = AGE_WEIGHTS["under_18"] / sum(AGE_WEIGHTS.values())
    assert 0 < share and abs(share - expected) < 0.04


def test_apportion_gives_every_one_and_follows_the_weights():
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert apportion(350, [4850, 2730, 1960, 1640, 1220]) == [137, 77, 55, 46, 35]
    assert sum(apportion(61, [0.45, 0.55])) == 61


@pytest.mark.parametrize("n", [0, -3, 2001])
def test_a_hall_size_out_of_range_is_refused(n):
    state, population = mock_state()
    with pytest.raises(SimulationError) as e:
        simulate_preferences(state, n, 1, population)
    assert str(n) in e.value.render("ky") and e.value.render("ky") != e.value.render("ru")


def test_people_favour_their_own_villages_options():
    state, population = mock_state()
    hall = simulate_preferences(state, 350, 11, population)
    for option in hall.options:
        if not option.village:
            continue
        own = [v.utilities[option.id] for v in hall.voters if v.voter.village == option.village]
        others = [v.utilities[option.id] for v in hall.voters if v.voter.village != option.village]
        assert mean(own) - mean(others) > 1.0, option.id
    # and it shows on the ballots: each village's single-choice favourite is its own option more often than others'
    single = next(q for q in state.questions.values() if q.kind == SINGLE)
    options = {o.id: o for o in hall.options}
    for village in population:
        mine = [o.id for o in hall.options if o.village == village]
        voters = [v for v in hall.voters if v.voter.village == village]
        chose_own = sum(ballot_for(single, options, v).marks[0][0] in mine for v in voters) / len(voters)
        elsewhere = [v for v in hall.voters if v.voter.village != village]
        others_chose_it = sum(ballot_for(single, options, v).marks[0][0] in mine for v in elsewhere) / len(elsewhere)
        assert chose_own > others_chose_it + 0.2, village


def test_women_and_men_and_age_groups_favour_different_sectors():
    state, population = mock_state()
    hall = simulate_preferences(state, 350, 12, population)
    water = [o.id for o in hall.options if o.sector == "water"]
    sport = [o.id for o in hall.options if o.sector == "culture_sport"]
    assert water and sport

    def liking(ids, who):
        return mean(mean(v.utilities[o] for o in ids) for v in hall.voters if who(v.voter))

    assert liking(water, lambda p: p.sex == "f") - liking(water, lambda p: p.sex == "m") > 0.4
    assert liking(sport, lambda p: p.age == "18_29") - liking(sport, lambda p: p.age == "60_plus") > 0.8


def test_the_same_seed_gives_the_same_hall_and_another_seed_another():
    state, population = mock_state()
    one, again, other = (simulate_preferences(state, 200, s, population) for s in (7, 7, 8))
    assert one == again
    assert one.voters != other.voters
    q = state.questions["q1"]
    assert hall_ballots(one, q) == hall_ballots(again, q) != hall_ballots(other, q)


def test_the_global_random_is_left_alone():
    state, population = mock_state()
    random.seed(99)
    expected = random.random()
    random.seed(99)
    simulate_preferences(state, 100, 1, population)
    assert random.random() == expected


@pytest.mark.parametrize("seed", range(6))
def test_every_ballot_of_every_kind_passes_the_hearings_own_check(seed):
    state, population = mock_state()
    hall = simulate_preferences(state, 120, seed, population)
    options = {o.id: o for o in hall.options}
    questions = list(state.questions.values())
    questions += [question_as(state.questions["q1"], kind) for kind in (*KINDS, SINGLE)]
    assert {q.kind for q in questions} == {SINGLE, APPROVAL, POINTS, RANKING, KNAPSACK, MOTION}
    for question in questions:
        ballots = hall_ballots(hall, question, state.hearing.budget)
        for ballot in ballots:
            assert validate(question, options, ballot, state.hearing.budget) == [], (question.kind, ballot)
        if question.kind != MOTION:
            assert len({b.marks for b in ballots}) > 5  # not everyone marks the same
        if question.kind == POINTS:
            assert all(sum(v for _, v in b.marks) == question.points for b in ballots)
        if question.kind == KNAPSACK:
            budget = state.hearing.budget
            assert all(sum(options[o].cost for o, _ in b.marks) <= budget for b in ballots)
    answers = Counter(b.answer for b in hall_ballots(hall, state.questions["q6"]))
    assert answers["yes"] > answers["no"] > 0


def test_points_without_stacking_and_a_small_knapsack_stay_valid():
    from dataclasses import replace

    state, population = mock_state()
    hall = simulate_preferences(state, 80, 3, population)
    options = {o.id: o for o in hall.options}
    flat = replace(state.questions["q2"], points=3, stacking=False)
    cheapest = min(o.cost for o in options.values())
    tight = replace(state.questions["q4"], budget=cheapest * 2)
    for question in (flat, tight):
        for ballot in hall_ballots(hall, question, state.hearing.budget):
            assert validate(question, options, ballot, state.hearing.budget) == []
    impossible = replace(state.questions["q4"], budget=cheapest - 1)
    with pytest.raises(SimulationError) as e:
        hall_ballots(hall, impossible, state.hearing.budget)
    assert "q4" in e.value.render("ru")
