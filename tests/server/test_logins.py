"""Login sessions kept on the server: alive for a hearing day after their last renewal, renewed while in use,
ended by logging out, kept across a restart in an owner-only file."""

from __future__ import annotations

import os
import stat
import time

from pbtools.server import logins
from pbtools.server.logins import LoginGuard, Sessions


def test_a_session_lives_from_its_last_renewal_and_ends_when_asked(tmp_path):
    sessions = Sessions(tmp_path, lifetime=1.0)
    sid = sessions.new()
    assert sessions.alive(sid) and not sessions.alive("made-up") and not sessions.alive(None)
    assert stat.S_IMODE(os.stat(tmp_path / logins.SESSIONS_FILE).st_mode) == 0o600
    time.sleep(0.6)
    sessions.renew(sid)  # in use: renewed
    time.sleep(0.6)
    assert sessions.alive(sid)  # 1.2 s after it began, 0.6 s after its renewal
    assert Sessions(tmp_path, lifetime=1.0).alive(sid)  # a restarted server knows it
    time.sleep(1.1)
    assert not sessions.alive(sid)  # unused for longer than its lifetime
    other = sessions.new()
    sessions.end(other)
    assert not Sessions(tmp_path).alive(other)


def test_renewal_is_due_only_after_a_while(tmp_path):
    sessions = Sessions(tmp_path)
    sid = sessions.new()
    assert not sessions.due(sid)
    sessions.renewed[sid] -= logins.RENEW_EVERY + 1
    assert sessions.due(sid)


def test_the_wait_grows_then_the_address_is_locked_and_lifted(tmp_path):
    guard = LoginGuard(tmp_path)
    waits = []
    for _ in range(logins.LOCK_AFTER):
        waits.append(guard.delay("10.0.0.7"))
        guard._fail("10.0.0.7")
    assert waits[: logins.FREE_TRIES] == [0.0] * logins.FREE_TRIES
    assert all(b == 2 * a for a, b in zip(waits[logins.FREE_TRIES:], waits[logins.FREE_TRIES + 1:]))
    assert guard.locked("10.0.0.7") and not guard.locked("10.0.0.8")
    assert "10.0.0.7" in logins.lockouts(tmp_path)
    assert logins.lift(tmp_path, "10.0.0.7") == ["10.0.0.7"]
    assert not guard.locked("10.0.0.7") and guard.delay("10.0.0.7") == 0.0


def test_the_guard_keeps_the_locks_in_memory_and_reads_the_file_only_when_it_changed(tmp_path, monkeypatch):
    """A burst of attempts from a locked address used to read and parse the lock file at each one. The file is the
    truth at start and is written through; it is read again only when someone else changed it (a lift)."""
    logins.write_private(tmp_path / logins.LOCKOUT_FILE, '{"10.0.0.1": {"since": "2026-05-14T08:00:00+00:00", "failures": 10}}')
    guard = LoginGuard(tmp_path)  # a restarted server: the lock made before holds
    reads = []
    real = logins.lockouts
    monkeypatch.setattr(logins, "lockouts", lambda workspace, **kw: reads.append(workspace) or real(workspace, **kw))
    assert all(guard.locked("10.0.0.1") for _ in range(200)) and not guard.locked("10.0.0.2")
    for _ in range(logins.LOCK_AFTER):
        guard._fail("10.0.0.2")
    assert guard.locked("10.0.0.2") and guard.locked("10.0.0.1") and reads == []
    assert set(real(tmp_path)) == {"10.0.0.1", "10.0.0.2"}  # written through
    assert logins.lift(tmp_path, "10.0.0.1") == ["10.0.0.1"]  # the command line, while the server runs
    assert not guard.locked("10.0.0.1") and guard.locked("10.0.0.2") and len(reads) == 2  # the lift's read, the guard's
    assert all(guard.locked("10.0.0.2") for _ in range(200)) and len(reads) == 2
    (tmp_path / logins.LOCKOUT_FILE).unlink()  # removed by hand: every lock is lifted
    assert not guard.locked("10.0.0.2")


def test_an_unreadable_lock_file_lifts_no_lock(tmp_path):
    """The file changed but cannot be read (out of file handles in a flood; a half-typed edit): the locks known are
    kept until it reads again, and the next lock written keeps them too."""
    guard = LoginGuard(tmp_path)
    for _ in range(logins.LOCK_AFTER):
        guard._fail("10.0.0.7")
    (tmp_path / logins.LOCKOUT_FILE).write_text('{"10.0.0.7": {"since": ', encoding="utf-8")
    assert guard.locked("10.0.0.7")
    for _ in range(logins.LOCK_AFTER):
        guard._fail("10.0.0.8")
    assert guard.locked("10.0.0.7") and set(logins.lockouts(tmp_path)) == {"10.0.0.7", "10.0.0.8"}
