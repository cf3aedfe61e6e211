"""Count one question of a hearing with its rule, and count the same ballots by every rule side by side.

``count_question`` returns the counting core's ``Result``; what the reader must know about the count itself (how
show-of-hands figures were counted or why they were left out, ballots without any mark, a share raised by the
completion) is in ``result.options["notes"]`` as ``Msg``. Explanations name options by their number and title
(``option_label``), as people know them in the hall, and say amounts in whole som (``in_whole_som``); an option
nobody voted for is never funded (docs/counting.md, "A hearing's count").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

from pbtools.budget.model import pick_name
from pbtools.counting.count import count
from pbtools.counting.lazy import mapped
from pbtools.counting.names import RULE_NAMES
from pbtools.counting.result import Amount, Result
from pbtools.counting.steps import Ineligible, LazyMsg, Step
from pbtools.counting.ties import TieRule
from pbtools.fmt import money
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import MOTION, Option
from pbtools.i18n import N_, Joined, Msg, NMsg
from pbtools.results.election import ResultsError, election_for, question_of, rule_of, score_of, tie_rule_of
from pbtools.results.votes import option_votes

RULES = ("greedy", "greedy-no-skip", "mes", "mes-add1", "mes-add1-greedy", "phragmen")  # as pbtools.counting
COMPARED = ("greedy", "mes-add1-greedy", "phragmen")  # the comparison: greedy, MES with its completion, Phragmén
# Why a rule may choose differently, read aloud with the comparison.
RULE_IDEAS = {  # by family: greedy, mes, phragmen
    "greedy": N_("Greedy takes the options with the most votes first, while money is left."),
    "mes": N_("Equal Shares gives every voter an equal share of the budget; an option is bought when its supporters can pay for it together."),
    "phragmen": N_("Phragmén spreads the cost of each chosen option over its supporters, so that no group carries much more load than others."),
}


CHOSEN_BY_MOST_VOTES = N_("The option with the most votes is chosen")


def how_counted(question: Any, rule: str) -> Msg:
    """How a question's outcome is decided, as the board, the console and the protocol say it: a choice between
    alternatives (``choose_one``, e.g. tariffs) takes the option with the most votes, no budget rule shares money
    among them; any other question names its budget rule."""
    if question.choose_one:
        return Msg(CHOSEN_BY_MOST_VOTES)
    return Msg(RULE_NAMES.get(rule, rule))


def no_budget_shared(question: Any) -> Msg | None:
    """Why a question has no budget for the rounds and the rules' comparison to explain (a motion, a choice between
    alternatives), or None when it has one."""
    if question.kind == MOTION:
        return Msg(N_("A motion has no budget to share."))
    if question.choose_one:
        return Msg(N_("A choice between alternatives shares no budget: the option with the most votes is chosen."))
    return None


def family(rule: str) -> str:
    return "mes" if rule.startswith("mes") else "greedy" if rule.startswith("greedy") else rule


class OptionName(Msg):
    """An option as the hall knows it: "№3 Repair the kindergarten roof", in the reader's language."""

    def __init__(self, option: Option) -> None:
        super().__init__("№{number} {title}", number=option.number, title=option.titles)

    def render(self, lang: str) -> str:
        return f"№{self.params['number']} {pick_name(self.params['title'], lang)}"


def option_label(state: HearingState, option_id: str) -> Msg | str:
    option = state.options.get(option_id)
    return OptionName(option) if option is not None else option_id


def relabel(msg: Any, names: Mapping[str, Msg]) -> Any:
    """``msg`` with every parameter that is an option id (or a list of them) replaced by the option's name; a step's
    message not yet made (``LazyMsg``) is named when it is made (a tie's says every outcome: it reads the steps)."""
    if isinstance(msg, LazyMsg) and "_make" in msg.__dict__:
        copy = object.__new__(type(msg))
        copy.__dict__["_make"] = (_relabel_made, (msg, names))
        return copy
    return _relabel_made(msg, names)


def _relabel_made(msg: Any, names: Mapping[str, Msg]) -> Any:
    if not isinstance(msg, Msg) or isinstance(msg, OptionName):
        return msg
    params = {}
    for key, value in msg.params.items():
        if isinstance(value, str) and value in names:
            value = names[value]
        elif isinstance(value, str) and ", " in value and all(v in names for v in value.split(", ")):
            value = Joined(tuple(names[v] for v in value.split(", ")))
        elif isinstance(value, Msg):
            value = relabel(value, names)
        params[key] = value
    copy = object.__new__(type(msg))
    object.__setattr__(copy, "msgid", msg.msgid)
    object.__setattr__(copy, "params", params)
    return copy


def relabelled(result: Result, names: Mapping[str, Msg], notes) -> Result:
    """The result with option ids in its steps and ties replaced by ``names``, and ``notes``. Steps or ties not yet
    made (an Add1 count's final run, greedy's steps) are relabelled when first read: a screen comparing several
    rules shows one explanation, and the others' are then never made."""
    def message_named(item):
        return replace(item, message=relabel(item.message, names))

    return replace(result, steps=mapped(result.steps, message_named), ties=mapped(result.ties, message_named),
                   options={**result.options, "notes": tuple(notes)})


def _named(result: Result, state: HearingState, notes: list[Msg]) -> Result:
    return relabelled(result, {oid: OptionName(o) for oid, o in state.options.items()}, notes)


def count_question(state: HearingState, question_id: str, rule: str | None = None, score: str | None = None,
                   tie_rule: TieRule | None = None, with_hands: bool = True) -> Result:
    """Count ``question_id`` by ``rule`` (default: the question's own rule, score and tie rule).

    Greedy also counts show-of-hands figures (as weighted ballots) unless ``with_hands`` is false; MES and
    Phragmén need every voter's ballot, so they leave hands out. Either way ``result.options["notes"]`` says so."""
    question = question_of(state, question_id)
    rule = rule or rule_of(question)
    if rule not in RULES:
        raise ResultsError(Msg(N_("Unknown counting rule {rule}"), rule=rule))
    score = score or score_of(question)
    if tie_rule is None:
        kind, seed = tie_rule_of(question)
        tie_rule = TieRule(kind, seed if kind == "field" else None)
    notes: list[Msg] = []
    if family(rule) == "mes" and score == "borda":
        score = "support"
        notes.append(Msg(N_("Equal Shares counts each ranked option as one vote, not Borda points.")))
    hands = bool(state.counts_for(question_id))
    use_hands = hands and with_hands and family(rule) == "greedy"
    if hands and family(rule) != "greedy":
        notes.append(Msg(N_("Show-of-hands counts are left out: {rule} needs each voter's whole ballot."), rule=Msg(RULE_NAMES[rule])))
    elif hands and not use_hands:
        notes.append(Msg(N_("Show-of-hands counts are left out here too, so that every rule counts the same ballots.")))
    election = election_for(state, question_id, hands=use_hands)
    if use_hands:  # the method stated wherever the count is shown (board, protocol, verify)
        n = sum(v for c in state.counts_for(question_id) for per in c.counts.values() for o, v in per.items() if o in question.options)
        notes.append(Msg(N_("Each raised hand is counted as one vote for its option, as a ballot marking only that option ({n} hands)."), n=n))
    empty = sum(b.weight for b in election.ballots if not b.choice)
    if empty:
        notes.append(NMsg("{n} ballot supports no option; it still counts as a voter.",
                          "{n} ballots support no option; they still count as voters.", empty))
    if rule == "phragmen" and election.vote_type != "approval":
        notes.append(Msg(N_("Phragmén counts every marked option as one approval; points and ranks are not used.")))
    # in a hearing an option nobody voted for is never funded (greedy and Phragmén would take it last, if it fits)
    result = count(election, rule=rule, score=score, tie_rule=tie_rule, min_votes=1)
    result = replace(result, steps=tuple(_no_votes(s) for s in result.steps))
    raised = share_note(result, sum(b.weight for b in election.ballots))
    notes += [raised] if raised is not None else []
    return in_whole_som(_named(result, state, notes))


def _no_votes(step: Step) -> Step:
    if not isinstance(step, Ineligible):
        return step
    return replace(step, message=Msg(N_("{option} got no votes: an option nobody voted for is never funded."), option=step.project))


def share_note(result: Result, voters: int) -> Msg | None:
    """Equal Shares completed by raising the shares (Add1): each voter's share at the start (budget ÷ voters) and
    the raised share the last count used, said in words, so "152 501 som each" beside a budget of 100 000 per
    voter is not read as a mistake."""
    raised = result.options.get("per_voter_budget")
    if raised is None or not voters:
        return None
    start = Decimal(result.budget) / voters
    raised = _decimal(raised)
    if raised <= start:
        return None
    return Msg(N_("Each voter's equal share was {start} (the budget {budget} divided among {voters} voters). As the "
                  "supporters could not buy enough with it, every share was raised step by step and the count made "
                  "again, up to {raised} a voter, as long as what is bought still fits in the budget. Shares are a way "
                  "of counting: nobody receives money, and the funded options never cost more than the budget."),
               start=Amount(start, result.currency), budget=Amount(result.budget, result.currency), voters=voters,
               raised=Amount(raised, result.currency))


def _decimal(value: Any) -> Decimal:
    if hasattr(value, "numerator") and not isinstance(value, (int, Decimal)):
        return Decimal(int(value.numerator)) / Decimal(int(value.denominator))
    return Decimal(value)


class WholeSom(Amount):
    """An amount of money as a hearing says it: rounded to the whole som, half up (the exact value is kept in the
    result's data and recounted from the audit file)."""

    def render(self, lang: str) -> str:
        value = self.params["value"].quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return money(value, lang, currency=self.params["currency"])


def _whole(msg: Any) -> Any:
    if isinstance(msg, Amount) and "currency" in msg.params:
        return WholeSom(msg.params["value"], msg.params["currency"])
    if not isinstance(msg, Msg) or isinstance(msg, OptionName):
        return msg
    params = {k: _whole(v) if isinstance(v, Msg) else v for k, v in msg.params.items()}
    copy = object.__new__(type(msg))
    object.__setattr__(copy, "msgid", msg.msgid)
    object.__setattr__(copy, "params", params)
    return copy


def in_whole_som(result: Result) -> Result:
    """Every amount of money in the result's explanation, ties and notes said in whole som (docs/counting.md)."""
    return replace(result, steps=tuple(replace(s, message=_whole(s.message)) for s in result.steps),
                   ties=tuple(replace(t, message=_whole(t.message)) for t in result.ties),
                   options={**result.options, "notes": tuple(_whole(n) for n in result.options.get("notes", ()))})


@dataclass(frozen=True)
class Difference:
    option: str  # option id
    chosen_by: tuple[str, ...]  # rules that fund it
    reasons: Mapping[str, Msg]  # rule -> why it did or did not fund it


@dataclass(frozen=True)
class Comparison:
    results: Mapping[str, Result]  # rule -> result, in RULES order
    common: tuple[str, ...]  # options every rule funds
    differences: tuple[Difference, ...]


def _reason(result: Result, option: str, state: HearingState) -> Msg:
    """The step where ``result``'s rule decided about ``option``, or why it never came to it."""
    for step in result.steps:
        if step.project == option:
            return step.message
    name = option_label(state, option)
    if option in result.selected:
        return Msg(N_("{option} is funded."), option=name)
    if family(result.rule) == "mes":
        return Msg(N_("{option} was not bought: its supporters could not pay its cost from their equal shares."), option=name)
    return Msg(N_("{option} was not funded: the rule stopped before it."), option=name)


def unspent_note(state: HearingState, question_id: str, result: Result) -> Msg | None:
    """Under Equal Shares, money may be left although unfunded options would fit in it: say which, and why, so the
    hall does not read the board as a mistake. An option nobody voted for has no supporters to pay for it: it is
    said apart (a hearing's count never funds it)."""
    if family(result.rule) != "mes":
        return None
    left = result.budget - result.total_cost
    fitting = [o.id for o in state.options_of(question_id) if o.id not in result.selected and 0 < o.cost <= left]
    if not fitting:
        return None
    votes = option_votes(state, question_id).total
    unvoted = [o for o in fitting if not votes.get(o, 0)]
    supported = [o for o in fitting if o not in unvoted]
    if not unvoted:
        msg = Msg(N_("{left} is left unspent: {options} would fit in it, but their supporters could not pay for them from their equal shares."),
                  left=Amount(left, result.currency), options=", ".join(supported))
    elif not supported:
        msg = Msg(N_("{left} is left unspent: {options} would fit in it, but nobody voted for them, and an option without votes is never funded."),
                  left=Amount(left, result.currency), options=", ".join(unvoted))
    else:
        msg = Msg(N_("{left} is left unspent: {options} would fit in it, but their supporters could not pay for them from their equal shares; "
                     "{unvoted} would fit too, but nobody voted for them, and an option without votes is never funded."),
                  left=Amount(left, result.currency), options=", ".join(supported), unvoted=", ".join(unvoted))
    return relabel(msg, {o: option_label(state, o) for o in fitting})


def compare_rules(state: HearingState, question_id: str, rules: tuple[str, ...] = COMPARED, score: str | None = None,
                  tie_rule: TieRule | None = None) -> Comparison:
    """The same ballots counted by each rule, the question's own rule first when it is not among them; the options
    on which they disagree and why. Where a rule cannot count show-of-hands figures, none does (their results'
    notes say so)."""
    own = rule_of(question_of(state, question_id))
    rules = rules if own in rules else (own, *rules)
    with_hands = all(family(rule) == "greedy" for rule in rules)
    results = {rule: count_question(state, question_id, rule, score, tie_rule, with_hands) for rule in rules}
    funded = {rule: set(r.selected) for rule, r in results.items()}
    every = set.intersection(*funded.values()) if funded else set()
    some = set.union(*funded.values()) if funded else set()
    order = [o.id for o in state.options_of(question_id)]
    differences = tuple(
        Difference(o, tuple(r for r in rules if o in funded[r]), {r: _reason(results[r], o, state) for r in rules})
        for o in order if o in some - every
    )
    return Comparison(results, tuple(o for o in order if o in every), differences)

