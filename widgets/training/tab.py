"""What every tab of the Training app shares: the app (its service, language, refusal line), and status lines that
follow a language switch (a message is kept untranslated, ``tell``, and said again in the new language)."""

from __future__ import annotations

from typing import Any

from pbtools.html import render as html_from
from pbtools.i18n import translator
from pbtools_widgets.tab import AppTab

OK, ERROR, SAID = "ok", "error", "said"


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


class Tab(AppTab):
    def said(self, sentences, classes: str = "") -> str:
        return html_from("training/said.html", said=list(sentences), classes=classes)

    def ok(self, text: str) -> str:
        return html_from("status.html", kind="pb-ok", text=text, problems=[])

    def refused(self, error) -> str:
        return html_from("status.html", kind="pb-error", text=error.render(self.lang), problems=[])

    def tell(self, widget, kind: str, message) -> None:
        """Show ``message`` (anything with ``render(lang)``: a ``Told``, a ``Msg``, a refusal) on ``widget`` as an
        outcome (OK), a refusal (ERROR) or a plain sentence (SAID); kept, so that ``retell`` says it again in the
        screen's new language (it stayed Russian on a Kyrgyz screen)."""
        if not hasattr(self, "_told"):
            self._told: dict[int, tuple[Any, str, Any]] = {}
        self._told[id(widget)] = (widget, kind, message)
        widget.value = self._told_html(kind, message)

    def _told_html(self, kind: str, message) -> str:
        if kind == ERROR:
            return self.refused(message)
        text = message.render(self.lang)
        return self.ok(text) if kind == OK else self.said([text])

    def forget(self, widget) -> None:
        """Clear what ``widget`` said (it is not said again)."""
        getattr(self, "_told", {}).pop(id(widget), None)
        widget.value = ""

    def retell(self) -> None:
        """Every status line this tab told, in the current language."""
        for widget, kind, message in getattr(self, "_told", {}).values():
            widget.value = self._told_html(kind, message)
