"""Folders pbtools ships beside its code: the Voila apps (``notebooks``) and the sample municipality (``sample``).

In the repository they stay at the top (``notebooks/``, ``data/sample/``) where people edit them; building the
package (setup.py) copies them into ``pbtools/_data/``. So an installed pbtools reads them from the package, and
a checkout (editable install, or ``PYTHONPATH`` on the checkout) reads them where they are edited.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# name -> where it is in the repository (relative to the checkout's top folder)
IN_CHECKOUT: dict[str, str] = {"notebooks": "notebooks", "sample": "data/sample"}


def data_dir(name: str) -> Path:
    """The folder ``name`` (one of ``IN_CHECKOUT``): in the installed package if it is there, else in the checkout."""
    if name not in IN_CHECKOUT:
        raise ValueError(f"unknown data folder {name!r}; expected one of {', '.join(IN_CHECKOUT)}")
    packaged = files("pbtools") / "_data" / name
    if packaged.is_dir():
        # Wheels install as plain files, so this is a real folder (Voila needs a path, not a Traversable).
        return Path(str(packaged))
    return Path(__file__).resolve().parents[1] / IN_CHECKOUT[name]
