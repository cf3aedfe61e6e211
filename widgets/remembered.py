"""Values the browser keeps for the next visit (its ``localStorage``): who is at this laptop, which election was
open. A reload or a new kernel then starts where the user was instead of at an empty box.

When the widget is drawn the browser sends what it kept (``kept``, "" when nothing); the kernel restores from it,
then says it is ``ready``, and from then on the browser keeps each ``value`` the kernel sets (and the one it has
then: the user may have chosen something while this widget's code was still loading). What the kernel sets
before that, a screen's first default, never overwrites what the user chose last time.
"""

from __future__ import annotations

from typing import Callable

import anywidget
import ipywidgets as w
import traitlets

_ESM = """
function render({ model, el }) {
  const key = "pbtools." + model.get("key");
  el.style.display = "none";
  let kept = "";
  try { kept = window.localStorage.getItem(key) || ""; } catch (e) { return; }  // storage off: nothing to keep
  const keep = () => {
    if (!model.get("ready")) return;
    try { window.localStorage.setItem(key, model.get("value")); } catch (e) {}
  };
  model.on("change:value", keep);
  model.on("change:ready", keep);
  model.set("kept", kept);
  model.save_changes();
}
export default { render };
"""


class Remembered(anywidget.AnyWidget):
    _esm = _ESM
    key = traitlets.Unicode("").tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)  # kernel -> browser: to keep
    kept = traitlets.Unicode(None, allow_none=True).tag(sync=True)  # browser -> kernel: what it had kept, once
    ready = traitlets.Bool(False).tag(sync=True)  # kernel -> browser: restored; keep what comes from now on

    def __init__(self, key: str, restore: Callable[[str], None], **kwargs) -> None:
        super().__init__(key=key, **kwargs)
        self._restore = restore
        self.observe(self._on_kept, "kept")

    def _on_kept(self, change) -> None:
        if change["new"] is not None and not self.ready:
            try:
                if change["new"]:
                    self._restore(change["new"])
            finally:
                self.ready = True


def remember_text(text: w.Text, key: str) -> Remembered:
    """Keep what is typed in ``text``; an empty box gets what was kept last time."""

    def restore(kept: str) -> None:
        if not text.value.strip():
            text.value = kept

    kept = Remembered(key, restore, value=text.value)
    text.observe(lambda change: setattr(kept, "value", change["new"]), "value")
    return kept
