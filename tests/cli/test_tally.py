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
