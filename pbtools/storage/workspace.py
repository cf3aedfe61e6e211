"""A workspace: one municipality's data, in a folder (SQLite file inside) or in a PostgreSQL database.

    with open_workspace(folder) as ws:                  # creates or upgrades the database
        ws.ledger.append("hearing:x", "ballot.cast", {...}, actor="clerk 1")

The database is SQLite ``pbtools.sqlite`` in the folder unless ``db_url`` is given, or the folder's
``workspace.json`` names one (``save_db_url``), e.g. ``postgresql://user@host/db``.
"""

from __future__ import annotations

import json
import os
import stat
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from pbtools.budget.model import Budget, Municipality
from pbtools.i18n import N_, Msg
from pbtools.moments import ZONE_SETTING, zone_named
from pbtools.storage import budgets
from pbtools.storage.engine import BUSY_TIMEOUT_S, SQLITE_FILE, make_engine, normalize_url, sqlite_url, writer
from pbtools.storage.db_problem import problem as db_problem
from pbtools.storage.errors import WorkspaceError
from pbtools.storage.ledger import Ledger
from pbtools.storage.record import canonical_json
from pbtools.storage.migrations import upgrade
from pbtools.storage.schema import check_text, settings

CONFIG_FILE = "workspace.json"
# What pbtools writes in a workspace folder: the folder is the owner's only (0700), and so is each of these (0600),
# however old the workspace: they hold the ballots, the codes' key, the login secrets and links.
PRIVATE_FILES = (SQLITE_FILE, f"{SQLITE_FILE}-wal", f"{SQLITE_FILE}-shm", f"{SQLITE_FILE}-journal", CONFIG_FILE,
                 "code-secret.key", "server-secrets.json", "server-sessions.json", "login-lockouts.json",
                 "facilitator-link.txt", "facilitator-password.txt")
PRIVATE_FOLDERS = ("monitoring-files", "reports")  # photos and acts; exports and protocols


def make_private(folder: Path) -> None:
    """The workspace folder 0700 and the files pbtools writes in it 0600 (those of another user are left alone)."""
    folder = Path(folder)
    me = os.getuid()
    try:
        if folder.stat().st_uid == me and stat.S_IMODE(folder.stat().st_mode) != 0o700:
            folder.chmod(0o700)
        for entry in os.scandir(folder):
            if entry.name in PRIVATE_FOLDERS and entry.is_dir(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)  # made 0755 before paths.private_folder (s26 L10)
                if st.st_uid == me and stat.S_IMODE(st.st_mode) & 0o077:
                    os.chmod(entry.path, 0o700)
            elif entry.is_file(follow_symlinks=False) and (entry.name in PRIVATE_FILES or entry.name.endswith((".csv", ".pdf"))):
                st = entry.stat(follow_symlinks=False)
                if st.st_uid == me and stat.S_IMODE(st.st_mode) & 0o077:
                    os.chmod(entry.path, 0o600)
    except OSError:  # a read-only or foreign folder: opening it must not fail for this
        pass


def configured_db_url(folder: Path) -> str | None:
    """The database URL saved in the workspace folder, if any."""
    config = Path(folder) / CONFIG_FILE
    if not config.is_file():
        return None
    try:
        url = json.loads(config.read_text(encoding="utf-8")).get("db_url")
        if url is not None and not isinstance(url, str):
            raise ValueError(f"db_url must be text, not {url!r}")
    except (ValueError, AttributeError, UnicodeDecodeError) as e:
        raise WorkspaceError(Msg(N_("The settings file {file} cannot be read: {error}"), file=str(config), error=str(e))) from None
    return url or None


def save_db_url(folder: Path, db_url: str | None) -> None:
    """Make the workspace folder use ``db_url`` from now on (None: back to SQLite in the folder)."""
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(folder / CONFIG_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps({"db_url": db_url}, indent=1) + "\n")
    make_private(folder)


class Workspace:
    def __init__(self, path: Path, url: str, engine: Any) -> None:
        self.path, self.url, self.engine = path, url, engine
        self.ledger = Ledger(engine)

    # -- budgets and the municipality
    def save_budget(self, budget: Budget, conn: Any = None) -> int:
        """Store ``budget`` (whole, in one transaction: ``conn``'s when given); returns its id."""
        return budgets.save_budget(self.engine, budget, conn)

    def load_budget(self, budget_id: int | None = None) -> Budget | None:
        """The budget ``budget_id``, or the latest stored when None; None when there is none."""
        return budgets.load_budget(self.engine, budget_id)

    def list_budgets(self) -> list[tuple[int, int, str, datetime]]:
        """(id, year, source, imported_at) of each stored budget, oldest first."""
        return budgets.list_budgets(self.engine)

    def save_municipality(self, m: Municipality, conn: Any = None) -> None:
        budgets.save_municipality(self.engine, m, conn)

    def municipality(self) -> Municipality | None:
        return budgets.load_municipality(self.engine)

    # -- settings (JSON values, e.g. the default language)
    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        check_text(key=key)
        text = canonical_json(value)  # TypeError/ValueError when not JSON-able: nothing is stored
        with writer(self.engine).begin() as conn:
            if conn.execute(select(settings.c.key).where(settings.c.key == key)).first():
                conn.execute(settings.update().where(settings.c.key == key).values(value=text))
            else:
                conn.execute(settings.insert().values(key=key, value=text))

    def time_zone(self):
        """The zone stored moments are shown in (``pbtools.moments``): the setting ``time_zone``, else None (the
        machine's own zone)."""
        return zone_named(self.get_setting(ZONE_SETTING))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r}, {make_url(self.url).render_as_string(hide_password=True)!r})"


def _upgrade(engine, create: bool, where: str, sqlite: bool) -> None:
    """``upgrade``, waiting while other processes create the same SQLite file: a connection that meets another one
    setting up a new file (switching it to WAL, recovering its log) can be told "locked" at once, without the busy
    timeout, so it tries again for as long as that timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            upgrade(engine, create=create, where=where)
            return
        except OperationalError as e:
            if not sqlite or "locked" not in str(e.orig) or time.monotonic() > deadline:
                raise
            engine.dispose()  # a connection set up halfway is not kept
            time.sleep(0.05)


def open_workspace(path: Path | str, db_url: str | None = None, create: bool = True, synced: bool = True) -> Workspace:
    """Open the workspace in folder ``path``, creating it (``create``) or upgrading its schema when needed.
    ``synced=False``: SQLite commits are not synced to disk (``engine.make_engine``: only while building a workspace
    nobody uses yet, synced as a whole after).

    Raises ``WorkspaceError`` (nothing changed) when there is none and ``create`` is false, when it was written by a
    newer pbtools, or when the database cannot be reached."""
    path = Path(path).expanduser()
    db_url = db_url or configured_db_url(path)
    if db_url is None:
        if not (path / SQLITE_FILE).is_file():
            if not create:
                raise WorkspaceError(Msg(N_("There is no workspace in {where}"), where=str(path)))
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            # made empty and owner-only before SQLite opens it; its -wal and -shm files take the same mode
            os.close(os.open(path / SQLITE_FILE, os.O_WRONLY | os.O_CREAT, 0o600))
        url, where = sqlite_url(path), str(path)
    else:
        url = normalize_url(db_url)
        try:
            where = make_url(url).render_as_string(hide_password=True)
            engine = make_engine(url)
        except (ArgumentError, ImportError) as e:  # not a URL, or a database pbtools has no driver for
            raise WorkspaceError(Msg(N_("Cannot open the database {where}: {error}"), where=db_url.split("@")[-1], error=str(e))) from None
    if db_url is None:
        engine = make_engine(url, synced=synced)
    try:
        _upgrade(engine, create, where, sqlite=db_url is None)
    except DBAPIError as e:
        engine.dispose()
        raise WorkspaceError(Msg(N_("Cannot open the database {where}: {error}"), where=where, error=db_problem(e.orig))) from None
    except BaseException:
        engine.dispose()
        raise
    make_private(path)
    return Workspace(path, url, engine)
