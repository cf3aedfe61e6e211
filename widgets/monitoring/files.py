"""The Report tab of the Monitoring app: the monitoring report of a period (PDF, Word, Excel) for the assembly and
the council, and any monitoring act printed with places to sign (PDF, Word), in the language chosen. Files go to the
workspace's ``reports`` folder; the link carries the file itself (a data: address), so the download works offline."""

from __future__ import annotations

import base64
from functools import lru_cache
import mimetypes
from pathlib import Path

import ipywidgets as w

from pbtools.dates import shown_day
from pbtools.html import render as html_from
from pbtools.i18n import LANG_NAMES, LANGS, N_, translator
from pbtools.monitoring.forms import read_period
from pbtools.monitoring.errors import InvalidValue
from pbtools.monitoring.period_files import write_act, write_monitoring_report
from pbtools.paths import UnsafeName, file_in, reports_folder
from pbtools.reports.errors import ReportError
from pbtools_widgets.base import set_options
from pbtools_widgets.status_line import StatusLine

MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".pdf": "application/pdf"}


def download_html(path: Path, text: str, link: str) -> str:
    """The file as a download link (its bytes in the page). The screens say it again at every redraw: the file is
    read and encoded again only when it changed (and the same text, set again, sends nothing to the browser)."""
    st = path.stat()
    return _download_html(str(path), st.st_mtime_ns, st.st_size, text, link)


@lru_cache(maxsize=4)
def _download_html(path: str, mtime_ns: int, size: int, text: str, link: str) -> str:
    file = Path(path)
    mime = MIME.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return html_from("monitoring/download.html", text=text, file_name=file.name, mime=mime, link=link,
                     data=base64.b64encode(file.read_bytes()).decode("ascii"))


class FilesPanel:
    def __init__(self, app) -> None:
        self.app = app
        self.lang = w.ToggleButtons(options=[(LANG_NAMES[c], c) for c in LANGS], value=app.lang, style={"button_width": "7rem"})
        self.start, self.end = w.Text(layout=w.Layout(width="22rem")), w.Text(layout=w.Layout(width="22rem"))
        self.start.add_class("pb-report-from")
        self.end.add_class("pb-report-to")
        self.report = {fmt: w.Button() for fmt in ("pdf", "docx", "xlsx")}
        for fmt, button in self.report.items():
            button.add_class(f"pb-report-{fmt}")
            button.on_click(lambda _, fmt=fmt: self.write_report(fmt))
        self.report["pdf"].button_style = "primary"
        self.act = w.Dropdown(layout=w.Layout(width="40rem"))
        self.act.add_class("pb-print-act-choice")
        self.print = {fmt: w.Button() for fmt in ("pdf", "docx")}
        for fmt, button in self.print.items():
            button.add_class(f"pb-print-act-{fmt}")
            button.on_click(lambda _, fmt=fmt: self.write_act(fmt))
        self.headings = [w.HTML(), w.HTML()]
        self.said = StatusLine(app)
        self.result = w.HTML()
        self.result.add_class("pb-report-result")
        self._written_file: tuple[Path, str] | None = None  # (file, link text id): drawn again in a new language
        self.box = w.VBox([self.lang, self.headings[0], w.HBox([self.start, self.end]), w.HBox(list(self.report.values())),
                           self.headings[1], w.HBox([self.act, *self.print.values()]), self.said, self.result])

    def render(self) -> None:
        app = self.app
        _ = app._
        if app.lang != getattr(self, "_screen_lang", None):  # the screen's language changed: the files follow it
            self._screen_lang = self.lang.value = app.lang
        self.lang.description = _("Language")
        self.headings[0].value = html_from("monitoring/heading.html", text=_("Monitoring report for the assembly and the council"))
        self.headings[1].value = html_from("monitoring/heading.html", text=_("A monitoring act to print and sign"))
        self.start.description, self.end.description = _("From"), _("To")
        self.start.placeholder = self.end.placeholder = _("date, or empty")
        for fmt, text in (("pdf", _("Report (PDF)")), ("docx", _("Report (Word)")), ("xlsx", _("Report (Excel)"))):
            self.report[fmt].description = text
        for fmt, text in (("pdf", _("Act (PDF)")), ("docx", _("Act (Word)"))):
            self.print[fmt].description = text
            self.print[fmt].disabled = not app.acts
        titles = {p.id: p.title(app.lang) for p in app.projects}
        # a corrected act says so: printing it for signatures by mistake would sign what the group took back
        notes = {a.id: " · " + _("corrected by act {id}", id=a.corrected_by) for a in app.acts if a.corrected}
        set_options(self.act, [(f"{a.id} · {shown_day(a.date, app.lang)} · {titles.get(a.project_id, a.project_id)}{notes.get(a.id, '')}", a.id)
                               for a in app.acts], last=True)
        self.act.description = _("Act")
        self._show_written()

    def folder(self) -> Path:
        return reports_folder(self.app.ws.path)

    def write_report(self, fmt: str) -> Path | None:
        lang = self.lang.value or self.app.lang

        def write():
            start, end = read_period(self.start.value, self.end.value)
            span = f"-{start or ''}-{end or ''}" if start or end else ""
            return write_monitoring_report(self.app.ws, fmt, lang, file_in(self.folder(), f"monitoring-report{span}-{lang}.{fmt}"), start, end)

        return self._written(write, N_("Download the report"))

    def write_act(self, fmt: str) -> Path | None:
        act_id, lang = self.act.value, self.lang.value or self.app.lang
        if act_id is None:
            return None
        return self._written(lambda: write_act(self.app.ws, act_id, fmt, lang, file_in(self.folder(), f"act-{act_id}-{lang}.{fmt}")),
                             N_("Download the act"))

    def _written(self, write, link: str) -> Path | None:
        self.result.value = ""
        self._written_file = None
        try:
            out = write()
        except (ReportError, InvalidValue, UnsafeName) as refusal:
            self.said.fail(refusal)
            return None
        self.said.clear()
        self._written_file = (out, link)
        self._show_written()
        return out

    def _show_written(self) -> None:
        """The file just written and its link, in the screen's language (a language switch says it again)."""
        if self._written_file is None:
            return
        out, link = self._written_file
        if not out.is_file():  # removed from the reports folder since: nothing to download any more
            self._written_file, self.result.value = None, ""
            return
        _ = translator(self.app.lang)
        self.result.value = download_html(out, _("Made: {file}", file=out.name), _(link))  # never the server's path
