"""Invitations: the only way to a hub account. A grant names a person by a user name, and anyone could sign up under
a name that is granted but not taken yet (the attack trial took a ``*`` administrator's name that way). So the hub
makes an account only for someone who types the invitation code the operator was given for that very name
(``pbtools central invite``, or ``grant`` for a name without one): one use, valid for some days, kept as a hash.

The code is 12 letters and digits (60 bits: no guessing over the network, and the sign-ups of an address are
limited besides), written in three groups of four; case, spaces and dashes do not matter when it is typed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update

from pbtools.central.registry import Central, CentralError, invitations
from pbtools.i18n import N_, Msg
from pbtools.roles import ACCESS, Actor
from pbtools.storage.engine import writer

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or copied from paper
LENGTH = 12
DAYS = 7
MAX_NAME = 128  # NativeAuthenticator's column


@dataclass(frozen=True)
class Invitation:
    username: str
    code: str  # shown once, to the operator; only its hash is kept
    expires_at: datetime


def check_username(username: str) -> str:
    """A name the hub keeps as it is: JupyterHub lowercases what is typed at sign-up and login, NativeAuthenticator
    refuses spaces, commas and slashes; a grant under another spelling would never match the account."""
    if not username or len(username) > MAX_NAME or username != username.strip().lower() or re.search(r"[\s,/]", username):
        raise CentralError(Msg(N_("{user} cannot be a hub user name: use small letters, digits and . _ - @, no spaces, "
                                  "commas or slashes"), user=username))
    return username


def _hash(username: str, code: str) -> str:
    return hashlib.sha256(f"pbtools-invitation\0{username}\0{code}".encode()).hexdigest()


def plain_code(typed: str) -> str:
    """The code as issued, from what a person typed (case, spaces and dashes ignored)."""
    return re.sub(r"[\s-]+", "", typed or "").upper()


def issue(central: Central, username: str, by: Actor, days: int = DAYS) -> Invitation:
    """A new invitation for ``username`` (any earlier one of theirs no longer works)."""
    by.require(ACCESS)
    check_username(username)
    if not 1 <= days <= 90:
        raise CentralError(Msg(N_("An invitation is valid for 1 to 90 days, not {days}"), days=days))
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    expires = datetime.now(timezone.utc) + timedelta(days=days)
    with writer(central.engine).begin() as conn:
        conn.execute(invitations.delete().where(invitations.c.username == username))
        conn.execute(invitations.insert().values(username=username, code_hash=_hash(username, code), expires_at=expires))
    return Invitation(username, "-".join(code[i:i + 4] for i in range(0, LENGTH, 4)), expires)


def has_invitation(central: Central, username: str) -> bool:
    """Whether ``username`` was ever invited (used or not): ``grant`` then issues no other code on its own."""
    with central.engine.connect() as conn:
        return conn.execute(select(invitations.c.username).where(invitations.c.username == username)).first() is not None


def valid(central: Central, username: str, typed: str) -> bool:
    """Whether ``typed`` is ``username``'s invitation code, unused and not expired (nothing used up: ``claim`` does)."""
    code = plain_code(typed)
    if len(code) != LENGTH:
        return False
    with central.engine.connect() as conn:
        return conn.execute(select(invitations.c.username).where(
            invitations.c.username == username, invitations.c.code_hash == _hash(username, code),
            invitations.c.used_at.is_(None), invitations.c.expires_at > func.now())).first() is not None


def claim(central: Central, username: str, typed: str) -> bool:
    """Use ``username``'s invitation if ``typed`` is its code, unused and not expired: True once, then never again."""
    code = plain_code(typed)
    if len(code) != LENGTH:
        return False
    with writer(central.engine).begin() as conn:
        found = conn.execute(
            update(invitations).where(invitations.c.username == username, invitations.c.code_hash == _hash(username, code),
                                      invitations.c.used_at.is_(None), invitations.c.expires_at > func.now())
            .values(used_at=func.now()).returning(invitations.c.username)).first()
    return found is not None


def release(central: Central, username: str) -> None:
    """The account could not be made after all (claim succeeded first): the code works again."""
    with writer(central.engine).begin() as conn:
        conn.execute(update(invitations).where(invitations.c.username == username).values(used_at=None))
