"""What the database's check of each role's writes (``pbtools.central.rights``: a trigger on every row) costs a
ledger append on a central server.

A throwaway PostgreSQL with two municipalities: one whose schema has the check (a facilitator's server's connection,
as the hub gives it), one without (the baseline, measured in the same run, the same way). Prints the mean time of
one append (one transaction, as every write of the core is) and the ratio, for a few alternating rounds.

    .venv/bin/python benchmarks/hub_rights_overhead.py [--appends 1500] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pbtools.budget.model import Municipality  # noqa: E402
from pbtools.central.hub import spawn_environment  # noqa: E402
from pbtools.central.registry import Central  # noqa: E402
from pbtools.roles import ADMIN, FACILITATOR, Actor  # noqa: E402
from pbtools.storage import open_workspace  # noqa: E402
from tests.fixtures.postgres import PgServer  # noqa: E402

OPERATOR = Actor("operator", ADMIN)


def mean_append_ms(folder: Path, url: str, stream: str, n: int) -> float:
    with open_workspace(folder / stream.replace(":", "_"), db_url=url, create=False) as ws:
        start = time.perf_counter()
        for i in range(n):
            ws.ledger.append(stream, "note", {"i": i}, actor="aida")
        return (time.perf_counter() - start) / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appends", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pg = PgServer()
    pg.start()
    try:
        folder = Path(tempfile.mkdtemp())
        with Central(pg.new_database(), folder / "central") as central:
            place = Municipality({"ky": "Ак-Суу", "ru": "Ак-Суу", "en": "Ak-Suu"})
            central.add_municipality("checked", place, OPERATOR)
            central.add_municipality("plain", place, OPERATOR)
            central.grant("aida", "checked", FACILITATOR, OPERATOR)
            checked = spawn_environment(central, "aida", "checked")["PBTOOLS_DB"]  # makes the check there only
            plain = central.workspace_url("plain")
            for r in range(args.rounds):
                base = mean_append_ms(folder, plain, f"hearing:plain{r}", args.appends)
                with_check = mean_append_ms(folder, checked, f"hearing:checked{r}", args.appends)
                print(f"round {r + 1}: one append {base:.3f} ms without the check, {with_check:.3f} ms with it "
                      f"(ratio {with_check / base:.2f})", flush=True)
    finally:
        pg.stop()


if __name__ == "__main__":
    main()
