"""MonitoringApp: the joint monitoring group's screen. The funded projects as a table, a timeline and a cost chart,
filtered by village, status and sector, late items marked; a project's page with its history, photos and acts, and
the forms that record progress and file an act (``project.py``, ``act_form.py``); the report (``files.py``).

Every write goes through ``MonitoringService`` with an ``Actor``: the name typed in "Your name" (kept by this
browser, as the console keeps it) as a member of the monitoring group (behind the hub, in the role the hub gave).
What the service returns is drawn; what it refuses is said in the screen's language, and nothing is stored.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Callable

import ipywidgets as w

from pbtools.central.hub import hub_actor
from pbtools.charts import monitoring as charts
from pbtools.dates import shown_day
from pbtools.fmt import money, number, percent
from pbtools.hearings.model import SECTORS, label
from pbtools.html import render as html_from
from pbtools.i18n import N_
from pbtools.monitoring import MonitoringError, MonitoringService, STATUSES, status_label
from pbtools.monitoring.forms import ANY, filtered, is_late, late_acts
from pbtools.monitoring.places import project_village, village_choices
from pbtools.paths import UnsafeName
from pbtools.roles import MONITOR, Actor, NotAllowed
from pbtools_widgets.base import AppView, block, figure_png, set_options
from pbtools_widgets.monitoring.act_form import ActForm
from pbtools_widgets.monitoring.files import FilesPanel
from pbtools_widgets.monitoring.intake import IntakePanel
from pbtools_widgets.monitoring.project import ProjectPage
from pbtools_widgets.monitoring.responses import ResponseForm
from pbtools_widgets.monitoring.said import NoName
from pbtools_widgets.status_line import StatusLine
from pbtools_widgets.remembered import remember_text

TABS = (N_("Projects"), N_("Timeline"), N_("Costs"), N_("Project"), N_("Report"), N_("Add projects"))


class MonitoringApp(AppView):
    title = N_("Project monitoring")

    def __init__(self, ws=None, lang: str | None = None, today: date | None = None) -> None:
        self._today = today  # a test's fixed day; else the day the screen is drawn
        super().__init__(ws, lang)

    @property
    def today(self) -> date:
        return self._today or date.today()

    def build(self) -> None:
        self.service = MonitoringService(self.ws)
        self.projects, self.acts, self.members = [], [], []
        self.municipality = None  # read with the projects: its villages name theirs in the screen's language
        self.broken: MonitoringError | None = None  # the records do not verify: nothing is shown from them
        self.operator = w.Text(layout=w.Layout(width="22rem"))
        self.operator.add_class("pb-operator")
        self.operator_kept = remember_text(self.operator, "operator")  # the same name as the console's
        self.village, self.status, self.sector = (w.Dropdown(layout=w.Layout(width="20rem")) for _ in range(3))
        for choice, css in ((self.village, "pb-filter-village"), (self.status, "pb-filter-status"), (self.sector, "pb-filter-sector")):
            choice.add_class(css)
            choice.observe(lambda _: self._filling or self.show(), "value")
        self._filling = False
        self.summary = w.HTML()
        self.table = w.HTML(layout=w.Layout(width="100%", min_width="0"))
        self.table.add_class("pb-mon-table-host")
        self.timeline = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
        self.undated = w.HTML()  # the projects the timeline leaves out, and why (they were left out without a word)
        self.undated.add_class("pb-mon-undated")
        self.costs = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
        self.page = ProjectPage(self)
        self.act_form = ActForm(self)
        self.responses = ResponseForm(self)
        self.files = FilesPanel(self)
        self.intake = IntakePanel(self)
        project_box = w.VBox([self.page.box, self.act_form.box, self.responses.box])
        self.tabs = w.Tab(children=[self.table, w.VBox([self.timeline, self.undated]), self.costs, project_box, self.files.box,
                                    self.intake.box])
        self.tabs.observe(lambda _: self.draw_tab(), "selected_index")
        self._drawn: set[str] = set()  # charts drawn for the current projects, filters and language
        self.body = w.VBox([w.HBox([self.operator, self.operator_kept]), w.HBox([self.village, self.status, self.sector]),
                            self.summary, self.tabs])
        self.body.add_class("pb-monitoring")

    # -- who writes
    def actor(self) -> Actor:
        name = self.operator.value.strip()
        if not name:
            raise NoName()
        on_hub = hub_actor()  # behind the central server's hub, in the role the hub gave (the core refuses the rest)
        return Actor(name, on_hub.role if on_hub is not None else MONITOR)

    def attempt(self, write: Callable[[], object], said: StatusLine) -> object | None:
        """Run a write; a refusal (no name, the role, bad input) is shown by ``said`` in the screen's language."""
        try:
            return write()
        except (MonitoringError, NotAllowed, NoName, UnsafeName) as refusal:
            said.fail(refusal)
            return None

    # -- reading and drawing
    def render(self) -> None:
        super().render()
        _ = self._
        self.operator.description = _("Your name")
        self.operator.placeholder = _("member of the monitoring group")
        self.village.description, self.status.description, self.sector.description = _("Village"), _("Status"), _("Sector")
        for i, name in enumerate(TABS):
            self.tabs.set_title(i, _(name))
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the projects, acts and members again (after a write, or a language switch) and draw them."""
        try:
            self.projects, self.acts, self.members = self.service.projects(), self.service.acts(), self.service.members()
            self.municipality = self.ws.municipality()
            self.broken = None
        except MonitoringError as e:
            self.projects, self.acts, self.members, self.broken = [], [], [], e
        self._fill_filters()
        self.show(select)

    def _fill_filters(self) -> None:
        _ = self._
        sectors = [s for s in SECTORS if any(p.sector == s for p in self.projects)]
        self._filling = True
        try:
            set_options(self.village, [(_("All villages"), ANY)] + village_choices(self.projects, self.municipality, self.lang))
            set_options(self.status, [(_("All statuses"), ANY)] + [(status_label(s, self.lang), s) for s in STATUSES])
            set_options(self.sector, [(_("All sectors"), ANY)] + [(label(s, self.lang), s) for s in sectors])
        finally:
            self._filling = False

    @property
    def shown(self) -> list:
        """The projects the filters keep."""
        return filtered(self.projects, self.village.value or ANY, self.status.value or ANY, self.sector.value or ANY,
                        self.municipality)

    def late(self, project) -> bool:
        return is_late(project, self.today)

    def late_items(self, shown: list) -> tuple[list, list]:
        """Of the projects shown: those late, and the acts on them whose response is overdue."""
        ids = {p.id for p in shown}
        return [p for p in shown if self.late(p)], [a for a in late_acts(self.acts, self.today) if a.project_id in ids]

    def show(self, select: str | None = None) -> None:
        self._drawn = set()
        self.summary.value = self.summary_html()
        self.table.value = self.table_html()
        self.page.fill(select)  # and the forms of the project chosen (``project_shown``)
        self.files.render()
        self.intake.render()
        self.draw_tab()

    def summary_html(self) -> str:
        _, lang = self._, self.lang
        if self.broken is not None:
            return html_from("status.html", kind="pb-error", text=self.broken.render(lang), problems=[])
        shown = self.shown
        late, overdue = self.late_items(shown)
        planned = sum((p.planned.total for p in shown), Decimal(0))
        spent = sum((p.actual.total for p in shown), Decimal(0))
        tiles = [dict(label=_("Projects"), value=number(len(shown), lang), css=""),
                 dict(label=_("Completed projects"), value=number(sum(1 for p in shown if p.status == "completed"), lang), css=""),
                 dict(label=_("Spent of planned"), value=f"{money(spent, lang, compact=True)} / {money(planned, lang, compact=True)}", css=""),
                 dict(label=_("Late projects"), value=number(len(late), lang), css="pb-tile-late" if late else ""),
                 dict(label=_("Overdue responses"), value=number(len(overdue), lang), css="pb-tile-late" if overdue else "")]
        return html_from("monitoring/summary.html", tiles=tiles)

    def table_html(self) -> str:
        _, lang = self._, self.lang
        if self.broken is not None:  # said over the tabs; "no projects yet" would be untrue
            return ""
        plan, actual = _("Plan"), _("Actual")
        day = lambda value: shown_day(value, lang, "…")  # noqa: E731
        rows = [dict(id=p.id, title=p.title(lang), status=p.status, status_text=status_label(p.status, lang), late=self.late(p),
                     cells=[project_village(p, self.municipality, lang), label(p.sector, lang), percent(Decimal(p.percent) / 100, lang, 0),
                            [f"{plan}: {money(p.planned.total, lang)}", f"{actual}: {money(p.actual.total, lang) if p.actual.total else '—'}"],
                            [f"{plan}: {day(p.planned_start)} – {day(p.planned_finish)}",
                             f"{actual}: {day(p.actual_start)} – {day(p.actual_finish)}"]])
                for p in self.shown]
        head = [_("Project"), _("Status"), _("Village"), _("Sector"), _("Complete"), _("Costs"), _("Timeline")]
        empty = _("No project matches the filters.") if self.projects else _("No projects under monitoring yet: add them in the «Add projects» tab.")
        late, overdue = self.late_items(self.shown)
        titles = {p.id: p.title(lang) for p in self.projects}
        items = [_("{project}: planned to finish by {date}, {status}, {percent} complete", project=p.title(lang), date=shown_day(p.planned_finish, lang),
                   status=status_label(p.status, lang).lower(), percent=percent(Decimal(p.percent) / 100, lang, 0)) for p in late]
        items += [_("Act {id} ({project}): the municipality's response was due {date}", id=a.id, project=titles.get(a.project_id, a.project_id),
                    date=shown_day(a.response_due, lang)) for a in overdue]
        return html_from("monitoring/projects.html", head=head, rows=rows, empty=empty, late=items, late_heading=_("Late:"))

    def project_shown(self) -> None:
        """The project page shows another project (or the same one again): its forms follow."""
        self.act_form.render()
        self.responses.render()

    def draw_tab(self) -> None:
        """Draw the chart of the open tab only, once per change (a faster screen)."""
        name = ("table", "timeline", "costs", "project", "report", "intake")[self.tabs.selected_index or 0]
        if name == "intake":
            self.intake.fill_hearings()
        if name in self._drawn or name not in ("timeline", "costs"):
            return
        self._drawn.add(name)
        if name == "timeline":
            shown = self.shown
            self.timeline.value = figure_png(charts.timeline_chart(shown, self.today, self.late, self.lang))
            left_out = charts.undated(shown)
            if len(left_out) == len(shown):  # none has dates: the chart itself says so
                left_out = []
            names = "; ".join(f"{p.title(self.lang)} ({project_village(p, self.municipality, self.lang)})" for p in left_out)
            self.undated.value = block(self._("Not on the timeline, having no planned or actual dates: {projects}.", projects=names),
                                       cls="pb-note") if left_out else ""
        else:
            self.costs.value = figure_png(charts.cost_chart(self.shown, self.lang))
