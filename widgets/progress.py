"""A progress line for anything that takes more than a second (a protocol, an export, the chart files): a bar and
the step being done, hidden when idle. ``show`` fits the ``progress(done, total, message)`` callbacks of the core."""

from __future__ import annotations

import html

import ipywidgets as w


class ProgressLine:
    def __init__(self, lang_of, width: str = "30rem") -> None:
        self._lang_of = lang_of  # the screen's language at the moment of each step
        self.bar = w.IntProgress(value=0, min=0, max=3, layout=w.Layout(width=width, visibility="hidden"))
        self.step = w.HTML()
        self.box = w.HBox([self.bar, self.step])

    def show(self, done: int, total: int, message) -> None:
        # widget updates are sent to the browser at once, so each step shows while the next one runs
        self.bar.layout.visibility = "visible"
        self.bar.max, self.bar.value = total, done
        self.step.value = html.escape(message.render(self._lang_of()))

    def hide(self) -> None:
        self.bar.layout.visibility = "hidden"
        self.step.value = ""
