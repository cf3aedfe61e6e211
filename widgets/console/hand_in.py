"""The Reports tab's "Hand in a hearing from a laptop", on a central server only: a facilitator uploads the audit
file their laptop exported, or the zip of its hand-in folder (``pbtools sync pack``: hearings, monitoring, photos),
and it is stored in this municipality's workspace (``sync.folder.hand_in_any``, the same rule as ``pbtools sync
push`` and the hub's ``POST /pbtools/sync``), or refused with the reasons, nothing stored.

The section shows only behind the hub (``central.hub.hub_actor``: the hub gives the server its user and role); a
laptop has nothing to hand in to itself.
"""

from __future__ import annotations

import ipywidgets as w

from pbtools.central.hub import hub_actor
from pbtools.roles import NotAllowed
from pbtools.sync.folder import hand_in_any
from pbtools.sync.push import SyncRefused
from pbtools_widgets.base import block, label_upload, on_upload, saved_upload


class HandInSection:
    def __init__(self, panel) -> None:
        self.panel = panel
        self.actor = hub_actor()
        self.heading = w.HTML()
        self.upload = w.FileUpload(accept=".jsonl,.zip", multiple=False)
        on_upload(self.upload, self.hand_in)
        self.result = w.HTML()
        self.result.add_class("pb-hand-in-result")
        self.box = w.VBox([self.heading, self.upload, self.result],
                          layout=w.Layout(display=None if self.actor else "none"))

    @property
    def shown(self) -> bool:
        return self.actor is not None

    def render(self) -> None:
        _ = self.panel._
        self.heading.value = block(_("Hand in a hearing from a laptop"), tag="h3")
        label_upload(self.upload, _("Upload the laptop's audit file (.jsonl) or its hand-in folder as a zip"))

    def hand_in(self, name: str, content: bytes) -> bool:
        """Store the hearing of an uploaded audit file; True when the file was accepted (even with nothing new)."""
        if self.actor is None:
            return False
        app, lang = self.panel.app, self.panel.app.lang
        with saved_upload(name, content) as path:
            try:
                handed = hand_in_any(app.ws, path, self.actor)
            except NotAllowed as e:
                self.result.value = block(e.render(lang), cls="pb-error")
                return False
            except SyncRefused as e:
                self.result.value = block(e.message.render(lang), cls="pb-error",
                                          items=[p.render(lang) for p in e.problems], list_cls="pb-problems")
                return False
        done = [h for h in handed if not h.refused]
        said = [block(done[0].summary().render(lang), cls="pb-ok", items=[h.summary().render(lang) for h in done[1:]])
                ] if done else []
        said += [block(h.summary().render(lang), cls="pb-error", items=[p.render(lang) for p in h.problems],
                       list_cls="pb-problems") for h in handed if h.refused]  # a monitoring stream set aside
        self.result.value = "".join(said)
        if any(h.appended for h in handed):
            app.reload_choices()  # the hearing handed in is now one of this municipality's
        return True
