"""The demo workspace (closed sample hearing, budget), built once for the report tests; reports only read it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pbtools.demo import create_demo
from pbtools.hearings.store import hearing_ids, state

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    """(workspace folder, hearing id) of the demo workspace: the sample hearing and the budget it presents."""
    from pbtools.storage import open_workspace

    folder = tmp_path_factory.mktemp("reports") / "ws"
    create_demo(folder, seed=7)
    with open_workspace(folder, create=False) as ws:
        (hid,) = hearing_ids(ws)
    return folder, hid


@pytest.fixture
def ws(sample):
    from pbtools.storage import open_workspace

    with open_workspace(sample[0], create=False) as workspace:
        yield workspace


@pytest.fixture
def sample_state(ws, sample):
    return state(ws, sample[1])


def pbtools(*args: str) -> subprocess.CompletedProcess:
    """The ``pbtools`` command as a user runs it."""
    return subprocess.run([sys.executable, "-m", "pbtools", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
