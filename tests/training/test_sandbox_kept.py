"""A reset keeps the sandbox it replaces, once, and ``restore_sandbox`` brings it back: a reset clicked by mistake in
the middle of a workshop (finding s23-3) does not lose the ballots and the needs assessment typed there."""

from __future__ import annotations

import os
import shutil

import pytest

from pbtools.hearings.store import state
from pbtools.roles import MONITOR, Actor, NotAllowed
from pbtools.storage import open_workspace
from pbtools.training.errors import SandboxError
from pbtools.training.sandbox import (
    create_sandbox, kept_sandbox, list_sandboxes, remove_sandbox, reset_sandbox, restore_sandbox,
)
from pbtools.training.simulate import simulate_hall, stored_ballots
from tests.training.conftest import TRAINER_ACTOR, sandbox_names, snapshot


def _ballots(box):
    with open_workspace(box.path, create=False) as ws:
        return stored_ballots(state(ws, box.open_hearing))


def test_reset_keeps_the_sandbox_it_replaced_and_restore_brings_it_back(root):
    box = create_sandbox("w", actor=TRAINER_ACTOR, root=root)
    assert kept_sandbox("w", root) is None
    with open_workspace(box.path) as ws:
        simulate_hall(ws, box.open_hearing, 12, seed=3, actor=TRAINER_ACTOR)
    workshop = _ballots(box)
    assert workshop
    reset_sandbox("w", actor=TRAINER_ACTOR, root=root)
    assert _ballots(box) == []
    assert kept_sandbox("w", root) is not None and [b.name for b in list_sandboxes(root)] == ["w"]

    back = restore_sandbox("w", actor=TRAINER_ACTOR, root=root)
    assert back.path == box.path and _ballots(box) == workshop  # the workshop's ballots, as they were
    # the two changed places: the new one is kept now, and the same call swaps them again (nothing is lost)
    restore_sandbox("w", actor=TRAINER_ACTOR, root=root)
    assert _ballots(box) == []
    restore_sandbox("w", actor=TRAINER_ACTOR, root=root)
    assert _ballots(box) == workshop


def test_one_copy_is_kept_the_latest(root):
    box = create_sandbox("w", actor=TRAINER_ACTOR, root=root)
    with open_workspace(box.path) as ws:
        simulate_hall(ws, box.open_hearing, 10, seed=1, actor=TRAINER_ACTOR)
    reset_sandbox("w", actor=TRAINER_ACTOR, root=root)
    with open_workspace(box.path) as ws:
        simulate_hall(ws, box.open_hearing, 11, seed=2, actor=TRAINER_ACTOR)
    second = _ballots(box)
    reset_sandbox("w", actor=TRAINER_ACTOR, root=root)
    assert sorted(os.listdir(root)) == [".kept-w", *[n for n in os.listdir(root) if n.startswith(".template-")], "w"]
    restore_sandbox("w", actor=TRAINER_ACTOR, root=root)
    assert _ballots(box) == second


def test_remove_takes_the_kept_copy_too(root):
    create_sandbox("w", actor=TRAINER_ACTOR, root=root)
    other = create_sandbox("x", actor=TRAINER_ACTOR, root=root)
    reset_sandbox("w", actor=TRAINER_ACTOR, root=root)
    before = snapshot(other.path)
    remove_sandbox("w", actor=TRAINER_ACTOR, root=root)
    assert sandbox_names(root) == ["x"] and snapshot(other.path) == before


def test_restore_is_refused_without_a_kept_copy_and_changes_nothing(root):
    create_sandbox("w", actor=TRAINER_ACTOR, root=root)
    before = snapshot(root)
    with pytest.raises(SandboxError) as e:
        restore_sandbox("w", actor=TRAINER_ACTOR, root=root)
    assert e.value.render("en") == "Sandbox w has no copy kept from before a reset"
    assert "нет копии" in e.value.render("ru") and "көчүрмөсү жок" in e.value.render("ky")
    assert snapshot(root) == before
    with pytest.raises(SandboxError):
        restore_sandbox("nobody", actor=TRAINER_ACTOR, root=root)
    with pytest.raises(NotAllowed):
        restore_sandbox("w", actor=Actor("x", MONITOR), root=root)
    assert snapshot(root) == before


def test_a_kept_copy_that_is_not_that_sandboxs_is_never_restored(root, tmp_path):
    """Only a copy whose mark names this sandbox and whose database holds the mark's token comes back in place:
    another sandbox's folder or a link put there by hand is refused, and a link is never followed."""
    create_sandbox("w", actor=TRAINER_ACTOR, root=root)
    other = create_sandbox("x", actor=TRAINER_ACTOR, root=root)
    shutil.copytree(other.path, root / ".kept-w")  # x's mark: not w's
    before = snapshot(root)
    with pytest.raises(SandboxError):
        restore_sandbox("w", actor=TRAINER_ACTOR, root=root)
    assert snapshot(root) == before
    shutil.rmtree(root / ".kept-w")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep")
    os.symlink(precious, root / ".kept-w")
    with pytest.raises(SandboxError):
        restore_sandbox("w", actor=TRAINER_ACTOR, root=root)
    reset_sandbox("w", actor=TRAINER_ACTOR, root=root)  # the planted link is unlinked, not followed
    assert (precious / "keep.txt").read_text() == "keep" and kept_sandbox("w", root) is not None
