"""ResultsApp: the results board for the projector, with participation, groups, Equal Shares rounds and the rule
comparison in tabs; every chart can be exported as PNG and SVG.

Ballots arrive from any process (paper entry in another tab, phones): a hidden timer in the page asks the kernel
once a second whether the hearing's ledger moved on; only then are the records folded, counted and drawn again.
Results stay hidden (only participation is shown) until the facilitator reveals them; by default they are hidden
while voting is open and shown once the hearing is closed.
"""

from __future__ import annotations

import base64
import io

import ipywidgets as w

from pbtools.charts import results as charts
from pbtools.charts import style
from pbtools.counting.names import RULE_NAMES
from pbtools.fmt import number, percent
from pbtools.html import render as html_from
from pbtools.hearings.model import MOTION, OPEN, label
from pbtools.i18n import N_, Msg, plural_translator
from pbtools.results.board import Board
from pbtools.results.count import RULE_IDEAS, family, how_counted, no_budget_shared
from pbtools.results.service import ResultsService, hearing_to_show
from pbtools_widgets.base import AppView, figure_png, poll_timer, set_options
from pbtools_widgets.progress import ProgressLine

POLL_MS = 1000
TABS = (N_("Board"), N_("Participation"), N_("Groups"), N_("Equal Shares rounds"), N_("Compare rules"))

# The board's CSS (large type for the back of the hall, full screen) is in pbtools/server/static/widgets.css, and its
# Full screen button's script in static/results.js, both loaded by the apps' page template; its HTML is drawn from
# pbtools/templates/results/.


def board_png(figure) -> bytes:
    """The board chart as PNG in one drawing: its constrained layout already fits, so no "tight" second pass."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=style.BOARD_DPI)
    return buffer.getvalue()


def para(text: str) -> str:
    return html_from("text.html", text=text)


def hidden_note(text: str) -> str:
    return html_from("results/hidden.html", text=text)


class ResultsApp(AppView):
    title = N_("Results")

    def build(self) -> None:
        self.service = ResultsService(self.ws)
        self.board: Board | None = None
        self._known: tuple = ((), {})  # hearing ids and their status, as the hearing list shows them
        self._quiet = False  # while a list is replaced: a new options list passes through its first value
        self._chosen: str | None = None  # the hearing the facilitator chose here (else the board chooses)
        self.heading.add_class("pb-heading")  # the app's title: left out in full screen
        self._heads: dict = {}  # each hearing's last ledger record, watched while no open hearing is shown
        self.hearing = w.Dropdown(layout=w.Layout(width="44rem", max_width="100%"))  # date · title · status, whole
        self.question = w.Dropdown(layout=w.Layout(width="30rem"))
        self.reveal = w.ToggleButton(layout=w.Layout(width="16rem"))
        self.reveal.add_class("pb-reveal")
        self.fullscreen = w.HTML()
        self.export = w.Button(layout=w.Layout(width="20rem"))
        self.export.add_class("pb-export")
        self.exported = w.HTML()
        self.grouping = w.ToggleButtons(style={"button_width": "9rem"})
        self.head = w.HTML()
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
        self.image.add_class("pb-board-image")
        self.notes = w.HTML()
        self.panes = {name: w.VBox() for name in ("participation", "groups", "rounds", "compare")}
        pane = w.VBox([self.head, self.image, self.notes])
        pane.add_class("pb-board-pane")
        self.tabs = w.Tab(children=[pane, *self.panes.values()])
        self.timer = poll_timer(POLL_MS, self.poll)
        self.progress = ProgressLine(lambda: self.lang)
        corner = w.HBox([self.reveal, self.fullscreen])
        corner.add_class("pb-corner")
        controls = w.VBox([w.HBox([self.hearing, self.question]), w.HBox([self.export]), self.progress.box, self.exported])
        controls.add_class("pb-controls")
        self.body = w.VBox([corner, controls, self.tabs, self.timer])
        self.body.add_class("pb-body")
        # Drawn by a preheated kernel before anyone opened the page, so perhaps long ago: hidden until the page is
        # shown and the board is drawn again from the ledger (``_on_shown``), never a count or a hearing it has not
        # just read (the chooser too: a new hearing may have been opened since).
        self.body.add_class("pb-unread")
        self.hearing.observe(self._on_choice, "value")
        self.question.observe(lambda _: self._quiet or self.redraw(), "value")
        self.reveal.observe(self._on_reveal, "value")
        self.tabs.observe(lambda _: self.draw_tab(), "selected_index")
        self.grouping.observe(lambda _: self.draw_tab(), "value")
        self.export.on_click(lambda _: self.export_all())

    def render(self) -> None:
        super().render()
        self.view.add_class("pb-results")
        _ = self._
        self.hearing.description, self.question.description = _("Hearing"), _("Question")
        self.export.description = _("Export charts (PNG, SVG)")
        self.fullscreen.value = html_from("results/fullscreen.html", text=_("Full screen"), leave=_("Exit full screen (Esc)"))
        # a ToggleButtons given options holds no value (and loses it when they change): keep one, else the first
        set_options(self.grouping, [(_("Women and men"), "sex"), (_("Villages"), "village"), (_("Age groups"), "age"), (_("Categories"), "category")])
        for i, name in enumerate(TABS):
            self.tabs.set_title(i, _(name))
        self.reload_hearings()
        self._on_hearing()

    def _on_shown(self, change) -> None:
        super()._on_shown(change)  # renders: the ledger is read again
        if not change["old"] and change["new"]:
            self.body.remove_class("pb-unread")

    def reload_hearings(self) -> None:
        """The hearing list from the ledger (the chooser's list, as the console's), on the hearing to show."""
        listed = self.service.hearings(self.lang)
        choices = [(f"{h.label} · {label(h.status, self.lang)}", h.id) for h in listed.items]
        self._known = (listed.ids, {h.id: h.status for h in listed.items})
        self._replace(self.hearing, choices, prefer=hearing_to_show(listed, self._chosen, self.hearing.value))

    def reload_questions(self) -> None:
        st = self.service.state
        self._replace(self.question, [(q.title(self.lang), q.id) for q in st.questions.values()] if st else [])

    def _replace(self, dropdown: w.Dropdown, options: list, **kw) -> bool:
        """``set_options`` without the passing value reaching the observers; True when the choice changed."""
        before = dropdown.value
        self._quiet = True
        try:
            set_options(dropdown, options, **kw)
        finally:
            self._quiet = False
        return dropdown.value != before

    # -- choosing what to show
    def _on_choice(self, change) -> None:
        if not self._quiet:
            self._chosen = change["new"]
            self._on_hearing()

    def _on_hearing(self) -> None:
        self.service.choose(self.hearing.value)  # the records written since (a preheated kernel: since it started)
        self.reload_questions()
        self.redraw()

    def _on_reveal(self, change) -> None:
        if self.service.state is not None and self.board is not None and (not change["new"]) != self.board.hidden:
            self.service.set_hidden(not change["new"])
            self.redraw()

    def _waiting_moved(self, ids: tuple) -> bool:
        """While the board shows a draft or closed hearing nobody chose, whether another hearing's ledger moved on
        (it may have been opened): one small query per hearing, only then."""
        if self._chosen is not None or self._known[1].get(self.hearing.value) == OPEN:
            return False
        heads = self.service.heads(ids)
        moved, self._heads = heads != self._heads, heads
        return moved

    def poll(self) -> None:
        """One tick of the page's timer: follow new hearings and questions, and redraw only if the ledger or the
        hide/show choice changed."""
        ids = self.service.hearing_ids()
        if ids != self._known[0] or self._waiting_moved(ids):
            self.reload_hearings()
            if self.service.state is None or self.service.state.id != self.hearing.value:
                self._on_hearing()
                return
        if self.service.state is None:
            return
        moved = self.service.has_news()
        if moved:
            st = self.service.refresh()
            if self._known[1].get(st.id) != st.status:  # opened or closed elsewhere: the list says so
                self.reload_hearings()
                if self.service.state.id != self.hearing.value:  # closed elsewhere: on to the hearing to show
                    self._on_hearing()
                    return
            self.reload_questions()  # a question defined after the board was opened (the choice is kept)
        if moved or (self.board is not None and self.service.hidden() != self.board.hidden):
            self.redraw()

    # -- drawing
    def redraw(self) -> None:
        """Count and draw the board (and the open tab) from the current state."""
        _ = self._
        if self.service.state is None or self.question.value is None:
            self.board = None
            self.head.value = para(_("No hearing with questions yet: prepare one in the Hearing console."))
            self.image.layout.display = "none"
            self.notes.value = ""  # nothing of the hearing shown before stays under it
            self.draw_tab()
            return
        if self.service.broken is not None:  # the record does not verify: no figures from it
            self.board = None
            self.head.value = para(self.service.broken.render(self.lang))
            self.image.layout.display = "none"
            self.notes.value = ""
            return
        st = self.service.state
        self.board = board = self.service.board(self.question.value)
        with self.reveal.hold_trait_notifications():
            self.reveal.value = not board.hidden
        self.reveal.description = _("Hide results") if not board.hidden else _("Show results")
        self.head.value = self.head_html(board)
        if board.hidden:
            self.image.layout.display = "none"
            self.notes.value = hidden_note(_("Results are hidden until voting closes."))
        else:
            question = st.questions[board.question_id]
            if question.kind == MOTION:
                figure = charts.motion_chart(st, board.question_id, board.tally, self.lang)
            else:
                figure = charts.board_chart(st, board.question_id, board.tally, board.result, self.lang)
            self.image.value = board_png(figure)
            self.image.layout.display = None
            self.notes.value = self.notes_html(board)
        self.draw_tab()

    def head_html(self, board: Board) -> str:
        _, lang = self._, self.lang
        p = board.participation
        women = percent(p.women_share, lang) if p.women_share is not None else "—"
        cells = [
            (number(p.total, lang), _("participants")),
            (women, _("women ({n})", n=number(p.women, lang))),
            (number(board.ballots, lang), _("ballots counted")),
            (label(board.status, lang), _("voting")),
        ]
        keys = ["participants", "women", "ballots", "status"]
        if board.hand_votes:  # the chart's votes are the ballots' and these: both said, so the totals agree
            by_hands = plural_translator(lang)("vote by show of hands", "votes by show of hands", board.hand_votes)
            cells.insert(3, (number(board.hand_votes, lang), by_hands))
            keys.insert(3, "hands")
        question = self.service.state.questions[board.question_id].title(lang)
        # invalid ballots: a small line, never a count of any option. The ballots-vs-registrations warning is the
        # facilitator's (the console and the protocol give it): the hall's screen does not accuse the count.
        return html_from("results/head.html", question=question,
                      cells=[(key, value, text) for key, (value, text) in zip(keys, cells)],
                      invalid=_("Invalid ballots: {n}", n=number(board.invalid, lang)))

    def notes_html(self, board: Board) -> str:
        _, lang = self._, self.lang
        items = [n.render(lang) for n in board.notes]
        if board.result is not None:
            question = self.service.state.questions[board.question_id]
            how = how_counted(question, board.result.rule).render(lang)  # a choice: "the most votes", not a rule
            items.append(how if question.choose_one else _("Counted by: {rule}", rule=how))
            items += [t.message.render(lang) for t in board.result.ties]
        return html_from("results/notes.html", id=None, items=items)

    def draw_tab(self) -> None:
        """Draw the open tab only: the others wait until they are opened."""
        index = self.tabs.selected_index or 0
        if self.board is None or self.service.state is None:  # nothing to show: no tab keeps another hearing's charts
            for pane in self.panes.values():
                pane.children = ()
            return
        if index == 0:
            return
        name = list(self.panes)[index - 1]
        st, board, _ = self.service.state, self.board, self._
        hidden = hidden_note(_("Results are hidden until voting closes."))
        if name == "participation":
            self.panes[name].children = [w.Image(value=figure_png(charts.participation_chart(board.participation, self.lang, self.ws.municipality())), format="png", layout=w.Layout(max_width="100%"))]
        elif board.hidden:
            self.panes[name].children = [w.HTML(hidden)]
        elif name == "groups":
            groups = self.service.groups(board.question_id, self.grouping.value)
            figure = charts.groups_chart(st, board.question_id, groups, self.grouping.value, self.lang, self.ws.municipality())
            self.panes[name].children = [self.grouping, w.Image(value=figure_png(figure), format="png", layout=w.Layout(max_width="100%"))]
        elif name == "rounds":
            self.panes[name].children = self.rounds_widgets()
        else:
            self.panes[name].children = self.compare_widgets()

    def rounds_widgets(self) -> list:
        st, board, _ = self.service.state, self.board, self._
        rounds = self.service.rounds(board)
        if rounds is None:
            return [w.HTML(para(no_budget_shared(st.questions[board.question_id]).render(self.lang)))]
        result, voters = rounds  # Equal Shares shares the budget among the ballots
        image = w.Image(value=figure_png(charts.rounds_chart(st, result, self.lang, voters)), format="png", layout=w.Layout(max_width="100%"))
        return [image, w.HTML(html_from("results/rounds.html",
                                     notes=[n.render(self.lang) for n in result.options.get("notes", ())],
                                     steps=[s.message.render(self.lang) for s in result.steps]))]

    def compare_widgets(self) -> list:
        st, board, _, lang = self.service.state, self.board, self._, self.lang
        comparison = self.service.comparison(board.question_id)
        if comparison is None:
            return [w.HTML(para(no_budget_shared(st.questions[board.question_id]).render(self.lang)))]
        image = w.Image(value=figure_png(charts.comparison_chart(st, board.question_id, comparison, lang)), format="png", layout=w.Layout(max_width="100%"))
        ideas = dict.fromkeys(family(r) for r in comparison.results)  # MES and MES + greedy share one idea
        notes = dict.fromkeys(n.render(lang) for r in comparison.results.values() for n in r.options.get("notes", ()))
        differences = [{
            "name": charts.option_name(st, d.option, lang),
            "funded_by": _("Funded by: {rules}", rules=", ".join(_(RULE_NAMES[r]) for r in d.chosen_by)),
            "reasons": [(_(RULE_NAMES[r]), m.render(lang)) for r, m in d.reasons.items()],
        } for d in comparison.differences]
        # notes: e.g. show-of-hands figures left out of every rule, so that all count the same ballots
        return [image, w.HTML(html_from(
            "results/compare.html", ideas=[_(RULE_IDEAS[f]) for f in ideas], notes=list(notes), differences=differences,
            agree=_("All rules fund the same options."), differ=_("≠ in the chart marks the options the rules do not agree on:")))]

    # -- export
    def export_all(self) -> None:
        _ = self._
        if self.service.state is None or self.board is None:
            return
        board = self.board
        self.exported.value = ""
        self.export.disabled = True
        try:
            self.progress.show(0, 1, Msg(N_("Drawing the charts")))
            paths = self.service.export(board, self.lang, progress=self.progress.show)
        finally:
            self.progress.hide()
            self.export.disabled = False
        files = [{"name": path.name, "mime": "image/png" if path.suffix == ".png" else "image/svg+xml",
                  "data": base64.b64encode(path.read_bytes()).decode()} for path in paths]
        text = self._n("{n} file made:", "{n} files made:", len(paths))  # each a link: the server's folder means nothing elsewhere
        self.exported.value = html_from("results/exported.html", text=text, files=files)
