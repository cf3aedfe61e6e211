"""``--lang`` is accepted before or after the command, for every command and subcommand."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from pbtools.cli import _subparsers, build_parser

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "budget.csv"


def commands(parser, prefix=()):
    """Every runnable command with the least arguments it needs, e.g. ("budget", "check", "x")."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                children = list(commands(child, (*prefix, name)))
                yield from children or [(*prefix, name, *required(child))]


def required(parser) -> list[str]:
    args = []
    for action in parser._actions:
        value = str(action.choices[0]) if action.choices else "1"
        if not action.option_strings and action.nargs != 0:
            args += [value] * (action.nargs if isinstance(action.nargs, int) else 1)
        elif action.required:
            args += [action.option_strings[0], value]
    return args


def test_every_parser_takes_lang():
    parser = build_parser()
    assert all("--lang" in child._option_string_actions for child in _subparsers(parser))
    assert ("budget", "check", "1") in list(commands(parser))


@pytest.mark.parametrize("path", sorted(set(commands(build_parser()))))
def test_lang_before_and_after_every_command(path):
    parser = build_parser()
    assert parser.parse_args(["--lang", "ky", *path]).lang == "ky"
    assert parser.parse_args([*path, "--lang", "ru"]).lang == "ru"
    assert parser.parse_args([*path]).lang is None  # not given: the default ($PBTOOLS_LANG or en)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_lang_before_the_command_is_used_by_it():
    result = run("--lang", "ky", "budget", "check", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert "Кирешелер" in result.stdout
    result = run("--lang", "ru", "budget", "check", str(SAMPLE), "--lang", "ky")  # the last one given wins
    assert result.returncode == 0 and "Кирешелер" in result.stdout


def test_unknown_language_is_a_usage_error():
    result = run("--lang", "de", "budget", "check", str(SAMPLE))
    assert result.returncode == 2 and "--lang" in result.stderr
