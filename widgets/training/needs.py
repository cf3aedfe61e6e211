"""The Needs assessment tab: problems, sessions, a session's ranking typed as "3 1 7", and the aggregated result
with the chart of who ranked what (by group or by village). Writes go through the core's ``NeedsService``."""

from __future__ import annotations

import ipywidgets as w

from pbtools.hearings.errors import HearingError, NoSuchHearing
from pbtools.hearings.model import SECTORS, label
from pbtools.html import render as html_from
from pbtools.i18n import N_, Msg
from pbtools.needs.aggregate import BY_GROUP, BY_VILLAGE, DEFAULT_TOP_N, RULES, TOP_N_FIELD, rule_name
from pbtools.needs.entry import at_least_one
from pbtools.needs.errors import Replaced
from pbtools.needs.model import GROUPS, group_label
from pbtools.roles import NotAllowed
from pbtools.training.texts import NEEDS_ENTRY, NEEDS_INTRO, NEEDS_ONE_LIST
from pbtools_widgets.base import block, set_options, show_sharp
from pbtools_widgets.status_line import StatusLine, Told
from pbtools_widgets.clicks import on_press
from pbtools_widgets.training.tab import Tab


class Warned(Told):
    """Done, with a warning (shown as one)."""


class NeedsTab(Tab):
    title = N_("Needs assessment")

    def build(self) -> None:
        wide = w.Layout(width="28rem")
        self.intro = w.HTML()
        self.problem = w.Text(layout=wide)
        # the municipality's villages offered in the screen's language; one it does not have is refused by the core
        self.village = w.Combobox(layout=w.Layout(width="16rem"), ensure_option=False)
        self.sector = w.Dropdown(layout=w.Layout(width="18rem"))
        self.anyway = w.Checkbox(value=False, indent=False, layout=w.Layout(width="auto"))
        self.add_problem = w.Button(layout=w.Layout(width="auto"))
        self.session_village = w.Combobox(layout=w.Layout(width="16rem"), ensure_option=False)
        self.group = w.Combobox(layout=w.Layout(width="16rem"), ensure_option=False)
        self.add_session = w.Button(layout=w.Layout(width="auto"))
        self.session = w.Dropdown(layout=w.Layout(width="24rem"))
        self.ranking = w.Text(layout=w.Layout(width="16rem"), continuous_update=False)
        self.save = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.status = StatusLine(self.app)
        self.lists = w.HTML()
        self.rule = w.Dropdown(layout=w.Layout(width="26rem"))
        # text, read by the core: a bounded box made 0 into 1 without a word
        self.top_n = w.Text(value=str(DEFAULT_TOP_N), continuous_update=False, layout=w.Layout(width="13rem"),
                            style={"description_width": "initial"})  # its label whole, the box beside it
        self.by = w.ToggleButtons(style={"button_width": "9rem"})
        self.result = w.HTML()
        # at its own size (``show_sharp``), never stretched to the tab's width
        self.chart = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto", align_self="flex-start"))
        self.chart.add_class("pb-train-needs-chart")
        self.hearing = w.Dropdown(layout=w.Layout(width="30rem"))
        self.places = w.Text(value="5", layout=w.Layout(width="12rem"))
        self.new_hearing = w.Button(layout=w.Layout(width="auto"))
        self.carry = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.carried = StatusLine(self.app)
        # their outcome under their buttons, at the foot of a long tab (at the top it was out of sight)
        self.carried.add_class("pb-train-carried")
        self.console = w.HTML()  # the draft hearing's costs are set in the sandbox's practice console
        on_press(self.new_hearing, lambda: self.do(self._new_hearing, self.carried))
        on_press(self.carry, lambda: self.do(self._carry, self.carried))
        on_press(self.add_problem, lambda: self.do(self._add_problem))
        on_press(self.add_session, lambda: self.do(self._add_session))
        # the box saves when typing ends (Enter, or leaving it for the button): a click on Save that follows is the
        # same save, already done (it read the emptied box: "enter the problem numbers" in red after a save)
        self._saved_by_box = None  # (session, box) as the box's own save left them
        self._seen = None  # the records' point the lists were drawn at (``NeedsService.point``)
        self._top_seen = None  # and the results (their top problems): redrawn alone when the rule changes
        on_press(self.save, lambda: self._clicked())
        self.ranking.observe(lambda c: c["new"].strip() and self._typed(), "value")
        self.status.add_class("pb-train-needs-status")
        for control in (self.rule, self.top_n, self.by):
            control.observe(lambda _c: self.show_result(), "value")
        self.box = w.VBox([
            self.intro, w.HBox([self.problem, self.village, self.sector, self.anyway, self.add_problem]),
            w.HBox([self.session_village, self.group, self.add_session]),
            w.HBox([self.session, self.ranking, self.save]), self.status, self.lists,
            w.HBox([self.rule, self.top_n, self.by]), self.result, self.chart,
            w.HBox([self.hearing, self.places, self.new_hearing, self.carry]), self.carried, self.console,
        ])

    @property
    def service(self):
        return self.app.service.needs() if self.app.service.sandbox is not None else None

    def render(self) -> None:
        _ = self._
        self.intro.value = self.said([_(NEEDS_INTRO), _(NEEDS_ONE_LIST), _(NEEDS_ENTRY)])
        self.problem.description, self.village.description = _("Problem"), _("Village")
        self.sector.description, self.anyway.description = _("Sector"), _("Add even if it looks like another")
        self.add_problem.description, self.add_session.description = _("Add the problem"), _("Add the session")
        self.session_village.description, self.group.description = _("Village"), _("Group")
        self.group.options = [group_label(g, self.lang) for g in GROUPS]
        self.session.description, self.ranking.description, self.save.description = _("Session"), _("Ranking"), _("Save")
        self.ranking.placeholder = "3 1 7"
        set_options(self.sector, [(label(s, self.lang), s) for s in SECTORS], prefer=self.sector.value or "other")  # not "water" for all
        set_options(self.rule, [(rule_name(r, self._n_or_default()).render(self.lang), r) for r in RULES])
        keep = self.by.value or BY_GROUP
        self.by.options = [(_("By group"), BY_GROUP), (_("By village"), BY_VILLAGE)]
        self.by.value = keep
        self.top_n.description = _(TOP_N_FIELD)
        self.hearing.description, self.places.description = _("Hearing"), _("Places")
        self.new_hearing.description = _("New draft hearing")
        self.carry.description = _("Make the top problems its options")
        self.refresh()

    def do(self, action, where=None) -> None:
        """Run ``action`` and say its outcome on ``where`` (the status line under the entry rows unless given); the
        other line is cleared, so that only the last outcome is on the screen."""
        where = where or self.status
        (self.carried if where is self.status else self.status).clear()
        if self.service is None:
            where.say(Msg(N_("Open a sandbox first (Mock hearing tab).")))
            return
        try:
            message = action(self.service)
        except (HearingError, NotAllowed) as e:
            where.fail(e)
            if isinstance(e, (Replaced, NoSuchHearing)):  # what it was typed on is gone: shown as it is now
                self.refresh()
            return
        (where.warn if isinstance(message, Warned) else where.ok)(message)
        self.refresh()

    def _add_problem(self, svc) -> str:
        p = svc.add_problem(self.problem.value, self.lang, self.app.service.actor, village=self.village.value,
                            sector=self.sector.value or "other", similar_ok=self.anyway.value, seen=self._seen)
        self.problem.value, self.anyway.value = "", False
        return Told(N_("Problem {number}: {title}"), number=p.number, title=p.title)

    def _add_session(self, svc) -> str:
        s = svc.add_session(self.session_village.value, self.group.value, self.app.service.actor, seen=self._seen)
        self.session.value = None
        self._sessions(svc)
        self.session.value = s.id
        label = lambda lang: svc.session_label(s, lang)  # noqa: E731
        same = [f"№{o.number}" for o in sorted(svc.state.sessions.values(), key=lambda o: o.number)
                if o.id != s.id and (o.village, o.group) == (s.village, s.group)]
        if same:  # two meetings of one group may be right; one typed twice is not: said, never silently kept
            return Warned(N_("Session {id}: {label}. Session {same} is of the same village and group: if this one was "
                             "added by mistake, leave it without a ranking (a session without a ranking is not "
                             "counted)."), id=f"№{s.number}", label=label, same=", ".join(same))
        return Told(N_("Session {id}: {label}"), id=f"№{s.number}", label=label)

    def _typed(self) -> None:
        self.do(self._save_ranking)
        self._saved_by_box = (self.session.value, self.ranking.value)

    def _clicked(self) -> None:
        saved, self._saved_by_box = self._saved_by_box, None
        if saved is not None and saved == (self.session.value, self.ranking.value):
            return  # the box's save just done (or refused) is this click's: its message stays
        self.do(self._save_ranking)

    def _save_ranking(self, svc) -> str:
        if self.session.value is None:
            raise HearingError(Msg(N_("Choose a session first")))
        done = self.session.value
        ids = svc.set_ranking(done, self.ranking.value, self.app.service.actor, seen=self._seen)
        self.ranking.value = ""
        following = svc.next_unranked(done)  # the next paper form, as a clerk goes through a pile
        if following is not None:
            self.session.value = following
        return Told(N_("Session {id}: {ranking}"), id=f"№{svc.state.sessions[done].number}", ranking=" ".join(str(svc.state.problems[i].number) for i in ids))

    def _new_hearing(self, svc) -> str:
        hearing_id = self.app.service.new_draft_hearing(seen=self._seen)
        self._hearings(svc)
        self.hearing.value = hearing_id
        return Told(N_("Draft hearing {id} is ready for the top problems."), id=hearing_id)

    def _carry(self, svc) -> str:
        if self.hearing.value is None:
            raise HearingError(Msg(N_("Choose a draft hearing first")))
        places = at_least_one(self.places.value, N_("Places"))
        done = svc.to_hearing(self.hearing.value, places, self.app.service.actor, self.rule.value,
                              at_least_one(self.top_n.value, TOP_N_FIELD), seen=self._top_seen)
        return Told(N_("Options added to the agenda: {added}; already on it: {already}."),
                    added=len(done.added), already=len(done.already))

    def _hearings(self, svc) -> None:
        set_options(self.hearing, [(label_, hid) for hid, label_ in svc.hearings(self.lang)])

    def _sessions(self, svc) -> None:
        # sessions by their numbers, as the status lines and the table say them (never the record's id, "s1")
        set_options(self.session, [(f"№{s.number} · {s.village} · {s.group}", s.id) for s in svc.sessions(self.lang)])

    def _n_or_default(self) -> int:
        try:
            return at_least_one(self.top_n.value, TOP_N_FIELD)
        except HearingError:
            return DEFAULT_TOP_N

    def refresh(self) -> None:
        svc = self.service
        self.console.value = self.console_link("pb-train-needs-console-link")
        if svc is None:
            self.lists.value = self.said([self._("Open a sandbox first (Mock hearing tab).")])
            self._seen = None
            self.chart.layout.display = "none"  # an image without a picture is a broken-image icon on the projector
            return
        _ = self._
        self._seen = svc.point  # read before the lists are drawn: what is typed on them is checked against it
        self.village.options = self.session_village.options = tuple(svc.villages(self.lang))  # in the screen's language
        self._sessions(svc)
        self._hearings(svc)
        problems = [[str(p.number), p.title, p.village, p.sector] for p in svc.problems(self.lang)]
        sessions = [[f"№{s.number}", s.village, s.group, s.ranking] for s in svc.sessions(self.lang)]
        self.lists.value = (html_from("table.html", classes="pb-table pb-train", head=[_("No."), _("Problem"), _("Village"), _("Sector")], rows=problems, total=None)
                            + html_from("table.html", classes="pb-table pb-train", head=[_("Session"), _("Village"), _("Group"), _("Ranking")], rows=sessions, total=None))
        self.show_result()

    def show_result(self) -> None:
        svc = self.service
        if svc is None or self.rule.value is None:
            return
        _ = self._
        try:
            top_n = at_least_one(self.top_n.value, TOP_N_FIELD)
        except HearingError as e:  # said where the result was (no result of a number nobody typed)
            self.result.value = block(e.render(self.lang), cls="pb-error pb-train-result-error")
            self.chart.layout.display = "none"
            return
        set_options(self.rule, [(rule_name(r, top_n).render(self.lang), r) for r in RULES])
        self._top_seen = svc.point  # read before the results are drawn: the top problems carried are these
        res = svc.results(self.lang, self.rule.value, top_n)
        columns = res.groups if self.by.value == BY_GROUP else res.villages
        rows = [[f"{r.place}{'=' if r.tied else ''}", f"{r.number}. {r.title}", str(r.score),
                 *[str(p) if p is not None else "—" for p in (r.by_group if self.by.value == BY_GROUP else r.by_village)]]
                for r in res.rows]
        self.result.value = self.said(res.explanation) + html_from(
            "table.html", classes="pb-table pb-train pb-train-needs", head=[_("Place"), _("Problem"), _("Score"), *columns],
            rows=rows, total=None)
        show_sharp(self.chart, svc.chart(self.lang, self.rule.value, top_n, self.by.value or BY_GROUP))
        self.chart.layout.display = ""
