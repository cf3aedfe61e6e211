"""Making and resetting a training sandbox: record by record (as before the template) against a copy of the root's
template (``pbtools.training.sandbox_template``).

In one run, in a temporary sandboxes folder: the baseline builds the sample workspace and its mock hearing record by
record (``create_demo`` + ``create_mock_hearing``, what every create and reset did before: some 600 commits, each
synced to disk); then the first ``create_sandbox`` (which builds the template once), then ``--repeats`` creates and
resets from the template. Prints wall and CPU seconds (median) and the ratio to the baseline. Imports are loaded
before any timing (the command line pays them once per run whatever it does).

    .venv/bin/python benchmarks/sandbox_create.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pbtools.demo import create_demo  # noqa: E402
from pbtools.roles import TRAINER, Actor  # noqa: E402
from pbtools.storage import open_workspace  # noqa: E402
from pbtools.training.mock_hearing import create_mock_hearing  # noqa: E402
from pbtools.training.sandbox import create_sandbox, reset_sandbox  # noqa: E402

ACTOR = Actor("bench", TRAINER)


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def by_record(folder: Path) -> None:
    create_demo(folder)
    with open_workspace(folder) as ws:
        create_mock_hearing(ws)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "sandboxes"
        baseline = [timed(lambda i=i: by_record(Path(tmp) / f"by-record-{i}")) for i in range(max(1, args.repeats // 2))]
        first = timed(lambda: create_sandbox("first", actor=ACTOR, root=root))
        creates = [timed(lambda i=i: create_sandbox(f"box-{i}", actor=ACTOR, root=root)) for i in range(args.repeats)]
        resets = [timed(lambda: reset_sandbox("box-0", actor=ACTOR, root=root)) for _ in range(args.repeats)]
    base_wall = statistics.median(w for w, _ in baseline)
    base_cpu = statistics.median(c for _, c in baseline)
    print(f"{'':34} {'wall s':>8} {'cpu s':>8} {'wall ratio':>11}")
    print(f"{'record by record (baseline)':34} {base_wall:8.3f} {base_cpu:8.3f} {1:11.2f}")
    print(f"{'first create (builds the template)':34} {first[0]:8.3f} {first[1]:8.3f} {first[0] / base_wall:11.2f}")
    for name, runs in (("create from the template", creates), ("reset from the template", resets)):
        wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        print(f"{name:34} {wall:8.3f} {cpu:8.3f} {wall / base_wall:11.3f}")


if __name__ == "__main__":
    main()
