"""A screen's status line: what was done (ok), why it was refused (with each problem on a line of its own: a refusal
changed nothing), or a plain sentence. One for every app (monitoring, training, services, the console's panels): what
it says is kept as given, untranslated, and said again in the new language when the user switches (``AppView`` asks
every line of the app): a line in Russian stayed Russian on a Kyrgyz screen."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from pbtools.html import render as html_from
from pbtools.i18n import translator


class Told:
    """A message said on a status line, translated where it is shown: ``Told(N_("Problem {number}: {title}"),
    number=3, title=lambda lang: problem.title(lang))``; a parameter may be a value, a ``Msg``, or a function of
    the language (a name that has a translation of its own)."""

    def __init__(self, msgid: str, **params: Any) -> None:
        self.msgid, self.params = msgid, params

    def render(self, lang: str) -> str:
        def value(v: Any) -> Any:
            if hasattr(v, "render"):
                return v.render(lang)
            return v(lang) if callable(v) else v

        return translator(lang)(self.msgid, **{k: value(v) for k, v in self.params.items()})


def _text(message, lang: str) -> str:
    """``message`` in ``lang``: a ``Told``, a ``Msg`` or a refusal (``render(lang)``), a function of the language, or
    a text already in the screen's language (said again as it is)."""
    if hasattr(message, "render"):
        return message.render(lang)
    return message(lang) if callable(message) else str(message)


def problems_of(refusal, lang: str) -> list[str]:
    """A refusal's problems, one a line: a refused file's with its file, row and column, else each ``Msg``."""
    if hasattr(refusal, "file_problems"):
        return refusal.render(lang).splitlines()
    return [p.render(lang) for p in getattr(refusal, "problems", ())] or [refusal.render(lang)]


class StatusLine(w.HTML):
    """The line itself (an ``HTML`` widget, placed in the screen's layout). ``refusal``: the last refusal said
    (None after anything else), for a screen that answers a kind of refusal (a changed record: show it again)."""

    def __init__(self, app, **kwargs) -> None:
        super().__init__(**kwargs)
        self._app = app
        self._said: tuple[str, Any, tuple | None] | None = None  # (kind, message, the problems under it)
        self._hint: tuple[Any, str] | None = None  # (message, element id): how to go on, under what was said
        self.refusal = None
        getattr(app, "status_lines", []).append(self)  # said again on a language switch

    def ok(self, message) -> None:
        """What was done (``Told``, ``Msg``, a function of the language, or a text in the screen's language)."""
        self._say("pb-ok", message)

    def warn(self, message) -> None:
        """Done, with something to look at (a session like one before it: a double entry?)."""
        self._say("pb-warning", message)

    def fail(self, refusal) -> None:
        """Why ``refusal`` (a core refusal, or anything with ``render(lang)``) was refused."""
        self._say("pb-error", refusal, None)  # None: its own problems, each on a line
        self.refusal = refusal  # (after: saying anything else forgets it)

    def error(self, message, problems=()) -> None:
        """A refusal of the screen's own (nothing to undo, nothing chosen), and the problems under it."""
        self._say("pb-error", message, tuple(problems))

    def say(self, message) -> None:
        """A plain sentence: neither done nor refused (open a sandbox first)."""
        self._say("said", message)

    def hint(self, message, id: str = "") -> None:
        """How to go on, under what was just said (the console's paper refused for its rules: record it as
        spoiled); gone with it when anything else is said."""
        if self._said is not None:
            self._hint = (message, id)
            self.render()

    def clear(self) -> None:
        self._said = self._hint = self.refusal = None
        self.value = ""

    def render(self) -> None:
        """What it said, in the app's language now."""
        if self._said is None:
            return
        kind, message, more = self._said
        lang = self._app.lang
        if kind == "said":
            self.value = html_from("training/said.html", said=[_text(message, lang)], classes="")
            return
        lines = problems_of(message, lang) if more is None else [_text(m, lang) for m in (message, *more)]
        hint = dict(hint=_text(self._hint[0], lang), hint_id=self._hint[1]) if self._hint else {}
        self.value = html_from("status.html", kind=kind, text=lines[0], problems=lines[1:], **hint)

    def _say(self, kind: str, message, more: tuple | None = ()) -> None:
        self._said, self._hint, self.refusal = (kind, message, more), None, None
        self.render()
