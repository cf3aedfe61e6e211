"""The hearing's people and options as the facilitator types them: checked, then turned into ``HearingStore.update``
changes. Pure: the caller stores the changes (or shows the problems, and nothing changes).
"""

from __future__ import annotations

from typing import Any, Mapping

from pbtools.budget.model import pick_name
from pbtools.hearings.fold import HearingState
from pbtools.i18n import N_, Msg

PEOPLE = ("chair", "secretary", "facilitator")
MAX_NAME = 120  # characters: longer is a paste gone wrong, not a name

FIELD_NAMES = {
    "title": N_("Title"),
    "venue": N_("Venue"),
    "chair": N_("Chair"),
    "secretary": N_("Secretary"),
    "facilitator": N_("Facilitator"),
    "commission": N_("Counting commission"),
}


def split_lines(text: str) -> tuple[str, ...]:
    """One name a line (commas also separate), blanks dropped: how a list of commission members is typed."""
    return tuple(part.strip() for line in text.splitlines() for part in line.split(",") if part.strip())


def _check_name(field: str, value: str) -> list[Msg]:
    if len(value) > MAX_NAME:
        return [Msg(N_("{field}: at most {n} characters, this has {got}"), field=Msg(FIELD_NAMES[field]), n=MAX_NAME, got=len(value))]
    if any(ord(c) < 32 for c in value):
        return [Msg(N_("{field}: one line only"), field=Msg(FIELD_NAMES[field]))]
    return []


def in_languages(field: str, texts: Mapping[str, str]) -> tuple[dict[str, str], str, list[Msg]]:
    """A title or venue typed in each language: (language -> text, blanks dropped; the one text older readers
    show, Kyrgyz first; problems)."""
    values = {lang: str(text).strip() for lang, text in texts.items() if str(text).strip()}
    problems = [p for text in values.values() for p in _check_name(field, text)]
    return values, pick_name(values, "ky"), problems


def hearing_changes(st: HearingState, form: Mapping[str, Any]) -> tuple[dict[str, Any], list[Msg]]:
    """(changes, problems) for the form's ``title``, ``chair``, ``secretary``, ``facilitator``, ``commission``
    (text, one name a line), ``record_names``, ``allow_under_18``, ``practice``, and ``titles``/``venues``
    (language -> text). Only fields that differ are changes."""
    h = st.hearing
    values: dict[str, Any] = {}
    problems: list[Msg] = []
    for field, plural in (("title", "titles"), ("venue", "venues")):
        if plural in form:
            values[plural], values[field], found = in_languages(field, form[plural])
            problems += found
    for field in ("title", *PEOPLE):
        if field in form:
            values[field] = str(form[field]).strip()
            problems += _check_name(field, values[field])
    if "commission" in form:
        members = split_lines(str(form["commission"]))
        for member in members:
            problems += _check_name("commission", member)
        repeated = sorted({m for m in members if members.count(m) > 1})
        for member in repeated:
            problems.append(Msg(N_("Counting commission: {name} is listed twice"), name=member))
        values["commission"] = members
    for flag in ("record_names", "allow_under_18", "practice"):
        if flag in form:
            values[flag] = bool(form[flag])
    if values.get("allow_under_18") is False and h.allow_under_18:
        under = st.counters.by_age.get("under_18", 0)
        if under:  # they would stay registered in an age group the hearing no longer has
            problems.append(Msg(N_("{n} participants under 18 are registered: under-18s stay allowed"), n=under))
    changes = {k: v for k, v in values.items() if getattr(h, k) != v}
    if any(k in changes for k in ("titles", "venues")):  # the one text follows its languages
        changes.update({k: values[k] for k in ("title", "venue") if k in values})
    return ({}, problems) if problems else (changes, [])
