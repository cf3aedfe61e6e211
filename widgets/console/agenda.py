"""The Agenda tab: the options on the agenda, imported from a CSV or XLSX file and exported to one (in the same
columns, so an exported agenda can be edited and imported into another hearing)."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w

from pbtools import fmt
from pbtools.hearings.agenda_io import read_agenda, write_agenda
from pbtools.hearings.model import label
from pbtools.hearings.store import HearingError
from pbtools.i18n import N_
from widgets.base import on_upload, saved_upload
from widgets.console.panel import Panel
from widgets.console.reports import download_link


class AgendaPanel(Panel):
    title = N_("Agenda")

    def build(self) -> None:
        self.table = w.HTML()
        self.upload = w.FileUpload(accept=".csv,.xlsx", multiple=False)
        on_upload(self.upload, self.import_file)
        self.exports = {fmt: w.Button(icon="download") for fmt in ("csv", "xlsx")}
        for fmt, button in self.exports.items():
            button.on_click(lambda _, fmt=fmt: self.export(fmt))
        self.link = w.HTML()
        self._link_for = None  # the hearing whose agenda the link carries
        self.box.children = [w.HBox([self.upload, *self.exports.values()]), self.message, self.link, self.table]

    def render(self) -> None:
        _, lang = self._, self.app.lang
        self.upload.description = _("Import agenda (CSV, XLSX)")
        self.exports["csv"].description = _("Export agenda (CSV)")
        self.exports["xlsx"].description = _("Export agenda (XLSX)")
        for button in self.exports.values():
            button.disabled = self.state is None or not self.state.options
        if self.store is None or self.store.id != self._link_for:
            self.link.value = ""
        if self.state is None:
            self.table.value = ""
            return
        rows = "".join(
            f"<tr><td>{o.number}</td><td>{html.escape(o.title(lang))}</td><td>{html.escape(o.village)}</td>"
            f"<td>{html.escape(label(o.sector, lang))}</td><td style='text-align:right'>{html.escape(fmt.money(o.cost, lang))}</td></tr>"
            for o in self.state.sorted_options()
        )
        head = "".join(f"<th>{html.escape(h)}</th>" for h in ("№", _("Option"), _("Village"), _("Sector"), _("Cost")))
        self.table.value = f'<table class="pb-table" id="pb-agenda"><tr>{head}</tr>{rows}</table>'

    def import_file(self, name: str, content: bytes) -> bool:
        """Add every option of the file, or none when any row is wrong (each problem names its row and column)."""
        if self.store is None:
            return False
        with saved_upload(name, content) as path:
            options, problems = read_agenda(path)
        try:
            if problems:
                raise HearingError(problems)
            self.store.add_options(options, actor=self.app.actor)
        except HearingError as e:
            self.fail(e)
            return False
        self.ok(self._("{n} options imported.", n=len(options)))
        self.app.changed()
        return True

    def export(self, fmt: str) -> Path | None:
        """Write the agenda to the workspace's reports folder and offer it as a download; returns its path."""
        if self.store is None:
            return None
        folder = Path(self.app.ws.path) / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        path = write_agenda(list(self.store.refresh().options.values()), folder / f"agenda-{self.store.id}.{fmt}")
        self.ok(self._("Written: {path}", path=str(path)))
        self.link.value = download_link(path, self._("Download {name}", name=path.name))
        self._link_for = self.store.id
        return path
