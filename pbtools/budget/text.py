"""Matching words in headers and names whatever the spelling: case, ө ү ң written as о у н, ё as е, punctuation."""

from __future__ import annotations

import re

# Kyrgyz letters often typed without their marks (о у н), Russian ё often typed as е, Latin look-alikes
# sometimes typed for Cyrillic letters in old spreadsheets.
_FOLD = str.maketrans({"ө": "о", "ү": "у", "ң": "н", "ё": "е", "\u00a0": " ", "\u202f": " "})
_NON_WORD = re.compile(r"[^\w%']+")


def fold(text: str) -> str:
    """Lower case, ө ү ң ё folded to о у н е, punctuation to single spaces: "Аткарылышы, миң сом" -> "аткарылышы миң сом"."""
    return _NON_WORD.sub(" ", str(text).lower().translate(_FOLD)).strip()


def words(text: str) -> list[str]:
    return fold(text).split()


def has_word(text: str, candidates: frozenset[str] | set[str]) -> bool:
    """True when one of ``candidates`` (already folded; one word or a phrase) is a word or phrase of ``text``."""
    folded = f" {fold(text)} "
    return any(f" {c} " in folded for c in candidates)


def starts_with_any(text: str, prefixes: tuple[str, ...]) -> bool:
    """True when a word of ``text`` starts with one of the folded ``prefixes`` (for inflected forms)."""
    return any(w.startswith(prefixes) for w in words(text))


def script_language(values: list[str]) -> str:
    """The language a column of names is written in: Kyrgyz if any name has ө ү ң, else Russian if Cyrillic, else English."""
    joined = " ".join(values).lower()
    if re.search("[өүң]", joined):
        return "ky"
    if re.search("[а-яё]", joined):
        return "ru"
    return "en"
