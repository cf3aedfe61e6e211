""""What if", said in one sentence per difference, for a deputy: the same ballots counted by greedy, Equal Shares
(with its completion) and Phragmén; the same preferences cast as another kind of ballot. The sentences live here,
once: the Training app shows them, the handouts print them.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from pbtools.counting.names import RULE_NAMES
from pbtools.hearings.model import APPROVAL, KNAPSACK, POINTS, RANKING, label
from babel.lists import format_list

from pbtools.i18n import N_, Msg, NMsg, gettext
from pbtools.results.count import Comparison, family, option_label

# Why a rule left out an option another rule funds (by the family of the rule that left it out).
WHY_NOT = {
    "greedy": N_("greedy had already spent the money on options with more votes"),
    "mes": N_("under Equal Shares its supporters' equal shares were not enough to pay its cost together"),
    "phragmen": N_("Phragmén had already loaded its supporters with other options they wanted"),
}
# What changes when the ballot changes (the same people, the same preferences).
WHY_KIND = {
    POINTS: N_("points let each voter show how much they care, so options a group wants strongly gain"),
    RANKING: N_("a ranking counts the order, so what voters put first weighs more than their third choice"),
    KNAPSACK: N_("voters had to fit their choices into the budget, so cheaper options were marked more often"),
    APPROVAL: N_("approval counts every marked option the same"),
}
RULE_SENTENCE = N_("{option} is funded {by_funded} but not {by_not_funded}: {why}.")
# A rule's name has commas of its own ("Method of Equal Shares, completed by greedy"): each name is quoted on its own,
# and the sentence says "rule" or "rules" by how many are named.
BY_RULE = N_("by the rule {name}")
BY_RULES = N_("by the rules {names}")
QUOTED = N_("“{name}”")
KIND_SENTENCE = N_("With {kind} ballots, {rule} funds {added} instead of {removed}: {why}.")
KIND_ADDS = N_("With {kind} ballots, {rule} also funds {added}: {why}.")
KIND_DROPS = N_("With {kind} ballots, {rule} no longer funds {removed}: {why}.")
KIND_SAME = N_("With {kind} ballots, {rule} funds the same options.")
RULES_AGREE = N_("All three rules fund the same options.")
# The kinds table recasts the last simulated hall; the rules table counts every ballot stored. When these differ
# (a second simulation, people voting on their phones) the two approval columns may fund different options.
OTHER_BALLOTS = N_("The first table counts every ballot stored ({stored}), this one only the people of the last simulated hall ({hall}), so their approval columns can fund different options.")


class Sentence(Msg):
    """A sentence read aloud: its first letter a capital in every language. A Kyrgyz sentence may start with a
    name put in lower case for the middle of a sentence («упайлар бюллетендери менен…»)."""

    def render(self, lang: str) -> str:
        text = super().render(lang)
        first = next((i for i, c in enumerate(text) if c.isalnum()), None)
        return text if first is None else text[:first] + text[first].upper() + text[first + 1:]


class _Names(Msg):
    """Several rules or options, listed in the reader's language."""

    def __init__(self, items: Sequence[Msg | str]) -> None:
        super().__init__("{items}", items=tuple(items))

    def render(self, lang: str) -> str:
        return ", ".join(i.render(lang) if isinstance(i, Msg) else str(i) for i in self.params["items"])


class _Quoted(Msg):
    """Rules named in a sentence, each in its own quotes, listed in the reader's language ("«A» и «B»")."""

    def __init__(self, rules: Sequence[str]) -> None:
        super().__init__("{rules}", rules=tuple(rules))

    def render(self, lang: str) -> str:
        return format_list([Msg(QUOTED, name=Msg(RULE_NAMES.get(r, r))).render(lang) for r in self.params["rules"]], locale=lang)


def rule_name(rule: str) -> Msg:
    """One rule's name, quoted, for a sentence."""
    return _Quoted([rule])


def by_rules(rules: Sequence[str]) -> Msg:
    return Msg(BY_RULE, name=_Quoted(rules)) if len(rules) == 1 else Msg(BY_RULES, names=_Quoted(rules))


def rule_sentences(comparison: Comparison, state) -> list[Msg]:
    """One sentence per option the rules disagree on (none: one sentence saying they agree)."""
    rules = list(comparison.results)
    said = []
    for d in comparison.differences:
        no = [r for r in rules if r not in d.chosen_by]
        said.append(Sentence(RULE_SENTENCE, option=option_label(state, d.option), by_funded=by_rules(list(d.chosen_by)),
                        by_not_funded=by_rules(no), why=Msg(WHY_NOT[family(no[0])])))
    return said or [Sentence(RULES_AGREE)]


class _Kind(Msg):
    def __init__(self, kind: str) -> None:
        super().__init__("{kind}", kind=kind)

    def render(self, lang: str) -> str:
        return label(self.params["kind"], lang).split(" (")[0].lower()


def kind_sentences(table: Mapping[str, Comparison], state, base: str = APPROVAL, rule: str = "mes-add1-greedy") -> list[Msg]:
    """For each ballot kind other than ``base``: what ``rule`` funds differently, in one sentence."""
    said = []
    funded_base = set(table[base].results[rule].selected)
    for kind, comparison in table.items():
        if kind == base:
            continue
        funded = set(comparison.results[rule].selected)
        order = [o.id for o in sorted(state.options.values(), key=lambda o: o.number)]
        added = _Names([option_label(state, o) for o in order if o in funded - funded_base])
        removed = _Names([option_label(state, o) for o in order if o in funded_base - funded])
        common = dict(kind=_Kind(kind), rule=rule_name(rule), why=Msg(WHY_KIND[kind]))
        if funded == funded_base:
            said.append(Sentence(KIND_SAME, kind=_Kind(kind), rule=rule_name(rule)))
        elif not funded_base - funded:
            said.append(Sentence(KIND_ADDS, added=added, **common))
        elif not funded - funded_base:
            said.append(Sentence(KIND_DROPS, removed=removed, **common))
        else:
            said.append(Sentence(KIND_SENTENCE, added=added, removed=removed, **common))
    return said


def hall_note(stored: Sequence, hall: Sequence) -> list[Msg]:
    """Why the kinds table's approval column may differ from the rules table's: said only when the ballots stored
    (in order) are not the last simulated hall's approval ballots."""
    if list(stored) == list(hall):
        return []
    return [Sentence(OTHER_BALLOTS, stored=NMsg("{n} ballot", "{n} ballots", len(stored)),
                hall=NMsg("{n} person", "{n} people", len(hall)))]


def funded_table(comparison: Comparison, state, question_id: str, lang: str):
    """(rule names, [(option, funded by each rule)], [(its cost, its votes on ``question_id``)]) for the side-by-side
    table: the rows and their figures from one walk over the options, so they stay in one order."""
    from pbtools.fmt import money
    from pbtools.hearings.tally import tally_ballots

    rules = list(comparison.results)
    votes = tally_ballots(state.questions[question_id], state.ballots_for(question_id))
    rows, figures = [], []
    for o in sorted(state.options.values(), key=lambda o: o.number):
        name = option_label(state, o.id)
        rows.append((name.render(lang) if isinstance(name, Msg) else str(name),
                     tuple(o.id in comparison.results[r].selected for r in rules)))
        figures.append((money(o.cost, lang), votes.get(o.id, 0)))
    return tuple(gettext(lang, RULE_NAMES.get(r, r)) for r in rules), rows, figures


def counted_line(state, question_id: str, comparison: Comparison) -> Msg:
    """Which question's ballots the table counts, how many, and the budget every rule spends (on a projector the
    room saw only "funded" and "—", and not why): «Counted: question 1 «…» (approval), 153 ballots; budget …»."""

    q = state.questions[question_id]
    budget = next(iter(comparison.results.values())).budget if comparison.results else state.hearing.budget
    return Msg(N_("Counted: question {number} «{title}» ({kind}), {ballots}; the budget is {budget}."),
               number=list(state.questions).index(question_id) + 1, title=_QuestionTitle(q.titles),
               kind=_Label(q.kind), ballots=NMsg("{n} ballot", "{n} ballots", len(state.ballots_for(question_id))),
               budget=_Money(budget))


def spent(comparison: Comparison, lang: str) -> tuple[str, ...]:
    """What each rule spends, in the table's column order."""
    from pbtools.fmt import money

    return tuple(money(r.total_cost, lang) for r in comparison.results.values())


class _QuestionTitle(Msg):
    def __init__(self, titles) -> None:
        super().__init__("{titles}", titles=dict(titles))

    def render(self, lang: str) -> str:
        from pbtools.budget.model import pick_name

        return pick_name(self.params["titles"], lang)


class _Label(Msg):
    def __init__(self, code: str) -> None:
        super().__init__("{code}", code=code)

    def render(self, lang: str) -> str:  # "approval", inside a sentence: without its explanation, in lower case
        said = label(self.params["code"], lang).split(" (")[0]
        return said[:1].lower() + said[1:]


class _Money(Msg):
    def __init__(self, amount) -> None:
        super().__init__("{amount}", amount=amount)

    def render(self, lang: str) -> str:
        from pbtools.fmt import money

        return money(self.params["amount"], lang)
