"""A simulated hall of 350 voting into the sandbox's open hearing (six questions, one of each ballot kind), through
each entry path, then counted.

    .venv/bin/python benchmarks/simulate_hall.py [--voters 350] [--seed 1] [--no-http]

Each path starts from a fresh workspace holding the mock hearing (``pbtools.training.mock_hearing``):
* paper: everyone registered at the door, then every question's pile typed by two clerks (``cast_typed``, one
  committed transaction per ballot: the console's paper entry);
* phones, in process: voting codes, then each voter's phone form per question, in bursts of 40 (``CorePhones``:
  ``pbtools.phones.form`` + one ``cast_many`` per burst);
* phones, the server's ballot desk: the same forms through ``BallotDesk.submit_many``, the vote handler's own call;
* phones over HTTP (unless ``--no-http``): a real ``pbtools serve`` on loopback, each form opened (GET: its XSRF
  token) and posted by one of 40 concurrent phones.
Then every budget question is counted by greedy, Equal Shares (Add1 + greedy) and Phragmén. Printed: seconds per
step, milliseconds per ballot, and the ratio to the baseline measured in the same run (one ballot cast with
``HearingStore.cast``, one commit, 200 times). Also checked: every path stored the same ballots (same seed) and
the hash chain verifies.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pbtools.hearings.model import MOTION, Ballot  # noqa: E402
from pbtools.hearings.store import HearingStore, state  # noqa: E402
from pbtools.i18n import Msg  # noqa: E402
from pbtools.results.count import COMPARED, count_question  # noqa: E402
from pbtools.roles import ADMIN, Actor  # noqa: E402
from pbtools.storage import open_workspace  # noqa: E402
from pbtools.training.mock_hearing import create_mock_hearing  # noqa: E402
from pbtools.training.phone_path import PhoneForm, desk_sender  # noqa: E402
from pbtools.training.simulate import PAPER, PHONES, simulate_hall  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from phone_burst import Server, free_port  # noqa: E402

ACTOR = Actor("benchmark", ADMIN)
XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')
RECEIPT = re.compile(r'id="receipt">([^<]+)<')
PHONES_AT_ONCE = 40


def fresh(folder: Path, name: str) -> tuple[Path, str]:
    workspace = folder / name
    with open_workspace(workspace) as ws:
        return workspace, create_mock_hearing(ws, seed=2026)


def baseline_ms(folder: Path, n: int = 200) -> float:
    """Milliseconds for one ballot cast with ``HearingStore.cast`` (one committed transaction), as a yardstick."""
    workspace, hearing = fresh(folder, "baseline")
    with open_workspace(workspace) as ws:
        store = HearingStore(ws, hearing)
        t0 = time.perf_counter()
        for _ in range(n):
            store.cast("q1", Ballot((("P1", 1), ("P3", 1))), actor="clerk")
        return (time.perf_counter() - t0) / n * 1000


class HttpPhones:
    """Phones posting to a running server: each form opened (GET, for its XSRF cookie and token) then posted."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.local = threading.local()

    def _conn(self) -> http.client.HTTPConnection:
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return self.local.conn

    def _one(self, sent: PhoneForm) -> list[Msg]:
        path = f"/vote/{sent.hearing_id}/{sent.question_id}?lang=en"
        conn = self._conn()
        conn.request("GET", path)
        r = conn.getresponse()
        page = r.read().decode()
        cookie = next(v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie" and v.startswith("_xsrf="))
        fields = [(k, v) for k, values in sent.form.items() for v in values] + [("_xsrf", XSRF.search(page).group(1))]
        conn.request("POST", path, urllib.parse.urlencode(fields),
                     {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        r = conn.getresponse()
        answer = r.read().decode()
        if r.status in (301, 302, 303):  # a receipt by redirect
            return []
        return [] if r.status == 200 and RECEIPT.search(answer) else [Msg("HTTP {status}", status=r.status)]

    def __call__(self, forms: Sequence[PhoneForm]) -> list[list[Msg]]:
        with ThreadPoolExecutor(max_workers=PHONES_AT_ONCE) as pool:
            return list(pool.map(self._one, forms))


def run_path(folder: Path, name: str, voters: int, seed: int, via: str, sender_for=None):
    workspace, hearing = fresh(folder, name)
    server = None
    try:
        if sender_for == "http":
            port = free_port()
            server = Server(workspace, port, folder / f"{name}.log")
            server.wait(f"/vote/{hearing}?lang=en")
            sender = HttpPhones(port)
        elif sender_for == "desk":
            from pbtools.server.vote import BallotDesk

            sender = desk_sender(BallotDesk(workspace, None))
        else:
            sender = None
        with open_workspace(workspace) as ws:
            report = simulate_hall(ws, hearing, voters, seed, actor=ACTOR, via=via, phones=sender)
    finally:
        if server is not None:
            server.stop()
    with open_workspace(workspace, create=False) as ws:
        st = state(ws, hearing)
        chain = HearingStore(ws, hearing).verify()
    t0 = time.perf_counter()
    counted = {(q.id, rule): count_question(st, q.id, rule).selected
               for q in st.questions.values() if q.kind != MOTION for rule in COMPARED}
    count_s = time.perf_counter() - t0
    ballots = {}
    for b in sorted(st.ballots.values(), key=lambda b: b.seq):
        ballots.setdefault(b.question, []).append(b.ballot.to_json())
    return report, count_s, counted, ballots, chain


def _sorted(ballots: dict) -> dict:
    return {q: sorted(b, key=repr) for q, b in ballots.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=350)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-http", action="store_true", help="skip the path over HTTP to a running server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = baseline_ms(folder)
        paths = [("paper", PAPER, None), ("phones in process", PHONES, None), ("phones, server's ballot desk", PHONES, "desk")]
        if not args.no_http:
            paths.append(("phones over HTTP (pbtools serve)", PHONES, "http"))
        print(f"== a simulated hall of {args.voters} voters, seed {args.seed}, 6 questions (one of each ballot kind); SQLite")
        print(f"baseline (same run): {base:.2f} ms per ballot cast alone with HearingStore.cast (one commit each)")
        reference, ok = None, True
        for i, (label, via, sender) in enumerate(paths):
            report, count_s, counted, ballots, chain = run_path(folder, f"hall-{i}", args.voters, args.seed, via, sender)
            n = report.total_ballots
            stored = report.per_step.get("ballots", 0.0)
            print(f"-- {label}: {report.registered} registered, {n} ballots, {len(report.refused)} refused")
            print(f"   registration {report.per_step.get('registration', 0):.2f} s "
                  f"({report.per_step.get('registration', 0) / report.registered * 1000:.2f} ms a person)"
                  + (f", codes {report.per_step['codes']:.2f} s" if "codes" in report.per_step else ""))
            print(f"   ballots {stored:.2f} s = {stored / max(n, 1) * 1000:.2f} ms a ballot "
                  f"({stored / max(n, 1) * 1000 / base:.2f}x the baseline); whole hall {report.seconds:.2f} s")
            print(f"   count (5 budget questions x {len(COMPARED)} rules): {count_s:.2f} s; hash chain: "
                  f"{'verifies' if not chain else chain}")
            if reference is None:
                reference = (ballots, counted)
            else:
                # phones posting at once are stored in the order they arrive: the same ballots, in another order
                in_order, same = ballots == reference[0], _sorted(ballots) == _sorted(reference[0])
                ok &= same and counted == reference[1]
                print(f"   same ballots as paper: {'yes' if same else 'NO'}"
                      f"{' (in the same order)' if in_order else ' (in another order)' if same else ''}; "
                      f"same count by every rule: {'yes' if counted == reference[1] else 'NO'}")
            ok &= not report.refused and not chain
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
