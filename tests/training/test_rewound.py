"""Two Training tabs on one sandbox: one resets it, then restores it, while the other holds the mock hearing and the
needs assessment it read before. The other tab shows the sandbox now at the sandbox's place, and what it writes
goes there, not into the copy the reset put aside (finding: it kept reading and writing the old file)."""

from __future__ import annotations

from pbtools.hearings.store import HearingStore, state
from pbtools.training.service import TrainingService
from pbtools.training.simulate import simulate_hall


def problems(needs) -> set[str]:
    return {p.titles["en"] for p in needs.state.problems.values()}


def test_a_tab_holding_the_sandbox_follows_a_reset_and_a_restore(root):
    a, b = TrainingService(root), TrainingService(root)
    a.open("training")
    b.open("training")
    simulate_hall(a.ws, a.sandbox.open_hearing, 12, seed=3, actor=a.actor)
    a.needs().add_problem("Water", "en", a.actor)
    mock, needs = HearingStore(b.ws, b.sandbox.open_hearing), b.needs()  # what tab b holds
    workshop = mock.refresh()
    assert workshop.ballots and problems(needs) == {"Water"}

    a.reset(a.contents())
    assert mock.refresh() == state(b.ws, b.sandbox.open_hearing) == state(a.ws, a.sandbox.open_hearing)
    assert not mock.state.ballots and problems(needs) == set() and b.ballots() == 0
    needs.add_problem("Roads", "en", b.actor)  # into the sandbox at its place
    assert problems(a.needs()) == {"Roads"}

    a.restore()
    assert mock.refresh() == workshop and problems(needs) == {"Water"}
    assert needs.add_problem("Lights", "en", b.actor).id == "p2"
    assert problems(a.needs()) == {"Water", "Lights"}
    a.close()
    b.close()
