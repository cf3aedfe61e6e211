"""Every storage test runs on SQLite and on a real PostgreSQL (a throwaway server, see tests/fixtures/postgres.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pbtools.storage import Workspace, open_workspace


@dataclass(frozen=True)
class Target:
    """Where a test's workspace lives: a folder, and a PostgreSQL URL or None for SQLite in the folder."""

    folder: Path
    db_url: str | None

    def open(self, create: bool = True) -> Workspace:
        return open_workspace(self.folder, db_url=self.db_url, create=create)

    @property
    def arg(self) -> str:  # for tests/storage/appender.py
        return self.db_url or "-"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    if request.param == "postgresql":
        return Target(tmp_path / "ws", request.getfixturevalue("pg_fresh_url"))
    return Target(tmp_path / "ws", None)


@pytest.fixture
def ws(target: Target):
    with target.open() as workspace:
        yield workspace
