"""The practice console: the hearing console opened on a training sandbox, for the paper ballots, show-of-hands
counts and agenda costs a trainer types into the sandbox's hearings (trial s28 H1: only a second server on the
sandbox could).

    sandbox = practice_sandbox("семинар-1", hub_actor() or LOCAL)   # SandboxError / NotAllowed: nothing opened
    practice_link("семинар-1", "ru")      # the Training app's link to it: practice_console.ipynb?sandbox=...&lang=ru

Who may: a write in a sandbox needs the SANDBOX right, not HEARING (``simulate._right``, ``needs.store``), so the
page asks SANDBOX of its user; the console's writes then go in under the name typed there, as on a hall laptop.
The name comes from the page's address: it is only ever a sandbox's name (``check_name``), never a path.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from pbtools.hearings.errors import HearingError
from pbtools.i18n import N_, Msg
from pbtools.roles import SANDBOX, Actor
from pbtools.storage.engine import SQLITE_FILE, file_id
from pbtools.training.errors import SandboxError
from pbtools.training.sandbox import Sandbox, check_name, get_sandbox

NOTEBOOK = "practice_console.ipynb"
TRAINING_NOTEBOOK = "training.ipynb"
NO_NAME = N_("No sandbox is named in the address of this page")
NO_SANDBOX = N_("There is no sandbox «{name}»")
GONE = N_("Sandbox «{name}» was removed in the Training app: nothing can be typed into it any more. Close this tab.")


class SandboxGone(HearingError):
    """The practice console's sandbox is no longer at its place: nothing is written (a write would go into the
    removed database, and be said as stored)."""


def practice_sandbox(name: str | None, actor: Actor, root: Path | str | None = None) -> Sandbox:
    """Sandbox ``name`` for the practice console, once ``actor`` may write in sandboxes (``NotAllowed``) and it is a
    sandbox (``SandboxError``, naming the sandbox but never the folder: the page is on the hall network)."""
    actor.require(SANDBOX)
    if name is None or not name.strip():
        raise SandboxError(Msg(NO_NAME))
    check_name(name)
    try:
        return get_sandbox(name, root)
    except SandboxError:
        raise SandboxError(Msg(NO_SANDBOX, name=name)) from None


def in_place(sandbox: Sandbox) -> bool:
    """Whether the sandbox's database is at its place (not removed; a reset swaps folders in a moment, and the
    database then at the place is the one a console's next write goes to)."""
    return file_id(sandbox.path / SQLITE_FILE) is not None


def require_in_place(sandbox: Sandbox) -> None:
    """``SandboxGone`` unless the sandbox's database is at its place: asked before every write of the practice
    console (its timer, which says so on the screen, may tick once a minute in a tab the browser left behind)."""
    if not in_place(sandbox):
        raise SandboxGone(Msg(GONE, name=sandbox.name))


def practice_link(name: str, lang: str) -> str:
    """The practice console of sandbox ``name`` in ``lang``, relative to the app's own page (so it works under a
    hub's /user/NAME/ prefix too)."""
    return NOTEBOOK + "?" + urlencode({"sandbox": name, "lang": lang})


def training_link(lang: str) -> str:
    """Back to the Training app, in ``lang`` (where a sandbox is opened or created)."""
    return TRAINING_NOTEBOOK + "?" + urlencode({"lang": lang})
