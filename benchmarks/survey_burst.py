"""Survey answers from phones under the same load as votes: N phones send their answers at the same moment to a real
`pbtools serve` on loopback, right after N phones voted the same way on a hearing (the baseline, same server, same
run).

    .venv/bin/python benchmarks/survey_burst.py [--phones 300]

Prints, for the votes and for the survey answers: how many were stored (each exactly once), p50/p95/max latency
from the POST until its receipt page, and the ratio of the survey's p95 to the votes'; the server's memory before
and after. Checks (exit 1 when one fails): every answer stored exactly once, the survey stream's hash chain
verifies, the survey's p95 at most 250 ms (the votes' target) or, on a loaded machine, at most twice the votes' p95.
"""

from __future__ import annotations

import argparse
import http.client
import re
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from phone_burst import REQUEST_TIMEOUT, Server, Voter, burst, free_port, make_hearing, percentile, post_form  # noqa: E402

from pbtools.roles import LOCAL  # noqa: E402
from pbtools.services.service import ServicesService  # noqa: E402
from pbtools.storage import open_workspace  # noqa: E402

XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')
RECEIPT = re.compile(r'id="receipt">([^<]+)<')
SAMPLE = ROOT / "data" / "sample" / "services.csv"


class Phone:
    """One phone answering the survey: opens the form (its XSRF token and device cookie), then sends at the signal."""

    def __init__(self, port: int, path: str, i: int) -> None:
        self.port, self.path, self.i = port, path, i
        self.status: int | None = None
        self.receipt: str | None = None
        self.latency: float | None = None
        self.error = ""

    def open_ballot(self) -> None:  # the name ``burst`` expects of a participant
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        conn.request("GET", self.path)
        r = conn.getresponse()
        page = r.read().decode()
        self.cookie = "; ".join(v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie")
        self.token = XSRF.search(page).group(1)
        conn.close()

    def submit(self, start: threading.Barrier) -> None:
        body = urllib.parse.urlencode({"_xsrf": self.token, "village": str(1 + self.i % 2), "sex": "fm"[self.i % 2],
                                       "age": ("18_29", "30_44", "45_59", "60_plus")[self.i % 4],
                                       "q-satisfaction": str(1 + self.i % 5), "q-failures": str(1 + self.i % 3), "q-priority": "1"})
        try:
            start.wait(timeout=REQUEST_TIMEOUT)
            self.status, page, self.latency = post_form(self.port, self.path, body, self.cookie)
            found = RECEIPT.search(page)
            self.receipt = found.group(1) if found else None
        except Exception as e:  # noqa: BLE001 - any failure means "no receipt"
            self.error = type(e).__name__


def stats(name: str, people: list, wall: float) -> float:
    latencies = [p.latency * 1000 for p in people if p.latency is not None and p.receipt]
    receipts = sum(1 for p in people if p.receipt)
    p50, p95, top = (percentile(latencies, 50), percentile(latencies, 95), max(latencies)) if latencies else (0, 0, 0)
    print(f"{name}: {receipts}/{len(people)} receipts in {wall:.2f} s; latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {top:.0f} ms")
    return p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=300)
    args = parser.parse_args()
    n = args.phones
    with tempfile.TemporaryDirectory(prefix="survey-burst-") as tmp:
        workspace = Path(tmp) / "ws"
        hearing, codes = make_hearing(workspace, n)
        with open_workspace(workspace) as ws:
            svc = ServicesService(ws)
            svc.import_file(SAMPLE, LOCAL)
            svc.start_survey("water", "2026", "2026-05-14", LOCAL)
            svc.open_to_phones("water", "2026", LOCAL)
        port = free_port()
        server = Server(workspace, port, Path(tmp) / "serve.log")
        try:
            vote_path, survey_path = f"/vote/{hearing}/q1?lang=en", "/survey/water?lang=en"
            server.wait(vote_path)
            voters = [Voter(port, vote_path, c) for c in codes]
            for v in voters:
                v.open_ballot()
            vote_wall = burst(voters)
            phones = [Phone(port, survey_path, i) for i in range(n)]
            for p in phones:
                p.open_ballot()
            rss_before = server.rss_mb()
            survey_wall = burst(phones)
            time.sleep(0.5)
            rss_after = server.rss_mb()
        finally:
            server.stop()
        vote_p95 = stats("votes (baseline)", voters, vote_wall)
        survey_p95 = stats("survey answers", phones, survey_wall)
        ratio = survey_p95 / vote_p95 if vote_p95 else float("inf")
        print(f"survey p95 / votes p95: {ratio:.2f}; server memory {rss_before:.0f} MB -> {rss_after:.0f} MB")
        with open_workspace(workspace, create=False) as ws:
            stored = ServicesService(ws).surveys("water")[0].answers
            problems = ws.ledger.verify("services:survey:water")
        once = len(stored) == n == sum(1 for p in phones if p.receipt)
        print(f"answers stored: {len(stored)}/{n} (each exactly once: {once}); hash chain: {'verifies' if not problems else problems}")
        fast = survey_p95 <= 250 or ratio <= 2
        print("checks:", "passed" if once and not problems and fast else "FAILED")
        return 0 if once and not problems and fast else 1


if __name__ == "__main__":
    sys.exit(main())
