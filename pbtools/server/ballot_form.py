"""The phone ballot's fields as HTML: what each ballot kind shows, filled in from the form a voter sent (so a refused
ballot comes back as the voter left it). Reading the submitted form is ``pbtools.phones.form``."""

from __future__ import annotations

import html
from typing import Sequence

from pbtools import fmt
from pbtools.hearings.model import (
    ABSTAIN, AGE_GROUPS, APPROVAL, KNAPSACK, MOTION, NO, POINTS, RANKING, SEXES, SINGLE, YES, Hearing, Option,
    Question, label, village_name,
)
from pbtools.i18n import translator
from pbtools.phones.form import Form, tyiyn


def _option_text(option: Option, lang: str, show_cost: bool) -> str:
    cost = f'<span class="cost">{html.escape(fmt.money(option.cost, lang))}</span>' if show_cost else ""
    about = option.description(lang)
    about = f'<span class="about">{html.escape(about)}</span>' if about else ""
    return (f'<span class="num">{option.number}</span><span class="title">{html.escape(option.title(lang))}</span>'
            f"{about}{cost}")


def ballot_fields(question: Question, options: Sequence[Option], form: Form, lang: str) -> str:
    """The inputs of one ballot, filled in from ``form`` (so a refused ballot comes back as the voter left it)."""
    chosen = set(form.get("choice", ()))
    show_cost = any(o.cost for o in options)
    rows = []
    if question.kind == MOTION:
        answer = (form.get("answer") or [""])[0]
        for value in (YES, NO, ABSTAIN):
            checked = " checked" if answer == value else ""
            rows.append(f'<label class="opt answer"><input type="radio" name="answer" value="{value}"{checked}>'
                        f'<span class="title">{html.escape(label(value, lang))}</span></label>')
    elif question.kind in (SINGLE, APPROVAL, KNAPSACK):
        kind = "radio" if question.kind == SINGLE else "checkbox"
        for o in options:
            checked = " checked" if o.id in chosen else ""
            rows.append(f'<label class="opt"><input type="{kind}" name="choice" value="{html.escape(o.id)}" '
                        f'data-num="{o.number}" data-cost="{tyiyn(o.cost)}"{checked}>{_option_text(o, lang, show_cost)}</label>')
    elif question.kind == POINTS:
        top = question.points if question.stacking else 1
        for o in options:
            value = html.escape((form.get(f"points-{o.id}") or [""])[0][:20])
            rows.append(f'<label class="opt"><input type="number" class="pts" name="points-{html.escape(o.id)}" min="0" '
                        f'max="{top}" step="1" inputmode="numeric" value="{value}" data-num="{o.number}">'
                        f"{_option_text(o, lang, show_cost)}</label>")
    elif question.kind == RANKING:
        for o in options:
            current = (form.get(f"rank-{o.id}") or [""])[0]
            choices = "".join(
                f'<option value="{r}"{" selected" if current == str(r) else ""}>{r}</option>'
                for r in range(1, question.max_choices + 1))
            rows.append(f'<label class="opt"><select class="rank" name="rank-{html.escape(o.id)}" data-num="{o.number}">'
                        f'<option value="">–</option>{choices}</select>{_option_text(o, lang, show_cost)}</label>')
    return "\n".join(rows)


def voter_fields(hearing: Hearing, form: Form, lang: str, municipality=None) -> str:
    """Optional questions about the voter (sex, age group, village), each with "not said" chosen at first."""
    _ = translator(lang)
    ages = [a for a in AGE_GROUPS if a != "under_18" or hearing.allow_under_18]
    fields = [("sex", _("Sex"), [(v, label(v, lang)) for v in SEXES]), ("age", _("Age group"), [(v, label(v, lang)) for v in ages])]
    if hearing.villages:
        fields.append(("village", _("Village"), [(v, village_name(v, municipality, lang)) for v in hearing.villages]))
    rows, not_said = [], _("Not said")
    for name, title, choices in fields:
        current = (form.get(f"about-{name}") or [""])[0]
        options = "".join(f'<option value="{html.escape(v)}"{" selected" if v == current else ""}>{html.escape(text)}</option>'
                          for v, text in choices)
        rows.append(f'<label class="about">{html.escape(title)} <select name="about-{name}">'
                    f'<option value="">{html.escape(not_said)}</option>{options}</select></label>')
    legend = html.escape(_("About you (optional)"))
    hint = html.escape(_("This helps to show what women, men and each village chose. Your vote stays secret."))
    return f'<fieldset class="about"><legend>{legend}</legend><p class="hint">{hint}</p>{"".join(rows)}</fieldset>'
