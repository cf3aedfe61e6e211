"""The phone ballot's fields as HTML: what each ballot kind shows, filled in from the form a voter sent (so a refused
ballot comes back as the voter left it). Reading the submitted form is ``pbtools.phones.form``."""

from __future__ import annotations

from typing import Sequence

from pbtools import fmt
from pbtools.hearings.model import (
    ABSTAIN, APPROVAL, KNAPSACK, MOTION, NO, POINTS, RANKING, SEXES, SINGLE, YES, Hearing, Option,
    Question, label, village_name,
)
from pbtools.hearings.voters import allowed_age_groups
from pbtools.html import render_in
from pbtools.i18n import translator
from pbtools.phones.form import Form, tyiyn
from pbtools.server import TEMPLATES


def ballot_fields(question: Question, options: Sequence[Option], form: Form, lang: str) -> str:
    """The inputs of one ballot, filled in from ``form`` (so a refused ballot comes back as the voter left it)."""
    chosen = set(form.get("choice", ()))
    show_cost = any(o.cost for o in options) and not question.choose_one  # alternatives (tariffs) cost no money spent

    def first(name: str) -> str:
        return (form.get(name) or [""])[0]

    def shown(o: Option, **more) -> dict:
        return {"id": o.id, "number": o.number, "title": o.title(lang), "about": o.description(lang),
                "cost": fmt.money(o.cost, lang) if show_cost else None, "tyiyn": tyiyn(o.cost), **more}

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


def voter_fields(hearing: Hearing, form: Form, lang: str, municipality=None) -> str:
    """Optional questions about the voter (sex, age group, village), each with "not said" chosen at first."""
    _ = translator(lang)
    ages = list(allowed_age_groups(hearing))
    fields = [("sex", _("Sex"), [(v, label(v, lang)) for v in SEXES]), ("age", _("Age group"), [(v, label(v, lang)) for v in ages])]
    if hearing.villages:
        fields.append(("village", _("Village"), [(v, village_name(v, municipality, lang)) for v in hearing.villages]))
    return render_in(
        TEMPLATES, "vote/about.html", legend=_("About you (optional)"), not_said=_("Not said"),
        hint=_("This helps to show what women, men and each village chose. Your vote stays secret."),
        fields=[{"name": name, "title": title, "choices": choices, "current": (form.get(f"about-{name}") or [""])[0]}
                for name, title, choices in fields])
