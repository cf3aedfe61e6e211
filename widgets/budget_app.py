"""The Budget app: choose or upload a budget file, then see it plainly (the citizens' budget).

An uploaded file is not stored at once: the app shows what it read (lines and totals by kind, the year and unit it
took and where from, what each column holds) and asks for what the file does not say (the year, som or thousand som,
which column is which). Only "Store this budget" stores it."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import ipywidgets as w

from pbtools import fmt
from pbtools.budget.headers import CODE, EXECUTED, FORECAST, GROUP, IGNORE, NAME, PLAN, SIDE
from pbtools.budget.layout import ASSUMED, GIVEN, HEADER, STATED, TITLE
from pbtools.budget.model import EXPENDITURE, REVENUE
from pbtools.budget.service import BudgetService
from pbtools.central.hub import app_actor
from pbtools.charts import budget as charts
from pbtools.html import render as html_from
from pbtools.i18n import N_
from pbtools.roles import NotAllowed
from pbtools.storage.budgets import BudgetAlreadyStored
from pbtools.storage.errors import StorageError
from pbtools_widgets.base import AppView, figure_png, label_upload, on_upload, saved_upload, set_options

CHARTS = ("sources", "functions", "execution")  # the tabs, in order
UNITS = {"som": 1, "thousand": 1000}
ROLE_NAMES = {  # what a column can hold, as the user chooses it
    CODE: N_("code"), NAME: N_("name"), SIDE: N_("kind (revenue or expenditure)"), GROUP: N_("group or function"),
    PLAN: N_("plan"), FORECAST: N_("forecast"), EXECUTED: N_("execution"), IGNORE: N_("not read"),
}
YEAR_SOURCES = {HEADER: N_("from the column headers"), TITLE: N_("from the title above the table"), GIVEN: N_("as you chose")}
UNIT_SOURCES = {STATED: N_("stated in the file"), GIVEN: N_("as you chose"), ASSUMED: N_("not stated in the file: choose it below")}




class BudgetApp(AppView):
    title = N_("Citizens' budget")

    def build(self) -> None:
        self.service = BudgetService(self.ws)
        self.choice = w.Dropdown(layout=w.Layout(width="28rem"))
        self.upload = w.FileUpload(accept=".csv,.xlsx,.xls,.txt", multiple=False)
        self.status = w.HTML()
        self.tiles = w.HTML()
        self.charts = {name: w.Image(format="png", layout=w.Layout(max_width="100%")) for name in CHARTS}
        self.tabs = w.Tab(children=[self.charts[name] for name in CHARTS])
        self.tabs.observe(lambda _: self.draw_chart(), "selected_index")
        # the preview of an uploaded file, and the questions for what the file does not say
        self.pending: tuple[str, bytes] | None = None
        self.inspection = self.previewed = None
        self.preview = w.HTML()
        this_year = date.today().year
        self.ask_year = w.Dropdown(options=[("—", None)] + [(str(y), y) for y in range(this_year - 6, this_year + 4)], value=None)
        self.ask_year.add_class("pb-ask-year")
        self.ask_unit = w.Dropdown(value=None, options=[("—", None)])
        self.ask_unit.add_class("pb-ask-unit")
        self.ask_columns = w.VBox()
        self.column_choices: list[w.Dropdown] = []
        self.store_button = w.Button(button_style="success", disabled=True)
        self.store_button.add_class("pb-store-budget")
        self.cancel_button = w.Button()
        self.store_button.on_click(lambda _: self.store())
        self.cancel_button.on_click(lambda _: self.cancel())
        self.asking = w.VBox([self.preview, w.HBox([self.ask_year, self.ask_unit]), self.ask_columns,
                              w.HBox([self.store_button, self.cancel_button])], layout=w.Layout(display="none"))
        self.asking.add_class("pb-asking")
        for choice in (self.ask_year, self.ask_unit):
            choice.observe(lambda _: self.inspect(), "value")
        self.body = w.VBox([w.HBox([self.choice, self.upload]), self.status, self.asking, self.tiles, self.tabs])
        self.choice.observe(lambda _: self.show_budget(), "value")
        on_upload(self.upload, self.import_file)

    def render(self) -> None:
        super().render()
        _ = self._
        label_upload(self.upload, _("Upload a budget file"))
        self.choice.description = _("Budget")
        for i, title in enumerate((_("Revenue by source"), _("Spending by function"), _("Plan and actual"))):
            self.tabs.set_title(i, title)
        set_options(self.choice, self._budget_options(), last=True)
        self.ask_year.description = _("Year")
        set_options(self.ask_unit, [("—", None), (_("som"), "som"), (_("thousand som"), "thousand")])
        self.ask_unit.description = _("Unit")
        self.store_button.description = _("Store this budget")
        self.cancel_button.description = _("Cancel")
        self.show_budget()
        self.show_upload_result()
        self.show_preview()

    def _budget_options(self) -> list[tuple[str, int]]:
        # the number first: "already stored (number 2)" must point at one entry of this list
        return [(b.label, b.id) for b in self.service.budgets()]

    def show_budget(self) -> None:
        _ = self._
        if self.choice.value is None:
            empty = _("No budget yet: upload a CSV or XLSX file.")
            self.tiles.value = html_from("budget/tiles.html", tiles=[], empty=empty)
            return
        s = self.service.citizens_budget(self.choice.value)
        lang = self.lang
        cells = [
            (_("Revenue {year}", year=s.year), fmt.money(s.revenue, lang), "pb-budget-total"),
            (_("Expenditure {year}", year=s.year), fmt.money(s.expenditure, lang), ""),
        ]
        if s.own_share is not None:
            cells.append((_("Own revenue"), fmt.percent(s.own_share, lang), ""))
        if s.grant_share is not None:
            cells.append((_("Equalisation grant"), fmt.percent(s.grant_share, lang), ""))
        if s.spending_per_resident is not None:
            cells.append((_("Spending per resident"), fmt.money(s.spending_per_resident, lang), "pb-per-resident"))
        if s.expenditure_change is not None:
            cells.append((_("Change from {year}", year=s.previous_year), fmt.percent(s.expenditure_change, lang), ""))
        self.tiles.value = html_from("budget/tiles.html", tiles=cells, empty="")
        self.summary = s
        for image in self.charts.values():
            image.value = b""
        self.draw_chart()

    def draw_chart(self) -> None:
        """Draw only the chart of the open tab: the others are drawn when opened (a faster first paint)."""
        s, lang = getattr(self, "summary", None), self.lang
        name = CHARTS[self.tabs.selected_index or 0]
        if s is None or self.charts[name].value:
            return
        draw = {"sources": charts.revenue_by_source, "functions": charts.spending_by_function, "execution": charts.plan_vs_actual}[name]
        if name != "execution" or s.plan_vs_actual:
            self.charts[name].value = figure_png(draw(s, lang))

    # -- an uploaded file: preview, questions, then store

    def import_file(self, name: str, content: bytes) -> None:
        """Read an uploaded file and show what was read; nothing is stored until ``store()``."""
        self.pending = (name, content)
        self.upload_result = None
        self.status.value = ""
        with self.hold_questions():
            self.ask_year.value = None
            self.ask_unit.value = None
            self.column_choices = []
        self.inspect()

    @contextmanager
    def hold_questions(self):
        """Set several answers (or relabel them) without re-reading the file after each."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    def roles(self) -> dict[int, str] | None:
        """The columns' roles as the user set them, or None when the user changed none."""
        if not self.column_choices or not any(c.value != c.pb_read for c in self.column_choices):
            return None
        return {c.pb_index: c.value for c in self.column_choices}

    def inspect(self) -> None:
        if self.pending is None or getattr(self, "_holding", False):
            return
        name, content = self.pending
        unit = UNITS.get(self.ask_unit.value)
        with saved_upload(name, content) as path:
            self.previewed = self.service.preview(path, year=self.ask_year.value, unit=unit, roles=self.roles())
        self.inspection = self.previewed.inspection
        self._column_questions()
        self.show_preview()

    def _column_questions(self) -> None:
        reading = self.inspection.reading
        if reading is None:
            self.column_choices = []
        elif [c.pb_index for c in self.column_choices] != [c.index for c in reading.columns]:
            choices = []
            for column in reading.columns:
                choice = w.Dropdown(value=None, options=[("—", None)], layout=w.Layout(width="36rem"), style={"description_width": "14rem"})
                choice.pb_index, choice.pb_read = column.index, column.role or IGNORE
                choice.add_class(f"pb-column-{column.index}")
                choices.append(choice)
            self.column_choices = choices
            self._label_columns()
            for choice in choices:
                choice.observe(lambda _: self.inspect(), "value")
        self.ask_columns.children = tuple(self.column_choices)

    def _label_columns(self) -> None:
        _ = self._
        reading = self.inspection.reading if self.inspection else None
        headers = {c.index: c.header for c in reading.columns} if reading else {}
        options = [(_(label), role) for role, label in ROLE_NAMES.items()]
        with self.hold_questions():
            for choice in self.column_choices:
                choice.description = f"«{headers.get(choice.pb_index, '')}»"
                set_options(choice, options, prefer=choice.value if choice.value is not None else choice.pb_read)

    def show_preview(self) -> None:
        found = self.inspection
        if self.pending is None or found is None:
            self.asking.layout.display = "none"
            return
        _, lang = self._, self.lang
        self._label_columns()
        name = self.pending[0]
        reading = found.reading
        budget, other = self.previewed.budget, self.previewed.other_place
        place = other.render(lang) if other else None
        needs_unit = reading is not None and reading.unit_source == ASSUMED
        needs_year = "year" in found.needs
        if reading is None:
            year_text = unit_text = ""
        else:
            year_text = (_("Budget year: {year} ({source})", year=reading.year, source=_(YEAR_SOURCES[reading.year_source]))
                         if reading.year is not None else _("Budget year: not found in the file; choose it below."))
            unit_text = _("Unit: {unit} ({source})", unit=_("thousand som") if reading.unit == 1000 else _("million som") if reading.unit == 1000000 else _("som"),
                          source=_(UNIT_SOURCES[reading.unit_source]))
        sides = []
        if budget is not None:
            s = self.previewed.summary()
            for side, label, total, parts in ((REVENUE, _("Revenue"), s.revenue, s.revenue_by_source),
                                              (EXPENDITURE, _("Expenditure"), s.expenditure, s.spending_by_function)):
                sides.append(dict(name=label, lines=sum(1 for l in budget.lines if l.side == side), total=fmt.money(total, lang),
                                  parts=[dict(name=p.name(lang), total=fmt.money(p.amount, lang)) for p in parts]))
        if budget is None:
            verdict, css = _("The file cannot be stored yet: correct the file, or answer the questions below."), "pb-error"
        elif needs_unit:
            verdict, css = _("Choose the unit of the amounts (som or thousand som) before storing."), "pb-error"
        else:
            verdict, css = _("Check the figures above, then store the budget."), "pb-ok"
        self.preview.value = html_from(
            "budget/preview.html",
            heading=_("What was read from {name}:", name=name), year_text=year_text, unit_text=unit_text, sides=sides,
            kind_label=_("Kind"), lines_label=_("Lines"), total_label=_("Plan {year}", year=reading.year if reading and reading.year else ""),
            place=place, problems=[p.render(lang) for p in found.problems], verdict=verdict, verdict_class=css)
        self.ask_year.layout.display = "" if needs_year or self.ask_year.value is not None else "none"
        self.ask_unit.layout.display = "" if reading is not None and reading.unit_source != STATED else "none"
        self.ask_columns.layout.display = "" if reading is not None else "none"
        self.store_button.disabled = budget is None or needs_unit
        self.asking.layout.display = ""

    def store(self) -> int | None:
        """Store the previewed budget (only when it has no error and the questions are answered)."""
        found = self.inspection
        if self.pending is None or found is None or found.budget is None or self.store_button.disabled:
            return None
        name = self.pending[0]
        try:  # one transaction; on disk before the screen says so
            budget_id = self.service.store(self.previewed, app_actor())
        except (StorageError, NotAllowed) as e:  # already stored, the role may not, or the database did not take it
            self.upload_result = ("refused", name, [], e)
            budget_id = None
            # already there: show that budget (the message gives its number), not the one that happened to be open
            shown = e.budget_id if isinstance(e, BudgetAlreadyStored) else self.choice.value
        else:
            self.upload_result = (True, name, found.problems, None)
            shown = budget_id
        self.pending = self.inspection = None
        self.asking.layout.display = "none"
        self.show_upload_result()
        set_options(self.choice, self._budget_options(), prefer=shown)
        return budget_id

    def cancel(self) -> None:
        self.pending = self.inspection = None
        self.asking.layout.display = "none"
        self.status.value = html_from("plain.html", text=self._("The file was not imported: nothing changed."))

    def show_upload_result(self) -> None:
        """The last store's outcome in the screen's language (kept, so a language switch translates it too)."""
        result = getattr(self, "upload_result", None)
        if result is None:
            return
        _ = self._
        stored, name, problems, refusal = result
        if stored == "refused":
            self.status.value = html_from("status.html", kind="pb-error", text=refusal.render(self.lang), problems=[])
        else:
            self.status.value = html_from("status.html", kind="pb-ok", text=_("Imported {name}.", name=name),
                                          problems=[p.render(self.lang) for p in problems])
