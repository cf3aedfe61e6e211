from pathlib import Path

import pytest

PABULIB = Path(__file__).resolve().parents[2].parent / "shared" / "pabulib"


def pabulib_file(name: str) -> Path:
    path = PABULIB / name
    if not path.exists():
        pytest.skip(f"{path} is not here (the real elections live next to the repository)")
    return path
