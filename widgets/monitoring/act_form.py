"""The form that files a monitoring act on the open project: the day of the visit, the members present (ticked from
the group's list), findings, recommendations, the response deadline, the place, and photos. A photo is checked when
it is chosen (a file that is no picture is refused by name, and not kept); the act with its photos is stored in one
write by the service, and the screen says so only after that."""

from __future__ import annotations

from contextlib import ExitStack

import ipywidgets as w

from pbtools.dates import shown_day
from pbtools.html import render as html_from
from pbtools.i18n import N_, translator
from pbtools.monitoring import MonitoringError
from pbtools.monitoring.errors import ActsReplaced, NoSuchAct, NoSuchProject
from pbtools.monitoring.forms import check_photo
from pbtools_widgets.base import label_upload, saved_upload, set_options
from pbtools_widgets.status_line import StatusLine


class ActForm:
    def __init__(self, app) -> None:
        self.app = app
        # the fields take the form's width (each a little less: their margins), never more: at 46rem each, with the
        # box 46rem too, the textareas were cut at its right edge; the deadline's Kyrgyz placeholder needs the width
        wide = w.Layout(width="46rem", max_width="100%")
        field = lambda height=None: w.Layout(width="auto", height=height)  # noqa: E731
        self.heading = w.HTML()
        self.day = w.Text(layout=w.Layout(width="24rem"))
        self.day.add_class("pb-act-date")
        self.place = w.Text(layout=w.Layout(width="22rem"))
        self.place.add_class("pb-act-place")
        self.members_label = w.HTML()
        self.members = w.VBox()
        self.members.add_class("pb-act-members")
        self.ticks: dict[str, w.Checkbox] = {}
        self.findings = w.Textarea(layout=field("6rem"))
        self.findings.add_class("pb-act-findings")
        self.recommendations = w.Textarea(layout=field("4rem"))
        self.recommendations.add_class("pb-act-recommendations")
        self.due = w.Text(layout=field())
        self.due.add_class("pb-act-due")
        self.corrects = w.Dropdown(layout=w.Layout(width="40rem"))  # an act is never edited: a new one corrects it
        self.corrects.add_class("pb-act-corrects")
        self.upload = w.FileUpload(accept="image/*", multiple=True)
        self.pending: list[tuple[str, bytes]] = []  # photos chosen for this act, kept until it is filed or cleared
        self.pending_list = w.HTML()
        self.clear_photos = w.Button()
        self.clear_photos.add_class("pb-act-clear-photos")
        self.clear_photos.on_click(lambda _: self.drop_photos())
        self.file = w.Button(button_style="primary", layout=w.Layout(width="auto", min_width="18rem", align_self="flex-start"))
        self.file.add_class("pb-act-file")
        self.file.on_click(lambda _: self.store())
        self.said = StatusLine(app)
        self._draft_for: str | None = None  # the project the form's content was typed for
        self._drafts: dict[str, dict] = {}  # what was typed for other projects, back when the project is chosen again
        self._corrects: str | None = None  # a draft's act to correct, chosen once the project's acts are listed
        self.box = w.VBox([self.heading, w.HBox([self.day, self.place]), self.members_label, self.members, self.findings,
                           self.recommendations, self.due, self.corrects, w.HBox([self.upload, self.clear_photos]), self.pending_list,
                           self.file, self.said], layout=wide)
        self.box.add_class("pb-act-form")
        self.upload.observe(self._chosen, "value")

    @property
    def _(self):
        return self.app._

    def render(self) -> None:
        _ = self._
        project = self.app.page.project
        self.box.layout.display = "none" if project is None else ""
        self._fill_members()
        if project is not None and project.id != self._draft_for:
            self._switch_draft(project.id)
        self.heading.value = html_from("monitoring/heading.html", text=_("New monitoring act") + (f": {project.title(self.app.lang)}" if project else ""))
        self.day.description, self.place.description = _("Date of the visit"), _("Place")
        self.day.placeholder = _("e.g. {date}", date=shown_day(self.app.today, self.app.lang))
        if not self.day.value:  # most acts are written on the day of the visit
            self.day.value = shown_day(self.app.today, self.app.lang)
        self.members_label.value = html_from("text.html", text=_("Members present:"))
        self.findings.description, self.recommendations.description = _("Findings"), _("Recommendations")
        self.findings.placeholder = _("what the group saw: volume, quality, deadlines, spending, residents' opinions")
        self.due.description = _("Response due")
        self.due.placeholder = _("the municipality answers by (date), or empty")
        acts = [a for a in self.app.acts if project is not None and a.project_id == project.id and not a.corrected]
        set_options(self.corrects, [(_("a new act (it corrects none)"), "")] + [(_("Act {id} of {date}", id=a.id, date=shown_day(a.date, self.app.lang)), a.id) for a in acts],
                    prefer=getattr(self, "_corrects", None) or None)
        self._corrects = None
        self.corrects.description = _("Corrects")
        label_upload(self.upload, _("Add photos"))
        self.clear_photos.description = _("Remove the photos")
        self.file.description = _("File the act")
        self._show_pending()

    def _switch_draft(self, project_id: str) -> None:
        """Another project chosen: what was typed (findings, photos, members ticked...) stays with the project it was
        typed for, and comes back when that project is chosen again; it is never filed on another project."""
        if self._draft_for is not None:
            self._drafts[self._draft_for] = dict(
                day=self.day.value, place=self.place.value, findings=self.findings.value, recommendations=self.recommendations.value,
                due=self.due.value, corrects=self.corrects.value or "", pending=list(self.pending),
                ticks={k: t.value for k, t in self.ticks.items()})
        draft = self._drafts.pop(project_id, {})
        self.day.value = draft.get("day", "")  # empty: today, below
        self.place.value, self.findings.value = draft.get("place", ""), draft.get("findings", "")
        self.recommendations.value, self.due.value = draft.get("recommendations", ""), draft.get("due", "")
        self._corrects = draft.get("corrects", "")
        self.pending = draft.get("pending", [])
        for k, tick in self.ticks.items():
            tick.value = draft.get("ticks", {}).get(k, False)
        self.said.clear()  # a message about another project's act
        self._draft_for = project_id

    def _fill_members(self) -> None:
        """A box to tick for every member of the group (ticks kept when the list is drawn again)."""
        members = self.app.members
        if [m.id for m in members] != list(self.ticks):
            old = {k: t.value for k, t in self.ticks.items()}
            self.ticks = {}
            for m in members:
                tick = w.Checkbox(value=old.get(m.id, False), indent=False, layout=w.Layout(width="auto"))
                tick.add_class(f"pb-member-{m.id}")
                self.ticks[m.id] = tick
            self.members.children = tuple(self.ticks.values())
        for m in members:
            self.ticks[m.id].description = m.label(self.app.lang)  # the position in the screen's language
        if not members:
            self.members_label.value = html_from("text.html", text=self._("The group has no members yet: add them with «pbtools projects member»."))

    def _chosen(self, change) -> None:
        """Each photo of a choice checked and kept; the upload emptied for the next choice."""
        if change["new"]:
            self.said.clear()
            for item in change["new"]:
                self.take_photo(item["name"], bytes(item["content"]))
            self.upload.value = ()

    def take_photo(self, name: str, content: bytes) -> None:
        try:
            check_photo(name, content)
        except MonitoringError as refusal:
            self.said.fail(refusal)
            return
        if all(content != kept for _n, kept in self.pending):
            self.pending.append((name, content))
        self._show_pending()

    def drop_photos(self) -> None:
        self.pending = []
        self._show_pending()

    def _show_pending(self) -> None:
        self.pending_list.value = html_from("monitoring/pending.html", heading=self._("Photos to file with the act:"),
                                            names=[n for n, _c in self.pending])
        self.clear_photos.layout.display = "" if self.pending else "none"

    def store(self) -> None:
        """File the act (photos included) through the service; the form is emptied only once it is stored."""
        app, project = self.app, self.app.page.project
        if project is None:
            return

        def write():
            actor = app.actor()
            with ExitStack() as stack:  # the photos on disk under their own names while the service stores them
                paths = [stack.enter_context(saved_upload(name, content)) for name, content in self.pending]
                return app.service.file_act(actor, project.id, date=self.day.value.strip(),
                                            members=[k for k, t in self.ticks.items() if t.value], findings=self.findings.value,
                                            recommendations=self.recommendations.value, response_due=self.due.value.strip(),
                                            place=self.place.value, photos=paths, corrects=self.corrects.value or "")

        act = app.attempt(write, self.said)
        if act is None:
            if isinstance(self.said.refusal, (ActsReplaced, NoSuchAct, NoSuchProject)):
                app.reload(select=project.id)  # the acts on disk now (a copy put back): what was typed stays
            return
        self.day.value = self.place.value = self.findings.value = self.recommendations.value = self.due.value = ""
        self.corrects.value = ""
        for tick in self.ticks.values():
            tick.value = False
        self.pending = []
        app.reload(select=project.id)
        self.said.ok(lambda lang: translator(lang)(N_("Act {id} filed with {n} photos: it is on the project's page."), id=act.id, n=len(act.photos)))
