"""Sandboxes copied from the root's template: each one intact (chain and every record), its own mark and codes'
key, the template itself never changed by what is done in a sandbox, and rebuilt when pbtools changes."""

from __future__ import annotations

import os

import pytest

from pbtools.cli import main
from pbtools.hearings.codes import KEY_FILE, code_key
from pbtools.hearings.store import HearingStore, state
from pbtools.storage import open_workspace
from pbtools.training import sandbox_template as T
from pbtools.training.sandbox import create_sandbox, get_sandbox, reset_sandbox
from pbtools.training.simulate import simulate_hall
from pbtools.workspace_check import check_workspace
from tests.training.conftest import TRAINER_ACTOR, snapshot


def _template(root):
    (name,) = [n for n in os.listdir(root) if n.startswith(T.PREFIX)]
    return root / name


def test_sandboxes_from_one_template_verify_and_keep_their_own_mark_and_codes_key(root, capsys):
    a = create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    template = _template(root)
    before = snapshot(template)
    assert KEY_FILE not in before  # a template has no codes' key to hand out
    b = create_sandbox("b", actor=TRAINER_ACTOR, root=root)
    for box in (a, b):  # `pbtools verify --workspace`: every stream intact
        assert main(["verify", "--workspace", str(box.path)]) == 0
        assert "intact" in capsys.readouterr().out
    with open_workspace(a.path) as ws_a, open_workspace(b.path) as ws_b:
        assert state(ws_a, a.closed_hearing).ballots == state(ws_b, b.closed_hearing).ballots  # the same demo
        assert ws_a.ledger.streams() == ws_b.ledger.streams()
        simulate_hall(ws_a, a.open_hearing, 15, seed=3, actor=TRAINER_ACTOR)  # codes issued, ballots cast in a only
        assert state(ws_a, a.open_hearing).ballots and not state(ws_b, b.open_hearing).ballots
    assert code_key(a.path) != code_key(b.path)
    assert get_sandbox("a", root).path == a.path and get_sandbox("b", root).path == b.path  # each its own mark
    assert main(["verify", "--workspace", str(a.path)]) == 0
    assert snapshot(template) == before  # what a sandbox does never reaches the template
    again = reset_sandbox("a", actor=TRAINER_ACTOR, root=root)
    with open_workspace(again.path) as ws:
        assert not state(ws, again.open_hearing).ballots
        assert HearingStore(ws, again.open_hearing).refresh().status == "open"
        checks = check_workspace(ws)
        assert checks and all(not c.problems for c in checks)  # photos and documents found unchanged too


def test_a_changed_pbtools_builds_a_new_template_and_drops_the_old(root, monkeypatch):
    create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    old = _template(root)
    monkeypatch.setattr(T, "fingerprint", lambda: "0" * 20)  # as after an upgrade: other code, other demo
    b = create_sandbox("b", actor=TRAINER_ACTOR, root=root)
    assert _template(root) != old and not old.exists()
    assert _template(root).name.endswith("0" * 20)
    assert main(["verify", "--workspace", str(b.path)]) == 0


def test_a_template_holding_a_link_is_never_followed(root, tmp_path):
    create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    template = _template(root)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for sandboxes")
    os.symlink(secret, template / "monitoring-files" / "planted")
    with pytest.raises(OSError):
        create_sandbox("b", actor=TRAINER_ACTOR, root=root)
    assert sorted(n for n in os.listdir(root) if not n.startswith(T.PREFIX)) == ["a"]  # nothing half made
