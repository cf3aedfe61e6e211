"""Attacks on sandbox reset/remove that the checks alone do not answer: links planted inside a sandbox, and the
sandbox swapped for a link to a precious folder after the checks passed (a race). Nothing outside is touched."""

from __future__ import annotations

import os
import shutil

import pytest

from pbtools.training import sandbox as S
from tests.training.conftest import TRAINER_ACTOR, sandbox_names, snapshot


@pytest.fixture
def precious(tmp_path):
    folder = tmp_path / "precious"
    (folder / "inside").mkdir(parents=True)
    (folder / "keep.txt").write_text("keep")
    (folder / "inside" / "deep.txt").write_text("deep")
    return folder


@pytest.mark.parametrize("action", ["reset", "remove"])
def test_links_inside_a_sandbox_are_removed_not_followed(root, precious, action):
    box = S.create_sandbox("w1", actor=TRAINER_ACTOR, root=root)
    os.symlink(precious, box.path / "folder-link")
    os.symlink(precious / "keep.txt", box.path / "file-link")
    os.link(precious / "keep.txt", box.path / "hard-link")
    os.symlink(precious, box.path / "monitoring-files" / "planted")  # among the photos
    before = snapshot(precious)
    getattr(S, f"{action}_sandbox")("w1", actor=TRAINER_ACTOR, root=root)
    if action == "reset":  # the sandbox with its links is kept aside: the next reset deletes it
        S.reset_sandbox("w1", actor=TRAINER_ACTOR, root=root)
    assert snapshot(precious) == before
    assert sandbox_names(root) == ([".kept-w1", "w1"] if action == "reset" else [])


@pytest.mark.parametrize("action", ["reset", "remove"])
def test_a_sandbox_swapped_for_a_link_after_the_checks_deletes_nothing_outside(root, precious, action, monkeypatch):
    S.create_sandbox("w1", actor=TRAINER_ACTOR, root=root)
    checked = S._checked

    def then_swapped(name, folder):
        found = checked(name, folder)
        shutil.rmtree(folder / name)
        os.symlink(precious, folder / name)
        return found

    monkeypatch.setattr(S, "_checked", then_swapped)
    before = snapshot(precious)
    if action == "remove":
        with pytest.raises(OSError):  # rmtree refuses a link: the run stops there
            S.remove_sandbox("w1", actor=TRAINER_ACTOR, root=root)
        assert snapshot(precious) == before
        return
    S.reset_sandbox("w1", actor=TRAINER_ACTOR, root=root)  # the link is what is kept aside: moved, never followed
    assert os.path.islink(root / ".kept-w1") and snapshot(precious) == before
    monkeypatch.setattr(S, "_checked", checked)
    assert S.kept_sandbox("w1", root) is None
    with pytest.raises(S.SandboxError):  # a kept link is never brought back in place of the sandbox
        S.restore_sandbox("w1", actor=TRAINER_ACTOR, root=root)
    S.reset_sandbox("w1", actor=TRAINER_ACTOR, root=root)  # the next reset unlinks it; what it pointed at stays
    S.remove_sandbox("w1", actor=TRAINER_ACTOR, root=root)
    assert snapshot(precious) == before and not os.path.lexists(root / ".kept-w1")
