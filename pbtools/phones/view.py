"""What a voter's phone page needs of a hearing (a snapshot copied out of the store), whether it takes phone ballots
now, and the receipt a voter keeps. No web server and no HTML here: the pages are ``pbtools.server.ballot_page``."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from pbtools.hearings.model import OPEN, Hearing, Option, Question
from pbtools.i18n import translator
from pbtools.phones.mode import CODES, OPEN as OPEN_MODE
from pbtools.phones.form import Form


@dataclass(frozen=True)
class HearingView:
    """What a voter's page needs of a hearing, copied out of the store so pages never see it change midway."""

    id: str
    hearing: Hearing
    status: str
    mode: str
    questions: tuple[Question, ...]
    options: Mapping[str, Option]
    municipality: Any = None  # the workspace's: its and its villages' names in the page's language

    @property
    def budget(self) -> Decimal:
        return self.hearing.budget

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def options_of(self, question: Question) -> list[Option]:
        return sorted((self.options[o] for o in question.options if o in self.options), key=lambda o: o.number)


SUBMISSION_FIELD = "submission"  # each ballot form's own id: sending the same form again gets the same receipt
SUBMISSION_ID = re.compile(r"[A-Za-z0-9_-]{22}")


def new_submission_id() -> str:
    return secrets.token_urlsafe(16)


RECEIPT_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no look-alikes: it is read off a phone


def receipt_text(key: bytes, record_hash: str) -> str:
    """What the voter keeps: eight letters made from the ballot's record with the voters' key (``auth.Access``),
    so they name the record to this server only. The audit file holds every ballot with its hash: a receipt made
    from the hash itself (the record's number and the hash's start, as before) let anyone holding the file see how
    the voter voted, and a vote buyer ask to be shown it."""
    n = int.from_bytes(hmac.new(key, b"receipt\0" + record_hash.encode(), hashlib.sha256).digest()[:8], "big")
    letters = []
    for _ in range(8):  # 31^8: ~40 bits
        n, r = divmod(n, len(RECEIPT_ALPHABET))
        letters.append(RECEIPT_ALPHABET[r])
    return "".join(letters[:4]) + "-" + "".join(letters[4:])


def closed_reason(view: HearingView, lang: str) -> str | None:
    """Why this hearing takes no phone ballots now, or None when it does."""
    _ = translator(lang)
    if view.status != OPEN:
        return _("Voting has not been opened yet") if view.status == "draft" else _("The hearing is closed; nothing can be changed")
    if view.hearing.practice and view.mode != OPEN_MODE:
        # a workshop's participants have no code cards: until the trainer lets phones in (open mode) a code field
        # asked them for what nobody gave them
        return _("The trainer has not opened voting from phones in this practice hearing yet; wait until they do, "
                 "then open this page again.")
    if view.mode not in (CODES, OPEN_MODE):
        return _("Voting from phones is not open at this hearing")
    return None


def submission_id(form: Form) -> str:
    """The form's own id (the ballot page's hidden field), when it looks like one we made."""
    value = (form.get(SUBMISSION_FIELD) or [""])[0]
    return value if SUBMISSION_ID.fullmatch(value) else ""
