"""How typed problem titles are matched: "Ичүүчү суу жок", "ичуучу  суу жок!" and "Ичүүчү-суу жок" are one problem.

Case, the Kyrgyz letters typed without their marks (ө/о, ү/у, ң/н: many phone and laptop keyboards lack them),
punctuation and extra spaces are ignored. A new title close to an existing one (difflib's ratio) is suggested
instead, so the same problem is not typed twice under two spellings.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Iterable

_PLAIN = str.maketrans({"ө": "о", "ү": "у", "ң": "н", "ё": "е"})
_NOT_WORD = re.compile(r"[\W_]+")
SIMILAR = 0.8  # difflib ratio from which a new title is said to look like an existing one


def match_key(title: str) -> str:
    """The form of a title two problems are compared by."""
    text = unicodedata.normalize("NFC", title).casefold().translate(_PLAIN)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def looks_like(title: str, existing: Iterable[tuple[str, str]], cutoff: float = SIMILAR) -> list[str]:
    """Ids of the existing problems (id, title) whose title looks like ``title``, the closest first."""
    key = match_key(title)
    scored = []
    for pid, other in existing:
        ratio = difflib.SequenceMatcher(None, key, match_key(other)).ratio()
        if ratio >= cutoff:
            scored.append((-ratio, pid))
    return [pid for _, pid in sorted(scored)]
