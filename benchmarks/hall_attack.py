"""Can one device on the hall network stop the vote? 300 voters vote on a real `pbtools serve` (loopback, 127.0.0.1),
first quietly, then during each of three attacks run from other loopback addresses by a separate process:

    password  64 connections posting wrong facilitator passwords, without pause (127.0.0.2)
    slowloris 1,100 requests whose headers are never finished, reopened as the server closes them (127.0.0.3)
    bigpost   16 posts of 50 MB at once, half declared by Content-Length, half streamed chunked, each sent again
              half a second after the server refused it (127.0.0.10 ... 127.0.0.25)

    .venv/bin/python benchmarks/hall_attack.py [--voters 300] [--rounds 3] [--rate 20] [--seconds 60]

The phases (quiet, then each attack) take turns, ``--rounds`` times, so that the load of anything else running on
the machine falls on all of them alike; each phase's voters are split between its rounds. In each turn the attack
starts, has 3 s to build up, then the voters vote as phones in a hall do, arriving at ``--rate`` a second, each
opening the ballot and sending it (the time from opening to the receipt is one vote); the attack stops when they
are done, or after ``--seconds``. Printed: the voters' p50/p95/max per phase, the ratio of each phase's p95 to the
quiet one (goal: under 2), votes stored, and the server's peak RSS over the whole run (sampled every 50 ms). Exit
status 1 when a goal is missed or a vote was lost.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission" value="([^"]+)"')
RECEIPT = re.compile(r'id="receipt">([^<]+)<')
PASSWORD = "the-real-one-42"
PHASES = ("quiet", "password", "slowloris", "bigpost")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(port: int, source: str, timeout: float = 30) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))


def cookies_of(response: http.client.HTTPResponse) -> str:
    return "; ".join(v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie")


# -- the attacks (run in a process of their own, so their threads never slow the voters' measuring)
def password_flood(port: int, stop: threading.Event) -> None:
    def one() -> None:
        while not stop.is_set():
            try:
                conn = connect(port, "127.0.0.2")
                conn.request("GET", "/login")
                r = conn.getresponse()
                token, cookie = XSRF.search(r.read().decode()).group(1), cookies_of(r)
                while not stop.is_set():
                    body = urllib.parse.urlencode({"password": "guess", "_xsrf": token})
                    conn.request("POST", "/login?next=%2F", body, {"Cookie": cookie,
                                 "Content-Type": "application/x-www-form-urlencoded"})
                    conn.getresponse().read()
            except Exception:  # noqa: BLE001 - closed by the server: connect again
                time.sleep(0.01)

    threads = [threading.Thread(target=one, daemon=True) for _ in range(64)]
    for t in threads:
        t.start()
    stop.wait()


def slowloris(port: int, stop: threading.Event) -> None:
    held: list[socket.socket] = []
    while not stop.is_set():
        alive = []
        for s in held:  # the server closed some: open others in their place
            try:
                s.setblocking(False)
                gone = s.recv(1) == b""
            except BlockingIOError:
                gone = False
            except OSError:
                gone = True
            if gone:
                s.close()
            else:
                alive.append(s)
        held = alive
        while len(held) < 1100 and not stop.is_set():
            try:
                s = socket.socket()
                s.settimeout(2)
                s.bind(("127.0.0.3", 0))
                s.connect(("127.0.0.1", port))
                s.sendall(b"GET /vote/x HTTP/1.1\r\nHost: hall\r\nX-Slow: ")
                held.append(s)
            except OSError:
                s.close()
                break
        stop.wait(0.5)
    for s in held:
        s.close()


def big_posts(port: int, stop: threading.Event, path: str) -> None:
    chunk = b"a" * 65536

    def one(i: int) -> None:
        chunked = i % 2 == 1
        while not stop.is_set():
            try:
                s = socket.socket()
                s.settimeout(10)
                s.bind((f"127.0.0.{10 + i}", 0))
                s.connect(("127.0.0.1", port))
                head = f"POST {path} HTTP/1.1\r\nHost: hall\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {50 * 2**20}\r\n\r\n"
                s.sendall(head.encode())
                for _ in range(50 * 2**20 // len(chunk)):
                    s.sendall(b"10000\r\n" + chunk + b"\r\n" if chunked else chunk)
                    if stop.is_set():
                        break
            except OSError:
                pass
            finally:
                s.close()
            stop.wait(0.5)

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(16)]
    for t in threads:
        t.start()
    stop.wait()


def run_attack(kind: str, port: int, seconds: float, path: str) -> None:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Timer(seconds, stop.set).start()
    if kind == "password":
        password_flood(port, stop)
    elif kind == "slowloris":
        slowloris(port, stop)
    else:
        big_posts(port, stop, path)
    os._exit(0)


# -- the hall
def make_hearing(workspace: Path, voters: int, rounds: int = 1) -> tuple[str, list[str]]:
    from pbtools.hearings.model import APPROVAL, PB_VOTE, Hearing, Option, Question
    from pbtools.hearings.store import create_hearing
    from pbtools.storage import open_workspace

    with open_workspace(workspace) as ws:
        store = create_hearing(ws, Hearing("", "Ак-Суу", PB_VOTE, "2026-05-14", budget=Decimal(2_000_000)), actor="bench")
        ids = tuple(f"P{i}" for i in range(1, 9))
        store.add_options([Option(o, i, {"en": f"Project {i}"}, Decimal(100_000 * i)) for i, o in enumerate(ids, 1)], actor="bench")
        for r in range(rounds):  # one question per turn: each voter's code is used once per question
            for phase in PHASES:
                store.define_question(Question(f"{phase}{r}", APPROVAL, {"en": f"Up to three ({phase} {r})"}, ids,
                                               max_choices=3), actor="bench")
        store.open(actor="bench")
        return store.id, store.issue_codes(voters, actor="bench")


def vote(port: int, path: str, code: str) -> tuple[float, str | None]:
    """One phone: open the ballot, send it; (seconds, receipt or None)."""
    t0 = time.perf_counter()
    try:
        conn = connect(port, "127.0.0.1", timeout=60)
        conn.request("GET", path)
        r = conn.getresponse()
        page = r.read().decode()
        fields = [("choice", "P1"), ("choice", "P3"), ("code", code), ("_xsrf", XSRF.search(page).group(1)),
                  ("submission", SUBMISSION.search(page).group(1))]
        conn.request("POST", path, urllib.parse.urlencode(fields),
                     {"Cookie": cookies_of(r), "Content-Type": "application/x-www-form-urlencoded"})
        found = RECEIPT.search(conn.getresponse().read().decode())
        conn.close()
        return time.perf_counter() - t0, found.group(1) if found else None
    except Exception:  # noqa: BLE001 - a vote that failed counts as lost, its time as the timeout
        return time.perf_counter() - t0, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=300)
    parser.add_argument("--rate", type=float, default=20, help="voters arriving per second")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60, help="longest an attack runs")
    parser.add_argument("--attack", choices=PHASES[1:], help=argparse.SUPPRESS)  # the attacker's own process
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.attack:
        run_attack(args.attack, args.port, args.seconds, args.path)
        return 0

    import psutil

    tmp = Path(tempfile.mkdtemp(prefix="hall-attack-"))
    workspace = tmp / "workspace"
    hearing, codes = make_hearing(workspace, args.voters, args.rounds)
    port = free_port()
    log = open(tmp / "serve.log", "wb")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "-m", "pbtools", "serve", "--workspace", str(workspace), "--port", str(port),
                               "--no-preheat", "--password", PASSWORD], stdout=log, stderr=subprocess.STDOUT, env=env)
    peak, sampling = [0.0], threading.Event()

    def sample() -> None:
        process = psutil.Process(server.pid)
        while not sampling.is_set():
            try:
                peak[0] = max(peak[0], process.memory_info().rss / 2**20)
            except psutil.Error:
                return
            time.sleep(0.05)

    results: dict[str, list[tuple[float, str | None]]] = {}
    cpu: dict[str, float] = {}  # the server's CPU use (share of one core) while the voters voted
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                c = connect(port, "127.0.0.1", timeout=2)
                c.request("GET", f"/vote/{hearing}/quiet0")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        rss_start = psutil.Process(server.pid).memory_info().rss / 2**20
        threading.Thread(target=sample, daemon=True).start()
        took_by: dict[str, float] = {}
        cpu_by: dict[str, float] = {}
        for r in range(args.rounds):
            turn_codes = codes[r * len(codes) // args.rounds:(r + 1) * len(codes) // args.rounds]
            for phase in PHASES:
                path = f"/vote/{hearing}/{phase}{r}"
                attacker = None
                if phase != "quiet":
                    attacker = subprocess.Popen([sys.executable, __file__, "--attack", phase, "--port", str(port), "--path",
                                                 path, "--seconds", str(args.seconds)], env=env)
                    time.sleep(3)
                t0, cpu0 = time.monotonic(), sum(psutil.Process(server.pid).cpu_times()[:2])

                def arrive(i: int, code: str, path: str = path, t0: float = t0) -> tuple[float, str | None]:
                    time.sleep(max(0.0, t0 + i / args.rate - time.monotonic()))
                    return vote(port, path, code)

                with ThreadPoolExecutor(200) as pool:
                    results.setdefault(phase, []).extend(pool.map(arrive, range(len(turn_codes)), turn_codes))
                took = time.monotonic() - t0
                took_by[phase] = took_by.get(phase, 0) + took
                cpu_by[phase] = cpu_by.get(phase, 0) + sum(psutil.Process(server.pid).cpu_times()[:2]) - cpu0
                if attacker is not None:
                    try:
                        own = sum(psutil.Process(attacker.pid).cpu_times()[:2]) / (took + 3)
                        cpu[phase + " attacker"] = max(cpu.get(phase + " attacker", 0), own)
                    except psutil.Error:
                        pass
                    attacker.terminate()
                    attacker.wait(timeout=30)
                print(f"round {r + 1}, {phase:>10}: {len(turn_codes)} votes in {took:.1f} s", flush=True)
                time.sleep(1)
        cpu.update({phase: cpu_by[phase] / took_by[phase] for phase in PHASES})
    finally:
        sampling.set()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    quiet_p95 = None
    failed = False
    print(f"\n{'phase':>10}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}  {'p95/quiet':>9}  {'server CPU':>10}  {'stored':>7}")
    for phase in PHASES:
        times = sorted(t for t, _ in results[phase])
        stored = sum(1 for _, receipt in results[phase] if receipt)
        p50, p95 = statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000
        quiet_p95 = quiet_p95 or p95
        ratio = p95 / quiet_p95
        ok = ratio < 2 and stored == len(times)
        failed |= not ok
        print(f"{phase:>10}  {p50:8.1f}  {p95:8.1f}  {times[-1] * 1000:8.1f}  {ratio:9.2f}  {cpu[phase]:9.0%}  {stored:>4}/{len(times)}"
              f"  {'met' if ok else 'MISSED'}")
    print("attacker's own CPU (share of one core, on this same machine): " + ", ".join(
        f"{k.split()[0]} {v:.0%}" for k, v in cpu.items() if k.endswith("attacker")))
    print(f"\nserver RSS: {rss_start:.0f} MB at start, peak {peak[0]:.0f} MB during the run")
    print(f"server log: {tmp / 'serve.log'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
