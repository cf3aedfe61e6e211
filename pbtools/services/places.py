"""Villages as the services' screens, scorecards, charts and phone pages name them. The register and the surveys keep
a village as the file or the clerk wrote it (data/sample writes the Kyrgyz name); a village of the municipality
(matched by id or by its name in any language) is shown in the reader's language, as the hearings show theirs, and
one the municipality does not list is shown as written."""

from __future__ import annotations

from typing import Any, Sequence

from pbtools.hearings.model import label, village_name

VILLAGE = "village"


def villages_text(villages: Sequence[str], municipality: Any, lang: str) -> str:
    """"Кок-Талаа, Жаны-Айыл" in Russian for a register's "Көк-Талаа, Жаңы-Айыл"; "—" for none."""
    return ", ".join(village_name(v, municipality, lang) for v in villages) or "—"


def village_names(villages: Sequence[str], municipality: Any, lang: str) -> list[str]:
    return [village_name(v, municipality, lang) for v in villages]


def group_name(grouping: str, key: str, municipality: Any, lang: str) -> str:
    """A survey group in ``lang``: a village by the municipality's names, a sex or age group by its label."""
    return village_name(key, municipality, lang) if grouping == VILLAGE else label(key, lang)
