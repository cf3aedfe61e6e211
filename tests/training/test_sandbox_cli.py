"""The commands: pbtools sandbox create | reset | remove | list [--json], and pbtools simulate."""

from __future__ import annotations

import json

from pbtools.cli import main
from pbtools.hearings.store import state
from pbtools.storage import open_workspace
from pbtools.training.sandbox import get_sandbox
from tests.training.conftest import snapshot


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_create_list_simulate_reset_remove(root, capsys):
    code, out, err = run(capsys, "sandbox", "create", "ws1", "--root", str(root))
    assert code == 0 and "ws1" in out and str(root / "ws1") in out
    code, out, _ = run(capsys, "sandbox", "list", "--json", "--root", str(root))
    assert code == 0 and json.loads(out) == [{"name": "ws1", "workspace": str(root / "ws1")}]
    box = get_sandbox("ws1", root)

    code, out, err = run(capsys, "simulate", box.open_hearing, "--voters", "12", "--seed", "5", "--sandbox", "ws1",
                         "--root", str(root), "--lang", "ru")
    assert code == 0, err
    assert "12" in out and "бюллетеней" in out
    code, out, err = run(capsys, "simulate", box.open_hearing, "--voters", "12", "--seed", "5", "--via", "phones",
                         "--workspace", str(box.path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["registered"] == 12 and report["via"] == "phones" and report["refused"] == []
    assert set(report["ballots"].values()) == {12} and len(report["digest"]) == 64
    with open_workspace(box.path, create=False) as ws:
        st = state(ws, box.open_hearing)
    assert st.counters.total == 24
    assert sorted({b.channel for b in st.ballots.values()}) == ["paper", "phone"]
    assert len(st.ballots) == 24 * len(st.questions)

    code, out, _ = run(capsys, "sandbox", "reset", "ws1", "--root", str(root), "--lang", "ky")
    assert code == 0 and "ws1" in out and "pbtools sandbox restore ws1" in out
    with open_workspace(box.path, create=False) as ws:
        assert not state(ws, box.open_hearing).ballots
    code, out, _ = run(capsys, "sandbox", "restore", "ws1", "--root", str(root), "--lang", "ru")
    assert code == 0 and "возвращена" in out
    with open_workspace(box.path, create=False) as ws:
        assert len(state(ws, box.open_hearing).ballots) == 24 * len(st.questions)
    code, out, _ = run(capsys, "sandbox", "remove", "ws1", "--root", str(root))
    assert code == 0 and not (root / "ws1").exists()
    code, out, _ = run(capsys, "sandbox", "list", "--json", "--root", str(root))
    assert json.loads(out) == []
    code, out, _ = run(capsys, "sandbox", "list", "--root", str(root), "--lang", "ky")
    assert code == 0 and "жок" in out


def test_the_environment_names_the_root(root, capsys):
    code, _, err = run(capsys, "sandbox", "create", "env1")
    assert code == 0, err
    assert (root / "env1").is_dir()
    code, out, _ = run(capsys, "sandbox", "list", "--json")
    assert [b["name"] for b in json.loads(out)] == ["env1"]


def test_refusals_say_why_in_the_chosen_language_and_change_nothing(root, tmp_path, capsys):
    run(capsys, "sandbox", "create", "a", "--root", str(root))
    before = snapshot(tmp_path)
    code, _, err = run(capsys, "sandbox", "reset", "../a", "--root", str(root), "--lang", "ky")
    assert code == 2 and "окуу аянтчасынын аты" in err
    code, _, err = run(capsys, "sandbox", "remove", "nope", "--root", str(root), "--lang", "ru")
    assert code == 2 and "нет учебной песочницы" in err
    code, _, err = run(capsys, "sandbox", "create", "a", "--root", str(root))
    assert code == 2 and "already" in err
    box = get_sandbox("a", root)
    code, _, err = run(capsys, "simulate", box.closed_hearing, "--voters", "10", "--seed", "1", "--sandbox", "a",
                       "--root", str(root), "--lang", "ky")
    assert code == 2 and "жабык" in err and box.closed_hearing in err
    code, _, err = run(capsys, "simulate", box.open_hearing, "--voters", "0", "--seed", "1", "--sandbox", "a",
                       "--root", str(root))
    assert code == 2 and "between" in err
    assert snapshot(tmp_path) == before
