"""Workspace storage: SQLite in a folder by default, or PostgreSQL; budgets, settings and the append-only ledger.

    from pbtools.storage import open_workspace
    with open_workspace(folder) as ws:
        record = ws.ledger.append("hearing:x", "ballot.cast", {...}, actor="clerk 1", key="code:q1:...")
        results = ws.ledger.append_many("hearing:x", [Entry("ballot.cast", {...}, key=...), ...])  # one commit
"""

from pbtools.storage.errors import (
    BadPayload, DatabaseUnavailable, KeyTaken, LedgerError, StorageError, StreamMoved, StreamRewound, StreamSealed,
    VoidRefused, WorkspaceError,
)
from pbtools.storage.chain import Problem
from pbtools.storage.ledger import Ledger
from pbtools.storage.record import SEALED, Entry, Record
from pbtools.storage.write_check import Check, Locked, decided_on, head_is
from pbtools.storage.workspace import Workspace, open_workspace, save_db_url

__all__ = [
    "BadPayload", "Check", "DatabaseUnavailable", "Entry", "KeyTaken", "Ledger", "LedgerError", "Locked", "Problem", "Record", "SEALED", "StorageError",
    "StreamMoved", "StreamRewound", "StreamSealed", "VoidRefused", "Workspace", "WorkspaceError", "decided_on", "head_is", "open_workspace", "save_db_url",
]
