"""Changing a hearing's agenda: options added, corrected or taken off, each one record (never an edit in place).

While the hearing is a draft anything about an option may change and an option may be taken off the agenda (it
must be on no question's ballot first, so no question changes unseen). Once voting is open only an option's
texts may change: its number, cost, village and sector are what the ballots and the count read.
"""

from __future__ import annotations

from dataclasses import replace

from pbtools.hearings import records as R
from pbtools.hearings.checks import check_option
from pbtools.hearings.errors import HearingError
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import DRAFT, OPEN, Option, question_title, stored_village
from pbtools.hearings.rules import require_same_terms
from pbtools.hearings.writes import HearingWriter
from pbtools.i18n import N_, Msg
from pbtools.roles import HEARING, signed
from pbtools.storage import Check, Entry, LedgerError


def _stored_places(store: HearingWriter, options: list[Option]) -> list[Option]:
    """Villages named by id or in any language, stored by their Kyrgyz names (as the hearing's are)."""
    m = store.ws.municipality()
    return [replace(o, village=stored_village(o.village, m)) if o.village else o for o in options]


def _fresh_id(option: Option, st) -> Option:
    """An option given the id of one taken off the agenda gets another (the old id's ledger key stays used; the
    hall knows options by number, not id)."""
    if option.id not in st.removed_options:
        return option
    taken = st.removed_options | set(st.options)
    return replace(option, id=next(f"{option.id}-{k}" for k in range(1, len(taken) + 2) if f"{option.id}-{k}" not in taken))


def add_options(store: HearingWriter, options: list[Option], actor: str, check: Check | None = None) -> None:
    """Add agenda options (e.g. from ``agenda_io.read_agenda``): all checked, then stored in one transaction, all
    or none. ``check``: the caller's, asked under the hearing's write lock (options decided on other records)."""
    st = store.require(DRAFT)
    options = [_fresh_id(o, st) for o in _stored_places(store, options)]
    problems, ids, numbers = [], set(), set()
    for option in options:
        problems += check_option(option, st, new=True)
        if option.id in ids or option.number in numbers:
            problems.append(Msg(N_("Option number {number} is already used or not valid"), number=option.number))
        ids.add(option.id)
        numbers.add(option.number)
    if problems:
        raise HearingError(problems)
    entries = [Entry(R.OPTION_ADDED, R.to_json(o), signed(actor, HEARING), f"option:{o.id}") for o in options]
    written = store.ws.ledger.append_many(store.stream, entries, all_or_nothing=True, check=store.decided(check))
    if isinstance(written[0], LedgerError):  # one refused (a key taken a moment ago...): none stored
        raise store.refused(written[0])
    store.refresh()


def change_option(store: HearingWriter, option: Option, actor: str) -> None:
    """Replace an option. Once voting is open only its texts may change."""
    st = store.require(DRAFT, OPEN)
    (option,) = _stored_places(store, [option])
    problems = check_option(option, st, new=False)
    if problems:
        raise HearingError(problems)
    require_same_terms(st, option)
    store.write(R.OPTION_CHANGED, R.to_json(option), actor)


def remove_option(store: HearingWriter, option_id: str, actor: str) -> Option:
    """Take an option off a draft agenda; refused while a question's ballot lists it. Returns the option."""
    st = store.require(DRAFT)
    problems = removal_problems(st, option_id)
    if problems:
        raise HearingError(problems)
    option = st.options[option_id]  # (the state folds the removal in when it is written)
    store.write(R.OPTION_REMOVED, {"id": option_id}, actor)
    return option


def removal_problems(st: HearingState, option_id: str) -> list[Msg]:
    """Why option ``option_id`` may not be taken off the agenda (none: it may); the rule the store and a hand-in's
    check (``adopted``) both apply."""
    option = st.options.get(option_id)
    if option is None:
        return [Msg(N_("There is no option {id}"), id=option_id)]
    on = [q for q in st.questions.values() if option_id in q.options]
    if on:
        return [Msg(N_("Option {number} is on the ballot of the question «{question}»: take it off that question first."),
                    number=option.number, question=question_title(on[0]))]
    return []
