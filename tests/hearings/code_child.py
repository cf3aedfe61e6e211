"""Child process of the two-process code test: waits for "go", then votes with each code given on stdin.

    python -m tests.hearings.code_child WORKSPACE [DB_URL]      (stdin: one code per line, then "go")
Prints "ok CODE" or "used CODE" for each.
"""

from __future__ import annotations

import sys

from pbtools.hearings.model import Ballot


def main() -> None:
    from pbtools.hearings.store import HearingError, HearingStore
    from pbtools.storage import open_workspace

    db_url = sys.argv[2] if len(sys.argv) > 2 else None
    with open_workspace(sys.argv[1], db_url=db_url) as ws:
        store = HearingStore(ws, "h1")
        print("ready", flush=True)
        codes = []
        for line in sys.stdin:
            if line.strip() == "go":
                break
            codes.append(line.strip())
        for code in codes:
            try:
                store.cast("single", Ballot((("P1", 1),)), actor="phone", channel="code", code=code)
                print("ok", code, flush=True)
            except HearingError as exc:
                print("used" if "already been used" in str(exc) else f"error {exc}", code, flush=True)


if __name__ == "__main__":
    main()
