"""The sandbox template: the sample workspace with its open mock hearing, built once record by record and copied
into every new or reset sandbox (building it takes seconds: some 600 ledger commits, each one synced to disk;
copying it takes a few hundredths).

    folder = template(root, seed)        # the root's template for this seed and this pbtools, made when missing
    copy_template(folder, building)      # a workspace folder with the same records, chain and files

The template is a hidden folder of the sandboxes root, ``.template-<key>``: the key is the seed and a fingerprint
of the code and sample data that build it (every file's name, size and time under the package), so a changed
pbtools or sample never hands out an old demo. It is built in a hidden folder and renamed into place, never
changed after; the templates of another pbtools are removed when a new one is made. A copy is byte for byte
(the ledger's chain is the template's: ``pbtools verify --workspace`` passes), except the voting codes' key:
a template holds none and each sandbox makes its own when it first issues codes, so no two sandboxes share one.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import sqlite3
import stat
from pathlib import Path

from pbtools.resources import data_dir
from pbtools.storage.engine import SQLITE_FILE

PREFIX = ".template-"
SAMPLE = "sample-{seed}"  # pbtools.hearings.sample's id for a seed
MOCK = "mock-{seed}"  # pbtools.training.mock_hearing's default id for a seed


def fingerprint() -> str:
    """What the template's content depends on: the package's files (code, catalogs, the sample data when
    installed) and the checkout's sample data, by name, size and modification time."""
    import pbtools

    h = hashlib.sha256()
    for top in (Path(pbtools.__file__).parent, data_dir("sample")):  # pbtools.demo's SAMPLE_DIR
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".pyc", ".so")):
                    continue
                st = os.stat(os.path.join(dirpath, name))
                h.update(f"{os.path.relpath(os.path.join(dirpath, name), top)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:20]


def template(root: Path, seed: int) -> Path:
    """The root's template for ``seed``, built now when there is none for this pbtools."""
    current = fingerprint()
    folder = root / f"{PREFIX}{seed}-{current}"
    if _is_template(folder):
        return folder
    building = root / f".new-template-{seed}-{secrets.token_hex(4)}"  # not PREFIX: never taken for an old template
    try:
        _build(building, seed)
        try:
            os.rename(building, folder)  # another process may have put its own there meanwhile: the same content
        except OSError:
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    for entry in os.scandir(root):  # templates of another pbtools are of no more use (another seed's still are)
        if entry.name.startswith(PREFIX) and not entry.name.endswith(f"-{current}") and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
    if not _is_template(folder):
        raise OSError(f"{folder} is not a sandbox template")
    return folder


def _build(folder: Path, seed: int) -> None:
    # here, not at the top: the demo loads matplotlib and the counting core (over 1 s)
    from pbtools.demo import create_demo
    from pbtools.hearings.codes import KEY_FILE
    from pbtools.storage import open_workspace
    from pbtools.training.mock_hearing import create_mock_hearing

    # not synced record by record (some 600 commits, most of the build's time): the folder is hidden and unused
    # until the whole of it is synced below, and a build cut short is never renamed into place
    create_demo(folder, seed=seed, synced=False)
    with open_workspace(folder, synced=False) as ws:
        opened = create_mock_hearing(ws, seed=seed)
    if opened != MOCK.format(seed=seed):
        raise ValueError(f"the mock hearing is {opened}, not {MOCK.format(seed=seed)}")
    # the last connection has closed: move what is left in the write-ahead log into the database file, so that the
    # file alone is the whole workspace
    db = sqlite3.connect(folder / SQLITE_FILE, isolation_level=None)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()
    (folder / KEY_FILE).unlink(missing_ok=True)  # each sandbox makes its own codes' key
    _sync_tree(folder)


def _is_template(folder: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(folder).st_mode) and stat.S_ISREG(os.lstat(folder / SQLITE_FILE).st_mode)
    except OSError:
        return False


def copy_template(source: Path, target: Path) -> None:
    """``target`` (new) as a copy of the template ``source``: real folders and regular files only (anything else
    in a template is refused, never followed), owner-only, synced to disk."""
    os.mkdir(target, 0o700)
    for dirpath, dirnames, filenames in os.walk(source):
        rel = Path(dirpath).relative_to(source)
        for name in dirnames:
            if not stat.S_ISDIR(os.lstat(Path(dirpath) / name).st_mode):
                raise OSError(f"{Path(dirpath) / name} in the sandbox template is not a folder")
            os.mkdir(target / rel / name, 0o700)
        for name in filenames:
            _copy_file(Path(dirpath) / name, target / rel / name)
    _sync_tree(target)  # opening it as a workspace puts its database back in WAL mode


def _copy_file(source: Path, target: Path) -> None:
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{source} in the sandbox template is not a file")
        out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            while chunk := os.read(fd, 1 << 20):
                os.write(out, chunk)
        finally:
            os.close(out)
    finally:
        os.close(fd)


def _sync_tree(folder: Path) -> None:
    """Every file and folder under ``folder`` on disk (a sandbox is renamed into place only once it is whole)."""
    for dirpath, _dirnames, filenames in os.walk(folder, topdown=False):
        for name in filenames:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY | os.O_NOFOLLOW)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fd = os.open(dirpath, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
