"""``pbtools tally``: how it ends when its reader stops early (``pbtools tally FILE | head``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_data import pabulib_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("json", [False, True])
def test_a_reader_that_stops_early_gets_no_traceback(json):
    """s27 L3: ``pbtools tally FILE | head -3`` ended with a BrokenPipeError traceback."""
    args = [sys.executable, "-m", "pbtools", "tally", str(pabulib_file("Poland_Wieliczka_2023_Green_Budget.pb"))]
    proc = subprocess.Popen(args + (["--json"] if json else []), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line is written (the count takes longer than this)
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert stderr == ""


def test_the_readmes_tally_row_names_every_rule_score_and_option():
    """s27 L11: the row named neither ``mes-add1-ens`` nor ``--score``."""
    from pbtools.cli import build_parser
    from pbtools.counting.count import RULES
    from pbtools.counting.profile import SCORES

    row = next(line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("| `pbtools tally"))
    named = set(row.replace("\\|", " ").replace(",", " ").replace("[", " ").replace("]", " ").replace("`", " ").split())
    assert set(RULES) <= named and set(SCORES) <= named
    tally = next(a for a in build_parser("en")._subparsers._group_actions[0].choices.items() if a[0] == "tally")[1]
    options = {o for a in tally._actions for o in a.option_strings if o.startswith("--") and o not in ("--help", "--lang")}
    assert options <= named, options - named
