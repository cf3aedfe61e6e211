"""A separate process appending to a ledger stream, for the concurrency and crash tests.

    python -m tests.storage.appender FOLDER DB_URL|- STREAM WORKER COUNT SHARED_KEYS [GO_FILE]

Prints ``ready`` once the workspace is open, waits for GO_FILE to exist (so that all workers start together), then
appends COUNT records with the key ``w<worker>-<i>`` and tries SHARED_KEYS records with keys ``shared-<j>`` that every
worker also tries. After each append returns it prints ``ok <seq> <key>`` (``taken <key>`` when refused), flushed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pbtools.storage import KeyTaken, open_workspace


def main(folder: str, db_url: str, stream: str, worker: str, count: str, shared: str, go: str = "") -> None:
    ws = open_workspace(Path(folder), db_url=None if db_url == "-" else db_url)
    print("ready", flush=True)
    while go and not Path(go).exists():
        time.sleep(0.005)
    keys = [f"w{worker}-{i}" for i in range(int(count))]
    shared_keys = [f"shared-{j}" for j in range(int(shared))]
    # interleave: the shared keys are tried while the other workers append their own
    order = keys[: len(keys) // 2] + shared_keys + keys[len(keys) // 2:]
    for key in order:
        try:
            record = ws.ledger.append(stream, "test.append", {"worker": worker, "key": key}, actor=f"worker {worker}", key=key)
        except KeyTaken:
            print(f"taken {key}", flush=True)
        else:
            print(f"ok {record.seq} {key}", flush=True)
    ws.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
