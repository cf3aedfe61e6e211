"""The page's address and the screen's language kept together (``?lang=ru``).

* The browser tells the kernel the language its address asks for as soon as the app is drawn (``asked``): a
  preheated kernel, built before anyone asked, otherwise learns it only seconds later. The app is hidden until
  the kernel has drawn it again in that language from what is on disk now (``settled``; 6 s at most), so nobody
  sees, or clicks, a screen in the wrong language or one drawn before the page was opened.
* The address follows the language switch, so a reload, a bookmark or a link copied from the address bar opens
  the app in the language chosen, not the one first asked for.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  el.style.display = "none";
  const asked = new URL(window.location.href).searchParams.get("lang") || "";
  let waiting = true;
  const settle = () => { waiting = false; document.body.classList.remove("pb-pending"); };
  document.body.classList.add("pb-pending");
  setTimeout(settle, 6000);  // never leave the page hidden
  model.on("change:settled", settle);
  model.set("asked", asked + "@" + Date.now());  // a new value each time: every page view is answered
  model.save_changes();
  const update = () => {
    const lang = model.get("lang");
    if (waiting && ["ky", "ru", "en"].includes(asked) && lang !== asked) return;  // still switching: keep the address
    if (!lang) return;
    const url = new URL(window.location.href);
    if (url.searchParams.get("lang") === lang) return;
    url.searchParams.set("lang", lang);
    window.history.replaceState(window.history.state, "", url);
  };
  update();
  model.on("change:lang", update);
  model.on("change:settled", update);
}
export default { render };
"""


class UrlLang(anywidget.AnyWidget):
    _esm = _ESM
    lang = traitlets.Unicode("").tag(sync=True)  # the screen's language (kernel -> browser)
    asked = traitlets.Unicode("").tag(sync=True)  # browser -> kernel when drawn: "<the address's ?lang=>@<time>"
    settled = traitlets.Int(0).tag(sync=True)  # kernel -> browser: drawn again for this page, show it
