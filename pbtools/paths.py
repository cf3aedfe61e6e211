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
    from pbtools.private import private_folder

    return private_folder(Path(workspace) / "reports")


class UnsafeName(ValueError):
    """A file name made from an id or a name would not be a plain file in its folder; nothing was written."""

    def __init__(self, name: str) -> None:
        from pbtools.i18n import N_, Msg

        shown = "".join(c if c.isprintable() else "?" for c in str(name)[:60])
        self.message = Msg(N_("{name} cannot be the name of a file: it would not stay in its folder"), name=shown)
        super().__init__(self.message.render("en"))

    def render(self, lang: str) -> str:
        return self.message.render(lang)


def file_in(folder: Path | str, name: str) -> Path:
    """``folder/name``, the one way a file's path is made from an id or a name (a hearing's, a project's, an
    upload's): ``UnsafeName`` unless ``name`` is one plain file name that stays in ``folder`` (no "/", "\\", ":",
    NUL, not "." or "..", not too long for a file system, and no link out of the folder under that name)."""
    folder = Path(folder)
    if (not isinstance(name, str) or name in ("", ".", "..") or any(c in name for c in "/\\:\0")
            or len(name.encode("utf-8", "replace")) > 255 or not name.isprintable()):
        raise UnsafeName(name)
    path = folder / name
    if path.resolve().parent != folder.resolve():  # e.g. a link of that name pointing elsewhere
        raise UnsafeName(name)
    return path
