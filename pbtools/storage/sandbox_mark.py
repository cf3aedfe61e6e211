"""The mark of a training sandbox: whether a workspace folder is one.

    is_sandbox(ws.path)       # True for a checked sandbox, in whatever sandboxes folder it is
    checked_mark(folder)      # its marker (a dict), or NotASandbox saying why not

Here, in the storage layer, because the writers of several parts ask it (a needs assessment, a simulated hall: in a
sandbox a write needs the SANDBOX right) and none of them may import another's folder; `pbtools.training.sandbox`
makes, resets and removes sandboxes and builds its refusals from `NotASandbox`.

A folder is a sandbox when its name is a plain sandbox name; it is a real folder (not a symlink) directly in its
parent; it holds the marker file written at creation (``MARKER``, a regular file, naming the folder) whose token is
also in the folder's own SQLite database (setting ``SETTING``); and it names no other database (no
``workspace.json``).
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

from pbtools.i18n import N_
from pbtools.storage.engine import SQLITE_FILE

MARKER = ".pbtools-sandbox.json"  # written at creation: name, token, hearings, when
SETTING = "training.sandbox"  # the same token, in the sandbox's own database
CONFIG_FILE = "workspace.json"
# One folder name: starts with a letter or digit (of any script: "Ош-1"), then letters, digits, "-" or "_". No
# ".", so no "..", no hidden or temporary name; no separator, so never a path.
NAME = re.compile(r"[^\W_][\w-]{0,63}")


class NotASandbox(Exception):
    """``folder`` is not a sandbox; ``why`` an ``N_`` message id (None: there is no such folder)."""

    def __init__(self, folder: Path, why: str | None) -> None:
        super().__init__(str(folder), why)
        self.folder, self.why = folder, why


def read_marker(folder: Path) -> dict | None:
    """The marker's contents when ``folder`` holds a regular marker file that reads as one, else None."""
    path = folder / MARKER
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("name", "token")):
        return None
    return data


def db_token(folder: Path) -> str | None:
    """The sandbox token kept in the folder's own SQLite database (None: no database, or no token in it)."""
    from pbtools.storage.errors import WorkspaceError
    from pbtools.storage.workspace import open_workspace

    db = folder / SQLITE_FILE
    try:
        if not stat.S_ISREG(os.lstat(db).st_mode):
            return None
    except OSError:
        return None
    try:
        with open_workspace(folder, create=False) as ws:
            value = ws.get_setting(SETTING)
    except (WorkspaceError, ValueError, OSError):
        return None
    return value.get("token") if isinstance(value, dict) else None


def checked_mark(folder: Path, name: str | None = None) -> dict:
    """The marker of sandbox ``folder`` once every check has passed (see the module's text); else ``NotASandbox``.
    The caller checks the folder's name first (``NAME``). ``name``: the sandbox's name when the folder is not named
    after it (the copy a reset keeps aside, ``training.sandbox``)."""
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        raise NotASandbox(folder, None) from None
    if stat.S_ISLNK(mode):
        raise NotASandbox(folder, N_("it is a link to another place"))
    if not stat.S_ISDIR(mode):
        raise NotASandbox(folder, N_("it is not a folder"))
    if folder.resolve().parent != folder.parent.resolve():
        raise NotASandbox(folder, N_("it is not directly in the sandboxes folder"))
    marker = read_marker(folder)
    if marker is None or marker["name"] != (name or folder.name):
        raise NotASandbox(folder, N_("it has no sandbox mark"))
    if os.path.lexists(folder / CONFIG_FILE):
        raise NotASandbox(folder, N_("it names another database"))
    if db_token(folder) != marker["token"]:
        raise NotASandbox(folder, N_("its database is not the sandbox's"))
    return marker


def is_sandbox(workspace: Path | str) -> bool:
    """Whether ``workspace`` is a sandbox: a checked one, in whatever sandboxes folder it is."""
    path = Path(workspace).expanduser()
    if not NAME.fullmatch(path.name):
        return False
    try:
        checked_mark(path)
    except NotASandbox:
        return False
    return True
