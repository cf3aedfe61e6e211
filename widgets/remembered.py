"""A value the browser keeps for the next visit (its ``localStorage``), such as who is at this laptop: a reload
or a new kernel starts with the name typed last time instead of an empty box."""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  const key = "pbtools." + model.get("key");
  el.style.display = "none";
  let kept = null;
  try { kept = window.localStorage.getItem(key); } catch (e) { return; }  // storage off: nothing to keep
  if (kept && !model.get("value")) {
    model.set("value", kept);
    model.save_changes();
  }
  model.on("change:value", () => {
    try { window.localStorage.setItem(key, model.get("value")); } catch (e) {}
  });
}
export default { render };
"""


class Remembered(anywidget.AnyWidget):
    _esm = _ESM
    key = traitlets.Unicode("").tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)
