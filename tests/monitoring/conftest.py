"""A workspace with the closed sample hearing (fewer participants: quicker), and the actors of monitoring."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pbtools.monitoring import MonitoringService
from pbtools.roles import FACILITATOR, MONITOR, OBSERVER, Actor
from pbtools.storage import open_workspace

STAFF = Actor("Гүлнара", FACILITATOR)
MEMBER = Actor("Айгүл", MONITOR)
WATCHER = Actor("Сабина", OBSERVER)


@pytest.fixture(scope="session")
def hearing_template(tmp_path_factory) -> tuple[Path, str]:
    """A workspace folder holding the closed sample hearing, built once and copied for each test."""
    from pbtools.hearings.sample import create_sample_hearing

    folder = tmp_path_factory.mktemp("hearing-template") / "ws"
    with open_workspace(folder) as ws:
        hearing_id = create_sample_hearing(ws, participants=40)
    return folder, hearing_id


@pytest.fixture
def closed(hearing_template, tmp_path):
    """(workspace, hearing id): a fresh copy of the workspace with the closed sample hearing."""
    folder, hearing_id = hearing_template
    copy = tmp_path / "ws"
    shutil.copytree(folder, copy)
    with open_workspace(copy) as ws:
        yield ws, hearing_id


@pytest.fixture
def ws(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        yield ws


@pytest.fixture
def svc(ws):
    return MonitoringService(ws)
