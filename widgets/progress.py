"""A progress line for anything that takes more than a second (a protocol, an export, the chart files): a bar and
the step being done, hidden when idle. ``show`` fits the ``progress(done, total, message)`` callbacks of the core;
``busy`` is for work whose end is not known in advance (an Add1 count raises the shares until a step overspends):
the bar is full and striped, moving, rather than an empty bar beside a moving text."""

from __future__ import annotations

import ipywidgets as w

from pbtools.html import render as html_from

# Its look while busy (a moving striped bar) is in pbtools/server/static/widgets.css (.pb-busy).


class ProgressLine:
    def __init__(self, lang_of, width: str = "30rem") -> None:
        self._lang_of = lang_of  # the screen's language at the moment of each step
        self.bar = w.IntProgress(value=0, min=0, max=3, layout=w.Layout(width=width, visibility="hidden"))
        self.step = w.HTML()
        self.box = w.HBox([self.bar, self.step])

    def show(self, done: int, total: int, message) -> None:
        # widget updates are sent to the browser at once, so each step shows while the next one runs
        self.bar.layout.visibility = "visible"
        self.bar.remove_class("pb-busy")
        self.bar.max, self.bar.value = total, done
        self.step.value = html_from("plain.html", text=message.render(self._lang_of()))

    def busy(self, message) -> None:
        """Work going on whose end is not known: a full, moving striped bar and what is being done."""
        self.bar.layout.visibility = "visible"
        self.bar.add_class("pb-busy")
        self.bar.max, self.bar.value = 1, 1
        self.step.value = html_from("plain.html", text=message.render(self._lang_of()))

    def hide(self) -> None:
        self.bar.layout.visibility = "hidden"
        self.bar.remove_class("pb-busy")
        self.step.value = ""
