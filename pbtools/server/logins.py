"""The facilitator's logins: wrong passwords slowed down and locked out per client address, and login sessions kept
on the server so that logging out ends them.

Failed logins (``LoginGuard``): each client address may try ``FREE_TRIES`` wrong passwords at full speed; after
that each attempt waits longer (``FIRST_DELAY`` doubling), and after ``LOCK_AFTER`` the address is locked out until
the facilitator lifts the lock (``pbtools logins --lift ADDRESS``); its attempts are then refused at once, unchecked
(``LoginPage`` closes each one's connection with the answer). They used to be answered 5 s late, one at a time:
400 sent together held the address's 400 connections for half an hour, refusing every other device behind that
address (a NAT, the laptop itself), ballot pages included. Locks are kept in
``login-lockouts.json`` in the workspace (owner-only), so the command line can see and lift them while the server
runs; the guard keeps them in memory, writes each new lock through to the file, and reads the file again only when
it changed since (one stat per attempt: a burst of attempts used to read and parse it at each one). Attempts from
one address are checked one at a time, and the password hash is checked on a worker thread of its own: a flood from
one address never slows the event loop, nor the voters, nor another address's login.

Sessions (``Sessions``): a login cookie names a session kept in ``server-sessions.json``; the session lasts a
hearing day (``SESSION_HOURS``) after its last use and is renewed while in use; logging out removes it, so a copy
of the old cookie opens nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from pbtools.i18n import N_, Msg

MIN_PASSWORD = 10  # characters of a chosen password: a generated one has 10 letters (auth.new_password)
LOCKOUT_FILE = "login-lockouts.json"
SESSIONS_FILE = "server-sessions.json"
FREE_TRIES = 5
FIRST_DELAY = 0.25  # s, doubling with each failure past FREE_TRIES: 0.25, 0.5, 1, 2, 4
LOCK_AFTER = 10
SESSION_HOURS = 14  # a hearing day, from the first arrivals to the protocol
RENEW_EVERY = 600  # s: a session in use is renewed (cookie and server) at most this often


class PasswordError(ValueError):
    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.render("en"))
        self.msg = msg


def check_password(password: str) -> str:
    """A password chosen with ``--password``, or PasswordError: the lockouts are per address, so a hall's worth of
    addresses guesses ~1,500 passwords a minute between them, and a short one falls within the hearing."""
    if len(password) < MIN_PASSWORD:
        raise PasswordError(Msg(N_("The facilitator's password needs at least {minimum} characters; the one given "
                                   "has {n}. A few words and a number are easy to type and hard to guess."),
                                minimum=MIN_PASSWORD, n=len(password)))
    return password


def write_private(path: Path, text: str) -> tuple | None:
    """Replace ``path`` in one rename with a file only the owner can read: a crash never leaves half a file.
    Returns the new file's ``_signature`` (taken before the rename: what comes after is someone else's change)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
        written = _signature(os.fstat(f.fileno()))
    os.replace(tmp, path)
    return written


def _signature(st: os.stat_result) -> tuple:
    """What changes when a file is replaced or rewritten (a new inode on each rename, its time, its size)."""
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


def _file_signature(path: Path) -> tuple | None:
    try:
        return _signature(os.stat(path))
    except OSError:
        return None


def _read_json(path: Path, strict: bool = False) -> dict:
    """The file's object; {} when it is missing or unreadable, unless ``strict`` (then OSError/ValueError)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        if strict:
            raise
        return {}
    return data if isinstance(data, dict) else {}


# -- lockouts, shared with the command line through the file
def lockouts(workspace: Path, strict: bool = False) -> dict[str, dict]:
    """Locked addresses: ``{address: {"since": ISO time, "failures": n}}`` (``strict``: as ``_read_json``)."""
    return _read_json(Path(workspace) / LOCKOUT_FILE, strict)


def lock_text(address: str, lock: dict, lang: str) -> str:
    """One lock as the facilitator reads it (the page and ``pbtools logins``): since when, in this machine's zone and
    saying it, its day as ``lang`` writes days (it was the file's UTC moment, «2026-12-07T09:38:12+00:00»)."""
    from pbtools.moments import moment_text

    try:
        since = moment_text(datetime.fromisoformat(str(lock.get("since"))), lang=lang)
    except ValueError:  # not a moment pbtools wrote: shown as it is
        since = str(lock.get("since", "?"))
    return Msg(N_("{address}: locked out since {since} after {n} wrong passwords"), address=address, since=since,
               n=lock.get("failures", "?")).render(lang)


def lift(workspace: Path, address: str | None = None) -> list[str]:
    """Lift the lock on ``address`` (every lock when None); the addresses lifted."""
    locked = lockouts(workspace)
    lifted = [a for a in locked if address is None or a == address]
    if lifted:
        write_private(Path(workspace) / LOCKOUT_FILE, json.dumps({a: v for a, v in locked.items() if a not in lifted}))
    return lifted


class LoginGuard:
    """Counts failed logins per client address and decides how long an attempt waits, or that it is refused."""

    def __init__(self, workspace: Path) -> None:
        self.path = Path(workspace) / LOCKOUT_FILE
        self.failures: dict[str, int] = {}
        self._turns: dict[str, asyncio.Lock] = {}
        self._checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="login-check")
        self._read_at: tuple | None = None  # the file's signature when ``_locks`` was read or written
        self._locks: dict[str, dict] = {}
        self._current()  # the file is the truth at start: locks made before a restart hold

    def _current(self) -> dict[str, dict]:
        """The locks: the file is read again only when it changed since (a lift from the command line)."""
        now = _file_signature(self.path)
        if now == self._read_at:
            return self._locks
        if now is None:  # removed by hand: every lock is lifted
            self._locks, self._read_at = {}, None
            return self._locks
        try:
            self._locks, self._read_at = lockouts(self.path.parent, strict=True), now
        except (OSError, ValueError):
            pass  # unreadable for now (no file handle left in a flood, a half-typed edit): keep the locks known and
            # read it again at the next attempt; forgetting them would lift every lock, and the next write erase them
        return self._locks

    def locked(self, address: str) -> bool:
        """Looked up at each attempt (the file read only when changed): the facilitator may have lifted the lock
        from the command line."""
        if address in self._current():
            return True
        if self.failures.get(address, 0) >= LOCK_AFTER:  # lifted: the address starts afresh
            self.failures.pop(address, None)
        return False

    def delay(self, address: str) -> float:
        over = self.failures.get(address, 0) - FREE_TRIES
        return 0.0 if over < 0 else FIRST_DELAY * 2 ** over

    def _fail(self, address: str) -> None:
        n = self.failures[address] = self.failures.get(address, 0) + 1
        if n >= LOCK_AFTER:
            locked = {**self._current(), address: {"since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                                   "failures": n}}
            self._read_at = write_private(self.path, json.dumps(locked))
            self._locks = locked

    async def attempt(self, address: str, check: Callable[[], Any]) -> tuple[str, Any]:
        """("locked", None), ("wrong", None) or ("ok", what ``check`` returned). ``check`` runs on the guard's own
        thread, after the wait this address has earned, one attempt of an address at a time. A locked address's
        attempt is refused at once, without waiting its turn: nothing is checked, so nothing needs slowing."""
        if self.locked(address):
            return "locked", None
        turn = self._turns.setdefault(address, asyncio.Lock())
        async with turn:
            if self.locked(address):  # locked while this one waited its turn
                return "locked", None
            wait = self.delay(address)
            if wait:
                await asyncio.sleep(wait)
            result = await asyncio.get_running_loop().run_in_executor(self._checker, check)
            if result is None:
                self._fail(address)
                return ("locked" if self.locked(address) else "wrong"), None
            self.failures.pop(address, None)
            return "ok", result


class Sessions:
    """Login sessions by id, with the time each was last renewed; kept in a file so logins survive a restart."""

    def __init__(self, workspace: Path, lifetime: float = SESSION_HOURS * 3600) -> None:
        self.path = Path(workspace) / SESSIONS_FILE
        self.lifetime = lifetime
        self.renewed: dict[str, float] = {k: float(v) for k, v in _read_json(self.path).items()
                                          if isinstance(v, (int, float))}

    def _save(self) -> None:
        now = time.time()
        self.renewed = {k: v for k, v in self.renewed.items() if now - v < self.lifetime}
        write_private(self.path, json.dumps(self.renewed))

    def new(self) -> str:
        sid = secrets.token_urlsafe(18)
        self.renewed[sid] = time.time()
        self._save()
        return sid

    def alive(self, sid: Any) -> bool:
        renewed = self.renewed.get(sid) if isinstance(sid, str) else None
        return renewed is not None and time.time() - renewed < self.lifetime

    def due(self, sid: str) -> bool:
        """Whether a session in use should be renewed now."""
        return time.time() - self.renewed.get(sid, 0) > RENEW_EVERY

    def renew(self, sid: str) -> None:
        self.renewed[sid] = time.time()
        self._save()

    def end(self, sid: Any) -> None:
        if isinstance(sid, str) and self.renewed.pop(sid, None) is not None:
            self._save()

    def end_all(self) -> None:
        self.renewed = {}
        self._save()
