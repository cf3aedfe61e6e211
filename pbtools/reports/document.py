"""A report as plain data: a title and a list of blocks, every text already in the report's language and every
figure already written the way that language writes it. ``docx.py`` and ``pdf.py`` only lay the blocks out, so
both files always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: a numbered section; 2: a part of one


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Items:
    """A numbered list (agenda items, decisions)."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Fields:
    """Label: value pairs (the hearing's details)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()  # per column: right-aligned figures
    widths: tuple[float, ...] = ()  # per column, relative; empty: equal
    total: bool = False  # the last row is a total (bold)
    id: str = ""  # a name tests and readers can find the table by (not shown)


@dataclass(frozen=True)
class Image:
    png: bytes
    caption: str = ""


@dataclass(frozen=True)
class Signatures:
    """(role, name) pairs, each printed over a line to sign on."""

    lines: tuple[tuple[str, str], ...]


Block = Heading | Paragraph | Items | Fields | Table | Image | Signatures


@dataclass
class Document:
    lang: str
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    footer: str = ""  # printed small at the end (the ledger head hash)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)
