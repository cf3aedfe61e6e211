"""One-time voting codes: short, typed by hand, hard to guess, and a typo is caught before anything is stored.

A code is 9 random characters from a 31-letter alphabet without look-alikes (no 0/O, 1/I/L), 9·log2(31) ≈ 44.6
bits, plus one check character, written ``XXXX-XXXX-XX``. The check is a weighted sum modulo 31 (a prime), so
every single wrong character and every swap of two characters is rejected.

The ledger keeps a code's HMAC-SHA256 under a secret of the workspace (``code_key``), kept in the workspace folder
(owner-only), never in the database: a copy of the database alone does not give the codes back, however long one
tries (44.6 bits would fall to a plain hash in about a GPU hour). Codes issued before there was a key were kept
as a plain SHA-256; those records are part of the hash chain and cannot be rewritten, so they keep verifying by
that old scheme (``stored_hash``) while every new code is keyed.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
import time
from pathlib import Path

from pbtools.i18n import N_, Msg

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_CHARS = 9
CODE_BITS = RANDOM_CHARS * math.log2(len(ALPHABET))
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_MOD = len(ALPHABET)  # 31, prime
KEY_FILE = "code-secret.key"


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


def code_key(folder: Path | str) -> bytes:
    """The workspace's secret for code hashes, made the first time (owner-only file ``code-secret.key``). Every
    laptop that takes ballots by code for this workspace needs the same file (copy it with the workspace)."""
    path = Path(folder) / KEY_FILE
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a PostgreSQL workspace's folder may not exist yet
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made before, perhaps a moment ago by another process
        for _ in range(100):
            key = bytes.fromhex(path.read_text(encoding="ascii").strip() or "00")
            if len(key) == 32:
                return key
            time.sleep(0.01)  # the other process is still writing it
        raise ValueError(f"{path} does not hold a key")
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex())
        f.flush()
        os.fsync(f.fileno())
    return key


def code_hash(hearing_id: str, code: str, key: bytes | None = None) -> str:
    """What the ledger keeps instead of the code: keyed with ``key`` (``code_key``), or the old plain hash of codes
    issued before there was a key when ``key`` is None."""
    text = f"{hearing_id}:{normalize(code)}".encode()
    if key is None:
        return hashlib.sha256(text).hexdigest()[:32]
    return hmac.new(key, text, hashlib.sha256).hexdigest()[:32]


def stored_hash(hearing_id: str, code: str, key: bytes, issued: set[str] | frozenset[str]) -> str:
    """The hash ``code`` was issued under: keyed, or the old plain one when only that is among ``issued``."""
    keyed = code_hash(hearing_id, code, key)
    if keyed not in issued:
        plain = code_hash(hearing_id, code)
        if plain in issued:
            return plain
    return keyed
