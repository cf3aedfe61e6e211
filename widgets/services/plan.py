"""The Improvement plan tab (КЖАП / ПУУ): the chosen service's plan made from its survey's weakest-rated items, its
activities typed (plan cost and who pays, planned dates, responsible, village), followed as monitored projects, and
each activity's progress (status, percent, actual cost and dates) recorded on its project, as the monitoring group
records it. Everything through the core (``ServicesService`` over ``plan_edit``); stored before the screen says so."""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from pbtools.central.hub import app_actor
from pbtools.dates import shown_day
from pbtools.fmt import Percent, money, number, percent
from pbtools.html import render as html_from
from pbtools.i18n import N_, Msg
from pbtools.monitoring.model import STATUSES, status_label
from pbtools.services.places import village_name
from pbtools.services.plan_edit import FIELDS, FUNDER_NAMES, ActivityForm, ProgressForm
from pbtools_widgets.base import block, set_options
from pbtools_widgets.services.tab import Tab
from pbtools_widgets.status_line import Told

SHORT, WIDE = w.Layout(width="20rem"), w.Layout(width="34rem", max_width="100%")


class PlanTab(Tab):
    title = N_("Improvement plan")

    def build(self) -> None:
        self.start = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.start.add_class("pb-svc-plan-start")
        self.start.on_click(lambda _b: self.start_plan())
        self.table = w.HTML()
        self.form_title = w.HTML()
        self.a_title = w.Text(layout=WIDE)
        self.cost, self.paid_by = w.Text(layout=SHORT), w.Dropdown(layout=SHORT)
        self.a_start, self.deadline = w.Text(layout=SHORT), w.Text(layout=SHORT)
        self.responsible, self.village, self.problem = w.Text(layout=WIDE), w.Dropdown(layout=WIDE), w.Dropdown(layout=WIDE)
        self.add = w.Button(layout=w.Layout(width="auto"))
        self.add.add_class("pb-svc-plan-add")
        self.add.on_click(lambda _b: self.add_activity())
        self.follow = w.Button(layout=w.Layout(width="auto"))
        self.follow.add_class("pb-svc-plan-follow")
        self.follow.on_click(lambda _b: self.follow_plan())
        self.progress_title = w.HTML()
        self.activity, self.status_box = w.Dropdown(layout=WIDE), w.Dropdown(layout=SHORT)
        self.percent, self.actual_cost = w.Text(layout=SHORT), w.Text(layout=SHORT)
        self.actual_start, self.actual_finish, self.reason = w.Text(layout=SHORT), w.Text(layout=SHORT), w.Text(layout=WIDE)
        self.save = w.Button(layout=w.Layout(width="auto"))
        self.save.add_class("pb-svc-plan-progress")
        self.save.on_click(lambda _b: self.save_progress())
        self._quiet = False  # drawing: the activity list set from what was just read, nothing read again for it
        self.activity.observe(lambda _c: self._quiet or self._fill_progress(), "value")
        self.progress = w.VBox([self.progress_title, self.activity, w.HBox([self.status_box, self.percent]),
                                w.HBox([self.actual_cost]), w.HBox([self.actual_start, self.actual_finish]), self.reason, self.save])
        self.box = w.VBox([self.start, self.table, self.follow, self.status, self.form_title, self.a_title, w.HBox([self.cost, self.paid_by]),
                           w.HBox([self.a_start, self.deadline]), self.responsible, self.village, self.problem, self.add, self.progress])
        for widget in (self.a_title, self.cost, self.paid_by, self.a_start, self.deadline, self.responsible, self.village, self.problem,
                       self.activity, self.status_box, self.percent, self.actual_cost, self.actual_start, self.actual_finish, self.reason):
            widget.style = {"description_width": "11rem"}

    def render(self) -> None:
        _, lang = self._, self.lang
        self.start.description = _("Make the plan from the survey's weakest-rated items")
        self.follow.description = _("Follow the activities as monitored projects")
        self.form_title.value = block(_("Add an activity"), tag="h3")
        self.progress_title.value = block(_("Progress of an activity"), tag="h3")
        for widget, name in ((self.a_title, "title"), (self.cost, "cost"), (self.paid_by, "paid_by"), (self.a_start, "start"),
                             (self.deadline, "deadline"), (self.village, "village"), (self.problem, "problem"), (self.activity, "activity")):
            widget.description = _(FIELDS[name])
        self.responsible.description = _("Responsible person")
        self.a_start.placeholder, self.deadline.placeholder = shown_day(date(2027, 4, 1), lang), shown_day(date(2027, 9, 30), lang)
        self.add.description, self.save.description = _("Add the activity"), _("Save the progress")
        self.status_box.description, self.percent.description = _("Status"), _("Done, %")
        self.actual_cost.description, self.reason.description = _("Actual cost, som"), _("Reason")
        self.actual_start.description, self.actual_finish.description = _("Actual start"), _("Actual finish")
        set_options(self.paid_by, [(_(name), code) for code, name in FUNDER_NAMES.items()])
        set_options(self.status_box, [(status_label(s, lang), s) for s in STATUSES])
        self.draw()

    def draw(self) -> None:
        _, lang = self._, self.lang
        if self.service_id is None:
            self.table.value, self.box.layout.display = "", "none"
            return
        self.box.layout.display = None
        service, plan, rows = self.service.plan_view(self.service_id)  # one read of each per draw
        municipality = self.service.municipality()
        self.start.layout.display = "none" if plan is not None else None
        set_options(self.village, [("—", "")] + [(village_name(v, municipality, lang), v) for v in service.villages])
        set_options(self.problem, [("—", "")] + [(f"{p.id}: {p.title(lang)}", p.id) for p in (plan.problems if plan else ())])
        self.follow.layout.display = None if any(f.project is None for f in rows) else "none"
        followed = [(f"{f.activity.id}: {f.activity.title(lang)}", f.activity.id) for f in rows if f.project is not None]
        self._quiet = True
        try:
            set_options(self.activity, followed)
        finally:
            self._quiet = False
        self.progress.layout.display = None if followed else "none"
        self.table.value = html_from("services/plan.html", **self._table(plan, rows, municipality)) if plan else block(
            _("Service {id} has no improvement plan yet", id=self.service_id), cls="pb-note")
        self._fill_progress(rows)

    def _table(self, plan, rows, municipality) -> dict:
        _, lang = self._, self.lang
        day = lambda value: shown_day(value, lang, "…")  # noqa: E731
        activities = []
        for f in rows:
            a, p = f.activity, f.project
            activities.append({
                "id": a.id, "title": a.title(lang), "cost": money(a.cost, lang),
                "paid_by": ", ".join(Msg(FUNDER_NAMES[k]).render(lang) for k in a.funding if k in FUNDER_NAMES),
                "dates": f"{day(a.start)} – {day(a.deadline)}", "responsible": a.responsible or "—",
                "village": village_name(a.village, municipality, lang) if a.village else "—", "problem": a.problem or "—",
                "state": _("not followed yet") if p is None else f"{status_label(p.status, lang)}, {percent(p.percent / 100, lang, 0)}",
                "actual": "—" if p is None or not p.actual.total else money(p.actual.total, lang),
                "actual_dates": "—" if p is None or not (p.actual_start or p.actual_finish) else f"{day(p.actual_start)} – {day(p.actual_finish)}"})
        return {"problems": [{"id": p.id, "title": p.title(lang), "baseline": p.baseline} for p in plan.problems],
                "activities": activities, "total": money(plan.cost, lang),
                "problem_head": _("Problems"), "head": [_("Activity"), _("Plan cost, som"), _("Paid by"), _("Planned dates"), _("Responsible person"),
                                                        _("Village"), _("Problem"), _("Status"), _("Actual cost, som"), _("Actual dates")],
                "total_label": _("Total"), "empty": _("No activity yet: add one below.")}

    def _fill_progress(self, rows=None) -> None:
        """The progress form shows the chosen activity's project as it stands (what the form sends is compared with
        it); ``rows``: the plan's activities as the draw just read them (else read now: another activity chosen)."""
        if rows is None:
            rows = self.service.followed(self.service_id) if self.service_id and self.activity.value else []
        f = next((f for f in rows if f.activity.id == self.activity.value and f.project is not None), None)
        if f is None:
            return
        p = f.project
        self.status_box.value = p.status
        self.percent.value = str(p.percent)
        self.actual_cost.value = number(p.actual.total, self.lang) if p.actual.total else ""  # as one types it: «460 000»
        # days as the screen writes them (read back in either form; left as filled in, they are not sent)
        self.actual_start.value, self.actual_finish.value = shown_day(p.actual_start, self.lang, ""), shown_day(p.actual_finish, self.lang, "")
        self.reason.value = ""
        self._shown = self._values()

    def _values(self) -> dict:
        return {"status": self.status_box.value, "percent": self.percent.value, "actual_cost": self.actual_cost.value,
                "actual_start": self.actual_start.value, "actual_finish": self.actual_finish.value}

    def start_plan(self):
        plan = self.act(lambda: self.service.start_plan(self.service_id, app_actor()))
        if plan is not None:
            self.draw()
            self.ok(Told(N_("Plan made with {n} problems from the survey."), n=len(plan.problems)))
        return plan

    def add_activity(self):
        form = ActivityForm(self.a_title.value, self.cost.value, self.paid_by.value or "", self.a_start.value, self.deadline.value,
                            self.responsible.value, self.village.value or "", self.problem.value or "", self.lang)
        activity = self.act(lambda: self.service.add_activity(self.service_id, form, app_actor()))
        if activity is None:
            return None
        for box in (self.a_title, self.cost, self.a_start, self.deadline, self.responsible):
            box.value = ""
        self.draw()
        self.ok(Told(N_("Activity {id} added to the plan: {title}."), id=activity.id, title=activity.title))
        return activity

    def follow_plan(self):
        made = self.act(lambda: self.service.follow_plan(self.service_id, app_actor()))
        if made is not None:
            self.draw()
            self.ok(Told(N_("Activities now followed as monitored projects: {n}"), n=len(made)))
        return made

    def save_progress(self):
        if self.activity.value is None:
            return None
        # only what was changed here is sent: a status another member set meanwhile is not put back
        shown = getattr(self, "_shown", {})
        changed = {k: v for k, v in self._values().items() if shown.get(k) != v}
        form = ProgressForm(changed.get("status", ""), changed.get("percent", ""), changed.get("actual_cost", ""),
                            changed.get("actual_start", ""), changed.get("actual_finish", ""), self.reason.value)
        activity = self.activity.value
        project = self.act(lambda: self.service.record_progress(self.service_id, activity, form, app_actor()))
        if project is None:
            return None
        self.draw()
        self.ok(Told(N_("Saved: {activity}, {status}, {percent}."), activity=activity, status=lambda lang: status_label(project.status, lang),
                       percent=Percent(project.percent / 100)))
        return project
