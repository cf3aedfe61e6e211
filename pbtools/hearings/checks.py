"""Pure checks of what a facilitator defines: the hearing, its agenda options and how a question is counted.
Each returns the problems (``Msg``, rendered in the user's language); an empty list means it may be stored."""

from __future__ import annotations

from decimal import Decimal

from pbtools.budget.numbers import MAX_SOM, max_som
from pbtools.dates import is_iso_day, not_a_date
from pbtools.hearings import records as R
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import (
    CATEGORIES, HEARING_TYPES, PROPOSERS, SECTORS, SEXES, UNKNOWN, Hearing, Option, Participant, Question,
)
from pbtools.hearings.voters import allowed_age_groups
from pbtools.i18n import N_, Msg


def check_counting(q: Question) -> list[Msg]:
    """The question's counting rule, score and tie rule are ones pbtools knows."""
    # at call time: pbtools.counting adds 0.2 s (measured) to importing the store; only defining a question needs it
    from pbtools.counting.count import RULES
    from pbtools.counting.ties import TIE_RULES

    problems = []
    if q.rule not in RULES:
        problems.append(Msg(N_("Unknown counting rule {value}"), value=q.rule))
    if q.score not in ("support", "points", "borda"):
        problems.append(Msg(N_("Unknown score {value}"), value=q.score))
    if q.tie_rule not in TIE_RULES:
        problems.append(Msg(N_("Unknown tie rule {value}"), value=q.tie_rule))
    if q.rule.startswith("mes") and q.score == "borda":  # every MES variant: its utilities are costs or points
        problems.append(Msg(N_("The Method of Equal Shares counts supporters or points, not Borda scores.")))
    return problems


def amount_problems(value: object, what: Msg) -> list[Msg]:
    """[] when ``value`` is an amount of som pbtools keeps (finite, 0 to ``MAX_SOM``, whole tyiyn at most), else
    the problem naming ``what``."""
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= MAX_SOM \
            or value.as_tuple().exponent < -2:  # type: ignore[operator]
        return [Msg(N_("{what}: {value} is not an amount of som from 0 to {max}"), what=what,
                    value=R.shown(str(value)), max=max_som())]
    return []


def check_participant(h: Hearing, participant: Participant) -> list[Msg]:
    """What is wrong with a registration at the door of hearing ``h``: each of sex, age group, village and
    category may be UNKNOWN (not given); a name only when the hearing records names."""
    problems = []
    if participant.sex not in (*SEXES, UNKNOWN):
        problems.append(Msg(N_("Choose woman or man")))
    if participant.age not in (*allowed_age_groups(h), UNKNOWN):
        problems.append(Msg(N_("Choose an age group")))
    village = participant.village
    if not village.strip() or (h.villages and village not in (*h.villages, UNKNOWN) and participant.category != "guest"):
        problems.append(Msg(N_("Choose a village of this hearing")))
    if participant.category not in (*CATEGORIES, UNKNOWN):
        problems.append(Msg(N_("Choose a category")))
    if participant.name and not h.record_names:
        problems.append(Msg(N_("Names are not recorded at this hearing (the vote is secret)")))
    return problems


def check_hearing(h: Hearing) -> list[Msg]:
    """The hearing's id, type, municipality, date and budget."""
    problems = R.check_hearing_id(h.id)
    if h.type not in HEARING_TYPES:
        problems.append(Msg(N_("Unknown type of hearing {value}"), value=h.type))
    if not h.municipality.strip():
        problems.append(Msg(N_("The municipality is missing")))
    if not is_iso_day(h.date):  # the form reads 14.05.2026 into ISO (console_service); a record keeps ISO
        problems.append(not_a_date(h.date, N_("Date")))
    if isinstance(h.budget, Decimal) and h.budget.is_finite() and h.budget < 0:
        problems.append(Msg(N_("The budget cannot be negative")))
    else:
        problems += amount_problems(h.budget, Msg(N_("Budget")))
    return problems


def check_option(option: Option, st: HearingState, new: bool) -> list[Msg]:
    """What is wrong with an agenda option, added (``new``) or changed, against the options already there."""
    problems = []
    if new and option.id in st.options:
        problems.append(Msg(N_("An option with id {id} already exists"), id=option.id))
    if not new and option.id not in st.options:
        problems.append(Msg(N_("There is no option {id}"), id=option.id))
    if option.number < 1 or any(o.number == option.number and o.id != option.id for o in st.options.values()):
        problems.append(Msg(N_("Option number {number} is already used or not valid"), number=option.number))
    if not any(t.strip() for t in option.titles.values()):
        problems.append(Msg(N_("Option {number} has no title"), number=option.number))
    if isinstance(option.cost, Decimal) and option.cost.is_finite() and option.cost < 0:
        problems.append(Msg(N_("Option {number}: the cost cannot be negative"), number=option.number))
    else:
        problems += amount_problems(option.cost, Msg(N_("Option {number}: cost"), number=option.number))
    if option.sector not in SECTORS:
        problems.append(Msg(N_("unknown sector {value}"), value=option.sector))
    if option.proposer not in PROPOSERS:
        problems.append(Msg(N_("unknown proposer {value}"), value=option.proposer))
    return problems
