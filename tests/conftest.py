"""Shared fixtures live in tests/fixtures/*.py; every module there is loaded as a pytest plugin."""

import os
from pathlib import Path

import pytest

pytest_plugins = sorted(
    f"tests.fixtures.{p.stem}" for p in (Path(__file__).parent / "fixtures").glob("*.py") if p.stem != "__init__"
)


# The screens are imported as pbtools_widgets but live in widgets/
# (setup.py's package_dir), which only an install of this checkout maps; another checkout's install (a shared venv)
# would answer instead, and the tests would silently test that copy.
def _screens_come_from_this_checkout() -> None:
    import importlib.util

    spec = importlib.util.find_spec("pbtools_widgets")
    here = Path(__file__).resolve().parents[1] / "widgets"
    found = Path(spec.origin).resolve().parent if spec is not None and spec.origin else None
    if found != here:
        raise RuntimeError(f"pbtools_widgets comes from {found}, not from {here}: install this checkout "
                           "(pip install -e . or make venv) in the Python that runs the tests")


_screens_come_from_this_checkout()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config) -> int:
    """``-n auto`` (make test): one worker per CPU this process may use, at least 2 and at most 4. Much of a test's
    time is spent waiting on servers, kernels and browsers, so 2 workers pay even on one core; past 4, each worker's
    own PostgreSQL, Chromium and Voila servers cost more memory than they save time (the longest modules bound the
    run). PYTEST_XDIST_AUTO_NUM_WORKERS=N still decides."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS", "").isdigit():
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(4, max(2, cpus))


# Modules that start a hub, then those that drive a browser, run first: they are the longest, and one that starts
# last on a worker keeps the whole run waiting for it while the other workers are idle (pytest-xdist's
# --no-loadscope-reorder keeps this order; by default it starts the modules with the most tests, quick ones, first).
# A module with a hub of its own comes before those sharing one, so a worker's shared hub runs its modules in one go
# (it stops before a module with its own: tests/hub/conftest.py). The browser modules sharing a server
# (tests/fixtures/shared_server.py) come next, together for the same reason: it stops before any other module.
LONG_FIXTURES = ("fresh_hub", "hub", "shared_servers", "chromium")


def pytest_collection_modifyitems(config, items) -> None:
    rank: dict = {}
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        mine = next((i for i, name in enumerate(LONG_FIXTURES) if name in used), len(LONG_FIXTURES))
        module = getattr(item, "module", None)
        rank[module] = min(rank.get(module, mine), mine)
    # stable: a module's tests, and the other modules, keep their order
    items.sort(key=lambda item: rank[getattr(item, "module", None)])
