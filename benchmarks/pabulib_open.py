"""What opening a large election in the Pabulib app costs: the file read, then its facts, option counts, voter fields
and the first field's groups (what the app draws when a file is chosen), before and after they read the compiled
reader's arrays instead of a Ballot per voter.

Per file (the five largest of ../shared/pabulib, and Warszawa 2026), best of ``--repeat`` runs, CPU seconds:
* ``read``: ``read_pb`` alone (native engine where built);
* ``before``: read, then the same screens from ``election.ballots`` (a Ballot made per voter, as the app did);
* ``after``: read, then the screens from the arrays (what the app does now);
* ``python``: the Python reader's election, then the screens from its ballots (the fallback engine);
* ``app``: the app itself opening the file (``PabulibApp``: choosing it in the list, everything drawn).
Ratios: before/after (the gain), after/read and app/read (how close opening is to only reading the file).

Usage: .venv/bin/python benchmarks/pabulib_open.py [--repeat 5] [--files NAME ...]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pbtools.counting.native import BUILT, describe  # noqa: E402
from pbtools.counting.pabulib import read_pb  # noqa: E402
from pbtools.counting.tallies import option_counts  # noqa: E402
from pbtools.results import pabulib as pb  # noqa: E402

PABULIB = next((p for p in (ROOT.parent / "shared" / "pabulib", ROOT.parents[1] / "shared" / "pabulib") if p.is_dir()),
               ROOT.parent / "shared" / "pabulib")
NAMED = ("Poland_Warszawa_2026.pb",)  # named in issue #20 beside the largest


def screens(election) -> tuple:
    """What the app makes when a file is opened (widgets/pabulib_app.py open_file, and the first field's groups)."""
    facts = pb.facts(election)
    counts = option_counts(election, by=())
    fields = pb.voter_fields(election)
    groups = pb.groups(election, fields[0]) if fields else None
    pb.file_limits(election)
    return facts, counts, fields, groups


def with_ballots(election):
    """The election as the app saw it before: its ballots made, one per voter (``list`` makes them)."""
    return replace(election, ballots=list(election.ballots))


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.process_time()
        run()
        times.append(time.process_time() - t)
    return min(times)


def app_opening(path: Path, repeat: int) -> float:
    """The app choosing the file in its list (open_file and everything it draws), in a throwaway workspace."""
    sys.path.insert(0, str(ROOT / ".pyalias"))  # a worktree's widgets/ as pbtools_widgets (see docs/conventions.md)
    from pbtools.storage import open_workspace
    from pbtools_widgets.pabulib_app import PabulibApp

    with tempfile.TemporaryDirectory() as tmp, open_workspace(Path(tmp) / "ws") as ws:
        folder = Path(ws.path) / "pabulib"
        folder.mkdir()
        (folder / path.name).symlink_to(path)  # the shared file itself, never copied
        app = PabulibApp(ws, lang="ky")
        app.render()

        def run():
            app.choice.value = None
            app.choice.value = str(folder / path.name)
            assert app.facts is not None and app.by_group.value  # opened, and its votes by group drawn

        return best(run, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--files", nargs="*", help="names in ../shared/pabulib (default: the five largest and Warszawa 2026)")
    args = parser.parse_args()
    if args.files:
        paths = [PABULIB / name for name in args.files]
    else:
        largest = sorted(PABULIB.glob("*.pb"), key=lambda p: -p.stat().st_size)[:5]
        paths = largest + [PABULIB / n for n in NAMED if PABULIB / n not in largest]
    print(f"engine: {describe()}; best of {args.repeat}, CPU ms")
    if not BUILT:
        print("the compiled reader is not built here: 'before' and 'after' both walk the ballots")
    print(f"{'file':34} {'voters':>7} {'read':>6} {'before':>7} {'after':>6} {'python':>7} {'app':>6} {'before/after':>12} {'after/read':>10} {'app/read':>8}")
    gains, overheads = [], []
    for path in paths:
        read = best(lambda: read_pb(path), args.repeat)
        before = best(lambda: screens(with_ballots(read_pb(path))), args.repeat)
        after = best(lambda: screens(read_pb(path)), args.repeat)
        python = best(lambda: screens(read_pb(path, engine="python")), args.repeat)
        assert screens(read_pb(path)) == screens(read_pb(path, engine="python"))  # the same screens either way
        app = app_opening(path, args.repeat)
        voters = pb.facts(read_pb(path)).voters
        gains.append(before / after)
        overheads.append(after / read)
        print(f"{path.name[:34]:34} {voters:>7} {read * 1e3:6.0f} {before * 1e3:7.0f} {after * 1e3:6.0f} {python * 1e3:7.0f} "
              f"{app * 1e3:6.0f} {before / after:11.1f}x {after / read:9.2f}x {app / read:7.2f}x")
    print(f"median: before/after {statistics.median(gains):.1f}x, after/read {statistics.median(overheads):.2f}x")


if __name__ == "__main__":
    main()
