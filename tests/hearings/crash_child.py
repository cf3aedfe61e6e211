"""Child process of the crash test: types ballots into an open hearing as fast as it can, printing each receipt.

    python -m tests.hearings.crash_child WORKSPACE FIRST [DB_URL]

Ballot i (from FIRST on) is ``ballot_for(i)``, so the parent can tell which ballots were stored and in what order.
"""

from __future__ import annotations

import sys

from pbtools.hearings.model import Ballot

IDS = ("P1", "P2", "P3", "P4", "P5")


def ballot_for(i: int) -> Ballot:
    # approval, up to 3: a different, valid choice for each i (i in base 5, digits made distinct)
    chosen = []
    for digit in (i % 5, (i // 5) % 5, (i // 25) % 5):
        if IDS[digit] not in chosen:
            chosen.append(IDS[digit])
    return Ballot(tuple((o, 1) for o in chosen))


def main() -> None:
    from pbtools.hearings.store import HearingStore
    from pbtools.storage import open_workspace

    workspace, first = sys.argv[1], int(sys.argv[2])
    db_url = sys.argv[3] if len(sys.argv) > 3 else None
    with open_workspace(workspace, db_url=db_url) as ws:
        store = HearingStore(ws, "h1")
        print("ready", flush=True)
        i = first
        while True:
            receipt = store.cast("approval", ballot_for(i), actor="clerk")
            print(f"ok {i} {receipt.seq}", flush=True)  # printed only once the ballot is committed
            i += 1


if __name__ == "__main__":
    main()
