"""The Hearing tab: create a hearing, set its people and options, define the questions put to the vote (with how
each is counted), open voting, close the hearing (refused while a double-entry pile is disputed: said above the
button before trying)."""

from __future__ import annotations

import datetime

import ipywidgets as w

from pbtools import fmt
from pbtools.dates import shown_day
from pbtools.hearings.double_entry import close_problems
from pbtools.hearings.model import (
    APPROVAL, BALLOT_KINDS, CLOSED, DRAFT, HEARING_TYPES, MOTION, POINTS, RANKING, default_score, label,
)
from pbtools.html import render as html_from
from pbtools.i18n import LANG_NAMES, LANGS, N_
from pbtools.moments import moment_text
from pbtools.reports.voting import ballot_text
from pbtools.counting.names import RULE_NAMES
from pbtools.results.count import RULES, how_counted
from pbtools.hearings.hand_in_log import hand_ins
from pbtools_widgets.base import block, hearing_action, set_options
from pbtools_widgets.console.hearing_delete import DeleteHearing
from pbtools_widgets.console.panel import Panel
from pbtools_widgets.status_line import Told


SCORE_NAMES = {"support": N_("Votes (supporters)"), "points": N_("Points given"), "borda": N_("Borda points (rank)")}
TIE_NAMES = {"field": N_("Cheaper option first, then more votes, then by lot"), "lexicographic": N_("By option identifier")}
WIDE = {"description_width": "12rem"}


def fitting(widget):
    """As wide as its label in any language: ky and ru labels are longer than the default width."""
    widget.layout.width = "max-content"  # "auto" would stretch it across a VBox
    widget.layout.max_width = "100%"
    return widget


class HearingPanel(Panel):
    title = N_("Hearing")

    def build(self) -> None:
        self.details = w.HTML()
        # the current hearing's people and options (filled from the hearing; Save stores what changed)
        # title and venue in each language: the protocol, board and phone page show the reader's
        self.h_titles = {lang: w.Text(style=WIDE, layout=w.Layout(width="40rem")) for lang in LANGS}
        self.h_venues = {lang: w.Text(style=WIDE, layout=w.Layout(width="40rem")) for lang in LANGS}
        self.h_practice = fitting(w.Checkbox(value=False, indent=False))
        self.h_chair, self.h_secretary, self.h_facilitator = (w.Text(style=WIDE, layout=w.Layout(width="30rem")) for _ in range(3))
        self.h_commission = w.Textarea(rows=4, style=WIDE, layout=w.Layout(width="30rem"))
        self.h_record_names = fitting(w.Checkbox(value=False, indent=False))
        self.h_under_18 = fitting(w.Checkbox(value=False, indent=False))
        self.save = fitting(w.Button(button_style="primary"))
        self.save.on_click(lambda _: self.save_hearing())
        self._loaded = None  # (hearing id, Hearing) the form was last filled from
        self.settings_box = w.VBox([*self.h_titles.values(), *self.h_venues.values(), self.h_chair, self.h_secretary,
                                    self.h_facilitator, self.h_commission, self.h_record_names, self.h_under_18,
                                    self.h_practice, self.save])
        # a new hearing
        self.type = w.Dropdown()
        self.date = w.Text()
        self._date_filled = ""  # what the form put in the date box (today), until the facilitator types another day
        self.venues = {lang: w.Text(style=WIDE, layout=w.Layout(width="40rem")) for lang in LANGS}
        self.practice = fitting(w.Checkbox(value=False, indent=False))
        self.villages = w.SelectMultiple(rows=5)
        self.budget = w.Text()
        self.clear_new_form()
        self.create = fitting(w.Button(button_style="primary"))
        self.create.on_click(lambda _: self.create_hearing())
        self.new_box = w.VBox([self.type, self.date, *self.venues.values(), self.villages, self.budget, self.practice,
                               self.create])
        # a question: a new one, or one picked to be changed (while it has no ballots or counts)
        self.q_pick = w.Dropdown(style=WIDE, layout=w.Layout(width="56rem", max_width="100%"))
        self.q_pick.observe(lambda _: self.pick_question(), "value")
        self.q_kind = w.Dropdown()
        # the question in each language, as options have their titles (the phone page and protocol show the reader's)
        self.q_titles = {lang: w.Text(style=WIDE, layout=w.Layout(width="40rem")) for lang in LANGS}
        # whole option titles: a facilitator picks them by name
        self.q_options = w.SelectMultiple(rows=8, style=WIDE, layout=w.Layout(width="56rem", max_width="100%"))
        self.q_no_options = w.HTML()  # where the options come from, while there are none
        self.q_max = w.BoundedIntText(value=3, min=1, max=100)
        self.q_points = w.BoundedIntText(value=5, min=1, max=1000)
        self.q_stacking = fitting(w.Checkbox(value=True, indent=False))
        self.q_rule = w.Dropdown(style=WIDE, layout=w.Layout(width="40rem"))
        self.q_score = w.Dropdown(style=WIDE, layout=w.Layout(width="30rem"))
        self.q_tie = w.Dropdown(style=WIDE, layout=w.Layout(width="56rem", max_width="100%"))  # its ky/ru text is long
        # a points ballot counts points and a ranking Borda points unless the facilitator chooses otherwise
        self.q_kind.observe(lambda change: setattr(self.q_score, "value", default_score(change["new"] or "")), "value")
        self.q_kind.observe(lambda _: self._show_question_fields(), "value")
        self.q_add = fitting(w.Button())
        self.q_add.on_click(lambda _: self.define_question())
        self.question_box = w.VBox([self.q_pick, self.q_kind, *self.q_titles.values(), self.q_no_options, self.q_options, self.q_max, self.q_points, self.q_stacking,
                                    self.q_rule, self.q_score, self.q_tie, self.q_add])
        self.open_button = fitting(w.Button(button_style="success"))
        self.open_button.on_click(lambda _: self.open_voting())
        self.confirm_close = fitting(w.Checkbox(value=False, indent=False))
        self.close_button = fitting(w.Button(button_style="danger"))
        self.close_button.on_click(lambda _: self.close())
        self.disputes = w.HTML()  # double-entry piles not settled: the hearing cannot be closed, said before trying
        self.deleting = DeleteHearing(self)
        self.accordion = w.Accordion(children=[self.settings_box, self.new_box, self.question_box, self.deleting.box])
        self.accordion.observe(lambda _: self.message.clear(), "selected_index")  # moving on
        self.box.children = [self.details, self.disputes, w.HBox([self.open_button, self.confirm_close, self.close_button]),
                             self.message, self.accordion]

    def render(self) -> None:
        _, lang = self._, self.app.lang
        self.accordion.set_title(0, _("Hearing details"))
        self.accordion.set_title(1, _("New hearing"))
        self.accordion.set_title(2, _("Questions"))
        self.accordion.set_title(3, _("Delete this hearing"))
        for code in LANGS:
            self.h_titles[code].description = _("Title ({language})", language=LANG_NAMES[code])
            self.h_venues[code].description = self.venues[code].description = _("Venue ({language})", language=LANG_NAMES[code])
        self.h_practice.description = self.practice.description = _("Practice hearing (for training: it may be deleted)")
        self.h_chair.description = _("Chair")
        self.h_secretary.description, self.h_facilitator.description = _("Secretary"), _("Facilitator")
        self.h_commission.description = _("Counting commission")
        self.h_commission.placeholder = _("One name a line")
        self.h_record_names.description = _("Record participants' names (off: the vote is secret)")
        self.h_under_18.description = _("Allow participants under 18")
        self.save.description = _("Save")
        self.type.description, self.date.description = _("Type"), _("Date")
        self.fill_date()  # today in this language's form, unless another day was typed
        self.villages.description, self.budget.description = _("Villages"), _("Budget, som")
        self.create.description = _("Create hearing")
        set_options(self.type, [(label(t, lang), t) for t in HEARING_TYPES])  # keeps the choice, else the first
        municipality = self.app.ws.municipality()
        # stored by their Kyrgyz names (as the agenda and the sample do), shown in the screen's language
        self.villages.options = [(v.name(lang), v.name("ky")) for v in municipality.villages] if municipality else []
        self.q_kind.description = _("Ballot")
        for code, text in self.q_titles.items():
            text.description = _("Question ({language})", language=LANG_NAMES[code])
        self.q_options.description, self.q_max.description = _("Options"), _("Up to")
        self.q_points.description, self.q_stacking.description = _("Points"), _("Several points on one option")
        self.q_add.description = _("Add question") if not self.q_pick.value else _("Save the changes")
        self.q_add.icon = "plus" if not self.q_pick.value else "check"
        self.q_pick.description = _("Question")
        self.q_rule.description, self.q_score.description, self.q_tie.description = (
            _("Counting rule"), _("What is counted"), _("Tie rule"))
        self._set_choices(self.q_rule, {r: RULE_NAMES[r] for r in RULES})
        self._set_choices(self.q_score, SCORE_NAMES, default_score(self.q_kind.value or ""))
        self._set_choices(self.q_tie, TIE_NAMES)
        # after the scores: choosing a kind chooses its score
        set_options(self.q_kind, [(label(k, lang), k) for k in BALLOT_KINDS])
        self.open_button.description = _("Open voting")
        self.close_button.description = _("Close hearing")
        self.confirm_close.description = _("Yes, close it: nothing can be added afterwards")
        st = self.state
        for control in self.settings_box.children:
            control.disabled = st is None or st.status == CLOSED
        # voting is opened once: the button goes away after that
        self.open_button.layout.display = None if st is not None and st.status == DRAFT else "none"
        self.confirm_close.layout.display = self.close_button.layout.display = (
            None if st is not None and st.status != CLOSED else "none")
        problems = close_problems(st) if st is not None and st.status != CLOSED else []
        self.disputes.value = (block(problems[0].render(lang), cls="pb-warning", id="pb-close-disputes",
                                     items=[p.render(lang) for p in problems[1:]]) if problems else "")
        if st is None:
            self.details.value = ""
            self.q_options.options = []
            set_options(self.q_pick, [(_("New question"), "")])
            return
        changeable = [q for q in st.questions.values() if not st.ballots_for(q.id) and not st.counts_for(q.id)]
        set_options(self.q_pick, [(_("New question"), ""), *((q.title(lang), q.id) for q in changeable)])
        h = st.hearing
        if self._loaded != (st.id, h):  # only when the hearing changed: a poll must not wipe what is being typed
            self._loaded = (st.id, h)
            for code in LANGS:  # an older hearing's one-text title and venue show in the Kyrgyz field
                self.h_titles[code].value = h.titles.get(code, "") if h.titles else (h.title if code == "ky" else "")
                self.h_venues[code].value = h.venues.get(code, "") if h.venues else (h.venue if code == "ky" else "")
            self.h_practice.value, self.h_chair.value = h.practice, h.chair
            self.h_secretary.value, self.h_facilitator.value = h.secretary, h.facilitator
            self.h_commission.value = "\n".join(h.commission)
            self.h_record_names.value, self.h_under_18.value = h.record_names, h.allow_under_18
        self.q_options.options = [(f"{o.number}. {o.title(lang)}", o.id) for o in st.sorted_options()]
        hint = _("No options yet: add them in the Agenda tab first.")
        self.q_no_options.value = "" if st.options else block(hint, cls="pb-note")
        def counted(q) -> list[str]:  # a motion is yes/no/abstain: no budget rule, score or tie rule to state
            if q.kind == MOTION:
                return []
            if q.choose_one:  # a choice between alternatives (tariffs): the most votes, no budget rule nor score
                return [how_counted(q, q.rule).render(lang), _(TIE_NAMES.get(q.tie_rule, q.tie_rule))]
            return [_(names.get(value, value)) for names, value in (
                (RULE_NAMES, q.rule), (SCORE_NAMES, q.score), (TIE_NAMES, q.tie_rule))]

        questions = [{"title": q.title(lang), "ballot": ballot_text(q, lang), "counted": counted(q)}
                     for q in st.questions.values()]
        figures = " · ".join((_("Budget for projects: {amount}", amount=fmt.money(h.budget, lang)),
                              _("Status: {status}", status=label(st.status, lang))))
        self.deleting.render()
        if getattr(self, "_handed_for", None) != st.id:  # read once a hearing is chosen, not at every poll
            self._handed_for, self._handed = st.id, hand_ins(self.app.ws, st.id)
        handed = [_("Handed in from a laptop by {user} on {time} (records {first} to {last}).", user=n.user,
                    time=moment_text(n.at, self.app.zone, lang), first=n.first, last=n.last) for n in self._handed]
        self.details.value = html_from("console/details.html", type=label(h.type, lang), date=shown_day(h.date, lang),
                                       venue=h.venue_in(lang), figures=figures, questions=questions) + (
            block(" ".join(handed), cls="pb-note pb-handed-in", after=_(
                "Who entered each record, and when, is what the laptop's file says: the server checked that pbtools "
                "could have written it, not who did.")) if handed else "")

    def _set_choices(self, dropdown: w.Dropdown, names, default: str | None = None) -> None:
        """Translated choices, keeping the current one (set_options leaves the widget alone when nothing changed:
        this runs on every poll)."""
        set_options(dropdown, [(self._(names[code]), code) for code in names],
                    prefer=dropdown.value if dropdown.value in names else default)

    @hearing_action(refused=False)
    def act(self, action, **kw) -> bool:
        action(actor=self.app.actor, **kw)
        self.app.changed()
        return True

    @hearing_action(needs_hearing=False)
    def create_hearing(self) -> None:
        _ = self._
        created = self.app.service.create_hearing(
            type=self.type.value, date=self.date.value, venues={code: box.value for code, box in self.venues.items()},
            villages=self.villages.value, budget=self.budget.value, practice=self.practice.value, actor=self.app.actor)
        self.clear_new_form()  # so the same hearing is not created twice
        self.app.reload_choices(select=created)
        self.app.refresh_panels()
        self.ok(Told(N_("Hearing created.")))

    def fill_date(self, again: bool = False) -> None:
        """Today in the date box as the screen writes days (07.12.2026 in ky/ru; the store reads either form back):
        ``again`` after a hearing is created, else only while the box holds what the form put there."""
        if again or self.date.value == self._date_filled:
            self.date.value = self._date_filled = shown_day(datetime.date.today(), self.lang)

    def clear_new_form(self) -> None:
        self.fill_date(again=True)
        for box in self.venues.values():
            box.value = ""
        self.budget.value, self.practice.value = "0", False
        self.villages.value = ()

    @hearing_action(refused=False)
    def save_hearing(self) -> bool:
        """Store the changed details; the screen says saved only once they are committed."""
        form = {"titles": {code: box.value for code, box in self.h_titles.items()},
                "venues": {code: box.value for code, box in self.h_venues.items()},
                "chair": self.h_chair.value, "secretary": self.h_secretary.value,
                "facilitator": self.h_facilitator.value, "commission": self.h_commission.value,
                "record_names": self.h_record_names.value, "allow_under_18": self.h_under_18.value,
                "practice": self.h_practice.value}
        changes = self.app.service.save_details(form, actor=self.app.actor)
        if changes:
            self.app.changed()
        if "titles" in changes:  # the hearing chooser names hearings by their title
            self.app.reload_choices(select=self.store.id)
        self.ok(Told(N_("Saved.") if changes else N_("Nothing to save: no detail was changed.")))
        return True

    def _show_question_fields(self) -> None:
        """Only what the ballot kind uses: points for a points ballot, a limit for approval and ranking, options and
        counting rules for anything but a motion."""
        kind = self.q_kind.value
        shown = {self.q_points: kind == POINTS, self.q_stacking: kind == POINTS, self.q_max: kind in (APPROVAL, RANKING),
                 self.q_options: kind != MOTION, self.q_rule: kind != MOTION, self.q_score: kind != MOTION,
                 self.q_tie: kind != MOTION}
        for widget, show in shown.items():
            widget.layout.display = None if show else "none"

    def pick_question(self) -> None:
        """Fill the form with the picked question (or leave it for a new one)."""
        q = self.state.questions.get(self.q_pick.value) if self.state is not None else None
        self.message.clear()
        if q is not None:
            self.q_kind.value = q.kind  # first: choosing a kind chooses its default score
            for lang, text in self.q_titles.items():
                text.value = q.titles.get(lang, "")
            self.q_options.value = tuple(o for o in q.options if o in self.state.options)
            self.q_max.value, self.q_points.value = q.max_choices, max(q.points, 1)
            self.q_stacking.value, self.q_rule.value, self.q_score.value, self.q_tie.value = q.stacking, q.rule, q.score, q.tie_rule
        self.render()

    @hearing_action()
    def define_question(self) -> None:
        added = self.app.service.define_question(
            picked=self.q_pick.value, kind=self.q_kind.value, titles={lang: t.value for lang, t in self.q_titles.items()},
            options=self.q_options.value, max_choices=self.q_max.value, points=self.q_points.value,
            stacking=self.q_stacking.value, rule=self.q_rule.value, score=self.q_score.value, tie_rule=self.q_tie.value,
            actor=self.app.actor)
        self.app.changed()
        for text in self.q_titles.values():
            text.value = ""  # so the same question is not added twice
        self.q_pick.value = ""
        self.ok(Told(N_("Question added.") if added else N_("Question changed.")))

    def open_voting(self) -> None:
        if self.act(self.store.open):
            self.ok(Told(N_("Voting is open: ballots and counts can be entered now.")))

    def close(self) -> None:
        if not self.confirm_close.value:
            self.refuse(N_("Tick the box to confirm closing."))
            return
        if self.act(self.store.close):
            self.confirm_close.value = False
            self.ok(Told(N_("The hearing is closed.")))
