"""Sandboxes: made from the sample municipality, reset and removed without ever touching another folder."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from pbtools.hearings.model import CLOSED, OPEN
from pbtools.hearings.store import state
from pbtools.roles import MONITOR, OBSERVER, Actor, NotAllowed
from pbtools.storage import open_workspace
from pbtools.storage.sandbox_mark import is_sandbox
from pbtools.training.errors import SandboxError
from pbtools.training.sandbox import (
    MARKER, SETTING, create_sandbox, get_sandbox, list_sandboxes, remove_sandbox, reset_sandbox,
    sandboxes_root,
)
from pbtools.training.simulate import simulate_hall
from tests.fixtures.demo import copy_demo
from tests.training.conftest import TRAINER_ACTOR, sandbox_names, snapshot


def test_a_sandbox_is_the_sample_workspace_with_a_closed_and_an_open_hearing(root):
    box = create_sandbox("workshop-1", actor=TRAINER_ACTOR, root=root)
    assert box.path == root / "workshop-1" and box.path.is_dir()
    with open_workspace(box.path, create=False) as ws:
        assert ws.municipality() is not None and ws.list_budgets()
        closed, opened = state(ws, box.closed_hearing), state(ws, box.open_hearing)
        assert ws.get_setting(SETTING)["name"] == "workshop-1"
    assert closed.status == CLOSED and closed.ballots
    assert opened.status == OPEN and not opened.ballots and not opened.participants
    assert opened.hearing.practice and closed.hearing.practice
    kinds = {q.kind for q in opened.questions.values()}
    assert kinds == {"single", "approval", "points", "ranking", "knapsack", "motion"}
    assert [b.name for b in list_sandboxes(root)] == ["workshop-1"]
    assert get_sandbox("workshop-1", root) == box
    assert is_sandbox(box.path)
    # no hidden folder left behind by the build, only the template it was copied from
    assert sandbox_names(root) == ["workshop-1"] and len(os.listdir(root)) == 2


def test_the_default_root_is_the_environments_else_beside_the_default_workspace(root, monkeypatch):
    assert sandboxes_root() == root
    assert sandboxes_root(root / "other") == root / "other"
    monkeypatch.delenv("PBTOOLS_SANDBOXES")
    monkeypatch.setenv("PBTOOLS_WORKSPACE", str(root.parent / "ws"))
    assert sandboxes_root() == root.parent / "sandboxes"


def test_a_name_taken_is_refused(root):
    create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    before = snapshot(root)
    with pytest.raises(SandboxError) as e:
        create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    assert "already" in e.value.render("en") and e.value.render("ky") != e.value.render("ru")
    assert snapshot(root) == before


@pytest.fixture(scope="module")
def beside(tmp_path_factory, demo_template):
    """A folder holding a real workspace ``a`` and (not yet made) sandboxes folder: "../a" from it names ``a``."""
    folder = tmp_path_factory.mktemp("beside")
    copy_demo(demo_template, folder / "a")
    return folder


@pytest.mark.parametrize("name", ["a/b", "../a", "..", ".", "/tmp/x", "a\\b", ".hidden", "", "-x", "x" * 65,
                                  "a b", "a:b", "a\x00b", "~"])
def test_names_that_are_not_a_plain_folder_name_are_refused_everywhere(beside, name):
    root, tmp_path = beside / "sandboxes", beside
    before = snapshot(tmp_path)
    for action in (create_sandbox, reset_sandbox, remove_sandbox):
        with pytest.raises(SandboxError) as e:
            action(name, actor=TRAINER_ACTOR, root=root)
        assert "sandbox name" in e.value.render("en")
        assert e.value.render("ky") != e.value.render("en")
    with pytest.raises(SandboxError):
        get_sandbox(name, root)
    assert snapshot(tmp_path) == before


def test_a_kyrgyz_name_is_a_name(root):
    box = create_sandbox("Ош-1", actor=TRAINER_ACTOR, root=root)
    assert box.path.name == "Ош-1" and is_sandbox(box.path)


def test_reset_makes_the_sandbox_as_new_and_leaves_every_other_folder_byte_identical(root, tmp_path, demo_template):
    a = create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    b = create_sandbox("b", actor=TRAINER_ACTOR, root=root)
    other = tmp_path / "real-workspace"
    copy_demo(demo_template, other)
    with open_workspace(a.path) as ws:
        simulate_hall(ws, a.open_hearing, 20, seed=5, actor=TRAINER_ACTOR)
        assert state(ws, a.open_hearing).ballots
    with open_workspace(b.path) as ws:  # b has ballots too: they must survive a's reset
        simulate_hall(ws, b.open_hearing, 10, seed=6, actor=TRAINER_ACTOR)
    before_b, before_other = snapshot(b.path), snapshot(other)
    again = reset_sandbox("a", actor=TRAINER_ACTOR, root=root)
    assert again.path == a.path
    with open_workspace(a.path, create=False) as ws:
        fresh = state(ws, a.open_hearing)
        assert fresh.status == OPEN and not fresh.ballots and not fresh.participants
        assert state(ws, a.closed_hearing).status == CLOSED
    assert snapshot(b.path) == before_b
    assert snapshot(other) == before_other
    assert sandbox_names(root) == [".kept-a", "a", "b"]  # a as it was, kept aside (test_sandbox_kept.py)


def test_remove_deletes_only_that_sandbox(root, tmp_path):
    create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    b = create_sandbox("b", actor=TRAINER_ACTOR, root=root)
    before_b = snapshot(b.path)
    assert remove_sandbox("a", actor=TRAINER_ACTOR, root=root) == root / "a"
    assert sandbox_names(root) == ["b"]
    assert snapshot(b.path) == before_b
    with pytest.raises(SandboxError) as e:
        remove_sandbox("a", actor=TRAINER_ACTOR, root=root)
    assert "There is no sandbox a" in e.value.render("en")


def _refused_everywhere(name, root, protected):
    """reset and remove refuse ``name`` and leave ``protected`` (and the root) byte-identical."""
    before, before_root = snapshot(protected), snapshot(root)
    for action in (reset_sandbox, remove_sandbox):
        with pytest.raises(SandboxError) as e:
            action(name, actor=TRAINER_ACTOR, root=root)
        assert "not a sandbox" in e.value.render("en") or "no sandbox" in e.value.render("en")
        assert "nothing was changed" in e.value.render("en") or "There is no sandbox" in e.value.render("en")
    assert snapshot(protected) == before and snapshot(root) == before_root
    assert name not in [b.name for b in list_sandboxes(root)]
    return e.value


def test_a_link_in_the_root_to_a_real_workspace_is_refused(root, tmp_path, demo_template):
    create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    real = tmp_path / "real"
    copy_demo(demo_template, real)
    os.symlink(real, root / "evil")
    error = _refused_everywhere("evil", root, real)
    assert "link" in error.render("en")


def test_a_link_to_a_real_sandbox_elsewhere_is_refused(root, tmp_path):
    """Even a link to a genuine sandbox of another root: reset would act through the link on that folder."""
    elsewhere = create_sandbox("evil", actor=TRAINER_ACTOR, root=tmp_path / "other-root")
    root.mkdir(parents=True)
    os.symlink(elsewhere.path, root / "evil")
    _refused_everywhere("evil", root, elsewhere.path)


def test_a_folder_without_the_mark_is_refused(root, demo_template):
    root.mkdir(parents=True)
    copy_demo(demo_template, root / "plain")  # a real workspace someone put in the sandboxes folder
    error = _refused_everywhere("plain", root, root / "plain")
    assert "mark" in error.render("en")


def test_a_copied_mark_does_not_make_a_workspace_a_sandbox(root, demo_template):
    copy_demo(demo_template, root / "copy")
    # a mark as creation writes it, but its token is not in this workspace's database
    marker = {"name": "copy", "token": "0" * 32, "created_at": "2026-01-01T00:00:00+00:00",
              "closed_hearing": "sample-2026", "open_hearing": "mock-2026"}
    (root / "copy" / MARKER).write_text(json.dumps(marker))
    error = _refused_everywhere("copy", root, root / "copy")
    assert "database" in error.render("en")


def test_a_mark_that_is_a_link_is_refused(root, tmp_path):
    a = create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    shutil.copytree(a.path, tmp_path / "twin")
    os.rename(tmp_path / "twin", root / "twin")
    (root / "twin" / MARKER).unlink()
    os.symlink(a.path / MARKER, root / "twin" / MARKER)
    _refused_everywhere("twin", root, root / "twin")


def test_a_sandbox_pointed_at_another_database_is_refused(root):
    a = create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    (a.path / "workspace.json").write_text(json.dumps({"db_url": "postgresql://somewhere/else"}))
    _refused_everywhere("a", root, a.path)


def test_a_file_of_the_name_is_refused(root):
    root.mkdir(parents=True)
    (root / "notes").write_text("a trainer's notes")
    _refused_everywhere("notes", root, root)
    assert (root / "notes").read_text() == "a trainer's notes"


def test_a_root_that_is_a_workspace_is_refused(tmp_path, demo_template):
    copy_demo(demo_template, tmp_path / "ws")
    before = snapshot(tmp_path / "ws")
    with pytest.raises(SandboxError) as e:
        create_sandbox("a", actor=TRAINER_ACTOR, root=tmp_path / "ws")
    assert "is a workspace" in e.value.render("en")
    assert snapshot(tmp_path / "ws") == before


@pytest.mark.parametrize("role", [OBSERVER, MONITOR])
def test_only_a_role_with_the_sandbox_right_may_write(root, role):
    with pytest.raises(NotAllowed):
        create_sandbox("a", actor=Actor("x", role), root=root)
    assert not root.exists() or not os.listdir(root)
    create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    before = snapshot(root)
    for action in (reset_sandbox, remove_sandbox):
        with pytest.raises(NotAllowed):
            action("a", actor=Actor("x", role), root=root)
    assert snapshot(root) == before


def test_list_leaves_out_what_is_not_a_sandbox(root, tmp_path, demo_template):
    create_sandbox("b", actor=TRAINER_ACTOR, root=root)
    copy_demo(demo_template, root / "plain")
    (root / "notes.txt").write_text("x")
    os.symlink(tmp_path, root / "link")
    assert [b.name for b in list_sandboxes(root)] == ["b"]
    assert list_sandboxes(tmp_path / "nowhere") == []
