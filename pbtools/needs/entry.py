"""A session's ranking typed as fast as a paper ballot: "3 1 7" is problem 3 first, then 1, then 7.

Numbers may be separated by spaces, commas, semicolons or dashes ("3,1,7", "3-1-7", "№4 - 1"); "№3" and "#3" are
read as 3.
Each problem in a session's list once. Every refusal names what was typed and where (its position in the list).
"""

from __future__ import annotations

import re

from pbtools.budget.numbers import whole_number
from pbtools.i18n import N_, Msg, named_field
from pbtools.needs.errors import NeedsError
from pbtools.needs.model import NeedsState

# a dash between two numbers, spaces around it or not ("4-1", "№4 - 1": the space before it split it off alone)
_SEPARATORS = re.compile(r"(?<=\d)\s*[-–—]\s*(?=[№#]?\d)|[\s,;/]+")


def parse_ranking(text: str, st: NeedsState) -> tuple[str, ...]:
    """The problem ids of a typed ranking, best first; ``NeedsError`` naming each wrong entry (nothing stored)."""
    pieces = [p for p in _SEPARATORS.split(text.strip()) if p]
    if not pieces:
        raise NeedsError(Msg(N_("Type the numbers of the problems in the order the group ranked them, e.g. 3 1 7")))
    problems, ids, seen = [], [], {}
    for position, piece in enumerate(pieces, start=1):
        digits = piece.lstrip("№#")
        number = whole_number(digits)
        if number is None:
            problems.append(Msg(N_("Place {position}: «{value}» is not a problem number"), position=position, value=piece))
            continue
        problem = st.problem_by_number(number)
        if problem is None:
            problems.append(Msg(N_("Place {position}: there is no problem number {number}"), position=position, number=number))
        elif number in seen:
            problems.append(Msg(N_("Place {position}: problem {number} is already in place {first}"),
                                position=position, number=number, first=seen[number]))
        else:
            seen[number] = position
            ids.append(problem.id)
    if problems:
        raise NeedsError(problems)
    return tuple(ids)


def at_least_one(typed: object, field: str) -> int:
    """A count typed in a box (``field``: its label's message id) that must be a whole number from 1 up; else
    ``NeedsError`` naming the box and what was typed (an empty box or "0" was silently read as 1 or kept)."""
    text = str(typed).strip()
    if not text:
        raise NeedsError(named_field(field, Msg(N_("nothing is typed; type a whole number from 1 up"))))
    number = whole_number(text)
    if number is None or number < 1:
        raise NeedsError(named_field(field, Msg(N_("«{value}» is not a whole number from 1 up"), value=text)))
    return number
