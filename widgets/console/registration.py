"""The Registration tab: one click per answer at the door; counters of total, women and per village; voting-code
cards for those registered.

Sex, age group, village and category start at "—" (not given) and go back to it after each person
(``door_form.DoorForm``). Keeping the previous person's choices saved clicks but recorded answers nobody gave (it
skewed the women's share); marking them as carried over would still record them whenever the clerk missed the mark.
So only what is chosen for this person is recorded, and the message after Register says what that was.

Codes are shown only inside the files offered for download (the PDF to print, the CSV to keep): never on this
screen, which may be on the projector. Only the codes' hashes are stored, so the files are the one copy; they are
also written to the workspace's ``reports`` folder.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from pbtools.hearings.cards import qr_template_for, write_code_files

from pbtools.hearings.model import AGE_GROUPS, CATEGORIES, CLOSED, SEXES, UNKNOWN, Participant, label, village_name
from pbtools.dates import shown_day
from pbtools.html import render as html_from
from pbtools.i18n import N_, NMsg, translator
from pbtools.paths import file_in
from pbtools_widgets.base import block, hearing_action
from pbtools_widgets.console.door_form import DoorForm
from pbtools_widgets.console.panel import Panel
from pbtools_widgets.console.phones import hall_vote_url
from pbtools_widgets.phone_address import unreachable
from pbtools_widgets.console.reports import download_link
from pbtools_widgets.status_line import StatusLine, Told


# the door form's questions, in its order: (the participant's field, its title)
ROWS = (("sex", N_("Sex")), ("age", N_("Age group")), ("village", N_("Village")), ("category", N_("Category")))


class RegistrationPanel(Panel):
    title = N_("Registration")

    def build(self) -> None:
        self.form = DoorForm(self.register_one)  # the answers, the name and Register: the browser keeps the choices
        self.undo = w.Button(icon="undo", layout=w.Layout(width="auto", align_self="flex-start"))
        self.undo.on_click(lambda _: self.undo_last())
        self.counters = w.HTML()
        # voting-code cards
        self.n_cards = w.BoundedIntText(value=0, min=0, max=10000, style={"description_width": "initial"})
        self.print_cards = w.Button(icon="print")
        self.print_cards.on_click(lambda _: self.issue_cards())
        self.cards_message = StatusLine(self.app)
        self.cards_links = w.HTML()
        self.cards_warning = w.HTML()  # the address on the cards cannot be opened from a phone
        self.closed_note = w.HTML()  # why nobody can be registered
        self._municipality = None  # read when the form is drawn: names the villages the door registers
        self._cards_for = None  # (hearing id, people registered without a card) that n_cards was last set from
        cards = w.VBox([self.cards_warning, w.HBox([self.n_cards, self.print_cards]), self.cards_message, self.cards_links])
        self.box.children = [self.closed_note, self.form, self.undo, self.message,
                             self.counters, cards]

    def without_card(self) -> int:
        """People registered who have not been given a code card (codes issued so far count as given)."""
        st = self.state
        return max(0, st.counters.total - len(st.codes)) if st else 0

    def render(self) -> None:
        _, lang = self._, self.app.lang
        self.form.register_label = _("Register")
        self.undo.description = _("Cancel the last registration")
        last = self.store.last_registration if self.store is not None else None
        self.undo.disabled = last is None or self.state is None or last not in self.state.participants
        self.form.name_label = _("Name")
        self.n_cards.description = _("Code cards to print")
        self.print_cards.description = _("Print code cards")
        st = self.state
        h = st.hearing if st else None
        ages = self.app.service.age_groups()
        closed = st is not None and st.status == CLOSED
        self.print_cards.disabled = st is None or closed
        self.form.disabled = closed or st is None  # (no hearing chosen: nobody to register into)
        self.undo.disabled = self.undo.disabled or closed
        note = _("The hearing is closed: nobody can be registered and no code cards can be printed.")
        self.closed_note.value = block(note, cls="pb-warning", id="pb-registration-closed") if closed else ""
        self.cards_warning.value = self.unreachable_cards_warning()
        municipality = self.app.ws.municipality()
        villages = []
        if h is not None:
            villages = list(h.villages) or ([v.name("ky") for v in municipality.villages] if municipality else [])
        self._municipality = municipality  # names the villages of what the door registers next
        choices = {"sex": SEXES, "age": ages, "village": villages, "category": CATEGORIES}  # villages as the hearing names them
        self.form.rows = [self.answers(name, _(title), [(self.answer_text(name, c, lang), c) for c in choices[name]])
                          for name, title in ROWS]
        self.form.ask_name = bool(h and h.record_names)
        if st is None:
            self.counters.value = self.cards_links.value = ""
            self.cards_message.clear()
            return
        c = st.counters
        per_village = [f"{village_name(v, municipality, lang)}: {n}" for v, n in sorted(c.by_village.items(), key=lambda i: (i[0] == UNKNOWN, i[0]))]
        figures = [_("Registered: {n}", n=c.total), _("women: {n}", n=c.women), _("men: {n}", n=c.men)]
        if c.sex_not_given:
            figures.append(_("sex not given: {n}", n=c.sex_not_given))
        figures = " · ".join(figures)
        # by age group and category too, in their usual order: the door sees who is missing (the young, deputies...)
        by_age = " · ".join([f"{label(a, lang)}: {c.by_age[a]}" for a in AGE_GROUPS if c.by_age.get(a)]
                            + ([_("age group not given: {n}", n=c.by_age[UNKNOWN])] if c.by_age.get(UNKNOWN) else []))
        by_category = " · ".join([f"{label(k, lang)}: {c.by_category[k]}" for k in CATEGORIES if c.by_category.get(k)]
                                 + ([_("category not given: {n}", n=c.by_category[UNKNOWN])] if c.by_category.get(UNKNOWN) else []))
        self.counters.value = html_from("console/registered.html", figures=figures, villages=per_village,
                                        more=[line for line in (by_age, by_category) if line])
        pending = (st.id, self.without_card())
        if pending != self._cards_for:  # follows the door, but not while the facilitator is typing another number
            if self._cards_for is None or self._cards_for[0] != st.id:
                self.cards_links.value = ""
                self.cards_message.clear()
            self._cards_for = pending
            self.n_cards.value = pending[1]

    def answers(self, name: str, title: str, choices: list[tuple[str, str]]) -> dict:
        """One row of the door form: "—" (not given) first, then the answers (text, value, tooltip)."""
        return {"name": name, "label": title, "choices": [["—", UNKNOWN, self._("Not given")], *([t, v, t] for t, v in choices)]}

    def unreachable_cards_warning(self) -> str:
        """A warning before printing when the address on the cards cannot be opened from a phone, by the projector's
        rule (``reach.unreachable``): cards printed with it are lost."""
        url = hall_vote_url(self.app)
        problems = unreachable(url) if url else []
        if not problems:
            return ""
        _ = self._
        text = " ".join([_("Do not print the cards yet: they would carry {url}, which no phone can open.", url=url),
                         *(_(m) for m in problems)])
        return block(text, tag="p", cls="pb-error", id="pb-cards-unreachable")

    def _give_back(self, person: dict) -> None:
        self.form.restore(person)

    @hearing_action(after=_give_back)
    def register_one(self, person: dict) -> None:
        """Register the person the door form sent (``{"sex": ..., "age": ..., "village": ..., "category": ..., "name": ...}``)."""
        participant = Participant(person.get("sex") or UNKNOWN, person.get("age") or UNKNOWN, person.get("village") or UNKNOWN,
                                  person.get("category") or UNKNOWN, person.get("name", "").strip() if self.state.hearing.record_names else "")
        counters = self.store.register(participant, actor=self.app.actor)
        self.ok(self.registered(participant, counters.total))
        self.app.changed()

    def answer_text(self, name: str, value: str, lang: str) -> str:
        """One answer of the door form in ``lang``: a village as the municipality names it, else its label."""
        return village_name(value, self._municipality, lang) if name == "village" else label(value, lang)

    def registered(self, participant: Participant, total: int):
        """What was recorded, since the buttons are back at "—": the clerk sees at once an answer they missed (said
        again in a new language)."""
        answers = [(name, title, getattr(participant, name)) for name, title in ROWS]

        def said(lang: str) -> str:
            _ = translator(lang)
            who = [self.answer_text(name, value, lang) for name, _title, value in answers if value != UNKNOWN]
            missing = [_(title) for _name, title, value in answers if value == UNKNOWN]
            if missing:
                who.append(_("not given: {what}", what=", ".join(missing)))
            return _("Registered: {n} ({who})", n=total, who="; ".join(who))

        return said

    @hearing_action()
    def undo_last(self) -> None:
        """Void the registration this door made last (a wrong sex, age or village): then register the person again."""
        if self.app.service.undo_registration(actor=self.app.actor) is None:
            return
        self.app.changed()
        self.ok(Told(N_("The last registration is cancelled. Registered: {n}"), n=self.state.counters.total))

    def _cards_refused(self) -> None:
        """The refusal is said beside the cards button, not by the register button."""
        self.cards_message.fail(self.message.refusal)
        self.message.clear()

    @hearing_action(after=_cards_refused)
    def issue_cards(self) -> tuple[Path, Path] | None:
        """Issue ``n_cards`` codes (recorded as issued) and offer the card sheet (PDF) and the list (CSV)."""
        _ = self._
        self.cards_links.value = ""
        n = self.n_cards.value
        folder = self.app.files_folder()  # before the codes are issued: a code without its card is lost
        codes = self.app.service.issue_codes(n, actor=self.app.actor)
        h = self.store.state.hearing
        # named by the issuing record, so a second batch never overwrites the first one's only copy
        csv_path, pdf_path = write_code_files(codes, file_in(folder, f"codes-{self.store.id}-{self.store.state.seq}"),
                                              title=f"{h.title or h.municipality}, {shown_day(h.date, self.app.lang)}", lang=self.app.lang,
                                              qr_template=qr_template_for(hall_vote_url(self.app)))
        issued = NMsg("{n} voting code issued: print the card now. Files: {pdf}, {csv}",
                      "{n} voting codes issued: print the cards now. Files: {pdf}, {csv}", n, pdf=str(pdf_path), csv=str(csv_path))
        no_address = "" if hall_vote_url(self.app) else N_("No hall address is known: the cards carry the code only (see the Phone voting tab).")
        self.cards_message.ok(lambda lang: " ".join(filter(None, (issued.render(lang), no_address and translator(lang)(no_address)))))
        self.cards_links.value = " ".join((download_link(pdf_path, _("Download {name}", name=pdf_path.name)),
                                           download_link(csv_path, _("Download {name}", name=csv_path.name))))
        self.app.changed()
        return csv_path, pdf_path
