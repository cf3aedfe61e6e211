"""``pbtools doctor`` and ``pbtools --version`` say which counting engine counts, in the language asked for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pbtools import __version__
from pbtools.cli import main
from pbtools.counting import native

ROOT = Path(__file__).resolve().parents[2]
# what each language calls the engine that counts here (the compiled one where built), and a part of it
ENGINE = {"en": ("native, compiled", "python, the compiled core was not built"),
          "ru": ("native, компилированный", "python, компилированное ядро не собрано"),
          "ky": ("native, компиляцияланган", "python, компиляцияланган өзөк курулган эмес")}
BUILT_PART = {"en": "built: greedy and Phragmén", "ru": "собрано: жадное правило и метод Фрагмена",
              "ky": "курулган: ач көз эреже жана Фрагмен методу"}


def run(*args: str, env_lang: str | None = None) -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if k != "PBTOOLS_LANG"}
    if env_lang:
        env["PBTOOLS_LANG"] = env_lang
    return subprocess.run([sys.executable, "-m", "pbtools", *args], capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_version_names_the_engine_in_the_language_given_before_or_after_it(lang):
    said = ENGINE[lang][0 if native.BUILT else 1]
    for args in (["--version", "--lang", lang], [f"--lang={lang}", "--version"], ["--lang", "en", "--version", "--lang", lang]):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().startswith(f"pbtools {__version__} (") and said in result.stdout, args
    assert said in run("--version", env_lang=lang).stdout  # $PBTOOLS_LANG when no --lang


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_doctor_says_which_engine_counts_and_each_compiled_part(lang):
    result = run("doctor", "--lang", lang)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"pbtools {__version__}" and lines[1].startswith("Python 3.")
    assert ENGINE[lang][0 if native.BUILT else 1] in lines[2]
    assert (BUILT_PART[lang] in result.stdout) == (native._rulesnative is not None)


def test_doctor_on_a_machine_where_the_compiled_core_was_not_built(monkeypatch, capsys):
    """No C compiler at install time: none of the extensions imports (what pbtools/counting/native does then)."""
    for name in ("_pbnative", "_mesnative", "_rulesnative"):
        monkeypatch.setattr(native, name, None)
    monkeypatch.setattr(native, "BUILT", False)
    assert main(["doctor", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "Движок подсчёта: python, компилированное ядро не собрано" in out
    assert "не собрано: чтение файлов .pb и объединение одинаковых бюллетеней" in out
    assert "scripts/system-deps.sh --build" in out and "собрано: жадное" not in out.replace("не собрано: жадное", "")
