"""Keeps the page's address saying the screen's language (``?lang=ru``), so that a reload, a bookmark or a link
copied from the address bar opens the app in the language chosen with the switch, not the one first asked for."""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  const update = () => {
    const lang = model.get("lang");
    if (!lang) return;
    const url = new URL(window.location.href);
    if (url.searchParams.get("lang") === lang) return;
    url.searchParams.set("lang", lang);
    window.history.replaceState(window.history.state, "", url);
  };
  el.style.display = "none";
  update();
  model.on("change:lang", update);
}
export default { render };
"""


class UrlLang(anywidget.AnyWidget):
    _esm = _ESM
    lang = traitlets.Unicode("").tag(sync=True)
