"""Where a workspace lives when none is named, and where in it the screens put the files they make."""

from __future__ import annotations

import os
from pathlib import Path


def default_workspace() -> Path:
    """$PBTOOLS_WORKSPACE, else the per-user data folder (~/.local/share/pbtools/workspace on Linux)."""
    if os.environ.get("PBTOOLS_WORKSPACE"):
        return Path(os.environ["PBTOOLS_WORKSPACE"]).expanduser()
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "pbtools" / "workspace"


def reports_folder(workspace: Path | str) -> Path:
    """The workspace's folder of files made for download (protocols, exports, code cards, scorecards), made if
    missing: the screens offer them from there, and the Pabulib app lists the hearings exported there as .pb."""
    folder = Path(workspace) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
