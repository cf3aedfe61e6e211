"""The Hearing tab's "Delete this hearing": a practice hearing (or one nobody took part in) leaves the lists; its
records stay in the chain (``pbtools.hearings.deletion`` holds the rule)."""

from __future__ import annotations


import ipywidgets as w

from pbtools.i18n import N_
from pbtools_widgets.base import block, hearing_action
from pbtools_widgets.status_line import Told

RULE = N_("A practice hearing, or one nobody has taken part in yet (no registration, ballot, count or code), may be "
          "deleted: it leaves the lists, and its records stay in the ledger's chain. A real hearing cannot be deleted.")


class DeleteHearing:
    def __init__(self, panel) -> None:
        self.panel = panel
        self.rule = w.HTML()
        self.confirm = w.Checkbox(value=False, indent=False, layout=w.Layout(width="max-content"))
        self.button = w.Button(button_style="danger", layout=w.Layout(width="max-content"))
        self.button.on_click(lambda _: self.delete())
        self.box = w.VBox([self.rule, self.confirm, self.button])

    @property
    def store(self):
        return self.panel.app.store

    def fail(self, error) -> None:
        self.panel.fail(error)

    def render(self) -> None:
        _, st = self.panel._, self.panel.state
        self.confirm.description = _("Yes, delete this hearing")
        self.button.description = _("Delete this hearing")
        problems = self.panel.app.service.deletion_problems()
        why = [block(p.render(self.panel.app.lang), tag="p", cls="pb-error", id="pb-delete-refused") for p in problems]
        self.rule.value = "".join([block(_(RULE), tag="p"), *why])
        self.confirm.disabled = self.button.disabled = st is None or bool(problems)

    @hearing_action(refused=False)
    def delete(self) -> bool:
        app = self.panel.app
        if not self.confirm.value:
            self.panel.refuse(N_("Tick the box to confirm deleting."))
            return False
        hearing_id = app.service.delete_hearing(actor=app.actor)
        self.confirm.value = False
        app._chosen = None  # the chooser moves to the hearing under way
        app.reload_choices()
        app.refresh_panels()
        self.panel.ok(Told(N_("Hearing {id} is deleted: it is no longer listed; its records stay in the ledger."), id=hearing_id))
        return True
