"""The real elections of ../shared/pabulib, read where they live next to the repository (never copied into it).

Without them a test that needs one fails, saying where it looked: a fresh clone without ../shared must not pass by
skipping what should run. ``PBTOOLS_PABULIB=DIR`` names another folder; ``PBTOOLS_SKIP_SHARED=1`` asks to skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# next to the repository; a git worktree one level deeper (e.g. wt/NAME) finds it one level up
_PLACES = ([Path(os.environ["PBTOOLS_PABULIB"])] if os.environ.get("PBTOOLS_PABULIB")
           else [ROOT.parent / "shared" / "pabulib", ROOT.parents[1] / "shared" / "pabulib"])
PABULIB = next((p for p in _PLACES if p.is_dir()), _PLACES[0])


def _missing(what: str) -> None:
    message = f"{what} is not here: the real elections live in ../shared/pabulib (looked in {', '.join(map(str, _PLACES))})"
    if os.environ.get("PBTOOLS_SKIP_SHARED") == "1":
        pytest.skip(message)
    pytest.fail(message + "; set PBTOOLS_SKIP_SHARED=1 to skip these tests on purpose")


def pabulib_file(name: str) -> Path:
    path = PABULIB / name
    if not path.is_file():
        _missing(name)
    return path


def pabulib_names(max_bytes: int | None = None) -> list[str]:
    """The names of the real elections (those up to ``max_bytes``), for parametrize; at least one placeholder name
    where the folder is missing, so that the test runs and says so instead of vanishing."""
    if not PABULIB.is_dir():
        return ["(../shared/pabulib missing)"]
    return sorted(p.name for p in PABULIB.glob("*.pb") if max_bytes is None or p.stat().st_size <= max_bytes)
