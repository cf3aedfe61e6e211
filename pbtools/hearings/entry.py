"""Paper ballots typed by a clerk: what they type becomes a ``Ballot``, two clerks' piles are compared, and
``paper_hint`` tells the clerk how to type a question's ballot.

What is typed, by kind (numbers are the option numbers printed on the ballot; spaces, commas or ``+`` separate):
single ``3``; approval and knapsack ``1 3 5``; points ``2:3 4:2`` (option:points, a bare ``2`` is one point);
ranking ``3 1 2`` (first typed is ranked first) or ``3:1 1:2`` (option:rank, to type a paper with ranks written
next to options, repeats included); motion ``1`` (yes) / ``2`` (no) / ``3`` (abstain), or the word. On any
ballot, ``0`` records it as invalid (spoiled) and ``-`` as blank: no option has number 0, so neither can be a vote.

A motion answer must mean the same whatever keyboard layout is on. The key labelled Y/Н types "y" on a Latin
layout and "н" on ЙЦУКЕН: an English clerk means yes, a Russian one pressing "н" means нет. So neither "y" nor
"н" is accepted (the clerk is told to type 1, 2 or 3). N/Т and A/Ф mean no and abstain on both layouts, so "n",
"т", "a", "ф" are. Digits are the same key on every layout and are what the hints say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from pbtools.budget.numbers import whole_number
from pbtools.hearings.ballots import validate
from pbtools.hearings.model import (
    ABSTAIN, BLANK, MOTION, NO, POINTS, RANKING, SINGLE, SPOILED, YES, Ballot, Option, Question, example_ballot,
)
from pbtools.i18n import N_, Msg, gettext

# The first of each is how a stored answer is shown back (format_ballot): a digit reads the same on any layout.
_ANSWERS = {
    YES: ("1", "yes", "да", "за", "д", "ооба", "о"),
    NO: ("2", "no", "n", "т", "нет", "против", "ж", "жок"),
    ABSTAIN: ("3", "abstain", "a", "ф", "воздерж", "воздержался", "воздержалась", "в", "калыс", "к"),
}
# One key, two meanings: Y (yes) is the key of Н (нет). Refused with a message rather than guessed.
_AMBIGUOUS = ("y", "н")
_PAIR = re.compile(r"^([0-9]+)[:=]([0-9]+)$")  # ASCII digits: \\d also takes "١"
# What a clerk types for an invalid paper: the first of each is how format_ballot writes it back
_INVALID = {SPOILED: ("0",), BLANK: ("-", "–", "—")}


def _tokens(text: str) -> list[str]:
    # "2 : 3" is one pair: glue the separator to its numbers before splitting on spaces
    text = re.sub(r"\s*([:=])\s*", r"\1", text.strip().lower())
    return [t for t in re.split(r"[\s,;+]+", text) if t]


def _numbers(by_number: Mapping[int, str]) -> str:
    """The option numbers a clerk may type: "1-5", or "1, 2, 4" when there are gaps."""
    numbers = sorted(by_number)
    if numbers and numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return f"{numbers[0]}-{numbers[-1]}"
    return ", ".join(map(str, numbers))


def parse_entry(question: Question, options: Mapping[str, Option], text: str) -> tuple[Ballot | None, list[Msg]]:
    """The ballot a clerk typed, or (None, problems) if it cannot be read. Does not check the ballot's rules."""
    for why, words in _INVALID.items():
        if text.strip() in words:
            return Ballot(answer=why), []
    if question.kind == MOTION:
        word = text.strip().lower().rstrip(".")
        for answer, words in _ANSWERS.items():
            if word in words:
                return Ballot(answer=answer), []
        if word in _AMBIGUOUS:
            return None, [Msg(N_("{text} is the key of both y (yes) and н (нет, no): type 1 (yes), 2 (no) or 3 (abstain)"),
                              text=text.strip())]
        return None, [Msg(N_("Type 1 (yes), 2 (no) or 3 (abstain), not {text}"), text=text.strip())]
    by_number = {options[o].number: o for o in question.options if o in options}
    marks: list[tuple[str, int]] = []
    problems: list[Msg] = []
    pairs_allowed = question.kind in (POINTS, RANKING)
    for position, token in enumerate(_tokens(text), start=1):
        pair = _PAIR.match(token)
        if whole_number(token) is not None:
            number, value = whole_number(token), (position if question.kind == RANKING else 1)
        elif pair and pairs_allowed:
            number, value = int(pair.group(1)), int(pair.group(2))
        else:
            problems.append(Msg(N_("{text} is not an option number"), text=token))
            continue
        if number not in by_number:
            problems.append(Msg(N_("There is no option {number} on this ballot (its options: {numbers})"), number=number, numbers=_numbers(by_number)))
            continue
        marks.append((by_number[number], value))
    if question.kind == RANKING and any(_PAIR.match(t) for t in _tokens(text)) and not all(_PAIR.match(t) for t in _tokens(text)):
        problems.append(Msg(N_("Type either options in order (3 1 2) or option:rank pairs (3:1 1:2), not both")))
    return (None, problems) if problems else (Ballot(tuple(marks)), [])


def read_entry(question: Question, options: Mapping[str, Option], text: str, budget=None) -> tuple[Ballot | None, list[Msg]]:
    """Parse and check a typed ballot: (ballot, []) when it may be stored, else (None, every problem)."""
    ballot, problems = parse_entry(question, options, text)
    if ballot is None or ballot.answer in _INVALID:  # an invalid ballot has no rules to break
        return ballot, problems
    problems = validate(question, options, ballot, budget)
    return (None, problems) if problems else (ballot, [])


def format_ballot(question: Question, options: Mapping[str, Option], ballot: Ballot) -> str:
    """A ballot written the way a clerk types it (so two entries can be shown side by side)."""
    if ballot.answer in _INVALID:
        return _INVALID[ballot.answer][0]
    if question.kind == MOTION:
        return _ANSWERS.get(ballot.answer, (ballot.answer,))[0]

    def num(option_id: str) -> str:
        return str(options[option_id].number) if option_id in options else option_id

    if question.kind == POINTS:
        return " ".join(f"{num(o)}:{v}" for o, v in ballot.marks)
    if question.kind == RANKING:
        return " ".join(num(o) for o, _ in sorted(ballot.marks, key=lambda m: m[1]))
    return " ".join(num(o) for o, _ in ballot.marks)


def same_ballot(a: Ballot, b: Ballot) -> bool:
    """The same marks, whatever order they were typed in (ranks are part of a mark, so order still counts)."""
    return sorted(a.marks) == sorted(b.marks) and a.answer == b.answer


@dataclass(frozen=True)
class Difference:
    position: int  # 1-based place of the ballot in the pile
    first: Ballot | None  # None: the first clerk has no ballot at this place
    second: Ballot | None


def compare_entries(first: Sequence[Ballot | None], second: Sequence[Ballot | None]) -> list[Difference]:
    """Every position where two clerks who typed the same pile disagree, including ballots only one typed.
    Item i is the ballot at position i + 1 (None: nothing there)."""
    differences = []
    for i in range(max(len(first), len(second))):
        a = first[i] if i < len(first) else None
        b = second[i] if i < len(second) else None
        if (a is None) != (b is None) or (a is not None and not same_ballot(a, b)):
            differences.append(Difference(i + 1, a, b))
    return differences


PAPER_HINTS: Mapping[str, str] = {
    MOTION: N_("Type 1 (yes), 2 (no) or 3 (abstain), then Enter."),
    POINTS: N_("Type option:points, e.g. {example}, then Enter."),
    RANKING: N_("Type option numbers from first to last, e.g. {example}, then Enter."),
    SINGLE: N_("Type the option number marked on the ballot, e.g. {example}, then Enter."),
}


def paper_hint(q: Question, options: Mapping[str, Option], lang: str) -> str:
    """How a clerk types ``q``'s paper ballot, in ``lang``, with an example that is a valid ballot of it
    ("choose up to 2": "1 3", not "1 3 5")."""
    example = format_ballot(q, options, example_ballot(q, options))
    return gettext(lang, PAPER_HINTS.get(q.kind, N_("Type the option numbers marked on the ballot, e.g. {example}, then Enter."))).format(example=example)
