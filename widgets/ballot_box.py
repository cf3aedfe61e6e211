"""The box a clerk types paper ballots into, one line and Enter each.

A plain ``ipywidgets.Text`` is cleared by the kernel after each ballot, and a fast clerk's next keys, typed before
that clear arrives, were wiped or merged into the next ballot (at 30 ms a key: "3 4" stored as "4"). Here the
browser empties the box itself on Enter and sends the line as a message; the kernel never writes into the box,
except to hand a refused line back, and the browser takes that only while the box is still empty.

``value`` is what the box holds as far as the kernel knows: "" after a line is sent, the refused line after a
refusal. ``submit(text)`` is what the browser does on Enter (tests call it); Ctrl+Enter sends the line as "record
this paper as invalid" (``submit(text, invalid=True)``), one keystroke after a paper was refused for its rules.
``disabled``: nothing can be typed (a closed hearing).

Each line sent is answered by the kernel once it is dealt with (stored, or refused on screen). A line still
unanswered after ``LATE_MS`` is shown under the box in red (``unconfirmed``, the screen's words with ``{lines}``): a
line typed while the app stops (the server shutting down) used to vanish with the box emptied and the count unmoved.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "pb-ballot-entry widget-text";
  const input = document.createElement("input");
  input.type = "text";
  input.className = "widget-input";
  input.autocomplete = "off";
  input.setAttribute("aria-label", model.get("label") || "");
  box.appendChild(input);
  const late = document.createElement("div");  // lines the kernel has not answered
  late.className = "pb-error pb-unconfirmed";
  late.setAttribute("role", "alert");
  late.hidden = true;
  box.appendChild(late);
  el.appendChild(box);
  const pending = new Map();  // id -> [text, time sent]
  const view = Math.random().toString(36).slice(2);  // ids of this view: another view of the box answers its own
  let next = 0;
  function showLate() {
    const now = Date.now();
    const lines = [...pending.values()].filter(([, at]) => now - at > LATE_MS).map(([text]) => "«" + text + "»");
    late.hidden = lines.length === 0;
    // (a function: a "$&" the clerk typed is not a replacement pattern)
    late.textContent = lines.length ? (model.get("unconfirmed") || "{lines}").replace("{lines}", () => lines.join(", ")) : "";
  }
  const timer = setInterval(showLate, 500);
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const text = input.value;
    input.value = "";  // at once: the next keys belong to the next ballot
    if (!text.trim()) return;
    const id = view + ":" + ++next;
    pending.set(id, [text, Date.now()]);
    model.send(event.ctrlKey ? { text, id, invalid: true } : { text, id });
  });
  input.disabled = model.get("disabled");
  model.on("change:disabled", () => { input.disabled = model.get("disabled"); });
  model.on("change:label", () => input.setAttribute("aria-label", model.get("label") || ""));
  model.on("msg:custom", (msg) => {
    if (typeof msg.done === "string") { pending.delete(msg.done); showLate(); }
    if (msg.do === "focus") input.focus();
    if (typeof msg.restore === "string" && input.value === "") input.value = msg.restore;
    if (typeof msg.clear === "string" && input.value === msg.clear) input.value = "";
  });
  return () => clearInterval(timer);
}
export default { render };
"""


LATE_MS = 3000  # a ballot is stored in 50-100 ms; a commit behind a burst of phones, well under a second


class BallotBox(anywidget.AnyWidget):
    _esm = _ESM.replace("LATE_MS", str(LATE_MS))
    label = traitlets.Unicode("").tag(sync=True)  # read by screen readers and by browser tests
    value = traitlets.Unicode("")  # not synced: see the module's docstring
    disabled = traitlets.Bool(False).tag(sync=True)
    unconfirmed = traitlets.Unicode("").tag(sync=True)  # "Not yet confirmed as stored: {lines}. ..." (the screen's language)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._on_submit: list = []
        self._on_invalid: list = []
        self.on_msg(self._message)

    def on_submit(self, callback) -> None:
        """``callback(text)`` for each line the clerk sends."""
        self._on_submit.append(callback)

    def on_invalid(self, callback) -> None:
        """``callback(text)`` for each line the clerk sends with Ctrl+Enter (record the paper as invalid)."""
        self._on_invalid.append(callback)

    def submit(self, text: str, invalid: bool = False) -> None:
        self.value = ""
        for callback in self._on_invalid if invalid else self._on_submit:
            callback(text)

    def restore(self, text: str) -> None:
        """Give a refused line back for correction (the browser keeps it only if nothing new was typed)."""
        self.value = text
        self.send({"restore": text})

    def clear(self, text: str) -> None:
        """Empty the box of a refused line now dealt with (only if it still holds that line)."""
        if self.value == text:
            self.value = ""
        self.send({"clear": text})

    def _message(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and isinstance(content.get("text"), str):
            self.submit(content["text"], invalid=content.get("invalid") is True)
            # dealt with: stored, or refused on screen (the text handed back). Not after an error the screen does
            # not handle (it propagates): the line stays named as not confirmed
            if isinstance(content.get("id"), str):
                self.send({"done": content["id"]})
