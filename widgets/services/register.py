"""The Register tab: each service of the register as the hall reads it: who delivers it, where, for how many
households (or people), its yearly cost by item, its tariffs in force, and the share of bills that is paid."""

from __future__ import annotations

import ipywidgets as w

from pbtools.fmt import money, number, percent
from pbtools.html import render as html_from
from pbtools.i18n import N_, Msg
from pbtools.services.model import HOUSEHOLD, PROVIDER_NAMES
from pbtools.services.places import villages_text
from pbtools.services.scorecard import tariff_amount
from pbtools_widgets.services.register_form import RegisterForm
from pbtools_widgets.services.tab import Tab


class RegisterTab(Tab):
    title = N_("Register of services")

    def build(self) -> None:
        self.cards = w.HTML()
        self.cards.add_class("pb-svc-register")
        self.form = RegisterForm(self)
        self.seen: tuple[int, str] | None = None  # the register's point as the cards show it (None: not drawn yet)
        self.box = w.VBox([self.cards, self.form.box, self.status])

    def render(self) -> None:
        _, lang = self._, self.lang
        cards = []
        municipality = self.service.municipality()
        services, self.seen = self.service.register_read()  # an import from this screen is decided on what it shows
        for s in services:
            payer, payers = s.payers
            provider = Msg(PROVIDER_NAMES[s.provider]).render(lang) if s.provider in PROVIDER_NAMES else s.provider
            cards.append({
                "id": s.id, "name": s.name(lang),
                "facts": [(_("Delivered by"), provider), (_("Villages"), villages_text(s.villages, municipality, lang)),
                          (_("Households served") if payer == HOUSEHOLD else _("People served"), number(payers, lang)),
                          (_("Collection rate"), percent(s.collection_rate, lang, digits=0)),
                          (_("Budget lines"), ", ".join(s.budget_lines) or "—")],
                "costs": [(c.name(lang), money(c.amount, lang)) for c in s.costs],
                "total": money(s.yearly_cost, lang),
                "tariffs": [(t.name(lang), tariff_amount(t, lang)) for t in s.tariffs],
            })
        self.cards.value = html_from("services/register.html", cards=cards, cost_head=_("Yearly cost"), total=_("Total"),
                                     tariff_head=_("Tariffs in force"), no_tariff=_("No tariff in the register."),
                                     empty=_("No service in the register yet: register one below, or import the register file."))
        self.form.render()
