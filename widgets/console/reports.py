"""The Reports tab: the protocol (Word, PDF) in any of the three languages and the exports (Excel, CSV, Pabulib,
audit), each one button; a progress bar while the file is written, then its path and a download link. On a
central server, also the hand-in of a laptop's audit file (``hand_in.py``).

Files go to the ``reports`` folder of the workspace. The link carries the file itself (a data: address), so the
download works offline and through any proxy in front of Voila.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

import ipywidgets as w

from pbtools.html import render as html_from
from pbtools.i18n import LANG_NAMES, LANGS, N_
from pbtools.reports.errors import ReportError
from pbtools.reports.make import default_path, write_export, write_report
from pbtools.reports.pb import countable_questions
from pbtools_widgets.base import set_options
from pbtools_widgets.console.hand_in import HandInSection
from pbtools_widgets.console.panel import Panel
from pbtools_widgets.progress import ProgressLine
from pbtools_widgets.status_line import Told

MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pb": "text/plain", ".jsonl": "application/jsonl"}


def download_link(path: Path, text: str) -> str:
    mime = MIME.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return html_from("download.html", filename=path.name, mime=mime, data=data, text=text)


class ReportsPanel(Panel):
    title = N_("Reports")

    def build(self) -> None:
        self.report_lang = w.ToggleButtons(options=[(LANG_NAMES[code], code) for code in LANGS], value=self.app.lang,
                                    style={"button_width": "7rem"})
        self.buttons = {fmt: w.Button(layout=w.Layout(width="15rem")) for fmt in ("pdf", "docx", "xlsx", "csv", "pb", "audit")}
        for fmt, button in self.buttons.items():
            button.on_click(lambda _, fmt=fmt: self.write(fmt))
        self.buttons["pdf"].button_style = "primary"
        self.question = w.Dropdown(layout=w.Layout(width="30rem"))
        self.line = ProgressLine(lambda: self.app.lang)
        self.progress, self.step = self.line.bar, self.line.step
        self.result = w.HTML()
        self.result.add_class("pb-report-result")
        self.hand_in = HandInSection(self)  # shown on a central server only
        b = self.buttons
        self.box.children = [
            self.report_lang, w.HBox([b["pdf"], b["docx"]]), w.HBox([b["xlsx"], b["csv"], b["audit"]]),
            w.HBox([self.question, b["pb"]]), self.line.box, self.message, self.result, self.hand_in.box,
        ]

    def render(self) -> None:
        _, app = self._, self.app
        if app.lang != getattr(self, "_screen_lang", None):  # the screen's language changed: reports follow it
            self._screen_lang = self.report_lang.value = app.lang
        self.report_lang.description = self.report_lang.tooltip = _("Language")  # no tooltip: the label's hover said "null"
        labels = {"pdf": _("Protocol (PDF)"), "docx": _("Protocol (Word)"), "xlsx": _("Excel workbook"),
                  "csv": _("CSV tables (zip)"), "pb": _("Pabulib file (.pb)"), "audit": _("Audit file")}
        for fmt, button in self.buttons.items():
            button.description = labels[fmt]
            button.disabled = self.state is None
        st = self.state
        ids = countable_questions(st) if st else []
        set_options(self.question, [(st.questions[q].title(app.lang), q) for q in ids])
        self.question.description = _("Question")
        self.buttons["pb"].disabled = not ids
        self.hand_in.render()

    def _show_step(self, done: int, total: int, message) -> None:
        self.line.show(done, total, message)

    def write(self, fmt: str) -> Path | None:
        """Write one report or export of the current hearing; returns its path (None when refused)."""
        if self.store is None:
            return None
        _, lang = self._, self.report_lang.value or self.app.lang
        question = self.question.value if fmt == "pb" else None
        folder = self.app.files_folder()
        self.result.value = ""
        self.message.clear()
        for button in self.buttons.values():
            button.disabled = True
        try:
            out = default_path(folder, self.store.id, fmt, lang, question)
            if fmt in ("pdf", "docx"):
                write_report(self.app.ws, self.store.id, fmt, lang, out, progress=self._show_step)
            else:
                write_export(self.app.ws, self.store.id, fmt, out, lang, question, progress=self._show_step)
        except ReportError as exc:
            self.fail(exc)
            return None
        finally:
            self.line.hide()
            self.render()
        self.ok(Told(N_("Made: {file}"), file=out.name))  # the link below: the server's path means nothing on a phone or tablet
        self.result.value = download_link(out, _("Download {name}", name=out.name))
        return out
