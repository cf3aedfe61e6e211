"""What storage refuses, as exceptions carrying a ``Msg`` so a screen can say it in ky, ru or en."""

from __future__ import annotations

from pbtools.i18n import Msg


class StorageError(Exception):
    """Base of every refusal from ``pbtools.storage``; ``message`` says why, in any language."""

    def __init__(self, message: Msg) -> None:
        self.message = message
        super().__init__(message.render("en"))

    def render(self, lang: str) -> str:
        return self.message.render(lang)


class WorkspaceError(StorageError):
    """The workspace cannot be opened (missing, foreign, newer than this pbtools, unreadable)."""


class LedgerError(StorageError):
    """An append was refused; nothing was written."""


class DatabaseUnavailable(LedgerError):
    """The database did not take the record (locked past the busy timeout, connection lost)."""


class KeyTaken(LedgerError):
    """The stream already has a record with this key (e.g. a voting code already used)."""


class StreamSealed(LedgerError):
    """The stream is sealed (e.g. the hearing is closed): nothing can be appended."""


class StreamMoved(LedgerError):
    """The stream has records after the one the write was based on (the check ``head_is``): someone wrote meanwhile."""


class StreamRewound(LedgerError):
    """The record a reader folded up to is no longer the stream's: the stream was replaced by another history (a
    backup restored, a practice sandbox reset or restored) since it was read. The reader folds it again from the
    start (``Ledger.records`` with ``after_hash``)."""


class VoidRefused(LedgerError):
    """``voids`` names no record of the stream, or one that is already voided."""


class BadPayload(LedgerError):
    """The payload is not plain JSON (dict of str, int, float, bool, None, lists and dicts of those)."""
