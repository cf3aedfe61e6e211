"""The closed sample hearing in a workspace, built once for the report tests (reports only read it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pbtools.hearings.sample import create_sample_hearing
from pbtools.hearings.store import state

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    """(workspace folder, hearing id) of the sample hearing."""
    from pbtools.storage import open_workspace

    folder = tmp_path_factory.mktemp("reports") / "ws"
    with open_workspace(folder) as ws:
        hid = create_sample_hearing(ws, seed=7)
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
