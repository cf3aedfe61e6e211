"""A count whose exact numbers outgrow the memory is refused with a message in the user's language (CountError,
which every screen and the command line show), not a MemoryError that ends the app; the next count is right."""

from __future__ import annotations

import json

import pytest

from pbtools.counting.count import CountError, count
from pbtools.counting.native import _gmp_oom
from pbtools.counting.pabulib import parse_pb
from pbtools.i18n import LANGS, gettext

TEXT = """META
key;value
budget;1000
vote_type;approval
PROJECTS
project_id;cost
1;300
2;500
3;400
VOTES
voter_id;vote
1;1,2
2;2,3
3;1,3
4;2
"""
MESSAGE = "Not enough memory to count this election by {rule}: its numbers grew too large. Try another rule, or a computer with more memory."


@pytest.mark.parametrize("rule", ["mes", "mes-add1", "phragmen"])
def test_running_out_of_memory_is_said_and_the_next_count_is_right(rule, engine):
    election = parse_pb(TEXT)
    right = count(election, rule).selected
    _gmp_oom.fail_after(1)  # the first GMP allocation inside the compiled core fails
    try:
        if engine == "python":  # the reference engine uses no GMP: it counts as ever
            assert count(election, rule).selected == right
            return
        with pytest.raises(CountError) as refused:
            count(election, rule)
    finally:
        _gmp_oom.fail_after(0)
    for lang in LANGS:
        said = refused.value.message.render(lang)
        assert said == gettext(lang, MESSAGE).format(rule=rule) and (lang == "en" or said != MESSAGE.format(rule=rule))
    assert count(election, rule).selected == right


@pytest.mark.parametrize("rule", ["mes-add1", "mes-add1-greedy"])
def test_running_out_of_memory_in_the_final_run_is_said_where_the_explanation_is_read(rule, engine):
    """The compiled Add1 count makes its final run when its ties or steps are first read: memory running out there
    is the same CountError, and the next read counts it right."""
    election = parse_pb(TEXT)
    want = count(election, rule, engine="python")
    result = count(election, rule)
    _gmp_oom.fail_after(1)
    try:
        if engine == "python":  # the reference engine explained at once (and uses no GMP)
            assert list(result.ties) == list(want.ties)
            return
        with pytest.raises(CountError) as refused:
            list(result.ties)
    finally:
        _gmp_oom.fail_after(0)
    assert refused.value.message.render("en") == MESSAGE.format(rule=rule)
    assert list(result.ties) == list(want.ties) and result.explain("ky") == want.explain("ky")


def test_tally_says_memory_ran_out_in_the_final_run(tmp_path, monkeypatch, capsys, engine):
    """``pbtools tally`` reads the explanation where it counts: memory running out in the compiled Add1 count's final
    run (made when the explanation is first read) is said in the user's language, nothing else printed."""
    from pbtools.cli import main
    from pbtools.counting.native import engine as native_engine

    path = tmp_path / "e.pb"
    path.write_text(TEXT, encoding="utf-8")
    real = native_engine._FinalRun.purchases

    def refused(self):  # the final run's first GMP allocation fails
        _gmp_oom.fail_after(1)
        try:
            return real(self)
        finally:
            _gmp_oom.fail_after(0)

    monkeypatch.setattr(native_engine._FinalRun, "purchases", refused)
    for extra in ([], ["--json"]):
        code = main(["tally", str(path), "--rule", "mes-add1", "--engine", engine, "--lang", "ru", *extra])
        out = capsys.readouterr()
        if engine == "python":  # the reference engine explains in the count, without GMP
            assert code == 0 and "Не хватает" not in out.err
            continue
        said = gettext("ru", MESSAGE).format(rule="mes-add1")
        assert code == 1 and out.err.strip() == said
        assert out.out == (json.dumps({"error": said}, ensure_ascii=False) + "\n" if extra else "")  # --json: for scripts
