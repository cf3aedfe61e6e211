"""Phone voting in a training sandbox's practice hearing, served by the same process as the real hearing's pages.

    GET/POST /practice/<sandbox>/vote/<hearing>[/<question>[/receipt/<receipt>.<mac>]]   as /vote/... (``vote.py``)

A sandbox is a workspace of its own (``pbtools.training.sandbox``): its ballots go to its own database, never to the
served workspace's, so a workshop's mock vote cannot mix with the real hearings' records. Only a checked sandbox
of the sandboxes folder (its mark, and the mark's token in its database) is served, and in it only a practice
hearing; every page says it is practice (``ballot_page.page``). The trainer lets phones in from the Training app
(the mock hearing's phone mode, open: one vote per phone); until then a practice hearing takes no phone ballot.

A reset or a restore moves the sandbox's folder while its database is open here: before each look at a hearing
the desk compares the database file at the sandbox's place with the one it opened, and opens the new one.

At most ``MAX_DESKS`` desks (each a worker thread and an open database) are kept: past that, the least recently used
one that no request is using is closed, and opened again when its sandbox is asked for (its receipts and phones'
cookies are signed with the server's voters' key, not the desk's, so they stay good).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import Any

from pbtools.phones.view import HearingView
from pbtools.hearings.records import HEARING_ID_PATTERN
from pbtools.phones.urls import Urls
from pbtools.server.vote import RECEIPT_PATH, BallotDesk, BallotPage, HearingPage, ReceiptPage
from pbtools.storage.engine import SQLITE_FILE, file_id
from pbtools.storage.sandbox_mark import MARKER, NAME, NotASandbox, checked_mark

MAX_DESKS = 32  # desks kept open (each one worker thread and a database): more sandboxes than a workshop votes in at once


def sandboxes_folder() -> Path:
    """The sandboxes folder the Training app's kernels use (they inherit this process's environment)."""
    from pbtools.training.sandbox import sandboxes_root  # here: the training package is not needed to serve votes

    return sandboxes_root()


class PracticeDesk(BallotDesk):
    """A ballot desk on one sandbox's workspace; it serves practice hearings only."""

    THREAD = "practice-ballots"

    def __init__(self, folder: Path, voter_key: bytes) -> None:
        super().__init__(folder, None, voter_key)
        self.name = folder.name
        self._opened: tuple[int, int] | None = None  # the database file the open workspace is
        self.users = 0  # requests holding the desk (``PracticeDesks.get`` .. ``release``): never closed under them

    def _current(self) -> bool:
        """Whether the open workspace is still the sandbox's (a reset or restore moves folders); if it is not, it
        is closed, and the next look opens the one now in place once it passes the sandbox's checks."""
        now = file_id(self.workspace / SQLITE_FILE)
        if self._ws is not None and now == self._opened:
            return True
        if self._ws is not None:
            self._ws.close()
            self._ws, self._stores, self.views = None, {}, {}
        try:
            checked_mark(self.workspace)
        except NotASandbox:
            return False
        self._opened = now
        return True

    def view(self, hearing_id: str, refresh: bool = True) -> HearingView | None:
        if not self._current():
            return None
        view = super().view(hearing_id, refresh)
        if view is None or not view.hearing.practice:
            return None  # a sandbox's real-looking hearing is not served as practice
        return view

    def receipt_mac(self, hearing_id: str, question_id: str, receipt: str) -> str:
        # every sandbox has a hearing mock-2026: a receipt link is good in its own sandbox only
        return super().receipt_mac(f"{self.name}/{hearing_id}", question_id, receipt)

    def idle(self) -> bool:
        """No request holds the desk and no submission waits for its commit (a phone that went away leaves one)."""
        return self.users == 0 and not self._queue and self._flushing is None

    def close(self) -> None:
        """Close the workspace on the desk's own thread, after what is queued there; then the thread ends."""
        def close_workspace() -> None:
            if self._ws is not None:
                self._ws.close()
                self._ws, self._stores, self.views = None, {}, {}
        self._executor.submit(close_workspace)
        self._executor.shutdown(wait=False)


class PracticeDesks:
    """One desk per sandbox asked for, made when asked (and only for a folder with a sandbox's mark); the least
    recently used idle ones past ``MAX_DESKS`` are closed, and made again when asked for."""

    def __init__(self, voter_key: bytes) -> None:
        self.voter_key = voter_key
        self.desks: OrderedDict[Path, PracticeDesk] = OrderedDict()  # least recently asked for first

    def get(self, name: str) -> PracticeDesk | None:
        """The desk of sandbox ``name``, held for the caller until ``release``; None when no folder of that name
        has a sandbox's mark (checked fully on the desk's own thread before anything is read)."""
        if not NAME.fullmatch(name):
            return None
        folder = sandboxes_folder() / name
        if not os.path.isfile(folder / MARKER) or os.path.islink(folder):
            return None
        desk = self.desks.get(folder)
        if desk is None:
            desk = self.desks[folder] = PracticeDesk(folder, self.voter_key)
        self.desks.move_to_end(folder)
        desk.users += 1
        self._close_idle()
        return desk

    def release(self, desk: PracticeDesk) -> None:
        desk.users -= 1
        self._close_idle()

    def _close_idle(self) -> None:
        """Past ``MAX_DESKS``, close the least recently used desks that nobody uses (busy ones wait their turn)."""
        for folder, desk in list(self.desks.items()):
            if len(self.desks) <= MAX_DESKS:
                return
            if desk.idle():
                del self.desks[folder]
                desk.close()


class _Practice:
    """What the practice pages add to the real ones: the sandbox, first in the address, chooses the desk, held
    until the request is finished."""

    def initialize(self, desks: PracticeDesks, urls: Urls) -> None:  # type: ignore[override]
        self.desks, self.urls = desks, urls
        self.held: PracticeDesk | None = None

    def on_finish(self) -> None:
        if self.held is not None:
            self.desks.release(self.held)
            self.held = None
        super().on_finish()  # type: ignore[misc]

    def _enter(self, sandbox: str) -> bool:
        desk = self.desks.get(sandbox)
        if desk is None:
            self.missing(None)  # type: ignore[attr-defined]
            return False
        self.held = desk
        # the pages' addresses are the sandbox's: under the server's base, /practice/<sandbox>/vote/...
        self.desk, self.urls = desk, self.urls.practice(sandbox)
        return True


class PracticeHearingPage(_Practice, HearingPage):
    async def get(self, sandbox: str, hearing_id: str) -> None:  # type: ignore[override]
        if self._enter(sandbox):
            await super().get(hearing_id)


class PracticeBallotPage(_Practice, BallotPage):
    async def get(self, sandbox: str, hearing_id: str, question_id: str) -> None:  # type: ignore[override]
        if self._enter(sandbox):
            await super().get(hearing_id, question_id)

    async def post(self, sandbox: str, hearing_id: str, question_id: str) -> None:  # type: ignore[override]
        if self._enter(sandbox):
            await super().post(hearing_id, question_id)


class PracticeReceiptPage(_Practice, ReceiptPage):
    async def get(self, sandbox: str, hearing_id: str, question_id: str, receipt: str, mac: str) -> None:  # type: ignore[override]
        if self._enter(sandbox):
            await super().get(hearing_id, question_id, receipt, mac)


def handlers(voter_key: bytes, urls: Urls) -> list[Any]:
    kwargs = {"desks": PracticeDesks(voter_key), "urls": urls}
    return [
        (rf"/practice/([^/]+)/vote/({HEARING_ID_PATTERN})/?", PracticeHearingPage, kwargs),
        (rf"/practice/([^/]+)/vote/({HEARING_ID_PATTERN})/([^/]+)", PracticeBallotPage, kwargs),
        (rf"/practice/([^/]+)/vote/({HEARING_ID_PATTERN})/([^/]+)/receipt/{RECEIPT_PATH}", PracticeReceiptPage, kwargs),
    ]
