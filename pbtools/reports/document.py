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

    def table(self, table_id: str) -> Table:
        return next(b for b in self.blocks if isinstance(b, Table) and b.id == table_id)

    def text(self) -> str:
        """Every word of the document (for checks): title, headings, paragraphs, cells."""
        parts = [self.title, self.subtitle]
        for b in self.blocks:
            if isinstance(b, (Heading, Paragraph)):
                parts.append(b.text)
            elif isinstance(b, Items):
                parts += b.items
            elif isinstance(b, Fields):
                parts += [x for row in b.rows for x in row]
            elif isinstance(b, Table):
                parts += list(b.header) + [x for row in b.rows for x in row]
            elif isinstance(b, Image):
                parts.append(b.caption)
            elif isinstance(b, Signatures):
                parts += [x for row in b.lines for x in row]
        parts.append(self.footer)
        return "\n".join(p for p in parts if p)
