"""The tables of a workspace as the code queries them, and the schema version they make up.

The same tables on SQLite and PostgreSQL. Text columns hold what must round-trip exactly: money as the Decimal's
string, names as canonical JSON, ledger times as ISO 8601 UTC (the very text that is hashed).
``migrations.py`` builds and upgrades a database to this version.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKeyConstraint, Integer, MetaData, String, Table, Text, UniqueConstraint

SCHEMA_VERSION = 1

metadata = MetaData()

pbtools_meta = Table(
    "pbtools_meta", metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

# One row per stream: the head (last seq and hash) and whether it is sealed. Appenders lock this row, so it is
# also what serialises them on PostgreSQL; on SQLite BEGIN IMMEDIATE does.
ledger_streams = Table(
    "ledger_streams", metadata,
    Column("name", String, primary_key=True),
    Column("head_seq", Integer, nullable=False),
    Column("head_hash", String, nullable=False),
    Column("sealed_seq", Integer, nullable=True),
)

ledger_records = Table(
    "ledger_records", metadata,
    Column("stream", String, primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String, nullable=False),
    Column("payload", Text, nullable=False),
    Column("actor", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("key", String, nullable=True),
    Column("voids", Integer, nullable=True),
    Column("reason", Text, nullable=False),
    Column("prev_hash", String, nullable=False),
    Column("hash", String, nullable=False),
    ForeignKeyConstraint(["stream"], ["ledger_streams.name"], name="fk_ledger_records_stream"),
    ForeignKeyConstraint(["stream", "voids"], ["ledger_records.stream", "ledger_records.seq"], name="fk_ledger_records_voids"),
    UniqueConstraint("stream", "key", name="uq_ledger_records_key"),  # NULL keys never clash, on both backends
    UniqueConstraint("stream", "voids", name="uq_ledger_records_voids"),  # a record is voided at most once
)
