import os
from pathlib import Path

import pytest

from pbtools.counting.native import BUILT

_HERE = Path(__file__).resolve()
# next to the repository (../shared/pabulib); a worktree one level deeper finds it one level up
PABULIB = next((p for p in (Path(os.environ.get("PBTOOLS_PABULIB", "/nonexistent")), _HERE.parents[2].parent / "shared" / "pabulib",
                            _HERE.parents[4] / "shared" / "pabulib") if p.is_dir()), _HERE.parents[2].parent / "shared" / "pabulib")


def pabulib_file(name: str) -> Path:
    path = PABULIB / name
    if not path.exists():
        pytest.skip(f"{path} is not here (the real elections live next to the repository)")
    return path


@pytest.fixture(params=["python", "native"])
def engine(request) -> str:
    """Every test taking ``engine`` runs on both engines; the native one must be built where a compiler is."""
    if request.param == "native" and not BUILT:
        pytest.skip("the compiled core was not built here (no C compiler at install time)")
    return request.param
