"""Where a workspace lives when none is named, and where in it the screens put the files they make; files and
folders that hold hearing or monitoring data (exports, protocols, hand-in folders, photos) readable by their owner
only, whatever the umask. A command run from a shell with the usual umask 022 wrote them 0644/0755 (new-user trial
s26 L10); the server sets umask 077, a laptop's terminal does not:

    private_folder(path)                    # made 0700, and each folder it makes on the way
    write_private(path, text_or_bytes)      # a 0600 file, in one rename: a crash never leaves half a file
    with private_file(path) as tmp:         # for writers that take a file name (PDF, xlsx, zip, charts)
        book.save(tmp)
"""

from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from pbtools.i18n import Msg

FILE_MODE, FOLDER_MODE = 0o600, 0o700


def default_workspace() -> Path:
    """$PBTOOLS_WORKSPACE, else the per-user data folder (~/.local/share/pbtools/workspace on Linux)."""
    if os.environ.get("PBTOOLS_WORKSPACE"):
        return Path(os.environ["PBTOOLS_WORKSPACE"]).expanduser()
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "pbtools" / "workspace"


CENTRAL_DIR_ENV = "PBTOOLS_CENTRAL_DIR"


def central_dir() -> Path:
    """Where a central server keeps each municipality's files that are not in the database (the codes' key)."""
    return Path(os.environ.get(CENTRAL_DIR_ENV) or default_workspace().parent / "central").expanduser()


def reports_folder(workspace: Path | str) -> Path:
    """The workspace's folder of files made for download (protocols, exports, code cards, scorecards), made if
    missing: the screens offer them from there, and the Pabulib app lists the hearings exported there as .pb."""
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

def private_folder(path: Path | str) -> Path:
    """``path`` as a folder, made if missing: it and every parent made here 0700 (``mkdir(parents=True)`` gives the
    parents the umask's 0755, e.g. ``monitoring-files/`` above its 0700 ``ab/``). A folder already there is left
    as it is: it may be the user's own, e.g. a USB stick's."""
    path = above = Path(path)
    missing = []
    while not above.exists() and above != above.parent:
        missing.append(above)
        above = above.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(FOLDER_MODE)
        except FileExistsError:  # another process made it a moment ago
            continue
        os.chmod(folder, FOLDER_MODE)  # the umask may have taken bits off mkdir's mode, never added: this is exact
    return path


def _open_private(path: Path) -> int:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # a file of that name made before, world-readable, is owner-only from now on
    return fd


@contextmanager
def private_file(path: Path | str) -> Iterator[Path]:
    """A 0600 temporary file beside ``path`` to write; it replaces ``path`` when the block ends without an error
    (removed otherwise). For writers that open the file by name themselves: opened for writing, it keeps its mode."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    os.close(_open_private(tmp))
    try:
        yield tmp
        os.chmod(tmp, FILE_MODE)  # a writer that made the file anew (removed, then created) took the umask's mode
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_private(path: Path | str, data: str | bytes) -> Path:
    """``data`` (text as UTF-8) as the 0600 file ``path``, replaced in one rename after it is on disk."""
    path = Path(path)
    with private_file(path) as tmp:
        fd = _open_private(tmp)
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
    return path


def unreadable(exc: OSError, path: Path | str) -> Msg:
    """Why ``path`` could not be read, in the user's language (the system's own words stay English: "No such file or
    directory" under --lang ru, new-user trial s27 L4)."""
    from pbtools.i18n import N_, Msg

    said = {errno.ENOENT: N_("There is no file {file}"), errno.EISDIR: N_("{file} is a folder, not a file"),
            errno.EACCES: N_("{file} may not be read (no permission)"), errno.EPERM: N_("{file} may not be read (no permission)")}
    if exc.errno in said:
        return Msg(said[exc.errno], file=str(path))
    return Msg(N_("Cannot read {file}: {problem}"), file=str(path), problem=exc.strerror or str(exc))
