"""A session named as the screens name it ("2", "№2") or by its id ("s2"); one that does not exist is refused, named,
in the user's language (a paper form printed for "2" came out blank, exit status 0)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pbtools.needs.errors import NeedsError
from pbtools.needs.service import NeedsService
from pbtools.roles import LOCAL
from pbtools.storage import open_workspace


@pytest.fixture
def svc(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        s = NeedsService(ws)
        for title in ("Water", "Roads"):
            s.add_problem(title, "en", LOCAL)
        s.add_session("Ак-Суу", "women", LOCAL)
        s.add_session("Көк-Талаа", "elders", LOCAL)
        yield s


@pytest.mark.parametrize("typed", ["2", "№2", "№ 2", " s2 ", "S2"])
def test_a_session_is_named_by_its_number_or_its_id(svc, typed, tmp_path):
    from pypdf import PdfReader

    assert svc.set_ranking(typed, "2 1", LOCAL) == ("p2", "p1")
    assert svc.state.rankings == {"s2": ("p2", "p1")}
    text = "".join(p.extract_text() for p in PdfReader(svc.form("en", tmp_path / "f.pdf", typed)).pages)
    assert "Көк-Талаа" in text


@pytest.mark.parametrize("typed", ["99", "№3", "s0", "x", "", "٢"])
def test_an_unknown_session_is_refused_naming_it_and_the_sessions_there_are(svc, typed, tmp_path):
    for call in (lambda: svc.set_ranking(typed, "1", LOCAL), lambda: svc.form("en", tmp_path / "f.pdf", typed)):
        with pytest.raises(NeedsError) as e:
            call()
        said = {lang: e.value.render(lang) for lang in ("ky", "ru", "en")}
        assert said["en"] == f"There is no session «{typed.strip()}»: the sessions are №1, №2"
        assert said["ru"] == f"Встречи «{typed.strip()}» нет; есть встречи №1, №2"
        assert said["ky"].startswith(f"«{typed.strip()}» жолугушуусу жок")
    assert not (tmp_path / "f.pdf").exists() and svc.state.rankings == {}


def test_the_cli_form_for_an_unknown_session_exits_2_and_says_so(tmp_path):
    ws = tmp_path / "ws"
    with open_workspace(ws) as w:
        NeedsService(w).add_session("Ак-Суу", "women", LOCAL)
    run = lambda *a: subprocess.run([sys.executable, "-m", "pbtools", "needs", *a, "--workspace", str(ws)],  # noqa: E731
                                    capture_output=True, text=True, env={**os.environ})
    bad = run("form", "--out", str(tmp_path / "f.pdf"), "--session", "99", "--lang", "ru")
    assert bad.returncode == 2 and "Встречи «99» нет; есть встречи №1" in bad.stderr
    assert not (tmp_path / "f.pdf").exists()
    assert run("form", "--out", str(tmp_path / "f.pdf"), "--session", "№1").returncode == 0


def test_a_problem_title_longer_than_the_limit_is_refused_naming_the_field_and_the_limit(svc):
    """s28 L7: a 500-character title was accepted; it pushed the table's columns off screen and overprinted the
    chart's labels."""
    from pbtools.needs.store import MAX_TITLE

    with pytest.raises(NeedsError) as e:
        svc.add_problem("Ремонт дороги " * 36, "ru", LOCAL)
    got = len(("Ремонт дороги " * 36).strip())
    assert e.value.render("en") == f"Problem: at most {MAX_TITLE} characters, this has {got}"
    assert e.value.render("ru") == f"Проблема: не более {MAX_TITLE} символов, здесь {got}"
    assert e.value.render("ky").startswith("Көйгөй: ") and str(MAX_TITLE) in e.value.render("ky")
    assert len(svc.state.problems) == 2
    assert svc.add_problem("Т" * MAX_TITLE, "ru", LOCAL).number == 3  # at the limit: taken
