"""The Paper ballots tab: a clerk types each ballot and presses Enter; it is stored before the screen says so.

"This pile is": when the hall sorted its ballots by group (coloured ballots for women and men, one pile per
village), the clerk says so and each ballot keeps the group, so results can show what each group chose.

Double entry: two clerks type the same pile (entry 1 is counted, entry 2 only checks it); "Compare" lists every
ballot on which they differ with what each typed, and beside each a box to type what the paper says: the wrong
entry is voided (never deleted) and the right ballot stored in its place. Until they agree, the tab names the
question's disputed piles and ballots (``double_entry.disputes``: entry 1 is counted, the hearing cannot close).

Invalid papers: ``0`` (or "Spoiled ballot") records a spoiled ballot, ``-`` (or "Blank ballot") a blank one, each
its own record, never counted for an option. A paper refused for its question's rules (too many choices, over
budget) is recorded as spoiled with Ctrl+Enter or "Record as invalid", right after the refusal.

Void a ballot: any standing ballot, by the number the screen gave it, with a reason (a new record; the voided one
stays in the chain). A closed hearing's box and buttons are disabled, and the tab says why. After every action the focus goes back to the box, so the clerk's
next ballot and Enter never land on a button (Enter on "Undo last" would void one more ballot).
"""

from __future__ import annotations

import json

import ipywidgets as w

from pbtools.hearings.double_entry import dispute_note, disputes
from pbtools.hearings.entry import format_ballot, paper_hint
from pbtools.hearings.model import BLANK, CLOSED, INVALID, MOTION, SEXES, SPOILED, label, label_within, village_name
from pbtools.hearings.turnout import turnout
from pbtools.i18n import N_
from pbtools_widgets.ballot_box import BallotBox
from pbtools_widgets.base import block, choose, hearing_action, set_options
from pbtools_widgets.console.panel import Panel
from pbtools_widgets.remembered import Remembered
from pbtools_widgets.status_line import Told

INVALID_HINT = N_("A spoiled ballot: type 0; a blank one: type - (then Enter), or press the buttons below.")
REFUSED_HINT = N_("If the paper itself is marked so, press Ctrl+Enter (or \"Record as invalid\") to record it as an "
                  "invalid (spoiled) ballot; if it was a typing slip, correct it and press Enter.")


class PaperPanel(Panel):
    title = N_("Paper ballots")

    def build(self) -> None:
        self.question = w.Dropdown(layout=w.Layout(width="34rem"))
        self.double = w.Checkbox(value=False)
        self.pile = w.Text(value="1", layout=w.Layout(width="12rem"))
        self.entry = w.ToggleButtons(options=[("1", 1), ("2", 2)], value=1)
        # the group this pile of ballots stands for; "" = not known
        self.group_title = w.HTML()
        self.group = {name: w.Dropdown(options=[("—", "")], value="", layout=w.Layout(width="22rem"))
                      for name in ("sex", "age", "village")}
        self.hint = w.HTML()
        # the browser empties it on Enter and sends the line: keys typed meanwhile are never lost
        self.typed = BallotBox(layout=w.Layout(width="34rem"))
        self.count = w.HTML()
        self.invalid_count = w.HTML()
        self.warning = w.HTML()  # more ballots than registered people
        self.disputed = w.HTML()  # this question's double-entry piles whose entries still differ (not settled)
        self.spoiled = w.Button()
        self.spoiled.on_click(lambda _: self.enter_invalid(SPOILED))
        self.blank = w.Button()
        self.blank.on_click(lambda _: self.enter_invalid(BLANK))
        self.undo = w.Button()  # first in its row: the Tab stop right after the box, as before
        self.undo.on_click(lambda _: self.undo_last())
        self.compare = w.Button()
        self.compare.on_click(lambda _: self.show_differences())
        self.differences = w.HTML()
        self.fixes = w.VBox()  # one row per differing ballot: what the paper says, and a button to correct it
        self.fix_boxes: dict[int, w.Text] = {}
        self.fix_buttons: dict[int, w.Button] = {}
        self.typed.on_submit(self._on_typed)
        self.typed.on_invalid(lambda text: self.enter_refused(text.strip() or self.refused))
        self.refused = ""  # the last line refused for its question's rules: "Record as invalid" records it
        self.record_refused = w.Button(layout=w.Layout(display="none"))
        self.record_refused.on_click(lambda _: self.enter_refused(self.refused))
        self.closed_note = w.HTML()  # why nothing can be typed (a closed hearing)
        # void an earlier ballot by its number (undo last only reaches the last one)
        self.void_number = w.Text(layout=w.Layout(width="12rem"))
        self.void_invalid = w.Checkbox(value=False)
        self.void_reason = w.Text(layout=w.Layout(width="26rem"))
        self.void_button = w.Button()
        self.void_button.on_click(lambda _: self.void_numbered())
        self.void_title = w.HTML()
        self.question.observe(lambda _: self._question_changed(), "value")
        self.double.observe(lambda _: self.render(), "value")
        for box in self.group.values():
            box.observe(lambda _: self.render(), "value")
            box.observe(lambda _: self._keep_group(), "value")
        # a reload in the middle of a pile must not file its next ballots as "not known": the browser keeps the
        # pile's group, for this hearing only
        self.group_kept = Remembered("paper-pile", self._restore_group)
        self.box.children = [self.question, w.HBox([self.double, self.pile, self.entry]),
                             w.HBox([self.group_title, *self.group.values()]), self.closed_note, self.hint, self.typed,
                             self.message, self.record_refused, self.count, self.invalid_count, self.warning, self.disputed,
                             w.HBox([self.undo, self.spoiled, self.blank, self.compare]), self.differences, self.fixes,
                             self.void_title, w.HBox([self.void_number, self.void_invalid, self.void_reason, self.void_button]),
                             self.group_kept]

    def _question_changed(self) -> None:
        # "Ballot 6 stored" belonged to the question just left: it must not seem to speak of this one
        self.message.clear()
        self.refused = ""
        self.record_refused.layout.display = "none"
        self.render()

    def _keep_group(self) -> None:
        if self.store is not None:
            self.group_kept.value = json.dumps({"hearing": self.store.id, **{k: b.value for k, b in self.group.items()}})

    def _restore_group(self, kept: str) -> None:
        try:
            chosen = json.loads(kept)
        except ValueError:
            return
        if self.store is None or chosen.get("hearing") != self.store.id:
            return
        for name, box in self.group.items():
            choose(box, chosen.get(name))

    def render(self) -> None:
        _, lang = self._, self.app.lang
        self.question.description = _("Question")
        self.double.description = _("Double entry")
        self.pile.description = _("Pile")
        self.undo.description = _("Undo last")
        self.spoiled.description = _("Spoiled ballot")
        self.blank.description = _("Blank ballot")
        self.compare.description = _("Compare the two entries")
        self.record_refused.description = _("Record as invalid")
        self.typed.unconfirmed = _("Not confirmed as stored yet: {lines}. If the app does not answer, reload the page, "
                                   "check the count and type them again.", lines="{lines}")
        void_title = _("Void an earlier ballot")
        self.void_title.value = block(void_title, tag="b")
        self.void_number.description = _("Ballot №")
        self.void_invalid.description = _("An invalid ballot")
        self.void_reason.description = _("Reason")
        self.void_button.description = _("Void this ballot")
        closed = self.state is not None and self.state.status == CLOSED
        for widget in (self.typed, self.undo, self.spoiled, self.blank, self.record_refused, self.void_number,
                       self.void_invalid, self.void_reason, self.void_button):
            widget.disabled = closed
        note = _("The hearing is closed: no ballot can be added or voided.")
        self.closed_note.value = block(note, cls="pb-warning", id="pb-paper-closed") if closed else ""
        pile_is = _("This pile is (empty: not known):")
        self.group_title.value = block(pile_is, tag="span")
        for name, title in (("sex", _("Sex")), ("age", _("Age group")), ("village", _("Village"))):
            self.group[name].description = title  # each "—" alone did not say which it was
        for widget in (self.pile, self.entry, self.compare, self.fixes):
            widget.layout.display = None if self.double.value else "none"
        st = self.state
        villages = st.hearing.villages if st is not None and st.hearing is not None else ()
        municipality = self.app.ws.municipality() if villages else None
        allowed_ages = self.app.service.age_groups()
        for name, choices in (("sex", [(label(s, lang), s) for s in SEXES]),
                              ("age", [(label(a, lang), a) for a in allowed_ages]),
                              ("village", [(village_name(v, municipality, lang), v) for v in villages])):
            set_options(self.group[name], [("—", "")] + choices)
        self.invalid_count.value = self.warning.value = self.disputed.value = ""
        if st is None:
            self.question.options, self.count.value = [], ""
            return
        set_options(self.question, [(q.title(lang), q.id) for q in st.questions.values()])
        q = st.questions.get(self.question.value)
        if q is None:
            self.hint.value, self.count.value = "", ""
            return
        hint = paper_hint(q, st.options, lang)  # its example is a valid ballot of this question
        self.hint.value = block(hint, after=_(INVALID_HINT))
        t = turnout(st, q.id)
        invalid = _("Invalid ballots: {n}", n=t.invalid)
        self.invalid_count.value = block(invalid, id="pb-invalid-count")
        if t.warning is not None:
            self.warning.value = block(t.warning.render(lang), cls="pb-warning", id="pb-turnout-warning")
        # counted as entry 1 typed them until corrected, and the hearing cannot close: said whether or not the
        # double-entry box is ticked now
        notes = [dispute_note(st, d).render(lang) for d in disputes(st, q.id)]
        if notes:
            self.disputed.value = block(cls="pb-warning", id="pb-pile-disputes", items=notes)
        if self.double.value:
            n = len(st.pile(self.pile.value.strip(), self.entry.value))
            text = _("Pile {pile}, entry {entry}: {n} ballots typed", pile=self.pile.value.strip(), entry=self.entry.value, n=n)
        else:
            text = _("Ballots counted: {n}", n=len(st.ballots_for(q.id)))
        self.count.value = block(text, cls="pb-figure", id="pb-ballot-count")

    def voter(self) -> dict[str, str]:
        """The group chosen for this pile (only the fields chosen)."""
        return {name: box.value for name, box in self.group.items() if box.value}

    def _kw(self) -> dict:
        kw = {"pile": self.pile.value.strip(), "entry": self.entry.value} if self.double.value else {}
        voter = self.voter()
        return {**kw, "voter": voter} if voter else kw

    def _on_typed(self, text: str) -> None:
        if text.strip():
            self.enter(text.strip())

    def shown(self, ballot) -> str:
        """A stored ballot as the screen shows it: a motion's answer (or an invalid ballot) as a word in the
        screen's language."""
        return self.shown_in(ballot)(self.app.lang)

    def shown_in(self, ballot):
        """``shown`` in any language, for a message said again after a language switch."""
        q = self.state.questions[self.question.value]
        if q.kind == MOTION or ballot.answer in INVALID:
            return lambda lang: label(ballot.answer, lang)
        text = format_ballot(q, self.state.options, ballot)
        return lambda lang: text

    def _typing_refused(self, text: str) -> None:
        """A typed ballot was refused: a paper against its question's rules may be recorded as invalid; the text
        goes back into the box to be corrected."""
        if self.app.service.rule_problems(self.question.value, text):
            self.refused = text
            self.record_refused.layout.display = None
            self.message.hint(Told(REFUSED_HINT), id="pb-refused-hint")
        self.typed.restore(text)

    def _focus_box(self, *_args, **_kw) -> None:
        self.typed.focus()

    @hearing_action(refused=False, after=_typing_refused)
    def enter(self, text: str) -> bool:
        """Store one typed ballot. On success the box stays empty for the next one; on error the text goes back."""
        if self.question.value is None:
            return False
        self._forget_refused()
        receipt = self.store.cast_typed(self.question.value, text, actor=self.app.actor, **self._kw())
        self._stored(receipt, text)
        self.app.changed()
        self.typed.focus()
        return True

    def _stored(self, receipt, text: str) -> None:
        st = self.store.state
        stored = st.ballots.get(receipt.seq) or st.invalid.get(receipt.seq) or st.checks.get(receipt.seq)
        # what was stored, read back from the folded record, so a misread answer shows at once
        answer = (lambda lang: label(stored.ballot.answer, lang)) if stored is not None else None
        if stored is not None and stored.invalid:
            self.ok(Told(N_("Invalid ballot {n} recorded ({why})."), n=receipt.number,
                         why=lambda lang: label_within(stored.ballot.answer, lang)))
        elif stored is not None and st.questions[receipt.question].kind == MOTION:
            self.ok(Told(N_("Ballot {n} stored: {answer}."), n=receipt.number, answer=answer))
        else:
            self.ok(Told(N_("Ballot {n} stored ({text})."), n=receipt.number, text=text))

    def _forget_refused(self) -> None:
        self.refused = ""
        self.record_refused.layout.display = "none"

    @hearing_action(refused=False, after=lambda self, text: self.typed.restore(text))
    def enter_refused(self, text: str) -> bool:
        """Record the paper just refused for its rules (or the line sent with Ctrl+Enter) as a spoiled ballot."""
        if self.question.value is None or not text:
            return False
        receipt = self.app.service.record_refused(self.question.value, text, actor=self.app.actor, **self._kw())
        self._forget_refused()
        self.typed.clear(text)
        self._stored(receipt, "")
        self.app.changed()
        self.typed.focus()
        return True

    @hearing_action(refused=False)
    def void_numbered(self) -> bool:
        """Void the ballot whose number the clerk typed, with the reason typed (a new record; nothing deleted)."""
        if self.question.value is None:
            return False
        cast = self.app.service.void_numbered(self.question.value, self.void_number.value, self.void_reason.value,
                                              self.app.actor, invalid=self.void_invalid.value, **self._kw_pile())
        number = self.store.state.number_when_cast(cast)
        self.voided(cast, number)
        self.void_number.value = self.void_reason.value = ""
        self.void_invalid.value = False
        self.app.changed()
        self.typed.focus()
        return True

    @hearing_action(refused=False, after=_focus_box)
    def enter_invalid(self, why: str) -> bool:
        """Record the paper in the clerk's hand as spoiled or blank (the buttons; typing 0 or - does the same)."""
        if self.question.value is None:
            return False
        receipt = self.store.record_invalid(self.question.value, actor=self.app.actor, why=why, **self._kw())
        self._forget_refused()
        self._stored(receipt, "")
        self.app.changed()
        self.typed.focus()
        return True

    @hearing_action(after=_focus_box)
    def undo_last(self) -> None:
        if self.question.value is None:
            return
        seq = self.store.undo_last(self.question.value, actor=self.app.actor, **self._kw_pile())
        st = self.store.state
        cast = st.voided[seq]
        number = st.number_when_cast(cast)  # the number the clerk saw when it was stored, not the record's
        self.voided(cast, number)
        self.app.changed()
        # Tab+Enter put the focus on this button: give it back to the box, or the next Enter voids another ballot
        self.typed.focus()

    def voided(self, cast, number: int) -> None:
        if cast.invalid:
            self.ok(Told(N_("Invalid ballot {n} ({why}) was voided."), n=number, why=lambda lang: label_within(cast.ballot.answer, lang)))
        else:
            self.ok(Told(N_("Ballot {n} ({text}) was voided."), n=number, text=self.shown_in(cast.ballot)))

    def _kw_pile(self) -> dict:
        return {"pile": self.pile.value.strip(), "entry": self.entry.value} if self.double.value else {}

    def show_differences(self) -> None:
        if self.store is None or self.question.value is None:
            return
        pile = self.pile.value.strip()
        found = self.store.differences(pile)
        self.fix_boxes, self.fix_buttons = {}, {}
        if not found:
            agree = self._("The two entries of pile {pile} agree.", pile=pile)
            self.differences.value = block(agree, tag="p", cls="pb-ok")
            self.fixes.children = []
            return
        nothing = self._("(nothing)")
        lines, rows = [], []
        for d in found:
            first = self.shown(d.first) if d.first is not None else nothing
            second = self.shown(d.second) if d.second is not None else nothing
            lines.append(self._("Ballot {position}: entry 1 typed {first}, entry 2 typed {second}",
                                position=d.position, first=f"«{first}»", second=f"«{second}»"))
            box = w.Text(placeholder=self._("What the paper ballot says"), layout=w.Layout(width="20rem"))
            box.description = self._("Ballot {position}", position=d.position)
            button = w.Button(description=self._("Correct ballot {position}", position=d.position))
            button.on_click(lambda _, position=d.position: self.correct(position))
            self.fix_boxes[d.position], self.fix_buttons[d.position] = box, button
            rows.append(w.HBox([box, button]))
        title = self._("The two entries of pile {pile} differ on {n} ballots:", pile=pile, n=len(found))
        how = self._("Look at each paper ballot, type what it says below and press Correct: the wrong entry is voided and the right one stored in its place.")
        self.differences.value = block(title, cls="pb-error", id="pb-differences", items=lines, after=how)
        self.fixes.children = rows

    @hearing_action(refused=False)
    def correct(self, position: int) -> bool:
        """Store what the paper ballot at ``position`` of the pile says, in place of what was typed wrong."""
        pile, text = self.pile.value.strip(), self.fix_boxes[position].value.strip()
        self.store.correct(self.question.value, pile, position, text, actor=self.app.actor)
        self.ok(Told(N_("Ballot {position} of pile {pile} corrected: {text}."), position=position, pile=pile, text=text))
        self.app.changed()
        self.show_differences()
        return True
