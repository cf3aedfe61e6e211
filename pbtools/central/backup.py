"""Backups of the central database with PostgreSQL's own tools: ``pg_dump`` (custom format, compressed) and
``pg_restore`` into an empty database. One municipality alone is its schema (``--schema m_<code>``).

A backup never holds the role logins' passwords (``pbtools_central.db_logins``: its rows are left out). Backups are
copied off the machine and kept for weeks; with the passwords in them any old copy would log in as every role of
every municipality. After a restore the table is empty, and each login gets a new random password when the first
server of its municipality starts (``Central.make_logins``), which is also what happens on another PostgreSQL server.

The ledger's hashes travel inside the rows, so a restored municipality verifies exactly as before
(``tests/hub/test_backup.py`` checks it), and an audit export from the restored copy is the same file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from pbtools.central.registry import SCHEMA, SCHEMA_PREFIX, CentralError, check_code
from pbtools.central.rights import LOGINS
from pbtools.i18n import N_, Msg
from pbtools.paths import private_file
from pbtools.storage.engine import normalize_url


def pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``: the newest of Debian's server folders (a client at least as new as the
    server), else the one on the PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                   key=lambda p: int(p.parents[1].name) if p.parents[1].name.isdigit() else 0)
    path = str(found[-1]) if found else shutil.which(name)
    if not path:
        raise CentralError(Msg(N_("{tool} is not installed (Debian: postgresql-client)"), tool=name))
    return path


def _connection(url: str) -> tuple[list[str], dict[str, str]]:
    u = make_url(normalize_url(url))
    args = ["--host", u.host or "localhost", "--port", str(u.port or 5432), "--dbname", u.database or ""]
    if u.username:
        args += ["--username", u.username]
    env = {**os.environ}
    if u.password:
        env["PGPASSWORD"] = u.password  # never on the command line, where other users see it
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise CentralError(Msg(N_("{what} failed: {error}"), what=what, error=(done.stderr or done.stdout).strip()[-2000:]))


def dump(url: str, out: Path | str, code: str | None = None) -> Path:
    """Write a backup of the central database (or of municipality ``code`` alone) to ``out``."""
    args, env = _connection(url)
    # one municipality is its schema alone; the whole database without the logins' passwords
    schemas = ["--schema", SCHEMA_PREFIX + check_code(code)] if code else [f"--exclude-table-data={SCHEMA}.{LOGINS}"]
    out = Path(out)
    with private_file(out) as part:  # a failed dump never leaves a file that looks like a backup
        _run([pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges", *schemas, "--file", str(part)], env, "pg_dump")
    return out


def _schemas_of(backup: Path | str, env: dict[str, str]) -> set[str]:
    """The schemas ``backup`` makes (its table of contents: "... SCHEMA - m_ak_suu owner")."""
    done = subprocess.run([pg_tool("pg_restore"), "--list", str(backup)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise CentralError(Msg(N_("{what} failed: {error}"), what="pg_restore",
                               error=(done.stderr or done.stdout).strip()[-2000:]))
    return set(re.findall(r"^\d+; \d+ \d+ SCHEMA - (\S+)", done.stdout, re.M))


def restore(backup: Path | str, url: str) -> None:
    """Restore ``backup`` into the database ``url``: all of it or nothing. Refused before anything is done when
    the database already holds one of its schemas; any other error rolls the whole restore back (one transaction),
    so a failed restore never leaves half a municipality behind."""
    from sqlalchemy import create_engine, text

    args, env = _connection(url)
    wanted = _schemas_of(backup, env)
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            there = {row[0] for row in conn.execute(text("SELECT schema_name FROM information_schema.schemata"))}
    finally:
        engine.dispose()
    clash = sorted(wanted & there - {"public"})  # every database has public
    if clash:
        raise CentralError(Msg(N_("The database already holds {schemas}: a backup is restored only into a database "
                                  "without them. Nothing was restored."), schemas=", ".join(clash)))
    _run([pg_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          str(backup)], env, "pg_restore")


__all__ = ["SCHEMA", "dump", "restore"]
