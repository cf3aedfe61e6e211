"""Shared fixtures live in tests/fixtures/*.py; every module there is loaded as a pytest plugin."""

from pathlib import Path

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
