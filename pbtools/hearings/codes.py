"""One-time voting codes: short, typed by hand, hard to guess, and a typo is caught before anything is stored.

A code is 9 random characters from a 31-letter alphabet without look-alikes (no 0/O, 1/I/L), 9·log2(31) ≈ 44.6
bits, plus one check character, written ``XXXX-XXXX-XX``. The check is a weighted sum modulo 31 (a prime), so
every single wrong character and every swap of two characters is rejected.
"""

from __future__ import annotations

import hashlib
import math
import secrets

from pbtools.i18n import N_, Msg

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_CHARS = 9
CODE_BITS = RANDOM_CHARS * math.log2(len(ALPHABET))
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_MOD = len(ALPHABET)  # 31, prime


def _weighted(code: str) -> int:
    # weights 1..10 are distinct and non-zero modulo the prime 31: any substitution or swap changes the sum
    return sum((i + 1) * _VALUE[c] for i, c in enumerate(code)) % _MOD


def _check_char(body: str) -> str:
    # the check character has weight 10: choose it so that the weighted sum of the whole code is 0
    return ALPHABET[(-_weighted(body) * pow(RANDOM_CHARS + 1, -1, _MOD)) % _MOD]


def new_code() -> str:
    """A fresh code, formatted for printing: ``XXXX-XXXX-XX``."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return format_code(body + _check_char(body))


def new_codes(n: int, taken: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """``n`` distinct fresh codes, none of them in ``taken`` (normalised codes)."""
    codes: dict[str, str] = {}
    while len(codes) < n:
        code = new_code()
        key = normalize(code)
        if key not in taken:
            codes.setdefault(key, code)
    return list(codes.values())


def format_code(code: str) -> str:
    code = normalize(code)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalize(text: str) -> str:
    """Upper case without spaces and dashes, as people type it."""
    return "".join(text.split()).replace("-", "").upper()


def check_code(text: str) -> list[Msg]:
    """Problems with a typed code: wrong length, a character not on the cards, or a failed check (a typo)."""
    code = normalize(text)
    if len(code) != RANDOM_CHARS + 1:
        return [Msg(N_("A voting code has {n} characters, this one has {got}"), n=RANDOM_CHARS + 1, got=len(code))]
    wrong = sorted({c for c in code if c not in _VALUE})
    if wrong:
        return [Msg(N_("A voting code never contains {chars}"), chars=" ".join(wrong))]
    if _weighted(code):
        return [Msg(N_("This voting code is mistyped; check it against the card"))]
    return []


def code_hash(hearing_id: str, code: str) -> str:
    """What the ledger keeps instead of the code, so a copy of the database does not list usable codes."""
    return hashlib.sha256(f"{hearing_id}:{normalize(code)}".encode()).hexdigest()[:32]
