"""The page's address and the screen's language kept together (``?lang=ru``).

* The browser tells the kernel the language its address asks for as soon as the app is drawn (``asked``): a
  preheated kernel, built before anyone asked, otherwise learns it only seconds later. Until the screen is in
  that language the app is hidden (6 s at most), so nobody sees, or clicks, a screen in the wrong language.
* The address follows the language switch, so a reload, a bookmark or a link copied from the address bar opens
  the app in the language chosen, not the one first asked for.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  el.style.display = "none";
  const asked = new URL(window.location.href).searchParams.get("lang");
  let waiting = ["ky", "ru", "en"].includes(asked) && model.get("lang") !== asked;
  const settle = () => { waiting = false; document.body.classList.remove("pb-lang-pending"); };
  if (waiting) {
    document.body.classList.add("pb-lang-pending");
    setTimeout(settle, 6000);  // never leave the page hidden
    model.set("asked", asked);
    model.save_changes();
  }
  const update = () => {
    const lang = model.get("lang");
    if (waiting) {
      if (lang !== asked) return;  // the kernel is still switching: keep the address as it was asked
      settle();
    }
    if (!lang) return;
    const url = new URL(window.location.href);
    if (url.searchParams.get("lang") === lang) return;
    url.searchParams.set("lang", lang);
    window.history.replaceState(window.history.state, "", url);
  };
  update();
  model.on("change:lang", update);
}
export default { render };
"""


class UrlLang(anywidget.AnyWidget):
    _esm = _ESM
    lang = traitlets.Unicode("").tag(sync=True)  # the screen's language (kernel -> browser)
    asked = traitlets.Unicode("").tag(sync=True)  # the address's ?lang= (browser -> kernel), sent when drawn
