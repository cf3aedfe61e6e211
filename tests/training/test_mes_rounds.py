"""The round-by-round picture of Equal Shares replays the real count exactly: the same options in the same order,
every voter paying the same exact amount (``pbtools.counting``'s steps say who paid what)."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from pbtools.counting import Ballot, Election, Project, TieRule, count
from pbtools.training.mes_rounds import replay, replay_add1


def assert_same_as_the_count(election: Election, tie: TieRule, score: str = "support", add1: bool = False) -> None:
    result = count(election, "mes-add1" if add1 else "mes", score=score, tie_rule=tie)
    rounds = replay_add1(election, score, tie) if add1 else replay(election, score, tie)
    assert rounds.selected == result.selected
    buys = [s for s in result.steps if s.kind == "buy"]
    assert len(buys) == len(rounds.rounds)
    index = {v: i for i, v in enumerate(rounds.voters)}
    for step, r in zip(buys, rounds.rounds):
        paid = {}
        for group in step.data["payments"]:
            for voter in group["voter_ids"]:
                paid[voter] = Fraction(group["each"])
        assert {v: r.paid[index[v]] for v in paid} == paid
        assert sum(r.paid) == r.cost  # the supporters paid the cost exactly
        assert all(r.paid[index[v]] == 0 for v in rounds.voters if v not in paid)
        assert step.data["cost"] == r.cost


def test_hand_checked_example_with_a_tie():
    # budget 300, 3 voters: 100 each. A (200) by voters 1, 2; B (200) by 2, 3; C (100) by 3.
    # Round 1: A and B tie at 100 each per supporter (ρ = 1/2); lexicographic: A. Voters 1, 2 pay 100 each.
    # Round 2: B's supporters have 0 + 100 left: cannot pay 200. C: voter 3 pays 100. Voter 3 has 0 left.
    e = Election([Project("A", Decimal(200)), Project("B", Decimal(200)), Project("C", Decimal(100))],
                 [Ballot(("A",), voter_id="1"), Ballot(("A", "B"), voter_id="2"), Ballot(("B", "C"), voter_id="3")],
                 Decimal(300))
    rounds = replay(e, tie_rule=TieRule("lexicographic"))
    assert rounds.selected == ("A", "C")
    assert rounds.rounds[0].paid == (100, 100, 0) and rounds.rounds[0].rho == Fraction(1, 2)
    assert rounds.rounds[1].paid == (0, 0, 100) and rounds.rounds[1].all_they_had == (False, False, True)
    assert rounds.left == (0, 0, 0)
    assert_same_as_the_count(e, TieRule("lexicographic"))
    # the field tie rule: same cost, same support, so the lot decides; the count and the replay agree on it
    for seed in range(6):
        assert_same_as_the_count(e, TieRule("field", seed=seed))


def random_election(rng: random.Random, points: bool) -> Election:
    projects = [Project(str(i), Decimal(rng.choice([50, 80, 100, 120, 150, 200, 250]) * 1000)) for i in range(1, rng.randint(4, 12))]
    ballots = []
    for v in range(rng.randint(5, 60)):
        chosen = rng.sample([p.id for p in projects], rng.randint(0, min(4, len(projects))))
        ballots.append(Ballot(tuple(chosen), tuple(rng.randint(1, 5) for _ in chosen) if points else None, voter_id=f"v{v}"))
    budget = sum(p.cost for p in projects) * Decimal(rng.choice([20, 35, 50])) / 100
    return Election(projects, ballots, budget, "cumulative" if points else "approval")


@pytest.mark.parametrize("seed", range(40))
def test_random_elections_support_and_points(seed):
    rng = random.Random(seed)
    tie = TieRule("lexicographic") if seed % 2 else TieRule("field", seed=seed)
    assert_same_as_the_count(random_election(rng, points=False), tie)
    assert_same_as_the_count(random_election(rng, points=True), tie, score="points")
    assert_same_as_the_count(random_election(rng, points=False), tie, add1=True)


def test_a_simulated_hall_of_150(tmp_path):
    from pbtools.hearings.store import state
    from pbtools.results.election import election_for
    from pbtools.storage import open_workspace
    from pbtools.training.mock_hearing import create_mock_hearing
    from pbtools.training.preferences import hall_ballots, simulate_preferences
    from pbtools.training.whatif import state_with_ballots

    with open_workspace(tmp_path / "ws") as ws:
        st = state(ws, create_mock_hearing(ws, seed=7))
    hall = simulate_preferences(st, 150, seed=7)
    question = st.questions["q1"]
    mem = state_with_ballots(st, question, hall_ballots(hall, question, st.hearing.budget))
    election = election_for(mem, "q1")
    assert len(election.ballots) == 150
    assert_same_as_the_count(election, TieRule("field", seed=question.seed))
    # plain Equal Shares buys little here; with its Add1 completion the replay shows every round of the count
    assert_same_as_the_count(election, TieRule("field", seed=question.seed), add1=True)
    rounds = replay_add1(election, tie_rule=TieRule("field", seed=question.seed))
    assert len(rounds.rounds) >= 2 and rounds.share > Fraction(election.budget) / 150
