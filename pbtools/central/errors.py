"""The central server's refusal, apart from the registry so that every module of the central server can raise it."""

from __future__ import annotations

from pbtools.storage.errors import StorageError


class CentralError(StorageError):
    """A request to the central server refused (no such municipality, no access); nothing changed."""
