"""The Budget app: choose or upload a budget file, then see it plainly (the citizens' budget)."""

from __future__ import annotations

import html

import ipywidgets as w

from pbtools import fmt
from pbtools.budget.problems import errors
from pbtools.budget.read import read_budget
from pbtools.budget.summary import citizens_budget
from pbtools.charts import budget as charts
from pbtools.i18n import N_
from widgets.base import AppView, figure_png, label_upload, on_upload, saved_upload, set_options

CHARTS = ("sources", "functions", "execution")  # the tabs, in order


def tile(label: str, value: str, css: str = "") -> str:
    return f'<div class="pb-tile {css}"><div class="label">{html.escape(label)}</div><div class="value">{html.escape(value)}</div></div>'


class BudgetApp(AppView):
    title = N_("Citizens' budget")

    def build(self) -> None:
        self.choice = w.Dropdown(layout=w.Layout(width="28rem"))
        self.upload = w.FileUpload(accept=".csv,.xlsx", multiple=False)
        self.status = w.HTML()
        self.tiles = w.HTML()
        self.charts = {name: w.Image(format="png", layout=w.Layout(max_width="100%")) for name in CHARTS}
        self.tabs = w.Tab(children=[self.charts[name] for name in CHARTS])
        self.tabs.observe(lambda _: self.draw_chart(), "selected_index")
        self.body = w.VBox([w.HBox([self.choice, self.upload]), self.status, self.tiles, self.tabs])
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
        self.show_budget()
        self.show_upload_result()

    def _budget_options(self) -> list[tuple[str, int]]:
        return [(f"{year} · {source}", budget_id) for budget_id, year, source, _imported in self.ws.list_budgets()]

    def show_budget(self) -> None:
        _ = self._
        if self.choice.value is None:
            empty = _("No budget yet: upload a CSV or XLSX file.")
            self.tiles.value = f"<p>{html.escape(empty)}</p>"
            return
        budget = self.ws.load_budget(self.choice.value)
        s = citizens_budget(budget, self.ws.municipality())
        lang = self.lang
        cells = [
            tile(_("Revenue {year}", year=s.year), fmt.money(s.revenue, lang), "pb-budget-total"),
            tile(_("Expenditure {year}", year=s.year), fmt.money(s.expenditure, lang)),
        ]
        if s.own_share is not None:
            cells.append(tile(_("Own revenue"), fmt.percent(s.own_share, lang)))
        if s.grant_share is not None:
            cells.append(tile(_("Equalisation grant"), fmt.percent(s.grant_share, lang)))
        if s.spending_per_resident is not None:
            cells.append(tile(_("Spending per resident"), fmt.money(s.spending_per_resident, lang)))
        if s.expenditure_change is not None:
            cells.append(tile(_("Change from {year}", year=s.previous_year), fmt.percent(s.expenditure_change, lang)))
        self.tiles.value = f'<div class="pb-tiles">{"".join(cells)}</div>'
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

    def import_file(self, name: str, content: bytes) -> int | None:
        """Validate the file; store it only when it has no errors. Returns the stored budget's id."""
        with saved_upload(name, content) as path:
            budget, problems = read_budget(path)
        if budget is None or errors(problems):
            self.upload_result = (False, name, problems)
            self.show_upload_result()
            return None
        budget_id = self.ws.save_budget(budget)
        self.upload_result = (True, name, problems)
        self.show_upload_result()
        set_options(self.choice, self._budget_options(), prefer=budget_id)
        return budget_id

    def show_upload_result(self) -> None:
        """The last upload's outcome in the screen's language (kept, so a language switch translates it too)."""
        result = getattr(self, "upload_result", None)
        if result is None:
            return
        _ = self._
        stored, name, problems = result
        items = "".join(f"<li>{html.escape(p.render(self.lang))}</li>" for p in problems)
        listed = f'<ul class="pb-problems">{items}</ul>' if items else ""
        if stored:
            done = _("Imported {name}.", name=name)
            self.status.value = f'<div class="pb-ok">{html.escape(done)}</div>{listed}'
        else:
            refused = _("The file was not imported: nothing changed.")
            self.status.value = f'<div class="pb-error">{html.escape(refused)}</div>{listed}'
