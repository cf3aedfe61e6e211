"""The practice console (``notebooks/practice_console.ipynb?sandbox=NAME``): the hearing console opened on a training
sandbox, so a trainer types paper ballots and show-of-hands counts into its mock hearing and sets the costs of the
draft hearing the needs assessment made (trial s28 H1). The rules are the core's (``pbtools.training.practice``);
a sandbox it cannot open is said, with the way back to the Training app, and nothing is opened."""

from __future__ import annotations

import os
from urllib.parse import parse_qs

import ipywidgets as w

from pbtools.central.hub import hub_actor
from pbtools.html import render as html_from
from pbtools.i18n import N_, Msg, translator
from pbtools.roles import LOCAL, NotAllowed
from pbtools.storage import open_workspace
from pbtools.training.errors import SandboxError
from pbtools.training.practice import GONE, in_place, practice_sandbox, require_in_place, training_link
from pbtools_widgets.base import DEFAULT_LANG, block, requested_lang
from pbtools_widgets.console.app import DEFAULT_ACTOR, ConsoleApp

TITLE = N_("Practice console of sandbox «{name}»")
NOT_REAL = N_("Practice: everything typed here goes into the sandbox «{name}» only, never into the municipality's "
              "real hearings.")
OPEN_IT = N_("Open or create the sandbox in the Training app first, then follow its link to the console.")
BACK = N_("Open the Training app")


def requested_sandbox() -> str | None:
    """The ``?sandbox=`` of the page's address (the kernel is started for the page: ``requested_lang``)."""
    return parse_qs(os.environ.get("QUERY_STRING", "")).get("sandbox", [None])[0]


class PracticeConsoleApp(ConsoleApp):
    names_municipality = False  # the sandbox's municipality is the sample's: the heading names the sandbox instead

    def __init__(self, sandbox, lang: str | None = None) -> None:
        self.sandbox = sandbox
        super().__init__(open_workspace(sandbox.path, create=False), lang)

    def build(self) -> None:
        super().build()
        self._gone = False  # the sandbox's database was not at its place at the last tick
        self.practice_note = w.HTML()
        self.body.children = (self.practice_note, *self.body.children)
        hand_in = self.panels["reports"].hand_in  # laptops hand their hearings in to the municipality, not a sandbox
        hand_in.actor, hand_in.box.layout.display = None, "none"

    def render(self) -> None:
        super().render()
        _ = self._
        self.heading.value = html_from("title.html", text=_(TITLE, name=self.sandbox.name), place="")
        self.practice_note.value = block(_(NOT_REAL, name=self.sandbox.name), tag="p", cls="pb-warning",
                                         id="pb-practice-note")

    @property
    def actor(self) -> str:
        """The name typed here, as on a hall laptop: the page is open only to who may change sandboxes (a hearing
        write in a sandbox needs that right, not HEARING), so a trainer types ballots as a clerk would."""
        require_in_place(self.sandbox)  # every write asks who writes first: none goes into a removed sandbox
        return self.operator.value.strip() or DEFAULT_ACTOR

    def poll(self) -> None:
        """Each tick: a sandbox removed in the Training app takes its console away, said, so that nothing is typed
        into a database that is gone; back as soon as a sandbox is in place again (a reset swaps folders)."""
        gone = not in_place(self.sandbox)
        if gone != self._gone:
            self._gone = gone
            self.tabs.layout.display = "none" if gone else None
            if gone:
                self.notice.fail(SandboxError(Msg(GONE, name=self.sandbox.name)))
            else:
                self.notice.clear()
                self.changed()
        if not gone:
            super().poll()

    def vote_urls(self, urls):
        """Phones vote in a sandbox's hearing under /practice/<sandbox>/ (served into the sandbox's database)."""
        return urls.practice(self.sandbox.name)


class NoPracticeConsole:
    """The page when no sandbox can be opened: why, and the way to the Training app; no workspace is opened."""

    def __init__(self, refusal, lang: str) -> None:
        _ = translator(lang)
        self.lang = lang
        self.message = w.HTML(block(refusal.render(lang), tag="p", cls="pb-error", id="pb-practice-refused")
                              + block(_(OPEN_IT), tag="p", cls="pb-note")
                              + html_from("training/link.html", id="pb-practice-back", href=training_link(lang),
                                          text=_(BACK), classes="", new_tab=False))
        self.view = w.VBox([w.HTML(html_from("title.html", text=_("Practice console"), place="")), self.message])
        self.view.add_class("pb-app")


def practice_console(name: str | None = None, lang: str | None = None, root=None, actor=None):
    """The practice console of sandbox ``name`` (else the page's ``?sandbox=``) for ``actor`` (else the hub's user,
    else the laptop's): a ``PracticeConsoleApp``, or the ``NoPracticeConsole`` page saying why not."""
    name = name if name is not None else requested_sandbox()
    lang = lang or requested_lang() or DEFAULT_LANG
    try:
        sandbox = practice_sandbox(name, actor or hub_actor() or LOCAL, root)
    except (SandboxError, NotAllowed) as refused:
        return NoPracticeConsole(refused, lang)
    return PracticeConsoleApp(sandbox, lang)
