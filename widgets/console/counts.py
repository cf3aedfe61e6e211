"""The Show of hands tab: the counting commission enters hands or stickers per option, optionally per group."""

from __future__ import annotations

import html

import ipywidgets as w

from pbtools.hearings.model import ANSWERS, MOTION, SEXES, label
from pbtools.hearings.store import HearingError
from pbtools.hearings.turnout import turnout
from widgets.base import set_options
from pbtools.i18n import N_
from widgets.console.panel import Panel


class CountsPanel(Panel):
    title = N_("Show of hands")

    def build(self) -> None:
        self.question = w.Dropdown(layout=w.Layout(width="34rem"))
        self.method = w.ToggleButtons()
        self.group_by = w.ToggleButtons()
        self.grid = w.GridBox(layout=w.Layout(grid_gap="0.3rem"))
        self.inputs: dict[tuple[str, str], w.BoundedIntText] = {}
        self.save = w.Button(button_style="primary")
        self.save.on_click(lambda _: self.store_count())
        self.existing = w.HTML()
        self.question.observe(lambda _: self._rebuild_grid(), "value")
        self.group_by.observe(lambda _: self._rebuild_grid(), "value")
        self.box.children = [self.question, self.method, self.group_by, self.grid, self.save, self.message, self.existing]

    def groups(self) -> list[tuple[str, str]]:
        """(code, label) of the groups counted separately."""
        lang = self.app.lang
        if self.group_by.value == "sex":
            return [(s, label(s, lang)) for s in SEXES]
        if self.group_by.value == "village" and self.state is not None:
            return [(v, v) for v in self.state.hearing.villages]
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
        self.save.description = _("Save count")
        method, group = self.method.value, self.group_by.value
        self.method.options = [(_("Show of hands"), "hands"), (_("Stickers"), "stickers")]
        self.method.value = method or "hands"
        self.group_by.options = [(_("Everyone together"), ""), (_("Women and men"), "sex"), (_("By village"), "village")]
        self.group_by.value = group or ""
        st = self.state
        set_options(self.question, [(q.title(lang), q.id) for q in st.questions.values()] if st else [])
        self._rebuild_grid()
        counts = st.counts_for(self.question.value) if st and self.question.value else []
        items = "".join(
            f"<li>{html.escape(c.actor)}: {html.escape(', '.join(f'{g}: {sum(v.values())}' for g, v in c.counts.items()))}</li>"
            for c in counts
        )
        self.existing.value = f"<ul id='pb-counts'>{items}</ul>" if items else ""
        # the ballots of this question against the registrations, as on the Paper ballots tab and the board
        t = turnout(st, self.question.value) if st and self.question.value in st.questions else None
        if t is not None and t.warning is not None:
            self.existing.value += f'<div class="pb-warning" style="color: #8a1c00; font-weight: bold" id="pb-counts-warning">{html.escape(t.warning.render(lang))}</div>'

    def _rebuild_grid(self) -> None:
        keys, groups = self.keys(), self.groups()
        old = {k: box.value for k, box in self.inputs.items()}
        self.inputs = {(g, k): w.BoundedIntText(value=old.get((g, k), 0), min=0, max=100000, layout=w.Layout(width="7rem"))
                       for g, _ in groups for k, _ in keys}
        cells = [w.HTML("")] + [w.HTML(f"<b>{html.escape(name)}</b>") for _, name in groups]
        for k, name in keys:
            cells.append(w.HTML(html.escape(name)))
            cells += [self.inputs[(g, k)] for g, _ in groups]
        self.grid.layout.grid_template_columns = f"24rem repeat({len(groups)}, 8rem)"
        self.grid.children = cells

    def store_count(self) -> None:
        if self.store is None or self.question.value is None:
            return
        counts: dict[str, dict[str, int]] = {}
        for (group, key), box in self.inputs.items():
            counts.setdefault(group, {})[key] = box.value
        try:
            self.store.enter_count(self.question.value, counts, actor=self.app.actor,
                                   group_by=self.group_by.value, method=self.method.value)
        except HearingError as e:
            self.fail(e)
            return
        self.ok(self._("Count saved."))
        self.app.changed()
