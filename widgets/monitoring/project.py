"""A project's page in the Monitoring app: choose a project, see its facts, photos, acts (late responses marked) and
its whole history (who, when, before and after), and record its progress (status, percent, actual cost, reason)."""

from __future__ import annotations

import base64
from decimal import Decimal

import ipywidgets as w

from pbtools.dates import shown_day
from pbtools.fmt import money, number, percent
from pbtools.hearings.model import label
from pbtools.html import render as html_from
from pbtools.i18n import N_, translator
from pbtools.moments import shown_moment, zone_now
from pbtools.monitoring import STATUSES, CostQuestioned, is_overdue, status_label
from pbtools.monitoring.checks import DATE_FIELDS, FIELD_NAMES
from pbtools.monitoring.errors import NoSuchProject, ProjectReplaced
from pbtools.monitoring.forms import check_photo, read_progress
from pbtools.monitoring.meanwhile import ChangedMeanwhile
from pbtools.monitoring.places import project_village, village_shown
from pbtools.monitoring.records import FILE_ADDED, MILESTONE_ADDED, MILESTONE_DONE, PROJECT_CHANGED, PROJECT_CREATED
from pbtools.paths import file_in
from pbtools_widgets.base import label_upload, saved_upload, set_options
from pbtools_widgets.status_line import StatusLine

EVENTS = {PROJECT_CREATED: N_("Project created"), PROJECT_CHANGED: N_("Changed"), FILE_ADDED: N_("Photo or document added"),
          MILESTONE_ADDED: N_("Milestone added"), MILESTONE_DONE: N_("Milestone reached")}
CREATED_SHOWN = ("titles", "village", "sector", "planned", "status")  # of a creation record, what the history lists


def thumbnails(service, attachments) -> list[dict]:
    """The photos' thumbnails as data for an <img> (the page has no other way to the workspace's files)."""
    shown = []
    for a in attachments:
        if a.kind != "photo" or not a.thumbnail:
            continue
        path = service.file_path(a, thumbnail=True)
        if path.is_file():
            where = f"GPS {a.latitude:.5f}, {a.longitude:.5f}" if a.has_location else ""  # kept from the photo's EXIF
            shown.append(dict(name=a.name, caption=a.caption or a.name, where=where, data=base64.b64encode(path.read_bytes()).decode("ascii")))
    return shown


class ProjectPage:
    def __init__(self, app) -> None:
        self.app = app
        self.choice = w.Dropdown(layout=w.Layout(width="46rem"))
        self.choice.add_class("pb-project-choice")
        self.choice.observe(lambda _: self._filling or self.draw(), "value")
        self._filling = False
        self.page = w.HTML()
        self.page.add_class("pb-project-page")
        self.page.add_class("pb-mon-table-host")  # wide tables wrap or scroll inside the tab, never widen it
        self.heading = w.HTML()
        self.status = w.Dropdown(layout=w.Layout(width="24rem"))
        self.status.add_class("pb-progress-status")
        self.percent = w.Text(layout=w.Layout(width="16rem"))
        self.percent.add_class("pb-progress-percent")
        self.cost = w.Text(layout=w.Layout(width="24rem"))
        self.cost.add_class("pb-progress-cost")
        self.day, self.started, self.finished = (w.Text(layout=w.Layout(width="22rem")) for _ in range(3))
        for box, css in ((self.day, "pb-progress-date"), (self.started, "pb-progress-started"), (self.finished, "pb-progress-finished")):
            box.add_class(css)
        self.reason = w.Textarea(layout=w.Layout(width="46rem", height="4rem"))
        self.reason.add_class("pb-progress-reason")
        self.save = w.Button(button_style="primary", layout=w.Layout(width="auto", min_width="18rem", align_self="flex-start"))
        self.save.add_class("pb-progress-save")
        self.save.on_click(lambda _: self.store_progress())
        # an actual cost far beyond the plan is stored only once confirmed (the core questions it: a typo is likelier)
        self.confirm = w.Button(button_style="warning", layout=w.Layout(width="auto", display="none", align_self="flex-start"))
        self.confirm.add_class("pb-progress-confirm")
        self.confirm.on_click(lambda _: self.store_progress(confirmed=True))
        self.cost.observe(lambda _: setattr(self.confirm.layout, "display", "none"), "value")
        self.add_photos = w.FileUpload(accept="image/*", multiple=True)
        self.add_photos.add_class("pb-project-photos")
        self.add_photos.observe(self._photos_chosen, "value")
        self.export = w.Button()
        self.export.add_class("pb-history-export")
        self.export.on_click(lambda _: self.export_history())
        self.exported = w.HTML()
        self.exported.add_class("pb-history-file")
        self.tools_said = StatusLine(app)
        self.tools = w.VBox([w.HBox([self.add_photos, self.export]), self.tools_said, self.exported])
        self.said = StatusLine(app)
        self.form = w.VBox([self.heading, w.HBox([self.status, self.percent, self.cost]),
                           w.HBox([self.day, self.started, self.finished]), self.reason, self.save, self.confirm, self.said])
        self.form.add_class("pb-progress-form")
        self.box = w.VBox([self.choice, self.page, self.tools, self.form])

    @property
    def _(self):
        return self.app._

    @property
    def project(self):
        return next((p for p in self.app.projects if p.id == self.choice.value), None)

    def fill(self, select: str | None = None) -> None:
        """The chooser over the projects the filters keep (staying on the one open, or on ``select``)."""
        _, lang = self._, self.app.lang
        options = [(f"{p.title(lang)} · {project_village(p, self.app.municipality, lang)} · {p.id}", p.id) for p in self.app.shown]
        self._filling = True
        try:
            set_options(self.choice, options, prefer=select)
        finally:
            self._filling = False
        self.choice.description = _("Project")
        self.heading.value = html_from("monitoring/heading.html", text=_("Progress"))  # the form's heading
        self.status.description, self.percent.description = _("Status"), _("Percent complete")
        self.cost.description, self.reason.description = _("Actual cost, som"), _("Reason")
        self.day.description = _(FIELD_NAMES["status_date"])
        self.started.description, self.finished.description = _(FIELD_NAMES["actual_start"]), _(FIELD_NAMES["actual_finish"])
        self.day.placeholder = _("e.g. {date}", date=shown_day(self.app.today, lang))
        self.started.placeholder = self.finished.placeholder = _("date, or empty")
        self.percent.placeholder = _("0 to 100")
        self.cost.placeholder = _("e.g. 1 200 000")
        self.reason.placeholder = _("why the status changes, what was checked")
        self.save.description = _("Save the progress")
        self.confirm.description = _("Save anyway")
        label_upload(self.add_photos, _("Add photos to the project"))
        self.export.description = _("Export the history (Excel)")
        set_options(self.status, [(status_label(s, lang), s) for s in STATUSES])
        self.draw()

    def draw(self) -> None:
        p = self.project
        self.form.layout.display = self.tools.layout.display = "none" if p is None else ""
        if p is None or p.id != getattr(self, "_exported_for", None):
            self.exported.value, self._exported_file = "", None  # another project's file
        else:
            self._show_exported()
        if p is None:
            self.page.value = ""
            self.app.project_shown()
            return
        self.page.value = self.page_html(p)
        # another project, or it changed (another history of as many records too): the form starts from it
        if (p.id, p.seq, p.hash) != getattr(self, "_form_for", None):
            self._form_for = (p.id, p.seq, p.hash)  # (a language switch keeps what is typed)
            self.status.value = p.status
            self.percent.value, self.cost.value, self.reason.value = str(p.percent), self.cost_typed(p), ""
            lang = self.app.lang  # the days in the screen's form (read back in either)
            self.day.value = shown_day(self.app.today, lang)  # a status is seen on the day it is recorded, unless typed
            self.started.value, self.finished.value = shown_day(p.actual_start, lang, ""), shown_day(p.actual_finish, lang, "")
        self.app.project_shown()

    def cost_typed(self, p) -> str:
        """The actual cost recorded, as one types it ("1 300 000"; read back in any language), like the form's other
        fields: left empty, it read as if none was recorded. Saved unchanged, it changes nothing (its split kept)."""
        return number(p.actual.total, self.app.lang) if p.actual.total else ""

    def page_html(self, p) -> str:
        _, lang, app = self._, self.app.lang, self.app
        members = {m.id: m.name for m in app.service.members(include_removed=True)}
        field = lambda name: _(FIELD_NAMES[name])  # noqa: E731
        day = lambda value: shown_day(value, lang, "…")  # noqa: E731
        facts = [(field("village"), project_village(p, app.municipality, lang)), (field("sector"), label(p.sector, lang)),
                 (field("responsible"), p.responsible or "—"), (field("contractor"), p.contractor or "—"),
                 (field("planned"), self.funding(p.planned)), (field("actual"), self.funding(p.actual) if p.actual.total else "—"),
                 (_("Planned dates"), f"{day(p.planned_start)} – {day(p.planned_finish)}"),
                 (_("Actual dates"), f"{day(p.actual_start)} – {day(p.actual_finish)}"),
                 (field("status"), _("{status} since {date}", status=status_label(p.status, lang), date=shown_day(p.status_date, lang))
                  + (f": {p.status_reason}" if p.status_reason else "")),
                 (field("percent"), percent(Decimal(p.percent) / 100, lang, 0))]
        if p.link is not None:
            facts.append((_("Hearing decision"), _("hearing {hearing} of {date}, option №{number}: {votes} votes", hearing=p.link.hearing_id,
                                                    date=shown_day(p.link.hearing_date, lang), number=p.link.option_number, votes=p.link.votes)))
        if p.plan_ref:
            facts.append((field("plan_ref"), p.plan_ref))
        not_yet = _("not yet")
        for m in p.milestones:
            facts.append((_("Milestone"), f"{m.title}: {day(m.planned)} → {shown_day(m.done, lang, not_yet)}"))
        if p.notes:
            facts.append((field("notes"), p.notes))
        acts = [self.act_view(a, members) for a in app.acts if a.project_id == p.id]
        history = [self.history_view(e) for e in app.service.history(p.id)]
        return html_from(
            "monitoring/project.html", id=p.id, title=p.title(lang), status=p.status, status_text=status_label(p.status, lang),
            late=_("Late") if app.late(p) else "", facts=facts, photos_heading=_("Photos"),
            photos=thumbnails(app.service, p.attachments), no_photos=_("No photos yet."), acts_heading=_("Monitoring acts"),
            acts=acts, no_acts=_("No monitoring acts yet."), history_heading=_("History"),
            history_head=[_("When ({zone})", zone=zone_now(app.zone)), _("Who"), _("What"), _("Before → after"), _("Reason")], history=history)

    def funding(self, f) -> str:
        _, lang = self._, self.app.lang
        text = money(f.total, lang)
        if f.is_split:
            text += " (" + _("local budget {a}, grant {b}, community: money {c}, in kind {d}", a=money(f.local_budget, lang),
                             b=money(f.grant, lang), c=money(f.community_money, lang), d=money(f.community_in_kind, lang)) + ")"
        return text

    def act_view(self, a, members: dict) -> dict:
        _, app, lang = self._, self.app, self.app.lang
        late = is_overdue(a, app.today)
        notes = []
        if a.corrects:
            notes.append(_("corrects act {id}", id=a.corrects))
        if a.corrected:
            notes.append(_("corrected by act {id}", id=a.corrected_by))
        if late:
            notes.append(_("response overdue"))
        lines = [(_(FIELD_NAMES["members"]), ", ".join(members.get(m, m) for m in a.members)),
                 (_(FIELD_NAMES["findings"]), a.findings)]
        if a.recommendations:
            lines.append((_("Recommendations"), a.recommendations))
        if a.place:
            lines.append((_("Place"), a.place))
        if a.response_due:
            lines.append((_(FIELD_NAMES["response_due"]), shown_day(a.response_due, lang)))
        for r in a.responses:
            lines.append((_("Response of {date}", date=shown_day(r.date, lang)), r.text))
        if a.response_due and not a.responses:
            lines.append((_("Response"), _("not yet")))
        return dict(id=a.id, heading=_("Act {id} of {date}", id=a.id, date=shown_day(a.date, lang)), late=late, corrected=a.corrected, notes=notes,
                    lines=lines, photos=thumbnails(app.service, a.photos))

    def history_view(self, e) -> dict:
        _ = self._
        shown = CREATED_SHOWN if e.kind == PROJECT_CREATED else tuple(e.after)
        changes = []
        for name in shown:
            after = self.value(name, e.after.get(name))
            if e.kind in (PROJECT_CREATED, PROJECT_CHANGED):
                what = _(FIELD_NAMES[name]) if name in FIELD_NAMES else name
                changes.append(f"{what}: {self.value(name, e.before.get(name))} → {after}" if name in e.before else f"{what}: {after}")
            elif name in ("name", "title"):
                changes.append(after)
        return dict(seq=e.seq, when=shown_moment(e.at, self.app.zone, self.app.lang), who=e.actor or "—", what=_(EVENTS.get(e.kind, e.kind)),
                    changes=changes, reason=e.reason)

    def value(self, name: str, value) -> str:
        """A field's value as the history keeps it (plain JSON), in words."""
        lang = self.app.lang
        if name == "village":  # a record keeps it as stored (Kyrgyz; "": every village): said as the page says it
            return village_shown(str(value or ""), self.app.municipality, lang)
        if value in (None, "", {}):
            return "—"
        if name == "titles" and isinstance(value, dict):
            return value.get(lang) or next(iter(value.values()))
        if name in ("planned", "actual") and isinstance(value, dict):
            return money(Decimal(value.get("total", "0")), lang)
        if name == "status":
            return status_label(value, lang)
        if name == "sector":
            return label(value, lang)
        if name == "percent":
            return percent(Decimal(value) / 100, lang, 0)
        if name in DATE_FIELDS:
            return shown_day(value, lang)
        return str(value)

    def store_progress(self, confirmed: bool = False) -> None:
        """Record the status, percent and actual cost (one record, with the reason); then show the page again.
        ``confirmed``: the user confirmed an actual cost the core questioned."""
        p = self.project
        if p is None:
            return
        app = self.app
        self.confirm.layout.display = "none"

        def write():
            progress = read_progress(self.status.value, self.percent.value, self.cost.value, self.reason.value, p,
                                     self.day.value, self.started.value, self.finished.value)
            return app.service.set_status(app.actor(), p.id, progress.status, reason=self.reason.value.strip(),
                                          on=progress.on or app.today.isoformat(), percent=progress.percent,
                                          actual_cost=progress.actual_cost, actual_start=progress.actual_start,
                                          actual_finish=progress.actual_finish,
                                          based_on=p.seq, based_hash=p.hash,  # another member's change is never undone,
                                          confirmed=confirmed)  # nor one decided on records no longer on disk

        stored = app.attempt(write, self.said)
        if stored is None:
            if isinstance(self.said.refusal, (ChangedMeanwhile, ProjectReplaced, NoSuchProject)):
                app.reload(select=p.id)  # the form shows the project as it is now (or is gone), as the refusal says
            elif isinstance(self.said.refusal, CostQuestioned):
                self.confirm.layout.display = None
            return
        changed = stored.seq != p.seq
        app.reload(select=p.id)  # from the ledger: what the page shows now is what was stored
        if changed:
            self.said.ok(lambda lang: translator(lang)(N_("Saved: {project}, {status}, {percent} complete."), project=stored.title(lang),
                                                    status=status_label(stored.status, lang), percent=percent(Decimal(stored.percent) / 100, lang, 0)))
        else:
            self.said.ok(lambda lang: translator(lang)(N_("Nothing changed: the values are the ones already recorded.")))

    def _photos_chosen(self, change) -> None:
        """Each chosen photo checked, then stored with the project (the same photo twice is kept once)."""
        if not change["new"]:
            return
        files = [(item["name"], bytes(item["content"])) for item in change["new"]]
        self.add_photos.value = ()
        p, app = self.project, self.app
        if p is None:
            return

        def write():
            actor = app.actor()
            for name, content in files:
                check_photo(name, content)
            stored = []
            for name, content in files:
                with saved_upload(name, content) as path:
                    stored.append(app.service.add_file(actor, p.id, path))
            return stored

        stored = app.attempt(write, self.tools_said)
        if stored is None:
            return
        app.reload(select=p.id)
        names = ", ".join(a.name for a in stored)
        self.tools_said.ok(lambda lang: translator(lang)(N_("Added to the project: {names}."), names=names))

    def export_history(self) -> None:
        p, app = self.project, self.app
        if p is None:
            return
        folder = app.files.folder()
        out = app.attempt(lambda: app.service.export_history(p.id, file_in(folder, f"history-{p.id}.xlsx")), self.tools_said)
        if out is not None:
            self.tools_said.clear()
            self._exported_for, self._exported_file = p.id, out
            self._show_exported()

    def _show_exported(self) -> None:
        """The history file just written, in the screen's language (a language switch says it again)."""
        from pbtools_widgets.monitoring.files import download_html

        out = getattr(self, "_exported_file", None)
        if out is None or not out.is_file():
            self.exported.value = ""
            return
        _ = self._
        self.exported.value = download_html(out, _("Made: {file}", file=out.name), _("Download the history"))
