"""The tables of a workspace as the code queries them, and the schema version they make up.

The same tables on SQLite and PostgreSQL. Text columns hold what must round-trip exactly: money as the Decimal's
string, names as canonical JSON, ledger times as ISO 8601 UTC (the very text that is hashed).
``migrations.py`` builds and upgrades a database to this version.
"""

from __future__ import annotations

from sqlalchemy import (
    Column, ForeignKey, ForeignKeyConstraint, Integer, MetaData, PrimaryKeyConstraint, String, Table, Text, UniqueConstraint,
)

SCHEMA_VERSION = 2


def check_text(**fields: str | None) -> None:
    """PostgreSQL text cannot hold NUL; refused on both backends so a workspace moves between them intact."""
    for name, value in fields.items():
        if value is not None and "\x00" in value:
            raise ValueError(f"{name} {value!r} contains a NUL character")

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

# -- version 2: settings, the municipality, budgets

settings = Table(
    "settings", metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)

# One municipality per workspace: the single row has id 1.
municipality = Table(
    "municipality", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("names", Text, nullable=False),  # JSON {language: name}
    Column("oblast", Text, nullable=False),
    Column("rayon", Text, nullable=False),
)

villages = Table(
    "villages", metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("village_id", String, nullable=False),  # Village.id: the short key other files use, may be ""
    Column("names", Text, nullable=False),
    Column("population", Integer, nullable=False),
)

budgets = Table(
    "budgets", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False),
    Column("source", String, nullable=False),
    Column("municipality", Text, nullable=False),  # JSON {language: name}, as the budget file named it
    Column("imported_at", String, nullable=False),  # ISO 8601 UTC
)

budget_lines = Table(
    "budget_lines", metadata,
    Column("budget_id", Integer, ForeignKey("budgets.id", ondelete="CASCADE", name="fk_budget_lines_budget"), nullable=False),
    Column("position", Integer, nullable=False),  # order in the file
    Column("side", String, nullable=False),
    Column("code", String, nullable=False),
    Column("line_group", String, nullable=False),
    Column("names", Text, nullable=False),
    PrimaryKeyConstraint("budget_id", "position", name="pk_budget_lines"),
)

budget_amounts = Table(
    "budget_amounts", metadata,
    Column("budget_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String, nullable=False),  # "planned" or "executed"
    Column("year", Integer, nullable=False),
    Column("amount", String, nullable=False),  # str(Decimal): exact on every backend
    PrimaryKeyConstraint("budget_id", "position", "kind", "year", name="pk_budget_amounts"),
    ForeignKeyConstraint(["budget_id", "position"], ["budget_lines.budget_id", "budget_lines.position"],
                         ondelete="CASCADE", name="fk_budget_amounts_line"),
)
