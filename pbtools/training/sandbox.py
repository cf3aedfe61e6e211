"""Training sandboxes: workspaces made from the sample municipality, kept under one sandboxes folder.

    root = sandboxes_root()                                   # $PBTOOLS_SANDBOXES, else the per-user data folder
    box = create_sandbox("workshop-1", actor=Actor("Aida", TRAINER))
    box.path, box.closed_hearing, box.open_hearing           # a workspace; the sample (closed) and a mock (open) hearing
    reset_sandbox("workshop-1", actor=...)                    # as new, in one step; what it was is kept aside
    restore_sandbox("workshop-1", actor=...)                  # back as before the reset (the two change places)
    remove_sandbox("workshop-1", actor=...)
    list_sandboxes()                                          # [Sandbox(...), ...]

Where: ``$PBTOOLS_SANDBOXES``, else ``sandboxes`` beside the default workspace in the per-user data folder
(``~/.local/share/pbtools/sandboxes`` on Linux). A sibling of the real workspace, never inside it: a sandbox is a
workspace of its own, it survives a reboot (unlike /tmp, a workshop runs over days), and removing one can only ever
reach that folder. Callers may name another root (``--root``).

Reset and remove can never touch another workspace. A name is one plain folder name (letters, digits, ``-``, ``_``;
no path separator, no ``..``, never absolute); the folder must be a real folder (not a symlink) directly in the root;
it must hold the marker file written at creation (``MARKER``, a regular file) whose token is also in the sandbox's own
database (setting ``SETTING``), and no other database (no ``workspace.json``). Anything else is refused
(``SandboxError``) and left as it is. A new or reset sandbox is built in a hidden folder of the root and renamed into
place, so a sandbox is never half made under its name; a removed one is renamed aside before it is deleted. A reset
keeps the sandbox it replaces (``.kept-NAME``, hidden, one copy) and ``restore_sandbox`` swaps it back. What
is built is a copy of the root's template (``sandbox_template``, a hidden ``.template-...`` folder: the demo built
once, record by record), so a new or reset sandbox takes a fraction of a second once the template is there.

Sandboxes are SQLite workspaces in their folders (a PostgreSQL database could not be reset by its folder). Every
write here requires the actor's ``SANDBOX`` right (``pbtools.roles``): a trainer may write to sandboxes only.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pbtools.i18n import N_, Msg
from pbtools.paths import default_workspace
from pbtools.roles import SANDBOX, Actor
from pbtools.storage.engine import SQLITE_FILE
from pbtools.storage.sandbox_mark import (  # the mark's checks, where every writer can ask is_sandbox
    CONFIG_FILE, MARKER, NAME, SETTING, NotASandbox, checked_mark, read_marker,
)
from pbtools.training.errors import SandboxError

ROOT_ENV = "PBTOOLS_SANDBOXES"


@dataclass(frozen=True)
class Sandbox:
    """One sandbox: its name, its workspace folder, and the hearings it was made with."""

    name: str
    path: Path  # the workspace folder (open it with pbtools.storage.open_workspace)
    created_at: str  # ISO date and time (UTC) of its creation or last reset
    closed_hearing: str  # the sample hearing, closed, with its ballots (results, protocol, audit)
    open_hearing: str  # the mock hearing, open, no ballot yet: ready for simulated or real phones

    def to_json(self) -> dict:
        return {"name": self.name, "workspace": str(self.path), "created_at": self.created_at,
                "closed_hearing": self.closed_hearing, "open_hearing": self.open_hearing}


def sandboxes_root(root: Path | str | None = None) -> Path:
    """The sandboxes folder: ``root`` when given, else ``$PBTOOLS_SANDBOXES``, else ``sandboxes`` beside the
    default workspace. Not created here."""
    if root is not None and str(root).strip():
        return Path(root).expanduser()
    if os.environ.get(ROOT_ENV, "").strip():
        return Path(os.environ[ROOT_ENV]).expanduser()
    return default_workspace().parent / "sandboxes"


def check_name(name: str) -> str:
    """``name`` when it is a plain sandbox name; else ``SandboxError`` saying what a name may hold."""
    if isinstance(name, str) and not name.strip():  # said as such: « cannot be a sandbox name» named nothing
        raise SandboxError(Msg(N_("The sandbox name is empty: type one (letters, digits, - and _, up to 64, starting "
                                  "with a letter or a digit)")))
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise SandboxError(Msg(N_("{name} cannot be a sandbox name: use letters, digits, - and _ (up to 64), "
                                  "starting with a letter or a digit"), name=str(name)[:80]))
    return name


def _root(root: Path | str | None, create: bool) -> Path:
    folder = sandboxes_root(root)
    if (folder / SQLITE_FILE).exists() or (folder / CONFIG_FILE).exists():
        # sandboxes inside a real workspace's folder would be deleted with it, and look like its files
        raise SandboxError(Msg(N_("{path} is a workspace; choose another folder for sandboxes"), path=str(folder)))
    if create:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _not_a_sandbox(name: str, folder: Path, why: str) -> SandboxError:
    return SandboxError(Msg(N_("{path} is not a sandbox ({why}); nothing was changed"), path=str(folder), why=Msg(why)))


def _checked(name: str, root: Path) -> tuple[Path, dict]:
    """The folder of sandbox ``name`` and its marker, once every check has passed (see the module's text)."""
    check_name(name)
    folder = root / name
    try:
        return folder, checked_mark(folder)
    except NotASandbox as refused:
        if refused.why is None:
            raise SandboxError(Msg(N_("There is no sandbox {name} in {root}"), name=name, root=str(root))) from None
        raise _not_a_sandbox(name, folder, refused.why) from None


def _sandbox(folder: Path, marker: dict) -> Sandbox:
    return Sandbox(marker["name"], folder, str(marker.get("created_at", "")), str(marker.get("closed_hearing", "")),
                   str(marker.get("open_hearing", "")))


def _build(root: Path, name: str, seed: int) -> Path:
    """A new sandbox in a hidden folder of ``root`` (renamed into place by the caller); that folder. A copy of the
    root's template (``sandbox_template``: the demo and the mock hearing, built once), with its own mark."""
    # here, not at the top: making the template loads the whole demo (matplotlib, the counting core: over 1 s)
    from pbtools.storage import open_workspace
    from pbtools.training.sandbox_template import MOCK, SAMPLE, copy_template, template

    source = template(root, seed)
    building = root / f".{name}.new-{secrets.token_hex(4)}"
    try:
        copy_template(source, building)
        token = secrets.token_hex(16)
        with open_workspace(building) as ws:
            ws.set_setting(SETTING, {"name": name, "token": token})
        marker = {"name": name, "token": token, "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "closed_hearing": SAMPLE.format(seed=seed), "open_hearing": MOCK.format(seed=seed)}
        fd = os.open(building / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(marker, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return building


def create_sandbox(name: str, *, actor: Actor, root: Path | str | None = None, seed: int = 2026) -> Sandbox:
    """A new sandbox ``name``: the sample municipality, its closed sample hearing and an open mock hearing.
    Refused (``SandboxError``) when the name is not plain or is taken; ``NotAllowed`` without the SANDBOX right."""
    actor.require(SANDBOX)
    check_name(name)
    folder = _root(root, create=True)
    target = folder / name
    if os.path.lexists(target):
        raise SandboxError(Msg(N_("There is already a sandbox or a file named {name} in {root}"), name=name, root=str(folder)))
    building = _build(folder, name, seed)
    try:
        os.rename(building, target)  # fails if the name was taken meanwhile (a non-empty folder or a file)
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
        raise SandboxError(Msg(N_("There is already a sandbox or a file named {name} in {root}"), name=name, root=str(folder))) from None
    return _sandbox(target, read_marker(target) or {})


def _kept_folder(root: Path, name: str) -> Path:
    """Where a reset keeps the sandbox it replaced: hidden, in the root, named for the sandbox (never ``.template-``:
    the template's clean-up removes those)."""
    return root / f".kept-{name}"


def _discard(path: Path, root: Path, name: str) -> None:
    """Remove ``path`` (the copy kept at an earlier reset) from the root: renamed aside first, so that the kept name
    is free at once; a link or a file there is unlinked, never followed."""
    if not os.path.lexists(path):
        return
    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
        return
    trash = root / f".{name}.old-{secrets.token_hex(4)}"
    os.rename(path, trash)
    shutil.rmtree(trash)


def reset_sandbox(name: str, *, actor: Actor, root: Path | str | None = None, seed: int = 2026) -> Sandbox:
    """Sandbox ``name`` as new. Only an existing, checked sandbox is reset; anything else is refused and left as it
    is. What it was is kept aside (one copy: the one kept at an earlier reset goes), so that ``restore_sandbox``
    brings it back: a workshop runs over days, and a reset clicked by mistake must not end it."""
    actor.require(SANDBOX)
    folder = _root(root, create=False)
    target, _ = _checked(name, folder)
    building = _build(folder, name, seed)
    kept = _kept_folder(folder, name)
    try:
        _discard(kept, folder, name)
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
        raise
    os.rename(target, kept)
    try:
        os.rename(building, target)
    except OSError:
        os.rename(kept, target)  # put the old one back: the name never stays empty
        shutil.rmtree(building, ignore_errors=True)
        raise
    return _sandbox(target, read_marker(target) or {})


def kept_sandbox(name: str, root: Path | str | None = None) -> Sandbox | None:
    """The copy of sandbox ``name`` its last reset kept aside, once checked as that sandbox's (its mark names it,
    its database holds the mark's token); None when there is none or it does not pass."""
    check_name(name)
    folder = _root(root, create=False)
    kept = _kept_folder(folder, name)
    try:
        return _sandbox(folder / name, checked_mark(kept, name))  # named by the place it is restored to
    except NotASandbox:
        return None


def restore_sandbox(name: str, *, actor: Actor, root: Path | str | None = None) -> Sandbox:
    """Sandbox ``name`` as it was before its last reset. The two change places: the sandbox it replaces is kept
    aside in turn, so nothing is lost and the same call undoes it. Refused (``SandboxError``) when ``name`` is not
    a sandbox or no checked copy was kept."""
    actor.require(SANDBOX)
    folder = _root(root, create=False)
    target, _ = _checked(name, folder)
    if kept_sandbox(name, folder) is None:
        raise SandboxError(Msg(N_("Sandbox {name} has no copy kept from before a reset"), name=name))
    kept = _kept_folder(folder, name)
    swap = folder / f".{name}.swap-{secrets.token_hex(4)}"
    os.rename(target, swap)
    try:
        os.rename(kept, target)
    except OSError:
        os.rename(swap, target)
        raise
    os.rename(swap, kept)
    return _sandbox(target, read_marker(target) or {})


def remove_sandbox(name: str, *, actor: Actor, root: Path | str | None = None) -> Path:
    """Delete sandbox ``name`` (after every check), and the copy its last reset kept; the folder it was in."""
    actor.require(SANDBOX)
    folder = _root(root, create=False)
    target, _ = _checked(name, folder)
    aside = folder / f".{name}.old-{secrets.token_hex(4)}"
    os.rename(target, aside)  # from here the name is free; the files go next
    shutil.rmtree(aside)
    _discard(_kept_folder(folder, name), folder, name)
    return target


def get_sandbox(name: str, root: Path | str | None = None) -> Sandbox:
    """Sandbox ``name`` after every check (``SandboxError`` when it is not one)."""
    folder = _root(root, create=False)
    return _sandbox(*_checked(name, folder))


def list_sandboxes(root: Path | str | None = None) -> list[Sandbox]:
    """The sandboxes in the root, by name; folders that are not sandboxes are left out (and left alone)."""
    folder = _root(root, create=False)
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not NAME.fullmatch(entry.name):
            continue
        try:
            found.append(_sandbox(*_checked(entry.name, folder)))
        except SandboxError:
            continue
    return found

