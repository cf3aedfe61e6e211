"""The Mock hearing tab: the sandbox (open or create, reset) and simulated voters into its open hearing."""

from __future__ import annotations

import ipywidgets as w

from pbtools.hearings.errors import HearingError
from pbtools.i18n import N_
from pbtools.roles import NotAllowed
from pbtools.training.errors import SandboxError, SimulationError
from pbtools.training.service import DEFAULT_SANDBOX
from pbtools.training.texts import MOCK_INTRO
from pbtools_widgets.remembered import Remembered
from pbtools_widgets.training.tab import Tab

REFUSALS = (HearingError, NotAllowed, SandboxError, SimulationError)


class MockTab(Tab):
    title = N_("Mock hearing")

    def build(self) -> None:
        self.intro = w.HTML()
        self.name = w.Text(value=DEFAULT_SANDBOX, layout=w.Layout(width="20rem"))
        self.open_button = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.reset_button = w.Button(button_style="warning", layout=w.Layout(width="auto"))
        self.voters = w.BoundedIntText(value=150, min=60, max=350, layout=w.Layout(width="14rem"))
        self.seed = w.IntText(value=1, layout=w.Layout(width="12rem"))
        self.simulate_button = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.status = w.HTML()
        self.status.add_class("pb-train-mock-status")
        self.open_button.add_class("pb-train-open")
        self.reset_button.add_class("pb-train-reset")
        self.simulate_button.add_class("pb-train-simulate")
        self.voters.add_class("pb-train-voters")
        self.open_button.on_click(lambda _b: self.open())
        self.reset_button.on_click(lambda _b: self.reset())
        self.simulate_button.on_click(lambda _b: self.simulate())
        # the sandbox open in this browser last time, opened again after a reload (a new kernel): the other tabs
        # said "open the sandbox first" with its voters still there
        self.kept = Remembered("training-sandbox", self._reopen)
        self.box = w.VBox([self.intro, w.HBox([self.name, self.open_button, self.reset_button]),
                           w.HBox([self.voters, self.seed, self.simulate_button]), self.status, self.kept])

    def render(self) -> None:
        _ = self._
        self.intro.value = self.said([_(MOCK_INTRO)])
        self.name.description = _("Sandbox")
        self.open_button.description = _("Open or create the sandbox")
        self.reset_button.description = _("Reset the sandbox")
        self.voters.description = _("Voters")
        self.seed.description = _("Seed")
        self.simulate_button.description = _("Simulate voters")

    def _done(self, text: str) -> None:
        self.status.value = self.ok(text)
        self.app.changed()

    def open(self, create: bool = True) -> None:
        try:
            sandbox = self.app.service.open(self.name.value.strip(), create=create)
        except REFUSALS as e:
            self.status.value = self.refused(e)
            return
        if sandbox is None:  # (not created: a sandbox kept by the browser and removed since)
            return
        self.kept.value = sandbox.name
        self._done(self._("Sandbox {name} is open: {ballots} ballots in its mock hearing.", name=sandbox.name,
                          ballots=self.app.service.ballots()))

    def _reopen(self, name: str) -> None:
        if self.app.service.sandbox is None:
            self.name.value = name
            self.open(create=False)

    def reset(self) -> None:
        if self.app.service.sandbox is None:
            self.open()
        try:
            sandbox = self.app.service.reset()
        except REFUSALS as e:
            self.status.value = self.refused(e)
            return
        self._done(self._("Sandbox {name} is as new: no ballots yet.", name=sandbox.name))

    def simulate(self) -> None:
        if self.app.service.sandbox is None:
            self.open()
        self.simulate_button.disabled = True
        self.status.value = self.ok(self._("Simulating {n} voters…", n=self.voters.value))
        try:
            done = self.app.service.simulate(self.voters.value, self.seed.value)
        except REFUSALS as e:
            self.status.value = self.refused(e)
            return
        finally:
            self.simulate_button.disabled = False
        # the mock hearing's ballots on its question, as "Open" says them (a second hall adds to the first: reset
        # starts again); the ballots of all questions (done.ballots) read as another count
        self._done(self._("{n} simulated voters have voted: the mock hearing now holds {ballots} ballots (a new hall is "
                          "added to those before; reset the sandbox to start again).", n=done.voters,
                          ballots=self.app.service.ballots()))
