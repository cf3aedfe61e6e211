"""The core of "paper ballots as they are": a typed paper against its rules becomes a spoiled ballot (only such a
paper), and a standing ballot is voided by the number it was given, in a question or a double-entry pile."""

from __future__ import annotations

import pytest

from pbtools.hearings.model import SPOILED
from pbtools.hearings.paper_fixes import record_refused, rule_problems, void_numbered
from pbtools.hearings.store import HearingError


def test_only_a_paper_against_its_rules_is_recorded_as_invalid(store):
    assert rule_problems(store, "approval", "1 2 3 4")  # up to 3
    assert rule_problems(store, "approval", "1 9") == [] and rule_problems(store, "approval", "1 2") == []
    receipt = record_refused(store, "approval", "1 2 3 4", actor="clerk")
    [invalid] = store.state.invalid_for("approval")
    assert invalid.seq == receipt.seq and invalid.ballot.answer == SPOILED and receipt.number == 1
    head = store.ws.ledger.head(store.stream)
    for text in ("1 9", "1 2", "x"):
        with pytest.raises(HearingError):
            record_refused(store, "approval", text, actor="clerk")
    assert store.ws.ledger.head(store.stream) == head
    # over the budget, on a knapsack ballot
    numbers = " ".join(str(o.number) for o in store.state.sorted_options())
    assert rule_problems(store, "knapsack", numbers)
    record_refused(store, "knapsack", numbers, actor="clerk")
    assert len(store.state.invalid_for("knapsack")) == 1


def test_a_ballot_of_a_pile_is_voided_by_its_number(store):
    for text in ("1", "2", "3"):
        store.cast_typed("single", text, actor="clerk 1", pile="A")
    store.cast_typed("single", "2", actor="clerk 2", pile="A", entry=2)
    voided = void_numbered(store, "single", 2, actor="chair", reason="wrong pile", pile="A")
    assert voided.entry == 1 and voided.position == 2 and voided.seq in store.state.voids
    assert [b.position for b in store.state.pile("A", 1)] == [1, 3]
    with pytest.raises(HearingError):  # already voided: no standing ballot 2
        void_numbered(store, "single", 2, actor="chair", reason="again", pile="A")
    # entry 2 is numbered apart: its ballot 1 is still there
    assert void_numbered(store, "single", 1, actor="chair", reason="check", pile="A", entry=2).entry == 2
    with pytest.raises(HearingError):
        void_numbered(store, "single", 1, actor="chair", reason="  ", pile="A")
