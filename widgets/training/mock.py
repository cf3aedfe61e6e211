"""The Mock hearing tab: the sandbox (open one of those there are or create one, reset, remove) and simulated
voters into its open hearing."""

from __future__ import annotations

import tempfile

import ipywidgets as w

from pbtools.hearings.errors import HearingError
from pbtools.i18n import N_, Msg, NMsg
from pbtools.roles import NotAllowed
from pbtools.training.errors import SandboxError, SimulationError
from pbtools.training.sandbox_contents import question_ballots
from pbtools.training.service import SEED_FIELD, hall_range
from pbtools.training.texts import MOCK_INTRO
from pbtools_widgets.base import block
from pbtools_widgets.console.reports import download_link
from pbtools_widgets.phone_address import PhoneAddress, phone_urls
from pbtools_widgets.remembered import Remembered
from pbtools_widgets.status_line import StatusLine, Told
from pbtools_widgets.clicks import on_press
from pbtools_widgets.training.tab import Tab

REFUSALS = (HearingError, NotAllowed, SandboxError, SimulationError)
# the name offered for a first sandbox, in the screen's language (an English "training" on ky/ru screens)
FIRST_NAME = N_("workshop-1")
OPEN_FIRST = N_("Open or create a sandbox first: type its name (or choose one) under «Sandbox» and press «Open or "
                "create the sandbox».")


class MockTab(Tab):
    title = N_("Mock hearing")

    def build(self) -> None:
        self.intro = w.HTML()
        # the sandboxes there are, offered (a typo made a new one, said as "open"); a new name is typed
        self.name = w.Combobox(value="", ensure_option=False, layout=w.Layout(width="20rem"))
        self.name.add_class("pb-train-name")
        self.open_button = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.reset_button = w.Button(button_style="warning", layout=w.Layout(width="auto"))
        self.remove_button = w.Button(button_style="danger", layout=w.Layout(width="auto"))
        self.remove_button.add_class("pb-train-remove")
        self.restore_button = w.Button(layout=w.Layout(width="auto", display="none"))
        # a reset or a removal asks first, right under the buttons, saying what goes; nothing is done until the
        # button there is pressed
        self.asking = None  # "reset" or "remove": what the question asks
        self.question = w.HTML()
        self.confirm_button = w.Button(button_style="danger", layout=w.Layout(width="auto"))
        self.cancel_button = w.Button(layout=w.Layout(width="auto"))
        self.confirm = w.VBox([self.question, w.HBox([self.confirm_button, self.cancel_button])],
                              layout=w.Layout(display="none"))
        self.confirm.add_class("pb-train-confirm")
        self.confirm_button.add_class("pb-train-confirm-reset")
        self.cancel_button.add_class("pb-train-cancel-reset")
        self.restore_button.add_class("pb-train-restore")
        self.asked = None  # what the question said the sandbox holds (the core resets or removes only that)
        # text, read by the core: a bounded box changed -5 into 60 without a word, a number box "100.5" into 100 and
        # an emptied one into the number before; the core refuses each, naming the box
        self.voters = w.Text(value="150", layout=w.Layout(width="14rem"))
        self.seed = w.Text(value="1", layout=w.Layout(width="14rem"))
        self.voters_range = w.HTML()  # the sizes the box takes, said before Simulate is pressed
        self.voters_range.add_class("pb-train-voters-range")
        self.simulate_button = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.status = StatusLine(self.app)
        self.status.add_class("pb-train-mock-status")
        self.console = w.HTML()  # the link to the sandbox's practice console, once one is open
        # the workshop's paper (guide, handout, needs form) made in the screen's language and offered for download
        self.printouts_button = w.Button(icon="print", layout=w.Layout(width="auto"))
        self.printouts_button.add_class("pb-train-printouts")
        self.printouts = w.HTML()
        self.printouts.add_class("pb-train-printouts-made")
        on_press(self.printouts_button, lambda: self.make_printouts())
        self.phones_button = w.Button(layout=w.Layout(width="auto"))
        self.phones_button.add_class("pb-train-phones")
        self.phones = PhoneAddress()  # the phones' address and QR code, once the trainer lets phones in
        self.phones.add_class("pb-train-phone-address")
        on_press(self.phones_button, lambda: self.open_phones())
        self.open_button.add_class("pb-train-open")
        self.reset_button.add_class("pb-train-reset")
        self.simulate_button.add_class("pb-train-simulate")
        self.voters.add_class("pb-train-voters")
        on_press(self.open_button, lambda: self.open())
        on_press(self.reset_button, lambda: self.ask_reset())
        on_press(self.remove_button, lambda: self.ask_remove())
        on_press(self.confirm_button, lambda: self.remove() if self.asking == "remove" else self.reset())
        on_press(self.cancel_button, lambda: self.hide_question())
        on_press(self.restore_button, lambda: self.restore())
        on_press(self.simulate_button, lambda: self.simulate())
        # the sandbox open in this browser last time, opened again after a reload (a new kernel): the other tabs
        # said "open the sandbox first" with its voters still there
        self.kept = Remembered("training-sandbox", self._reopen)
        self.box = w.VBox([self.intro, w.HBox([self.name, self.open_button, self.reset_button, self.remove_button,
                                               self.restore_button]),
                           self.confirm,
                           w.HBox([self.voters, self.seed, self.simulate_button]), self.voters_range, self.status,
                           self.console, w.HBox([self.phones_button]),
                           self.phones, w.HBox([self.printouts_button]), self.printouts, self.kept])

    def render(self) -> None:
        _ = self._
        self.intro.value = self.said([_(MOCK_INTRO)])
        self.name.description = _("Sandbox")
        self.open_button.description = _("Open or create the sandbox")
        self.reset_button.description = _("Reset the sandbox")
        self.remove_button.description = _("Remove the sandbox")
        self.restore_button.description = _("Bring back the sandbox kept at the last reset")
        self.cancel_button.description = _("Cancel")
        self.show_names()
        if self.asked is not None:  # the question in the new language (counted again)
            self.ask_remove() if self.asking == "remove" else self.ask_reset()
        self.voters.description = _("Voters")
        self.voters_range.value = block(hall_range().render(self.lang), cls="pb-note")
        self.seed.description = _(SEED_FIELD)
        self.simulate_button.description = _("Simulate voters")
        self.phones_button.description = _("Let participants vote from their phones")
        self.show_phones()
        self.console.value = self.console_link("pb-train-console-link")
        self.printouts_button.description = _("Print-outs for the workshop (PDF)")
        self.printouts.value = ""  # made in another language, or for another sandbox: made again on request

    def show_names(self) -> None:
        """The sandboxes there are, offered in the name box; a first name in the screen's language while none is
        open and the box holds no name of the trainer's."""
        service = self.app.service
        self.name.options = tuple(service.sandboxes())
        self.name.placeholder = self._(FIRST_NAME)
        firsts = {Msg(FIRST_NAME).render(lang) for lang in ("ky", "ru", "en")}
        if service.sandbox is None and self.name.value.strip() in firsts | {""}:
            self.name.value = self._(FIRST_NAME)

    def _done(self, message) -> None:
        self.status.ok(message)
        self.hide_question()
        self.restore_button.layout.display = None if self.app.service.kept() is not None else "none"
        self.name.options = tuple(self.app.service.sandboxes())
        self.show_phones()
        self.console.value = self.console_link("pb-train-console-link")
        self.printouts.value = ""  # the needs form was the sandbox's as it was
        self.app.changed()

    def open(self, create: bool = True) -> None:
        try:
            sandbox = self.app.service.open(self.name.value.strip(), create=create)
        except REFUSALS as e:
            self.status.fail(e)
            return
        if sandbox is None:  # (not created: a sandbox kept by the browser and removed since)
            return
        self.kept.value = sandbox.name
        if self.app.service.created:  # said apart from "open": a mistyped name makes a new sandbox
            others = [n for n in self.app.service.sandboxes() if n != sandbox.name]
            self._done(Told(N_("New sandbox {name} created from the sample municipality: no ballots yet. The sandboxes "
                               "there were before: {others}."), name=sandbox.name, others=", ".join(others))
                       if others else Told(N_("New sandbox {name} created from the sample municipality: no ballots "
                                              "yet."), name=sandbox.name))
            return
        self._done(Told(N_("Sandbox {name} is open: {ballots} in its mock hearing."), name=sandbox.name,
                        ballots=self._ballots()))

    def _ballots(self) -> NMsg:
        """The mock hearing's ballots on its question, said with the number's plural form ("302 бюллетеня")."""
        return question_ballots(self.app.service.ballots())

    def _reopen(self, name: str) -> None:
        if self.app.service.sandbox is None:
            self.name.value = name
            self.open(create=False)

    def _named(self, missing: str) -> bool:
        """Whether the sandbox named in the box is open (opened now if need be: the one a question is about);
        ``missing`` is said when there is none of that name."""
        name, service = self.name.value.strip(), self.app.service
        if service.sandbox is None or service.sandbox.name != name:
            before = self.status.value
            self.open(create=False)
            if service.sandbox is None or service.sandbox.name != name:
                if self.status.value == before:  # (a refused name has said why already)
                    self.status.fail(SandboxError(Msg(missing, name=name)))
                return False
        return True

    def ask_reset(self) -> None:
        """Say what a reset would remove from the open sandbox, and wait for "Reset" (or "Cancel")."""
        if self._named(N_("There is no sandbox {name} to reset")):
            self._ask("reset", *self.app.service.reset_question(self.lang), self._("Reset: remove all this"))

    def ask_remove(self) -> None:
        """Say what removing the sandbox takes away for good, and wait for "Remove for good" (or "Cancel")."""
        if self._named(N_("There is no sandbox {name} to remove")):
            self._ask("remove", *self.app.service.remove_question(self.lang), self._("Remove for good"))

    def _ask(self, what: str, seen, text: str, confirm: str) -> None:
        self.asking, self.asked = what, seen
        self.question.value = block(text, cls="pb-warning pb-train-question")
        self.confirm_button.description = confirm
        self.confirm.layout.display = None

    def hide_question(self) -> None:
        self.asking = self.asked = None
        self.question.value = ""
        self.confirm.layout.display = "none"

    def reset(self) -> None:
        asked = self.asked
        if asked is None or self.app.service.sandbox is None:
            return
        try:
            sandbox = self.app.service.reset(asked)
        except REFUSALS as e:
            self.status.fail(e)
            self.ask_reset()  # what it holds now, asked again
            return
        self._done(Told(N_("Sandbox {name} is as new: no ballots yet. The sandbox as it was is kept aside until the "
                           "next reset: \"Bring back the sandbox kept at the last reset\" brings it back."), name=sandbox.name))

    def remove(self) -> None:
        asked = self.asked
        if asked is None or self.app.service.sandbox is None:
            return
        try:
            name = self.app.service.remove(asked)
        except REFUSALS as e:
            self.status.fail(e)
            if self.app.service.sandbox is not None:
                self.ask_remove()  # what it holds now, asked again
            return
        self.kept.value = ""
        self.name.value = ""
        self._done(Told(N_("Sandbox {name} is removed, with the copy kept at its last reset."), name=name))
        self.show_names()

    def restore(self) -> None:
        if self.app.service.sandbox is None:
            return
        try:
            sandbox = self.app.service.restore()
        except REFUSALS as e:
            self.status.fail(e)
            return
        self._done(Told(N_("Sandbox {name} is back as it was before the reset: {ballots} in its mock hearing. "
                           "The one it replaced is kept aside in its place."), name=sandbox.name,
                        ballots=self._ballots()))

    def simulate(self) -> None:
        if self.app.service.sandbox is None:  # never a sandbox made without a word (it made "training")
            self.status.fail(SandboxError(Msg(OPEN_FIRST)))
            return
        try:
            voters, seed = self.app.service.read_hall(self.voters.value, self.seed.value)
        except REFUSALS as e:
            self.status.fail(e)
            return
        self.simulate_button.disabled = True
        self.status.ok(NMsg("Simulating {n} voter…", "Simulating {n} voters…", voters))
        try:
            done = self.app.service.simulate(voters, seed)
        except REFUSALS as e:
            self.status.fail(e)
            return
        finally:
            self.simulate_button.disabled = False
        # the mock hearing's ballots on its question, as "Open" says them (a second hall adds to the first: reset
        # starts again); the ballots of all questions (done.ballots) read as another count
        self._done(NMsg("{n} simulated voter has voted: the mock hearing now holds {ballots} (a new hall is added to "
                        "those before; reset the sandbox to start again).",
                        "{n} simulated voters have voted: the mock hearing now holds {ballots} (a new hall is added to "
                        "those before; reset the sandbox to start again).", done.voters, ballots=self._ballots()))

    def make_printouts(self) -> None:
        """The guide, the handout and (a sandbox open) the needs paper form, in the screen's language, as links that
        download them (the files go with the page: nothing is kept on the laptop)."""
        with tempfile.TemporaryDirectory() as folder:
            made = self.app.service.printouts(self.lang, folder)
            self.printouts.value = " ".join(download_link(path, title) for path, title in made)

    def open_phones(self) -> None:
        if self.app.service.sandbox is None:
            self.status.fail(SandboxError(Msg(OPEN_FIRST)))
            return
        try:
            self.app.service.open_phones()
        except REFUSALS as e:
            self.status.fail(e)
            return
        self.show_phones()

    def show_phones(self) -> None:
        """The address and QR code of the mock hearing's phone pages (served into the sandbox), once phones are let
        in; the button until then. Said plainly when no phone can reach this laptop."""
        _, service = self._, self.app.service
        if service.sandbox is None or not service.phones_open():
            self.phones.value, self.phones_button.layout.display = "", None
            return
        self.phones_button.layout.display = "none"
        said = self.said([_("Participants open this address or scan the code: they vote in the mock hearing of sandbox "
                            "{name}, one vote per phone and question, stored in the sandbox only. Their pages say it "
                            "is practice.", name=service.sandbox.name)])
        urls = phone_urls()
        self.phones.show(_, service.phone_path(urls) if urls else "", can_type=False, before=said)
