"""The Agenda tab: the options on the agenda, imported from a CSV or XLSX file or added one by one by hand (while
the hearing is a draft), corrected or taken off (a draft: anything; once voting is open: the titles only), and
exported to a file (in the same columns, so an exported agenda can be edited and imported into another hearing)."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from pbtools import fmt
from pbtools.hearings.model import ALL_VILLAGES, DRAFT, OPEN, PROPOSERS, SECTORS, alternatives, label, village_name
from pbtools.html import render as html_from
from pbtools.i18n import LANG_NAMES, LANGS, N_, NMsg
from pbtools_widgets.base import block, choose, hearing_action, label_upload, on_upload, saved_upload, set_options
from pbtools_widgets.console.panel import Panel
from pbtools_widgets.console.reports import download_link
from pbtools_widgets.status_line import Told


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
        # one option by hand: a new one, or the one picked to correct
        style = {"description_width": "10rem"}
        self.f_pick = w.Dropdown(style=style, layout=w.Layout(width="40rem", max_width="100%"))
        self.f_pick.observe(lambda _: self.pick(), "value")
        self.f_number = w.Text(style=style, layout=w.Layout(width="18rem"))
        self.f_titles = {lang: w.Text(style=style, layout=w.Layout(width="40rem")) for lang in LANGS}
        self.f_cost = w.Text(style=style, layout=w.Layout(width="22rem"))
        self.f_village = w.Dropdown(style=style, layout=w.Layout(width="30rem"))
        self.f_sector = w.Dropdown(style=style, layout=w.Layout(width="30rem"))
        self.f_proposer = w.Dropdown(style=style, layout=w.Layout(width="30rem"))
        self.f_add = w.Button(button_style="primary", icon="plus", layout=w.Layout(**auto))
        self.f_add.on_click(lambda _: self.save())
        self.f_remove = w.Button(button_style="danger", icon="trash", layout=w.Layout(**auto))
        self.f_remove.on_click(lambda _: self.remove())
        self.form_title = w.HTML()
        self.f_locked = w.HTML()
        self.form = w.VBox([self.form_title, self.f_locked, self.f_pick, self.f_number, *self.f_titles.values(), self.f_cost, self.f_village,
                            self.f_sector, self.f_proposer, w.HBox([self.f_add, self.f_remove])])
        self.box.children = [w.HBox([self.upload, *self.exports.values()]), self.message, self.link, self.table, self.form]

    def render(self) -> None:
        _, lang = self._, self.app.lang
        label_upload(self.upload, _("Import agenda (CSV, XLSX)"))
        self.exports["csv"].description = _("Export agenda (CSV)")
        self.exports["xlsx"].description = _("Export agenda (XLSX)")
        for button in self.exports.values():
            button.disabled = self.state is None or not self.state.options
        if self.store is None or self.store.id != self._link_for:
            self.link.value = ""
        municipality = self.app.ws.municipality() if self.state is not None else None  # one read for table and form
        self.render_form(municipality)
        if self.state is None:
            self.table.value = ""
            return
        untitled = [o for o in self.state.sorted_options() if not o.titles.get(lang, "").strip()]

        def language(o) -> str:  # shown in another language where this one has no title yet: say which
            if o not in untitled:
                return ""
            other = next(code for code in (*LANGS, *o.titles) if o.titles.get(code, "").strip())
            return LANG_NAMES.get(other, other)

        choices = alternatives(self.state.questions.values())  # tariffs to choose from: no cost of their own
        rows = [{"number": o.number, "title": o.title(lang), "language": language(o),
                 "village": village_name(o.village, municipality, lang), "sector": label(o.sector, lang),
                 "cost": "—" if o.id in choices else fmt.money(o.cost, lang)} for o in self.state.sorted_options()]
        note = _("Options marked with a language have no title in {language} yet: pick one below to add it.", language=LANG_NAMES[lang])
        self.table.value = html_from("console/agenda.html", rows=rows, note=note if untitled else "",
                                     head=("№", _("Option"), _("Village"), _("Sector"), _("Cost")))

    def render_form(self, municipality=None) -> None:
        _, lang = self._, self.app.lang
        status = self.state.status if self.state is not None else None
        draft = status == DRAFT
        self.form.layout.display = None if status in (DRAFT, OPEN) and (draft or self.state.options) else "none"
        self.upload.disabled = not draft
        if status not in (DRAFT, OPEN):
            return
        new = _("Add a new option") if draft else "—"
        set_options(self.f_pick, [(new, ""), *((f"№{o.number} {o.title(lang)}", o.id) for o in self.state.sorted_options())])
        editing = self.state.options.get(self.f_pick.value)
        self.f_pick.description = _("Option")
        if editing is None:
            heading = _("Add an option by hand") if draft else _("Correct an option's title")
        else:
            heading = _("Change option {number}", number=editing.number)
        self.form_title.value = block(heading, tag="h3")
        self.f_number.description, self.f_cost.description = _("Number"), _("Cost, som")
        for code, text in self.f_titles.items():
            text.description = _("Title ({language})", language=LANG_NAMES[code])
            text.disabled = not draft and editing is None
        self.f_village.description, self.f_sector.description = _("Village"), _("Sector")
        self.f_proposer.description = _("Proposed by")
        self.f_add.description = _("Add the option") if editing is None else _("Save the changes")
        self.f_add.icon = "plus" if editing is None else "check"
        self.f_add.layout.display = None if draft or editing is not None else "none"  # open: nothing new to add
        locked = _("Voting is open: only the titles can be corrected. The number, cost and place are on the ballots and in the count.")
        self.f_locked.value = "" if draft else block(locked, cls="pb-note")
        self.f_remove.description = _("Take it off the agenda")
        self.f_remove.layout.display = None if draft and editing is not None else "none"
        for field in (self.f_number, self.f_cost, self.f_village, self.f_sector, self.f_proposer):
            field.disabled = not draft  # once voting is open, number, cost and place are on the ballots and the count
        if draft and editing is None and not self.f_number.value.strip():  # the next free number, until another is typed
            self.f_number.placeholder = str(self.app.service.next_option_number())
        municipality = municipality or self.app.ws.municipality()
        # the hearing's villages (stored by their Kyrgyz names), and the picked option's own even if not among them
        shown = set(self.state.hearing.villages) | ({editing.village} if editing is not None else set())
        villages = [(v.name(lang), v.name("ky")) for v in (municipality.villages if municipality else ())
                    if not self.state.hearing.villages or v.name("ky") in shown]
        set_options(self.f_village, [("—", ""), (_("All villages"), ALL_VILLAGES), *villages])
        set_options(self.f_sector, [(label(c, lang), c) for c in SECTORS], prefer=self.f_sector.value or "other")
        set_options(self.f_proposer, [(label(c, lang), c) for c in PROPOSERS], prefer=self.f_proposer.value or "citizens")

    def pick(self) -> None:
        """Fill the form with the picked option (or empty it for a new one)."""
        option = self.state.options.get(self.f_pick.value) if self.state is not None else None
        self.message.clear()
        if option is None:
            self._clear()
            self.render_form()
            return
        self.f_number.value, self.f_cost.value = str(option.number), format(option.cost, ",f").replace(",", " ")  # read back in any language
        for lang, text in self.f_titles.items():
            text.value = option.titles.get(lang, "")
        self.render_form()  # the village list (it includes the option's own village) first, then its place
        for field, value in ((self.f_village, option.village), (self.f_sector, option.sector), (self.f_proposer, option.proposer)):
            choose(field, value)

    def _clear(self) -> None:
        """An empty form for the next new option: nothing of the last one's village or sector carried over."""
        for text in (self.f_number, self.f_cost, *self.f_titles.values()):
            text.value = ""
        for field, value in ((self.f_village, ""), (self.f_sector, "other"), (self.f_proposer, "citizens")):
            choose(field, value)

    @hearing_action(refused=False)
    def save(self) -> bool:
        """Add the typed option, or store the picked one's changes, through the store's checks; the form is cleared
        only once it is stored."""
        new = self.f_pick.value not in self.state.options
        option = self.app.service.save_option(
            picked=self.f_pick.value, number=self.f_number.value, titles={lang: t.value for lang, t in self.f_titles.items()},
            cost=self.f_cost.value, village=self.f_village.value or "", sector=self.f_sector.value,
            proposer=self.f_proposer.value, actor=self.app.actor)
        if new:
            done = Told(N_("Option {number} added."), number=option.number)
        else:
            done = Told(N_("Option {number} changed."), number=option.number)
        self.f_pick.value = ""
        self._clear()
        self.app.changed()
        self.ok(done)
        return True

    @hearing_action(refused=False)
    def remove(self) -> bool:
        """Take the picked option off the draft agenda (a record of who and when; refused while a question lists it)."""
        if not self.f_pick.value:
            return False
        option = self.app.service.remove_option(self.f_pick.value, actor=self.app.actor)
        self.f_pick.value = ""
        self._clear()
        self.app.changed()
        self.ok(Told(N_("Option {number} taken off the agenda."), number=option.number))
        return True

    @hearing_action(refused=False)
    def import_file(self, name: str, content: bytes) -> bool:
        """Add every option of the file, or none when any row is wrong (each problem names its row and column)."""
        with saved_upload(name, content) as path:
            options = self.app.service.import_agenda(path, actor=self.app.actor)
        self.ok(NMsg("{n} option imported.", "{n} options imported.", len(options)))
        self.app.changed()
        return True

    @hearing_action()
    def export(self, fmt: str) -> Path | None:
        """Write the agenda to the workspace's reports folder and offer it as a download; returns its path."""
        folder = self.app.files_folder()
        path = self.app.service.export_agenda(fmt, folder)
        self.ok(Told(N_("Made: {file}"), file=path.name))
        self.link.value = download_link(path, self._("Download {name}", name=path.name))
        self._link_for = self.store.id
        return path
