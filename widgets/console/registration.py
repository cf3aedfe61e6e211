"""The Registration tab: one click per answer at the door; counters of total, women and per village."""

from __future__ import annotations

import html

import ipywidgets as w

from pbtools.hearings.model import AGE_GROUPS, CATEGORIES, SEXES, Participant, label
from pbtools.hearings.store import HearingError
from pbtools.i18n import N_
from widgets.console.panel import Panel


class RegistrationPanel(Panel):
    title = N_("Registration")

    def build(self) -> None:
        self.sex = w.ToggleButtons(style={"button_width": "auto"})
        self.age = w.ToggleButtons(style={"button_width": "auto"})
        self.village = w.ToggleButtons(style={"button_width": "auto"})
        self.category = w.ToggleButtons(style={"button_width": "auto"})
        self.name = w.Text()
        self.register = w.Button(button_style="primary", layout=w.Layout(width="16rem", height="3rem"))
        self.register.on_click(lambda _: self.register_one())
        self.counters = w.HTML()
        self.box.children = [self.sex, self.age, self.village, self.category, self.name, self.register, self.message, self.counters]

    def render(self) -> None:
        _, lang = self._, self.app.lang
        self.register.description = _("Register")
        self.name.description = _("Name")
        for toggle, codes in ((self.sex, SEXES), (self.age, AGE_GROUPS), (self.category, CATEGORIES)):
            value = toggle.value
            toggle.options = [(label(c, lang), c) for c in codes]
            toggle.value = value if value in codes else codes[0]
        st = self.state
        if st is None:
            self.counters.value = ""
            return
        h = st.hearing
        if not h.allow_under_18 and self.age.value == "under_18":
            self.age.value = AGE_GROUPS[1]
        self.age.options = [(label(c, lang), c) for c in AGE_GROUPS if h.allow_under_18 or c != "under_18"]
        villages = list(h.villages) or ([v.name(lang) for v in self.app.ws.municipality().villages] if self.app.ws.municipality() else [])
        current = self.village.value
        self.village.options = villages
        if villages:
            self.village.value = current if current in villages else villages[0]
        self.name.layout.display = None if h.record_names else "none"
        c = st.counters
        per_village = "".join(f"<li>{html.escape(v)}: {n}</li>" for v, n in sorted(c.by_village.items()))
        figures = " · ".join((_("Registered: {n}", n=c.total), _("women: {n}", n=c.women), _("men: {n}", n=c.men)))
        self.counters.value = f'<div class="pb-figure" id="pb-registered">{html.escape(figures)}</div><ul>{per_village}</ul>'

    def register_one(self) -> None:
        if self.store is None:
            return
        participant = Participant(self.sex.value, self.age.value, self.village.value or "", self.category.value,
                                  self.name.value.strip())
        try:
            counters = self.store.register(participant, actor=self.app.actor)
        except HearingError as e:
            self.fail(e)
            return
        self.name.value = ""
        self.ok(self._("Registered: {n}", n=counters.total))
        self.app.changed()
