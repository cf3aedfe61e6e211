"""Putting tariff options to the hall with the hearing's own ballot kinds, through the console's service.

- a choice between tariff options: a single-choice question marked ``choose_one`` whose options are the tariffs,
  each "costing" the service's yearly cost (what every option covers) within a question budget of that same cost,
  so that exactly the option with most votes is taken (the greedy rule; ties as the hearing's tie rule says); the
  protocol and the board say "chosen", with no cost or budget lines; or
- a yes/no motion on one tariff.

The figures (per month and per year, per household or person; the collection rate; the subsidy from the budget)
are written into the option and question texts in ky, ru and en, so the ballot, the board and the protocol say
them. The outcome is the question's, in the protocol like any other.

The same tariffs are put to one hearing once: a second click (or another window, later) is refused, naming the
question that already holds them, and adds nothing (the hall would otherwise vote twice on one choice). Two windows
clicking at the same moment: the question is written only if, under the hearing's write lock, no other window's
question holds the same tariffs; the later window's options leave the agenda again (the ledger keeps both steps).
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import replace
from typing import Any, Sequence

from pbtools.fmt import money, percent
from pbtools.hearings.agenda_io import option_from_form
from pbtools.hearings.console_service import ConsoleService
from pbtools.hearings.errors import HearingError
from pbtools.hearings.fold import HearingState, fold
from pbtools.hearings.model import MOTION, SINGLE, Question, question_title
from pbtools.i18n import N_, Msg, gettext
from pbtools.roles import HEARING, SERVICES, Actor
from pbtools.services.errors import ServiceError
from pbtools.services.model import HOUSEHOLD, Service
from pbtools.services.tariffs import OPTION_NAMES, CoveringTariff
from pbtools.storage import Check, Locked

LANGS = ("ky", "ru", "en")
SECTOR = {"water": "water", "waste": "waste"}


def tariff_text(service: Service, t: CoveringTariff, lang: str) -> str:
    """One tariff option as the ballot and the protocol say it."""
    per = N_("{monthly} a month per household ({yearly} a year)") if t.payer == HOUSEHOLD else N_("{monthly} a month per person ({yearly} a year)")
    text = gettext(lang, per).format(monthly=money(t.monthly, lang), yearly=money(t.yearly, lang))
    detail = gettext(lang, N_("collection rate {rate}, subsidy from the budget {subsidy} a year")).format(
        rate=percent(t.collection_rate, lang, digits=0), subsidy=money(t.subsidy, lang))
    return f"{service.name(lang)}: {text}; {detail}"


def motion_text(service: Service, t: CoveringTariff, lang: str) -> str:
    return gettext(lang, N_("Approve the tariff: {tariff}")).format(tariff=tariff_text(service, t, lang))


ALREADY_THERE = N_("These tariffs are already on this hearing's agenda as question {id} «{title}»: nothing was added.")


def already_put(st: HearingState, kind: str, titles: dict, option_titles: list[dict]) -> Question | None:
    """The question of the hearing that already puts these tariffs (same kind, same question text, the same
    options' texts in every language), else None."""
    wanted = sorted(tuple(sorted(t.items())) for t in option_titles)
    for q in st.questions.values():
        if q.kind != kind or dict(q.titles) != titles:
            continue
        held = sorted(tuple(sorted(dict(st.options[o].titles).items())) for o in q.options if o in st.options)
        if held == wanted:
            return q
    return None


def _refuse_twice(st: HearingState, kind: str, titles: dict, option_titles: list[dict]) -> None:
    found = already_put(st, kind, titles, option_titles)
    if found is not None:
        raise ServiceError(Msg(ALREADY_THERE, id=found.id, title=question_title(found)))


def _not_put_meanwhile(st: HearingState, kind: str, titles: dict, option_titles: list[dict]) -> Check:
    """The question's write asks, under the hearing's write lock, whether another window put the same tariffs since
    ``st`` was read (both windows having passed ``_refuse_twice`` at the same moment): then nothing is written."""
    def check(locked: Locked) -> None:
        new, anew = locked.read_on(st.seq, st.hash)  # anew: ``st`` is no longer on disk (a backup restored)
        _refuse_twice(fold(new, HearingState(st.id) if anew else deepcopy(st)), kind, titles, option_titles)
    return check


def put_to_hall(ws: Any, hearing_id: str, service: Service, options: Sequence[CoveringTariff], actor: Actor,
                motion: bool = False) -> str:
    """Add the tariff options to a hearing (draft or open) as one question; the question's id. ``motion``: one
    yes/no motion on the first option; else a choice between all of them."""
    actor.require(SERVICES)
    actor.require(HEARING)
    console = ConsoleService(ws)
    console.choose(hearing_id)
    st = console.refresh()
    if motion:
        t = options[0]
        titles = {lang: motion_text(service, t, lang) for lang in LANGS}
        _refuse_twice(st, MOTION, titles, [])
        qid = console.next_question_id()
        console.store.define_question(Question(qid, MOTION, titles), actor=actor.name,
                                      check=_not_put_meanwhile(st, MOTION, titles, []))
        return qid
    titles = {lang: gettext(lang, N_("Which tariff for {service}?")).format(service=service.name(lang)) for lang in LANGS}
    wanted = [{lang: tariff_text(service, t, lang) for lang in LANGS} for t in options]
    _refuse_twice(st, SINGLE, titles, wanted)
    seen = st
    ids = []
    for t in options:
        st = console.refresh()
        option, problems = option_from_form(str(console.next_option_number()), {lang: tariff_text(service, t, lang) for lang in LANGS},
                                            str(service.yearly_cost), "", SECTOR.get(service.id, "other"), "municipality",
                                            taken_ids=set(st.options) | st.removed_options)
        if problems:
            raise HearingError(problems)
        descriptions = {lang: gettext(lang, OPTION_NAMES[t.option]) for lang in LANGS if t.option in OPTION_NAMES}
        console.store.add_option(replace(option, descriptions=descriptions, tariff_monthly=t.monthly, tariff_payer=t.payer),
                                 actor=actor.name)
        ids.append(option.id)
    console.refresh()
    qid = console.next_question_id()
    # every option covers the same yearly cost, and the question's budget is that cost: the greedy count takes exactly
    # the most voted one. ``choose_one``: the protocol, the board and the agenda say "chosen" and add no cost up.
    try:
        console.store.define_question(Question(qid, SINGLE, titles, tuple(ids), budget=service.yearly_cost, choose_one=True),
                                      actor=actor.name, check=_not_put_meanwhile(seen, SINGLE, titles, wanted))
    except ServiceError:
        for option_id in ids:  # the other window's question holds the same tariffs: ours leave the agenda again
            console.store.remove_option(option_id, actor=actor.name)
        raise
    return qid
