"""One hub, one PostgreSQL, many users: facilitators with the console open, and a hall of phones voting through the
hub's proxy at the same time.

    .venv/bin/python benchmarks/hub_load.py [--facilitators 20] [--voters 300]

A real JupyterHub (`pbtools hub init`, Debian's configurable-http-proxy, NativeAuthenticator) over a throwaway
PostgreSQL. Each facilitator signs up, is approved by the administrator, logs in over HTTP (the hub starts their
server), opens the home page and the console app (Voila runs the console's notebook in a kernel: the app's first
paint), then reloads the home page (a light action). The phones of one hall vote through the proxy to the first
facilitator's server, every voter with a code, all submitting at once: first while that server is the only one
running (the baseline, same run), then again with every facilitator's console open. Printed: the spawn and app
times (p50/p95), the memory of each user's server (its process and its kernels), the voters' p50/p95 in both
phases and their ratio, and whether every ballot with a receipt is stored exactly once and the chain verifies.
Bounded: every request has a timeout, the hub is stopped at the end. Exit status 1 when a ballot is lost.
"""

from __future__ import annotations

import argparse
import os
import http.client
import http.cookiejar
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pbtools.central.registry import Central  # noqa: E402
from pbtools.demo import create_demo  # noqa: E402
from pbtools.hearings.codes import code_hash, code_key  # noqa: E402
from pbtools.hearings.model import APPROVAL, PB_VOTE, Hearing, Option, Question  # noqa: E402
from pbtools.hearings.store import HearingStore, create_hearing  # noqa: E402
from pbtools.roles import ADMIN, FACILITATOR, Actor  # noqa: E402
from pbtools.storage import open_workspace  # noqa: E402
from tests.fixtures.postgres import PgServer  # noqa: E402
from tests.hub.conftest import PASSWORD, Hub  # noqa: E402

CODE = "ak_suu"
TIMEOUT = 180
XSRF_INPUT = re.compile(r'name="_xsrf" value="([^"]+)"')
RECEIPT = re.compile(r'id="receipt">([^<]+)<')
SUBMISSION = re.compile(r'name="submission" value="([^"]+)"')


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def figures(values: list[float]) -> str:
    return f"p50 {statistics.median(values):.0f} ms, p95 {percentile(values, 95):.0f} ms, max {max(values):.0f} ms (n={len(values)})"


class Browser:
    """A user's cookies over plain HTTP: sign up, log in, open pages (what a browser does, without drawing)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(self.base + path, timeout=TIMEOUT) as r:
                return r.status, r.geturl(), r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:  # e.g. the server still starting: the caller looks again
            return e.code, e.geturl(), e.read().decode("utf-8", "replace")

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        _, _, page = self.get(path)
        token = XSRF_INPUT.search(page).group(1)
        data = urllib.parse.urlencode({**fields, "_xsrf": token}).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=TIMEOUT) as r:
            return r.status, r.geturl(), r.read().decode("utf-8", "replace")


def sign_up(base: str, name: str) -> None:
    Browser(base).post_form("/hub/signup", {"username": name, "signup_password": PASSWORD,
                                            "signup_password_confirmation": PASSWORD})


def make_hearing(central: Central, voters: int) -> tuple[str, list[str], list[str]]:
    with central.workspace(CODE) as ws:
        store = create_hearing(ws, Hearing("", ws.municipality().name("ky"), PB_VOTE, "2026-05-14", budget=Decimal(2_000_000)), actor="bench")
        store.add_options([Option(f"P{i}", i, {"en": f"Project {i}"}, Decimal(100_000 * i)) for i in range(1, 9)], actor="bench")
        store.define_question(Question("q1", APPROVAL, {"en": "Up to three"}, tuple(f"P{i}" for i in range(1, 9)), max_choices=3), actor="bench")
        store.open(actor="bench")
        # the codes' key is the municipality's folder on the server, where the users' servers find it too
        return store.id, store.issue_codes(voters, actor="bench"), store.issue_codes(voters, actor="bench")


class Phone:
    def __init__(self, port: int, path: str, code: str) -> None:
        self.port, self.path, self.code = port, path, code
        self.latency: float | None = None
        self.receipt: str | None = None
        self.error = ""

    def open_ballot(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        conn.request("GET", self.path)
        r = conn.getresponse()
        page = r.read().decode()
        self.cookie = next(v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie" and v.startswith("_xsrf="))
        self.token = XSRF_INPUT.search(page).group(1)
        self.submission = SUBMISSION.search(page).group(1)
        conn.close()

    def submit(self, start: threading.Barrier) -> None:
        body = urllib.parse.urlencode([("choice", "P1"), ("choice", "P3"), ("code", self.code), ("_xsrf", self.token),
                                       ("submission", self.submission)])
        try:
            start.wait(timeout=TIMEOUT)
            t0 = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
            conn.request("POST", self.path, body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie})
            r = conn.getresponse()
            page = r.read().decode()
            self.latency = (time.perf_counter() - t0) * 1000
            found = RECEIPT.search(page) if r.status == 200 else None
            self.receipt = found.group(1) if found else None
        except Exception as e:  # noqa: BLE001 - any failure means: no receipt
            self.error = type(e).__name__


def vote(port: int, path: str, codes: list[str]) -> list[Phone]:
    phones = [Phone(port, path, c) for c in codes]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(Phone.open_ballot, phones))
    start = threading.Barrier(len(phones) + 1)
    threads = [threading.Thread(target=p.submit, args=(start,), daemon=True) for p in phones]
    for t in threads:
        t.start()
    start.wait(timeout=TIMEOUT)
    for t in threads:
        t.join(timeout=TIMEOUT)
    return phones


def servers_memory() -> dict[str, float]:
    """RSS in MB of each user's server with its kernels, by user (from the process's environment)."""
    import psutil

    found: dict[str, float] = {}
    for p in psutil.process_iter(["cmdline"]):
        if "hub" in (p.info["cmdline"] or []) and "singleuser" in (p.info["cmdline"] or []):
            try:
                user = p.environ().get("JUPYTERHUB_USER", str(p.pid))
                found[user] = sum(q.memory_info().rss for q in [p, *p.children(recursive=True)]) / 2**20
            except psutil.Error:
                pass
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilitators", type=int, default=20)
    parser.add_argument("--voters", type=int, default=300)
    parser.add_argument("--settle", type=float, default=15, help="seconds between opening the consoles and the phones")
    args = parser.parse_args()
    names = [f"f{i:02d}" for i in range(1, args.facilitators + 1)]
    pg = PgServer()
    pg.start()
    hub = None
    try:
        folder = Path(tempfile.mkdtemp(prefix="pbtools-hub-bench-"))
        db_url = pg.new_database()
        create_demo(folder / "demo")
        operator = Actor("operator", ADMIN)
        with open_workspace(folder / "demo") as demo, Central(db_url, folder / "hub" / "municipalities") as central:
            central.add_municipality(CODE, demo.municipality(), operator)
            central.grant("root", "*", ADMIN, operator)
            for name in names:
                central.grant(name, CODE, FACILITATOR, operator)
            hearing, codes_a, codes_b = make_hearing(central, args.voters)
        (folder / "hub").mkdir(exist_ok=True)
        hub = Hub(folder / "hub", db_url)
        for name in ["root", *names]:
            sign_up(hub.url, name)
        root = Browser(hub.url)
        root.post_form("/hub/login", {"username": "root", "password": PASSWORD})
        for name in names:
            root.get(f"/hub/authorize/{name}")

        spawn_ms, app_ms, action_ms = [], [], []
        users: dict[str, Browser] = {}

        def log_in(name: str) -> None:
            b = Browser(hub.url)
            t0 = time.perf_counter()
            status, url, page = b.post_form("/hub/login", {"username": name, "password": PASSWORD})
            deadline = time.monotonic() + TIMEOUT
            while f"/user/{name}/" not in url and time.monotonic() < deadline:  # spawn pending: the hub's page polls
                time.sleep(0.5)
                status, url, page = b.get(f"/user/{name}/")
            assert 'id="app-console"' in page, f"{name}: no home page at {url}"
            spawn_ms.append((time.perf_counter() - t0) * 1000)
            users[name] = b

        def open_console(name: str) -> None:
            t0 = time.perf_counter()
            status, _, page = users[name].get(f"/user/{name}/voila/render/console.ipynb?lang=ky")
            assert status == 200 and "widget" in page, f"{name}: console did not render"
            app_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            users[name].get(f"/user/{name}/?lang=ru")
            action_ms.append((time.perf_counter() - t0) * 1000)

        log_in(names[0])
        path = f"/user/{names[0]}/vote/{hearing}/q1?lang=en"
        load_quiet = os.getloadavg()[0]
        quiet = vote(hub.port, path, codes_a)
        with ThreadPoolExecutor(4) as pool:  # four logins at a time: a morning of facilitators arriving
            list(pool.map(log_in, names[1:]))
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(open_console, names))
        memory = servers_memory()
        time.sleep(args.settle)  # the consoles' kernels done with their first run: open and idle, as in a hall
        load_busy = os.getloadavg()[0]
        busy = vote(hub.port, path, codes_b)

        with Central(db_url, folder / "hub" / "municipalities") as central, central.workspace(CODE) as ws:
            store = HearingStore(ws, hearing)
            key = code_key(ws.path)
            seqs: dict[str, int] = {}
            for r in ws.ledger.records(store.stream):
                if r.kind == "ballot.cast":
                    seqs[r.payload.get("code_hash")] = seqs.get(r.payload.get("code_hash"), 0) + 1
            problems = ws.ledger.verify(store.stream)
        print(f"== hub: {args.facilitators} facilitators (console open), {args.voters} phones per phase, one PostgreSQL, 2 cores")
        print(f"login to home page (the hub starts the user's server): {figures(spawn_ms)}")
        print(f"console app opened (kernel started, notebook run): {figures(app_ms)}")
        print(f"home page reloaded with every console open: {figures(action_ms)}")
        per_user = sorted(memory.values())
        if per_user:
            print(f"memory per user's server with the console open (process + kernels): median {statistics.median(per_user):.0f} MB, "
                  f"max {max(per_user):.0f} MB, all {sum(per_user):.0f} MB for {len(per_user)} servers")
        lost = 0
        for label, phones, codes in (("phones, only their facilitator's server running", quiet, codes_a),
                                     (f"phones, {args.facilitators} consoles open", busy, codes_b)):
            latencies = [p.latency for p in phones if p.latency is not None]
            receipts = [p for p in phones if p.receipt]
            once = sum(1 for c in codes if seqs.get(code_hash(hearing, c, key)) == 1)
            lost += len(receipts) - once if len(receipts) > once else 0
            lost += sum(1 for c in codes if seqs.get(code_hash(hearing, c, key), 0) > 1)
            print(f"{label}: {figures(latencies)}; receipts {len(receipts)}/{len(phones)}, stored once {once}/{len(codes)}; "
                  f"errors: {sorted({p.error for p in phones if p.error}) or 'none'}")
        quiet_p95 = percentile([p.latency for p in quiet if p.latency], 95)
        busy_p95 = percentile([p.latency for p in busy if p.latency], 95)
        print(f"phones' p95 with the consoles open / without: {busy_p95 / quiet_p95:.2f} "
              f"(machine load average before each phase: {load_quiet:.1f}, {load_busy:.1f}; 2 cores shared)")
        print(f"hash chain: {'verifies' if not problems else [p.message.render('en') for p in problems]}")
        print(f"nothing lost: {'yes' if lost == 0 and not problems else 'NO'}")
        return 0 if lost == 0 and not problems else 1
    finally:
        if hub is not None:
            hub.stop()
        pg.stop()


if __name__ == "__main__":
    sys.exit(main())
