"""The Agenda tab: the options on the agenda, imported from a CSV or XLSX file or added one by one by hand (while
the hearing is a draft), and exported to a file (in the same columns, so an exported agenda can be edited and
imported into another hearing)."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w

from pbtools import fmt
from pbtools.hearings.agenda_io import option_from_form, read_agenda, write_agenda
from pbtools.hearings.model import ALL_VILLAGES, DRAFT, PROPOSERS, SECTORS, label, village_name
from pbtools.hearings.store import HearingError
from pbtools.i18n import LANG_NAMES, LANGS, N_
from widgets.base import on_upload, saved_upload, set_options
from widgets.console.panel import Panel
from widgets.console.reports import download_link


class AgendaPanel(Panel):
    title = N_("Agenda")

    def build(self) -> None:
        self.table = w.HTML()
        auto = {"width": "max-content", "max_width": "100%"}  # as wide as their labels: the ky and ru ones are long
        self.upload = w.FileUpload(accept=".csv,.xlsx", multiple=False, layout=w.Layout(**auto))
        on_upload(self.upload, self.import_file)
        self.exports = {kind: w.Button(icon="download", layout=w.Layout(**auto)) for kind in ("csv", "xlsx")}
        for kind, button in self.exports.items():
            button.on_click(lambda _, kind=kind: self.export(kind))
        self.link = w.HTML()
        self._link_for = None  # the hearing whose agenda the link carries
        # one option by hand
        style = {"description_width": "10rem"}
        self.f_number = w.Text(style=style, layout=w.Layout(width="18rem"))
        self.f_titles = {lang: w.Text(style=style, layout=w.Layout(width="40rem")) for lang in LANGS}
        self.f_cost = w.Text(style=style, layout=w.Layout(width="22rem"))
        self.f_village = w.Dropdown(style=style, layout=w.Layout(width="30rem"))
        self.f_sector = w.Dropdown(style=style, layout=w.Layout(width="30rem"))
        self.f_proposer = w.Dropdown(style=style, layout=w.Layout(width="30rem"))
        self.f_add = w.Button(button_style="primary", icon="plus", layout=w.Layout(**auto))
        self.f_add.on_click(lambda _: self.add_by_hand())
        self.form_title = w.HTML()
        self.form = w.VBox([self.form_title, self.f_number, *self.f_titles.values(), self.f_cost, self.f_village,
                            self.f_sector, self.f_proposer, self.f_add])
        self.box.children = [w.HBox([self.upload, *self.exports.values()]), self.message, self.link, self.table, self.form]

    def render(self) -> None:
        _, lang = self._, self.app.lang
        self.upload.description = _("Import agenda (CSV, XLSX)")
        self.exports["csv"].description = _("Export agenda (CSV)")
        self.exports["xlsx"].description = _("Export agenda (XLSX)")
        for button in self.exports.values():
            button.disabled = self.state is None or not self.state.options
        if self.store is None or self.store.id != self._link_for:
            self.link.value = ""
        self.render_form()
        if self.state is None:
            self.table.value = ""
            return
        municipality = self.app.ws.municipality()
        rows = "".join(
            f"<tr><td>{o.number}</td><td>{html.escape(o.title(lang))}</td><td>{html.escape(village_name(o.village, municipality, lang))}</td>"
            f"<td>{html.escape(label(o.sector, lang))}</td><td style='text-align:right'>{html.escape(fmt.money(o.cost, lang))}</td></tr>"
            for o in self.state.sorted_options()
        )
        head = "".join(f"<th>{html.escape(h)}</th>" for h in ("№", _("Option"), _("Village"), _("Sector"), _("Cost")))
        self.table.value = f'<table class="pb-table" id="pb-agenda"><tr>{head}</tr>{rows}</table>'

    def render_form(self) -> None:
        _, lang = self._, self.app.lang
        draft = self.state is not None and self.state.status == DRAFT
        self.form.layout.display = None if draft else "none"  # the agenda is fixed once voting is open
        self.upload.disabled = not draft
        if not draft:
            return
        heading = _("Add an option by hand")
        self.form_title.value = f"<h3>{html.escape(heading)}</h3>"
        self.f_number.description, self.f_cost.description = _("Number"), _("Cost, som")
        for code, text in self.f_titles.items():
            text.description = _("Title ({language})", language=LANG_NAMES[code])
        self.f_village.description, self.f_sector.description = _("Village"), _("Sector")
        self.f_proposer.description = _("Proposed by")
        self.f_add.description = _("Add the option")
        if not self.f_number.value.strip():  # the next free number, until the facilitator types another
            self.f_number.placeholder = str(max((o.number for o in self.state.options.values()), default=0) + 1)
        municipality = self.app.ws.municipality()
        villages = [(v.name(lang), v.name("ky")) for v in (municipality.villages if municipality else ())]  # stored as the hearing names them
        set_options(self.f_village, [("—", ""), (_("All villages"), ALL_VILLAGES), *villages])
        set_options(self.f_sector, [(label(c, lang), c) for c in SECTORS], prefer=self.f_sector.value or "other")
        set_options(self.f_proposer, [(label(c, lang), c) for c in PROPOSERS], prefer=self.f_proposer.value or "citizens")

    def add_by_hand(self) -> bool:
        """Store the typed option through the store's checks; the form is cleared only once it is stored."""
        if self.store is None:
            return False
        number = self.f_number.value.strip() or self.f_number.placeholder
        option, problems = option_from_form(number, {lang: t.value for lang, t in self.f_titles.items()},
                                            self.f_cost.value, self.f_village.value or "", self.f_sector.value,
                                            self.f_proposer.value, taken_ids=self.state.options)
        if not self._stored(problems, lambda: self.store.add_option(option, actor=self.app.actor)):
            return False
        for text in (self.f_number, self.f_cost, *self.f_titles.values()):
            text.value = ""
        self.app.changed()
        self.ok(self._("Option {number} added.", number=option.number))
        return True

    def _stored(self, problems: list, store) -> bool:
        """Run ``store`` unless the form or file already has problems; either way a refusal is shown, nothing kept."""
        try:
            if problems:
                raise HearingError(problems)
            store()
        except HearingError as e:
            self.fail(e)
            return False
        return True

    def import_file(self, name: str, content: bytes) -> bool:
        """Add every option of the file, or none when any row is wrong (each problem names its row and column)."""
        if self.store is None:
            return False
        with saved_upload(name, content) as path:
            options, problems = read_agenda(path)
        if not self._stored(problems, lambda: self.store.add_options(options, actor=self.app.actor)):
            return False
        self.ok(self._("{n} options imported.", n=len(options)))
        self.app.changed()
        return True

    def export(self, fmt: str) -> Path | None:
        """Write the agenda to the workspace's reports folder and offer it as a download; returns its path."""
        if self.store is None:
            return None
        folder = self.app.files_folder()
        path = write_agenda(list(self.store.refresh().options.values()), folder / f"agenda-{self.store.id}.{fmt}")
        self.ok(self._("Written: {path}", path=str(path)))
        self.link.value = download_link(path, self._("Download {name}", name=path.name))
        self._link_for = self.store.id
        return path
