"""The phone ballot as an HTML form: what each ballot kind shows, and how a submitted form becomes a ``Ballot``.

Pure functions (no tornado): the form posts plainly, so it works without JavaScript; ``vote.js`` only checks it
before it is sent, and the server checks it again through ``HearingStore.cast``.

Field names: ``choice`` (single, approval, knapsack; repeated), ``points-<option id>``, ``rank-<option id>``,
``answer`` (motion), ``code`` (the voting code), ``about-sex``, ``about-age``, ``about-village`` (the voter's
group, optional: what each group chose, as piles of paper ballots sorted by group give it).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Mapping, Sequence

from pbtools import fmt
from pbtools.hearings.ballots.common import option_ref
from pbtools.hearings.model import (
    ABSTAIN, AGE_GROUPS, APPROVAL, KNAPSACK, MOTION, NO, POINTS, RANKING, SEXES, SINGLE, YES, Ballot, Hearing, Option,
    Question, label, village_name,
)
from pbtools.html import render_in
from pbtools.i18n import N_, Msg, gettext, translator

Form = Mapping[str, Sequence[str]]
TEMPLATES = Path(__file__).with_name("templates")  # vote/fields.html, vote/about.html


# ASCII digits only: str.isdigit() also takes "²" or "٣", which int() then refuses or reads unexpectedly.
_WHOLE = re.compile(r"-?[0-9]{1,9}")
# The only field a ballot may send more than once (one per chosen option); a repeated ``answer``, ``code``,
# ``points-*`` or ``rank-*`` would be read as its first value only, so the form is refused instead.
REPEATABLE = frozenset({"choice"})


def _whole(text: str) -> int | None:
    text = text.strip()
    return int(text) if _WHOLE.fullmatch(text) else None


def repeated_fields(form: Form) -> list[Msg]:
    """A problem for each field sent more than once that may be sent only once."""
    return [Msg(N_("The form sent the field {field} more than once; open the ballot again"), field=name[:40])
            for name, values in form.items() if name not in REPEATABLE and len(values) > 1]


def parse_ballot(question: Question, options: Mapping[str, Option], form: Form) -> tuple[Ballot, list[Msg]]:
    """The ballot the form describes, and what could not be read (numbers that are not numbers).

    Everything else (too many choices, gaps in ranks, over budget...) is left to ``ballots.validate``, so the
    rules live in one place."""
    problems: list[Msg] = []
    if question.kind == MOTION:
        return Ballot(answer=(form.get("answer") or [""])[0]), problems
    if question.kind in (SINGLE, APPROVAL, KNAPSACK):
        return Ballot(tuple((option_id, 1) for option_id in form.get("choice", ()))), problems
    prefix = "points-" if question.kind == POINTS else "rank-"
    marks = []
    for name, values in form.items():
        if not name.startswith(prefix) or not values or not values[0].strip():
            continue
        option_id = name[len(prefix):]
        value = _whole(values[0])
        if value is None:
            problems.append(Msg(N_("Option {option}: {value} is not a whole number"),
                                option=option_ref(option_id, options), value=values[0].strip()[:20]))
        elif value != 0 or question.kind == RANKING:  # 0 points: the option is simply not chosen
            marks.append((option_id, value))
    return Ballot(tuple(marks)), problems


def question_rule(question: Question, budget: Decimal, lang: str) -> str:
    """One line saying how to fill in this ballot."""
    _ = translator(lang)
    if question.kind == SINGLE:
        return _("Choose one option.")
    if question.kind == APPROVAL:
        return _("Choose up to {k} options.", k=question.max_choices)
    if question.kind == KNAPSACK:
        limit = question.budget if question.budget is not None else budget
        return _("Choose options whose total cost fits the budget of {budget}.", budget=fmt.money(limit, lang))
    if question.kind == POINTS:
        if question.exact_points:
            return _("Give all {points} points to the options you support.", points=question.points) + (
                "" if question.stacking else " " + _("At most one point per option."))
        return _("Give up to {points} points to the options you support.", points=question.points) + (
            "" if question.stacking else " " + _("At most one point per option."))
    if question.kind == RANKING:
        return _("Rank up to {k} options: 1 for your first choice, 2 for the next, and so on.", k=question.max_choices)
    return _("Answer yes, no or abstain.")


def _tyiyn(amount: Decimal) -> int:
    return int(amount * 100)


def ballot_fields(question: Question, options: Sequence[Option], form: Form, lang: str) -> str:
    """The inputs of one ballot, filled in from ``form`` (so a refused ballot comes back as the voter left it)."""
    chosen = set(form.get("choice", ()))
    show_cost = any(o.cost for o in options)

    def first(name: str) -> str:
        return (form.get(name) or [""])[0]

    def shown(o: Option, **more) -> dict:
        return {"id": o.id, "number": o.number, "title": o.title(lang), "about": o.description(lang),
                "cost": fmt.money(o.cost, lang) if show_cost else None, "tyiyn": _tyiyn(o.cost), **more}

    if question.kind == MOTION:
        values = {"kind": "motion", "answers": [{"value": v, "text": label(v, lang), "checked": first("answer") == v}
                                                for v in (YES, NO, ABSTAIN)]}
    elif question.kind in (SINGLE, APPROVAL, KNAPSACK):
        values = {"kind": "choice", "input": "radio" if question.kind == SINGLE else "checkbox",
                  "options": [shown(o, checked=o.id in chosen) for o in options]}
    elif question.kind == POINTS:
        values = {"kind": "points", "top": question.points if question.stacking else 1,
                  "options": [shown(o, value=first(f"points-{o.id}")[:20]) for o in options]}
    elif question.kind == RANKING:
        values = {"kind": "ranking", "ranks": range(1, question.max_choices + 1),
                  "options": [shown(o, rank=first(f"rank-{o.id}")) for o in options]}
    else:
        return ""
    return render_in(TEMPLATES, "vote/fields.html", **values)


ABOUT = ("sex", "age", "village")  # the group fields a voter may give (``check_voter`` checks them on cast)


def parse_voter(form: Form) -> dict[str, str]:
    """The group the voter gave, fields left empty dropped (not said)."""
    return {name: values[0].strip()[:80] for name in ABOUT
            if (values := form.get(f"about-{name}")) and values[0].strip()}


def voter_fields(hearing: Hearing, form: Form, lang: str, municipality=None) -> str:
    """Optional questions about the voter (sex, age group, village), each with "not said" chosen at first."""
    _ = translator(lang)
    ages = [a for a in AGE_GROUPS if a != "under_18" or hearing.allow_under_18]
    fields = [("sex", _("Sex"), [(v, label(v, lang)) for v in SEXES]), ("age", _("Age group"), [(v, label(v, lang)) for v in ages])]
    if hearing.villages:
        fields.append(("village", _("Village"), [(v, village_name(v, municipality, lang)) for v in hearing.villages]))
    return render_in(
        TEMPLATES, "vote/about.html", legend=_("About you (optional)"), not_said=_("Not said"),
        hint=_("This helps to show what women, men and each village chose. Your vote stays secret."),
        fields=[{"name": name, "title": title, "choices": choices, "current": (form.get(f"about-{name}") or [""])[0]}
                for name, title, choices in fields])


# What vote.js says, in the voter's language; the ids are the same messages the server gives.
CLIENT_MESSAGES = {
    "none": N_("No option is chosen"),
    "one": N_("Choose one option; this ballot chooses {n}"),
    "many": N_("Too many choices: {n}, at most {k}"),
    "over": N_("Over budget: the chosen options cost {cost}, the budget is {budget}"),
    "stack": N_("Option {option}: at most one point per option, not {value}"),
    "pnum": N_("Option {option}: {value} is not a whole number"),
    "pmore": N_("Points add up to {total}, more than {points}"),
    "pless": N_("Points add up to {total}; all {points} must be used"),
    "rmany": N_("Too many ranked: {n}, at most {k}"),
    "rdup": N_("Rank {rank} is given to more than one option: {options}"),
    "rgap": N_("Rank {rank} is missing"),
    "answer": N_("Answer yes, no or abstain"),
    "cmiss": N_("Type the voting code from your card"),
    "clen": N_("A voting code has {n} characters, this one has {got}"),
    "cchars": N_("A voting code never contains {chars}"),
    "ccheck": N_("This voting code is mistyped; check it against the card"),
    "chosen": N_("Chosen: {cost} of {budget}"),
    "given": N_("Points given: {total} of {points}"),
}


def client_settings(question: Question, budget: Decimal, lang: str, needs_code: bool) -> str:
    """The JSON that vote.js reads: the rules of this ballot and its messages in the voter's language."""
    limit = question.budget if question.budget is not None else budget
    group = fmt.number(1000, lang)[1]
    data = {
        "kind": question.kind, "max": question.max_choices, "points": question.points,
        "stacking": question.stacking, "exact": question.exact_points, "budget": _tyiyn(limit),
        "code": needs_code, "group": group, "unit": gettext(lang, fmt.SOM),
        "msgs": {key: gettext(lang, msgid) for key, msgid in CLIENT_MESSAGES.items()},
    }
    # "</" cannot end the script block early: JSON allows "\/" for "/"
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
