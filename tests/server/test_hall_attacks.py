"""No one device on the hall network can stop the vote: against a real `pbtools serve`, attackers on other loopback
addresses (127.0.0.2, 127.0.0.3, ...) flood wrong passwords, leave requests half sent and post huge bodies, while
a voter and the facilitator on 127.0.0.1 carry on. Each attacking address is limited alone."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import datetime

import psutil
import pytest

from pbtools.i18n import Msg, N_
from pbtools.moments import moment_text
from pbtools.server import limits, logins
from tests.fixtures.browser import Server, free_port
from tests.server.hall import hearing_state, make_hall
from tests.server.source import Device, raw_socket

PASSWORD = "hall-secret-42"


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("attacks") / "workspace"
    hearing, codes = make_hall(workspace, codes=10)
    log = tmp_path_factory.mktemp("logs") / "serve.log"
    server = Server(workspace, free_port(), log, ("--no-preheat", "--password", PASSWORD))
    yield server, hearing, codes
    server.stop()


def vote(server: Server, hearing: str, code: str, source: str = "127.0.0.1") -> tuple[int, float]:
    phone = Device(server.port, source)
    phone.get(f"/vote/{hearing}/motion")
    t0 = time.perf_counter()
    status, page, _ = phone.post(f"/vote/{hearing}/motion", {"answer": "yes", "code": code})
    assert 'id="receipt"' in page, page[-500:]
    return status, time.perf_counter() - t0


def logins_cli(workspace, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", "logins", "--workspace", str(workspace), "--lang", "en", *args],
                          capture_output=True, text=True, timeout=60)


def test_wrong_passwords_wait_longer_then_lock_out_that_address_only(hall):
    server, hearing, codes = hall
    attacker = Device(server.port, "127.0.0.2")
    attacker.get("/login")
    waits = []
    for _ in range(logins.LOCK_AFTER):
        t0 = time.perf_counter()
        status = attacker.post("/login?next=%2F", {"password": "guess"})[0]
        waits.append(time.perf_counter() - t0)
        if status == 429:
            break
        assert status == 401
    assert status == 429 and len(waits) == logins.LOCK_AFTER
    # the first tries answer at once, the later ones wait longer and longer
    assert waits[-1] >= logins.FIRST_DELAY * 2 ** (logins.LOCK_AFTER - logins.FREE_TRIES - 1)
    assert max(waits[: logins.FREE_TRIES]) < waits[-1] / 4
    # locked: even the right password is refused from that address, at once (it is not checked), with the way out
    t0 = time.perf_counter()
    status, page, _ = attacker.post("/login?next=%2F", {"password": PASSWORD})
    took = time.perf_counter() - t0
    assert status == 429 and "pbtools logins --lift 127.0.0.2" in page
    assert took < 1

    # another address is neither slowed nor locked; the voters vote
    t0 = time.perf_counter()
    assert Device(server.port, "127.0.0.3").login(PASSWORD) == 302
    assert time.perf_counter() - t0 < 2
    assert vote(server, hearing, codes[0])[0] == 200

    # the facilitator sees the lock and lifts it; the address may log in again
    shown = logins_cli(server.workspace)
    assert "127.0.0.2: locked out since" in shown.stdout and f"after {logins.LOCK_AFTER} wrong passwords" in shown.stdout
    assert (server.workspace / logins.LOCKOUT_FILE).stat().st_mode & 0o777 == 0o600
    assert logins_cli(server.workspace, "--lift", "127.0.0.9").returncode == 1
    lifted = logins_cli(server.workspace, "--lift", "127.0.0.2")
    assert lifted.returncode == 0 and "127.0.0.2 may log in again" in lifted.stdout
    assert "No device is locked out" in logins_cli(server.workspace).stdout
    assert attacker.login(PASSWORD) == 302


def test_the_facilitator_sees_and_lifts_locks_on_a_page(hall):
    server, _, _ = hall
    attacker = Device(server.port, "127.0.0.7")
    attacker.get("/login")
    for _ in range(logins.LOCK_AFTER):
        status = attacker.post("/login?next=%2F", {"password": "guess"})[0]
    assert status == 429
    assert Device(server.port, "127.0.0.8").get("/pbtools/logins")[0] == 302  # not logged in: to the login page
    facilitator = Device(server.port)
    assert facilitator.login(PASSWORD) == 302
    status, page, _ = facilitator.get("/pbtools/logins?lang=ru")
    since = logins.lockouts(server.workspace)["127.0.0.7"]["since"]  # UTC, as kept: shown in local time, zone said
    shown = Msg(N_("{address}: locked out since {since} after {n} wrong passwords"), address="127.0.0.7",
                since=moment_text(datetime.fromisoformat(since), lang="ru"), n=logins.LOCK_AFTER).render("ru")
    assert status == 200 and shown in page and since not in page
    status, page, _ = facilitator.request("POST", "/pbtools/logins?lang=ru", [("address", "127.0.0.7")])
    assert status == 403  # without the form's token: refused
    status, page, _ = facilitator.post("/pbtools/logins?lang=ru", {"address": "127.0.0.7"})
    assert status == 200 and Msg(N_("{address} may log in again"), address="127.0.0.7").render("ru") in page
    assert "127.0.0.7" not in logins.lockouts(server.workspace)
    assert attacker.login(PASSWORD) == 302


def test_a_password_flood_does_not_hold_up_the_voters(hall):
    """64 connections of wrong passwords from one address: the hashes are checked off the event loop, one at a
    time per address, so a voter's ballot is answered as fast as without the flood (well under a second)."""
    server, hearing, codes = hall
    stop = threading.Event()

    def flood(source: str) -> None:
        d = Device(server.port, source)
        while not stop.is_set():
            try:
                d.get("/login")
                d.post("/login?next=%2F", {"password": "guess"}, timeout=60)
            except OSError:  # the server closed this connection (e.g. over the address's limit): try again
                time.sleep(0.05)

    threads = [threading.Thread(target=flood, args=("127.0.0.4",), daemon=True) for _ in range(64)]
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        times = [vote(server, hearing, code)[1] for code in codes[1:4]]
    finally:
        stop.set()
    assert max(times) < 1.0, times
    logins_cli(server.workspace, "--lift", "all")


def test_half_sent_requests_time_out_and_one_address_gets_only_its_share(hall):
    server, hearing, codes = hall
    held, refused = [], 0
    for _ in range(1100):  # headers never finished
        try:
            s = raw_socket(server.port, "127.0.0.5")
            s.sendall(b"GET /vote/x HTTP/1.1\r\nHost: hall\r\n")
            held.append(s)
        except OSError:
            refused += 1
    slow_body = raw_socket(server.port, "127.0.0.6")  # a body that never finishes
    slow_body.sendall(b"POST /vote/x/y HTTP/1.1\r\nHost: hall\r\nContent-Length: 100\r\n\r\nanswer=")
    t0 = time.monotonic()
    time.sleep(1)
    closed = []
    for s in held:
        s.settimeout(0.001)
        try:
            closed.append(s.recv(1) == b"")
        except (TimeoutError, BlockingIOError):
            closed.append(False)
        except OSError:
            closed.append(True)
    open_now = closed.count(False)
    assert open_now <= limits.PER_ADDRESS and refused + closed.count(True) >= 1100 - limits.PER_ADDRESS

    # meanwhile the voters vote, and the facilitator logs in
    status, took = vote(server, hearing, codes[4])
    assert status == 200 and took < 2
    assert Device(server.port).login(PASSWORD) == 302

    # after the header timeout every half-sent request is closed by the server
    for s in held:
        s.settimeout(max(0.1, t0 + limits.HEADER_TIMEOUT + 5 - time.monotonic()))
        try:
            assert s.recv(1) == b""
        except ConnectionResetError:
            pass
        s.close()
    assert time.monotonic() - t0 < limits.HEADER_TIMEOUT + 6
    slow_body.settimeout(max(0.1, t0 + limits.BODY_TIMEOUT + 5 - time.monotonic()))
    assert slow_body.recv(100) == b""  # closed without an answer
    assert limits.BODY_TIMEOUT - 2 < time.monotonic() - t0 < limits.BODY_TIMEOUT + 6
    slow_body.close()


def test_the_open_file_limit_is_raised_to_the_hard_limit(hall):
    server, _, _ = hall
    soft, hard = psutil.Process(server.process.pid).rlimit(psutil.RLIMIT_NOFILE)
    assert soft == hard


def big_post(port: int, source: str, path: str, declared: int, results: list, chunked: bool = False) -> None:
    """Posts up to ``declared`` bytes; records the status the server answered (0: closed without one) and how much
    of the body it let through before answering."""
    s = raw_socket(port, source, timeout=30)
    head = f"POST {path} HTTP/1.1\r\nHost: hall\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {declared}\r\n\r\n"
    s.sendall(head.encode())
    sent, chunk = 0, b"a" * 65536
    try:
        while sent < declared:
            s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            sent += len(chunk)
    except OSError:  # the server closed the connection: it refused the body
        pass
    try:
        answer = s.recv(64)
    except OSError:
        answer = b""
    s.close()
    results.append((int(answer.split()[1]) if answer.startswith(b"HTTP/1.1") else 0, sent))


def test_huge_posts_are_refused_by_declared_length_and_while_streaming(hall):
    server, hearing, codes = hall
    process = psutil.Process(server.process.pid)
    before = process.memory_info().rss
    results: list = []
    threads = [threading.Thread(target=big_post, args=(server.port, f"127.0.0.{10 + i}", f"/vote/{hearing}/motion",
                                                       50 * 2**20, results, i % 2 == 1)) for i in range(16)]
    peak = before
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, process.memory_info().rss)
        time.sleep(0.05)
    assert len(results) == 16
    for status, sent in results:
        assert status in (0, 400) and sent < 50 * 2**20  # refused before the body was through
    assert (peak - before) < 30 * 2**20, (before, peak)
    # an address that declared too much is refused at once for a while; the others are not
    s = raw_socket(server.port, "127.0.0.10")
    try:
        s.sendall(b"GET /vote/x HTTP/1.1\r\nHost: hall\r\n\r\n")
        assert s.recv(100) == b""  # closed without an answer
    except ConnectionResetError:  # ... or reset, when the close crossed what was sent
        pass
    s.close()
    assert Device(server.port, "127.0.0.31").get(f"/vote/{hearing}/motion")[0] == 200
    # a body within the ballot's limit but beyond the default is refused on a facilitator's route too
    results.clear()
    big_post(server.port, "127.0.0.30", "/voila/api/shutdown/x", 4 * limits.DEFAULT_BODY, results)
    assert results[0][0] in (0, 400) and results[0][1] < 4 * limits.DEFAULT_BODY
    assert vote(server, hearing, codes[5])[0] == 200
    assert hearing_state(server.workspace, hearing).status == "open"


def test_logs_hide_the_token_and_refusals_are_one_line(hall):
    server, _, _ = hall
    token = "this-is-not-the-token-but-looks-like-one"
    Device(server.port).get(f"/voila/static/%2e%2e/x?token={token}")
    Device(server.port).get(f"/voila/query/00000000-0000-4000-8000-000000000000?token={token}")
    link_token = (server.workspace / "facilitator-link.txt").read_text().split("token=")[1].strip()
    Device(server.port).get(f"/nowhere?token={link_token}")
    Device(server.port).get(f"/voila/render/nope.ipynb?token={link_token}")
    # bad template paths: refused (404), one line each (the token logs the laptop in, then leaves the address)
    laptop = Device(server.port)
    status, _, headers = laptop.get(f"/voila/render/budget.ipynb?template=../../../etc&token={link_token}")
    assert status == 302 and dict(headers)["Location"] == "/voila/render/budget.ipynb?template=../../../etc"
    assert laptop.get("/voila/render/budget.ipynb?template=../../../etc")[0] == 404
    assert Device(server.port).get("/voila/templates/x")[0] == 404
    assert Device(server.port).get("/voila/templates/../static/x")[0] == 404
    assert Device(server.port).get("/voila/templates/nope/static/x.js")[0] == 404
    assert Device(server.port).get("/voila/templates/pbtools/static/vote.css")[0] in (200, 404)
    # ".." after "static/" (encoded, so it reaches the handler) is a 404 too, not Voila's 500 with a traceback
    for escape in ("..%2f..%2f..%2f..%2fconf.json", "%2e%2e/%2e%2e/conf.json", "..%2fpage.html", "a/..%2f..%2fx"):
        assert Device(server.port).get(f"/voila/templates/pbtools/static/{escape}")[0] == 404, escape
    time.sleep(0.5)
    log = server.log_path.read_text()
    assert token not in log and link_token not in log and "token=[hidden]" in log
    assert "Traceback" not in log and "write_error" not in log
    # each refusal is one line
    assert len([line for line in log.splitlines() if line.startswith("403 GET /voila/static/%2e%2e/x")]) == 1
    facilitator = Device(server.port)
    assert facilitator.login(PASSWORD) == 302
    assert facilitator.request("POST", "/pbtools/logins?lang=en&refused=1", [("address", "x")])[0] == 403
    time.sleep(0.5)
    lines = [line for line in server.log_path.read_text().splitlines() if "refused=1" in line]
    assert len(lines) == 1 and lines[0].startswith("403 POST"), lines


def test_many_addresses_at_once_cannot_use_up_the_open_files(tmp_path):
    """Each address stays under its own cap, but together they would take every open file (the kernel then refuses
    to accept anyone, voters included: "Too many open files"). Once the server is busy, an address that holds a
    fair share gets no more, so a phone still gets in."""
    import resource

    workspace = tmp_path / "workspace"
    hearing, codes = make_hall(workspace, codes=2)
    server = Server(workspace, free_port(), tmp_path / "serve.log", ("--no-preheat", "--password", PASSWORD))
    held = []
    try:
        limit = 512  # a laptop with a low open-file limit: the same attack needs fewer connections
        psutil.Process(server.process.pid).rlimit(psutil.RLIMIT_NOFILE, (limit, limit))
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))  # the attacker's own sockets
        for source in ("127.0.0.41", "127.0.0.42", "127.0.0.43", "127.0.0.44"):
            for _ in range(150):  # 600 in all, each address well under PER_ADDRESS; headers never finished
                try:
                    s = raw_socket(server.port, source)
                    s.sendall(b"GET /vote/x HTTP/1.1\r\nHost: hall\r\n")
                    held.append(s)
                except OSError:
                    pass
        time.sleep(0.5)
        open_files = psutil.Process(server.process.pid).num_fds()
        assert open_files < limit - 100, open_files  # room left for the kernels, the database and the log
        status, took = vote(server, hearing, codes[0])
        assert status == 200 and took < 2
        assert "Too many open files" not in server.log_path.read_text()
    finally:
        for s in held:
            s.close()
        server.stop()
