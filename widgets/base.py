"""What every app shares: the workspace it works on, the language switch, refresh when shown, figures as images."""

from __future__ import annotations

import functools
import io
import os
import struct
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs

import ipywidgets as w

from pbtools.hearings.errors import HearingError
from pbtools.html import render as html_from
from pbtools.i18n import LANG_NAMES, LANGS, plural_translator, translator
from pbtools.paths import file_in
from pbtools.roles import NotAllowed
from pbtools_widgets.url_lang import UrlLang

DEFAULT_LANG = "ky"


def open_app_workspace():
    """The workspace the server was started on (the server passes it to kernels through the environment)."""
    from pbtools.paths import default_workspace
    from pbtools.storage import open_workspace

    return open_workspace(default_workspace(), db_url=os.environ.get("PBTOOLS_DB"))


def requested_lang() -> str | None:
    """The ``?lang=`` of the page's URL, where the kernel was started for the page; a preheated kernel, started
    before anyone asked, hears it from the browser instead (``UrlLang.asked``)."""
    lang = parse_qs(os.environ.get("QUERY_STRING", "")).get("lang", [None])[0]
    return lang if lang in LANGS else None


def block(text: str = "", *, tag: str = "div", cls: str = "", id: str = "", bold: str = "", items=(),
          list_id: str = "", list_cls: str = "", after: str = "") -> str:
    """A block of plain text as HTML (templates/block.html escapes it): the screens' notes, warnings, refusals and
    short lists. An empty ``text`` with nothing else gives an empty string (the block is hidden)."""
    if not (text or bold or items or after):
        return ""
    return html_from("block.html", tag=tag, cls=cls, id=id, bold=bold, text=text, items=list(items),
                     list_id=list_id, list_cls=list_cls, after=after)


def set_options(dropdown: w.Dropdown, options: list[tuple[str, object]], prefer=None, last: bool = False) -> None:
    """Replace a selection's options, keeping ``prefer`` or the current value when still there, else the first
    (or the ``last``) option. Observers of ``value`` fire only if the value really changes."""
    values = [value for _, value in options]
    keep = prefer if prefer in values else dropdown.value if dropdown.value in values else None
    if keep is None and values:
        keep = values[-1] if last else values[0]
    if [tuple(o) for o in dropdown.options] == [tuple(o) for o in options] and dropdown.value == keep:
        return
    dropdown.options = options
    if dropdown.value != keep:
        dropdown.value = keep


def choose(dropdown: w.Dropdown, value) -> bool:
    """Set a selection to ``value`` where it is one of its options (a kept or stored value may no longer be);
    True when it is."""
    if value not in [v for _, v in dropdown.options]:
        return False
    dropdown.value = value
    return True


def label_upload(upload: w.FileUpload, text: str) -> None:
    """Name an upload button. ipywidgets writes the number of files held after its label ("Import (0)"), which
    means nothing here (each file is handled and let go at once): the label is drawn from the button's tooltip by
    the apps' CSS (``.pb-upload``), and the counter is not shown."""
    upload.description, upload.tooltip = "", text
    upload.add_class("pb-upload")


def on_upload(upload: w.FileUpload, handle) -> None:
    """Call ``handle(name, content)`` for each file the user uploads, then clear the upload for the next one."""

    def changed(change) -> None:
        if change["new"]:
            item = change["new"][0]
            handle(item["name"], bytes(item["content"]))
            upload.value = ()

    upload.observe(changed, "value")


def upload_file_name(name: str) -> str:
    """A browser's file name made safe to write in a folder of our own: its last part only (no folder, "/" or
    "\\"), no NUL, never "." or ".." (those name a folder), short enough for any file system, its extension kept."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].replace("\0", "").strip()
    if base in ("", ".", ".."):
        return "upload"
    suffix = Path(base).suffix if len(Path(base).suffix) <= 16 else ""
    stem = base[:len(base) - len(suffix)]
    while len((stem + suffix).encode()) > 200:  # 255 bytes is the usual limit of a name
        stem = stem[:-1]
    return stem + suffix if stem else "upload" + suffix


@contextmanager
def saved_upload(name: str, content: bytes):
    """The uploaded file on disk under its own name (readers go by the extension), removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        path = file_in(folder, upload_file_name(name))
        path.write_bytes(content)
        yield path


def figure_png(fig, dpi: int = 96) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def show_sharp(image: w.Image, fig, css_dpi: int = 72, max_height: int = 560) -> None:
    """``fig`` drawn in ``image`` at twice the pixels it is shown with (sharp on any screen: a 72 dpi picture
    stretched to the tab's width was blurred and taller than a 768 px screen), shown at its own size and no higher
    than ``max_height`` CSS pixels; never wider than its box."""
    png = figure_png(fig, dpi=2 * css_dpi)
    width, height = struct.unpack(">II", png[16:24])  # the PNG header's size, in pixels
    scale = min(1.0, max_height / (height / 2)) if height else 1.0
    image.value = png
    image.layout.width = f"{round(width / 2 * scale)}px"
    image.layout.max_width, image.layout.height, image.layout.align_self = "100%", "auto", "flex-start"


def figure_widget(fig) -> w.Image:
    return w.Image(value=figure_png(fig), format="png", layout=w.Layout(max_width="100%", height="auto"))


def hearing_action(refused=None, needs_hearing: bool = True, after=None):
    """A screen's action on the chosen hearing, its refusals shown in one place: without a hearing chosen
    (``self.store is None``, unless ``needs_hearing`` is False) it does nothing; a ``HearingError`` it raises is shown
    by ``self.fail`` (in the user's language, nothing stored), then ``after(self, *args, **kw)`` runs if given (the
    typed text given back, the focus put back). Either way it returns ``refused``."""

    def wrap(method):
        @functools.wraps(method)
        def run(self, *args, **kw):
            if needs_hearing and self.store is None:
                return refused
            try:
                return method(self, *args, **kw)
            except (HearingError, NotAllowed) as e:  # refused by the hearing's rules, or by the writer's role
                self.fail(e)
                if after is not None:
                    after(self, *args, **kw)
                return refused

        return run

    return wrap


def poll_timer(interval_ms: int, on_tick) -> w.Play:
    """A hidden timer the browser advances, calling ``on_tick`` each ``interval_ms``. The browser starts a Play only
    when ``playing`` turns true while it shows it (one created playing never ticks), so it starts once shown."""
    timer = w.Play(interval=interval_ms, max=10**9, repeat=True, playing=False, layout=w.Layout(display="none"))
    timer._view_count = 0  # ipywidgets counts the views only when this is not None
    timer.observe(lambda change: change["new"] and not timer.playing and setattr(timer, "playing", True), "_view_count")
    timer.observe(lambda _: on_tick(), "value")
    return timer


class AppView:
    """Owns one app's widgets. Subclasses build their widgets in ``build()`` and fill them in ``render()``.

    ``render()`` runs again when the language changes and when the page is first shown: a preheated kernel built
    the view before anyone asked for it, so what it shows (data, language) is refreshed at that moment.
    """

    title = "pbtools"  # a msgid, translated in render
    names_municipality = True  # the heading says whose municipality this is (a hub user may have several)

    def __init__(self, ws=None, lang: str | None = None) -> None:
        self.ws = ws if ws is not None else open_app_workspace()
        # a kernel started for this page knows its address already; a preheated one hears it from the browser
        self.lang = lang or requested_lang() or self.ws.get_setting("lang", DEFAULT_LANG)
        self.zone = self.ws.time_zone()  # stored moments shown in it (pbtools.moments); read again at each render
        self.lang_switch = w.ToggleButtons(
            options=[(LANG_NAMES[code], code) for code in LANGS],
            value=self.lang,
            style={"button_width": "7rem"},
        )
        self.heading = w.HTML()
        self.url_lang = UrlLang(lang=self.lang)
        self.url_lang.observe(self._on_asked, "asked")
        self._drawn_for_page = False
        self.status_lines: list = []  # every ``status_line.StatusLine`` of the app: said again in a new language
        self.build()
        self.view = w.VBox([w.HBox([self.heading, self.lang_switch], layout=w.Layout(justify_content="space-between")), self.body, self.url_lang])
        self.view.add_class("pb-app")
        self.lang_switch.observe(self._on_lang, "value")
        self.view._view_count = 0  # start counting views: the first one tells us the page is open
        self.view.observe(self._on_shown, "_view_count")
        self.render()

    @property
    def _(self):
        return translator(self.lang)

    @property
    def _n(self):
        """``self._n("{n} file", "{n} files", n)``: the form for ``n`` in the app's language."""
        return plural_translator(self.lang)

    def build(self) -> None:
        self.body = w.VBox()

    def render(self) -> None:
        self.zone = self.ws.time_zone()
        municipality = self.ws.municipality() if self.names_municipality else None
        self.heading.value = html_from("title.html", text=self._(self.title), place=municipality.name(self.lang) if municipality else "")

    def _on_lang(self, change) -> None:
        self.lang = change["new"]
        self.url_lang.lang = self.lang
        self.render()
        for line in self.status_lines:  # the open tab's and the others' (a tab not drawn now is not rendered)
            line.render()

    def _on_asked(self, change) -> None:
        """The page is open and says its language: draw it again in that language, then let the browser show it."""
        lang = change["new"].partition("@")[0]
        if lang in LANGS and lang != self.lang:
            self.lang_switch.value = lang  # renders through _on_lang
        elif not self._drawn_for_page:
            self.render()
        self._drawn_for_page = True
        self.url_lang.settled += 1

    def _on_shown(self, change) -> None:
        """The first view of a preheated app: what it drew before anyone opened the page may be old (a hearing
        made since): draw it again from the ledger (the language comes with ``_on_asked``)."""
        if not change["old"] and change["new"] and not self._drawn_for_page:
            self.render()
            self._drawn_for_page = True
