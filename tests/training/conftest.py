"""Sandboxes for the training tests: each test gets its own sandboxes folder (never the user's)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from pbtools.roles import TRAINER, Actor

TRAINER_ACTOR = Actor("Trainer Aida", TRAINER)


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "sandboxes"
    # the default root must never be the user's, even if a test forgets --root
    monkeypatch.setenv("PBTOOLS_SANDBOXES", str(folder))
    return folder


def sandbox_names(root: Path) -> list[str]:
    """What is in the sandboxes folder besides the template every sandbox is copied from (``sandbox_template``)."""
    return sorted(n for n in os.listdir(root) if not n.startswith(".template-"))


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (links as their targets) -> its bytes' sha256: equal snapshots, equal bytes."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[rel] = "dir"
    return found
