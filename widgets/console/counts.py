"""The Show of hands tab: the counting commission enters hands or stickers per option, optionally per group."""

from __future__ import annotations


import ipywidgets as w

from pbtools.hearings.model import ANSWERS, MOTION, SEXES, label, village_name
from pbtools.hearings.hand_counts import (
    NEW_COUNT, count_number, group_name, hands_refused, over_registered, over_registered_before_saving, save_targets,
)
from pbtools.hearings.turnout import turnout
from pbtools_widgets.base import block, hearing_action, set_options
from pbtools.i18n import N_
from pbtools.moments import local_moment
from pbtools.roles import actor_shown
from pbtools_widgets.console.panel import Panel
from pbtools_widgets.status_line import Told


class CountsPanel(Panel):
    title = N_("Show of hands")

    def build(self) -> None:
        self.question = w.Dropdown(layout=w.Layout(width="34rem"))
        self.question.add_class("pb-counts-question")  # other tabs have a "Question" too
        self.method = w.ToggleButtons()
        self.group_by = w.ToggleButtons()
        self.grid = w.GridBox(layout=w.Layout(grid_gap="0.3rem"))
        self.inputs: dict[tuple[str, str], w.IntText] = {}
        # counts are added up (several tables each counting part of the hall, stickers after hands); a saved count
        # is corrected by choosing to replace it, for that one save (the form then holds its figures)
        self.target = w.Dropdown(layout=w.Layout(width="34rem"))
        self.target.add_class("pb-counts-target")
        self.replacing = w.HTML()  # which count the next save replaces, said before saving
        self.save = w.Button(button_style="primary")
        self.save.on_click(lambda _: self.store_count())
        # more hands than people registered: said before saving, and saved only when the commission confirms
        self.warning = w.HTML()
        self.confirm = w.Button(button_style="warning", layout=w.Layout(display="none"))
        self.confirm.on_click(lambda _: self.store_count(confirmed=True))
        self.refusal = w.HTML()  # a question whose rule cannot count hands: said as soon as it is chosen
        self.existing = w.HTML()
        self.question.observe(lambda _: self._on_question(), "value")
        self.group_by.observe(lambda _: self._rebuild_grid(), "value")
        self.target.observe(lambda _: self._load_target(), "value")
        self.target.observe(lambda _: self._show_target(), "value")
        self.box.children = [self.question, self.refusal, self.target, self.method, self.group_by, self.grid,
                             self.replacing, self.save, self.warning, self.confirm, self.message, self.existing]

    def groups(self) -> list[tuple[str, str]]:
        """(code, label) of the groups counted separately."""
        lang = self.app.lang
        if self.group_by.value == "sex":
            return [(s, label(s, lang)) for s in SEXES]
        if self.group_by.value == "village" and self.state is not None:
            municipality = self.app.ws.municipality()  # read once, not once a village
            return [(v, village_name(v, municipality, lang)) for v in self.state.hearing.villages]
        return [("all", self._("All"))]

    def keys(self) -> list[tuple[str, str]]:
        st, lang = self.state, self.app.lang
        q = st.questions.get(self.question.value) if st else None
        if q is None:
            return []
        if q.kind == MOTION:
            return [(a, label(a, lang)) for a in ANSWERS]
        return [(o.id, f"{o.number}. {o.title(lang)}") for o in st.options_of(q.id)]

    def render(self) -> None:
        _, lang = self._, self.app.lang
        self.question.description = _("Question")
        self.confirm.description = _("Save anyway")
        method, group = self.method.value, self.group_by.value
        self.method.options = [(_("Show of hands"), "hands"), (_("Stickers"), "stickers")]
        self.method.value = method or "hands"
        self.group_by.options = [(_("Everyone together"), ""), (_("Women and men"), "sex"), (_("By village"), "village")]
        self.group_by.value = group or ""
        self.target.description = _("Save as")
        st = self.state
        set_options(self.question, [(q.title(lang), q.id) for q in st.questions.values()] if st else [])
        self._fill_targets()
        self._rebuild_grid()
        self._list_saved()
        self._show_refusal()
        self._show_target()

    def _refused(self):
        st = self.state
        q = st.questions.get(self.question.value) if st and self.question.value else None
        return hands_refused(q) if q is not None else None

    def _show_refusal(self) -> None:
        """Equal Shares and Phragmén need each voter's whole ballot: the tab says so and takes no figures."""
        refusal = self._refused()
        self.refusal.value = (block(refusal.render(self.app.lang), cls="pb-error", id="pb-hands-refused")
                              if refusal is not None else "")
        self.save.disabled = refusal is not None
        self.grid.layout.display = "none" if refusal is not None else None

    def _list_saved(self) -> None:
        """The question's saved counts, and the warning when it has more ballots than people registered."""
        st, lang = self.state, self.app.lang
        saved = self._saved()
        shown = [block(items=[self._describe(c) for c in saved], list_id="pb-counts")]
        shown += [block(p.render(lang), cls="pb-warning") for c in saved for p in over_registered(st, c)]  # the count is kept

        # the ballots of this question against the registrations, as on the Paper ballots tab and the board
        t = turnout(st, self.question.value) if st and self.question.value in st.questions else None
        if t is not None and t.warning is not None:
            shown.append(block(t.warning.render(lang), cls="pb-warning", id="pb-counts-warning"))
        self.existing.value = "".join(shown)

    def _saved(self) -> list:
        st = self.state
        return sorted(st.counts_for(self.question.value), key=lambda c: c.seq) if st and self.question.value else []

    def _group_label(self, group: str, municipality=None) -> str:
        return group_name(group, municipality, self.app.lang)

    def _describe(self, c, numbered: bool = True) -> str:
        """"Count 12 · Show of hands · Woman: 7, Man: 5 · Aigul, 10:42": what was saved, by whom and when (without
        "Count 12" where the sentence names it)."""
        _ = self._
        method = _("Show of hands") if c.method == "hands" else _("Stickers")
        municipality = self.app.ws.municipality() if c.group_by == "village" else None
        figures = ", ".join(f"{self._group_label(g, municipality)}: {sum(v.values())}" for g, v in c.counts.items())
        who = actor_shown(c.actor, self.lang)
        when = local_moment(c.created_at, self.app.zone).strftime("%H:%M") if hasattr(c.created_at, "astimezone") else ""  # the hall's clock
        number = _("Count {seq}", seq=count_number(self.state, c)) if numbered else ""
        return " · ".join(x for x in (number, method, figures, f"{who} {when}".strip()) if x)

    def _fill_targets(self, fresh: bool = False) -> None:
        """Add a new count (the default, first) or replace a saved one (``hand_counts.save_targets``); ``fresh``: a
        question just chosen, so the default again rather than the choice made for the other one. A poll keeps
        the choice while its count is still saved."""
        _ = self._
        targets = save_targets(self.state, self.question.value) if self.state and self.question.value else [(0, NEW_COUNT)]
        options = [(_("Replace count {seq}", seq=number) if seq != NEW_COUNT else _("A new count, added to those saved"), seq)
                   for number, seq in targets]
        set_options(self.target, options, prefer=NEW_COUNT if fresh else None)

    def _show_target(self) -> None:
        """Before saving, which count a save will replace (named, with its figures, by whom and when), and the
        button says it; nothing while the save adds a new count."""
        _ = self._
        count = next((c for c in self._saved() if c.seq == self.target.value), None)
        if count is None:
            self.replacing.value, self.save.description = "", _("Save count")
            return
        number = count_number(self.state, count)
        note = _("Saving will replace count {number} ({count}): its figures will no longer be counted.",
                 number=number, count=self._describe(count, numbered=False))
        self.replacing.value = block(note, cls="pb-warning", id="pb-counts-replacing")
        self.save.description = _("Replace count {seq}", seq=number)

    def _on_question(self) -> None:
        """Another question: its saved counts listed and loaded; what was said of the other one is cleared."""
        self.message.clear()
        self._clear_warning()
        self._fill_targets(fresh=True)
        self._load_target(clear=True)
        self._list_saved()
        self._show_refusal()

    def _load_target(self, clear: bool = False) -> None:
        """The form holds the figures of the count it will replace (what was saved, to correct). Choosing "a new
        count" keeps what is typed; ``clear`` (another question) starts from zeros."""
        count = next((c for c in self._saved() if c.seq == self.target.value), None)
        if count is not None:
            self.method.value = count.method
            self.group_by.value = count.group_by
        self._rebuild_grid()
        if count is None and not clear:
            return
        for (group, key), box in self.inputs.items():
            box.value = count.counts.get(group, {}).get(key, 0) if count is not None else 0

    def _rebuild_grid(self) -> None:
        keys, groups = self.keys(), self.groups()
        old = {k: box.value for k, box in self.inputs.items()}
        # (not bounded: a bounded box turned -3 into 0 and 200000 into 100000 without a word; the core refuses a
        # negative figure, naming it, and asks to confirm one past the people registered)
        self.inputs = {(g, k): w.IntText(value=old.get((g, k), 0), layout=w.Layout(width="7rem"))
                       for g, _ in groups for k, _ in keys}
        for box in self.inputs.values():  # other figures: the warning given for the old ones no longer holds
            box.observe(lambda _: self._clear_warning(), "value")
        cells = [w.HTML("")] + [w.HTML(block(name, tag="b")) for _, name in groups]
        for k, name in keys:
            cells.append(w.HTML(block(name, tag="span")))
            cells += [self.inputs[(g, k)] for g, _ in groups]
        self.grid.layout.grid_template_columns = f"24rem repeat({len(groups)}, 8rem)"
        self.grid.children = cells

    def _clear_warning(self) -> None:
        self.warning.value = ""
        self.confirm.layout.display = "none"

    @hearing_action()
    def store_count(self, confirmed: bool = False) -> None:
        """Save the figures typed. More hands for an option than people of that group registered is said first,
        and nothing is saved until the commission confirms ("Save anyway") or corrects the figures."""
        if self.question.value is None:
            return
        counts: dict[str, dict[str, int]] = {}
        for (group, key), box in self.inputs.items():
            counts.setdefault(group, {})[key] = box.value
        replaces = self.target.value or None
        if not confirmed and self._refused() is None:
            warnings = over_registered_before_saving(self.state, self.question.value, counts)
            if warnings:
                self.message.clear()
                self.warning.value = block(
                    self._("Not saved yet: check these figures."), cls="pb-warning", id="pb-counts-confirm",
                    items=[p.render(self.app.lang) for p in warnings],
                    after=self._("Count again, or save them as they are if people voted without registering."))
                self.confirm.layout.display = None
                return
        self._clear_warning()
        seq = self.store.enter_count(self.question.value, counts, actor=self.app.actor,
                                     group_by=self.group_by.value, method=self.method.value, replaces=replaces)
        self.app.changed()
        # the next save adds a count again, from an empty form: replacing is chosen anew for each correction
        self.target.value = NEW_COUNT
        for box in self.inputs.values():
            box.value = 0
        st = self.state
        number = count_number(st, st.counts[seq]) if st is not None and seq in st.counts else seq
        if replaces:
            old = st.voided.get(replaces) if st is not None else None
            old_number = count_number(st, old) if old is not None else replaces
            self.ok(Told(N_("Count {seq} saved; it replaces count {old}."), seq=number, old=old_number))
        else:
            self.ok(Told(N_("Count {seq} saved."), seq=number))
