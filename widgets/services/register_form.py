"""Under the Register tab: register one service by hand (the core reads the form: ``register_form``), or import the
register file (every service of it, or none: each problem named by file, row and column). Stored in the ledger
before the screen says so; a refusal names each wrong field in the screen's language and stores nothing."""

from __future__ import annotations

import ipywidgets as w

from pbtools.central.hub import app_actor
from pbtools.fmt import percent
from pbtools.i18n import LANG_NAMES, LANGS, N_, Msg
from pbtools.services.model import PROVIDER_NAMES, PROVIDERS
from pbtools.services.register_form import BASIS_NAMES, FIELDS, ServiceForm
from pbtools.services.tariffs import EXAMPLE_RATE
from pbtools_widgets.base import block, label_upload, on_upload, saved_upload, set_options
from pbtools_widgets.status_line import Told

WIDE = w.Layout(width="34rem", max_width="100%")


class RegisterForm:
    """The form's widgets (``box``) and what its buttons do; ``tab``: the Register tab (status line, app)."""

    def __init__(self, tab) -> None:
        self.tab = tab
        self.title = w.HTML()
        self.id = w.Text(layout=w.Layout(width="20rem"))
        self.names = {lang: w.Text(layout=WIDE) for lang in LANGS}
        self.villages = w.Text(layout=WIDE)
        self.households, self.people = w.Text(layout=w.Layout(width="20rem")), w.Text(layout=w.Layout(width="20rem"))
        self.provider = w.Dropdown(layout=WIDE)
        self.rate = w.Text(layout=w.Layout(width="20rem"))
        self.lines = w.Text(layout=w.Layout(width="20rem"))
        self.costs = w.Textarea(layout=w.Layout(width="34rem", max_width="100%", height="6rem"))
        self.tariffs = w.Textarea(layout=w.Layout(width="34rem", max_width="100%", height="4rem"))
        self.basis = w.Dropdown(layout=WIDE)
        self.save = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.save.add_class("pb-svc-register-save")
        self.save.on_click(lambda _b: self.register())
        self.upload = w.FileUpload(accept=".csv,.xlsx,.txt", multiple=False)
        self.upload.add_class("pb-svc-register-upload")
        on_upload(self.upload, self.import_file)
        self.help = w.HTML()
        self.box = w.VBox([self.title, self.help, self.id, *self.names.values(), self.villages, w.HBox([self.households, self.people]),
                           self.provider, self.rate, self.lines, self.costs, w.HBox([self.tariffs, self.basis]), self.save,
                           self.upload])
        self.box.add_class("pb-svc-register-form")

    def render(self) -> None:
        _, lang = self.tab._, self.tab.lang
        self.title.value = block(_("Register a service"), tag="h3")
        self.help.value = block(_("Costs and tariffs: one a line, «what for: amount» (e.g. «electricity: 105 000»). "
                                  "Or import the register file (CSV or Excel) with every service at once."), cls="pb-note")
        self.id.description = _(FIELDS["id"])
        self.id.placeholder = "water"
        for code, box in self.names.items():
            box.description = f"{_(FIELDS['name'])} ({LANG_NAMES[code]})"
        self.villages.description, self.villages.placeholder = _(FIELDS["villages"]), _("separated by commas")
        self.households.description, self.people.description = _(FIELDS["households"]), _(FIELDS["people"])
        set_options(self.provider, [("—", "")] + [(Msg(PROVIDER_NAMES[p]).render(lang), p) for p in PROVIDERS])
        self.provider.description = _(FIELDS["provider"])
        self.rate.description, self.lines.description = _(FIELDS["rate"]), _(FIELDS["lines"])
        self.rate.placeholder = percent(EXAMPLE_RATE, lang, 0)  # as every percentage on the screen ("85 %", "85%")
        self.costs.description, self.tariffs.description = _(FIELDS["costs"]), _(FIELDS["tariffs"])
        set_options(self.basis, [(_(name), code) for code, name in BASIS_NAMES.items()])
        self.basis.description = _("Tariffs are")
        self.save.description = _("Register the service")
        label_upload(self.upload, _("Import the register file"))
        for widget in (self.id, *self.names.values(), self.villages, self.households, self.people, self.provider, self.rate,
                       self.lines, self.costs, self.tariffs, self.basis):
            widget.style = {"description_width": "14rem"}

    def form(self) -> ServiceForm:
        return ServiceForm(self.id.value, {code: box.value for code, box in self.names.items()}, self.villages.value,
                           self.households.value, self.people.value, self.provider.value or "", self.rate.value,
                           self.lines.value, self.costs.value, self.tariffs.value, self.basis.value or "household-year",
                           self.tab.lang)

    def register(self):
        """Store the service typed (the ledger commits before the screen says so); the form is emptied then."""
        tab = self.tab
        service = tab.act(lambda: tab.service.register_form(self.form(), app_actor()))
        if service is None:
            return None
        for box in (self.id, *self.names.values(), self.villages, self.households, self.people, self.rate, self.lines,
                    self.costs, self.tariffs):
            box.value = ""
        self.provider.value = ""
        tab.app.services_changed(service.id)
        tab.ok(Told(N_("Registered: {name} ({id})."), name=service.name, id=service.id))
        return service

    def import_file(self, name: str, content: bytes):
        """Every service of the file, or none; a refused file lists each problem (file, row, column)."""
        tab = self.tab

        def write():
            with saved_upload(name, content) as path:
                return tab.service.import_file(path, app_actor(), based_on=tab.seen)[0]

        stored = tab.act(write)
        if stored is None:
            return None
        tab.app.services_changed(stored[0].id)
        tab.ok(Told(N_("Imported from {file}: {ids}."), file=name, ids=", ".join(s.id for s in stored)))
        return stored
