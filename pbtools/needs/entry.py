"""A session's ranking typed as fast as a paper ballot: "3 1 7" is problem 3 first, then 1, then 7.

Numbers may be separated by spaces, commas, semicolons or dashes ("3,1,7", "3-1-7"); "№3" and "#3" are read as 3.
Each problem in a session's list once. Every refusal names what was typed and where (its position in the list).
"""

from __future__ import annotations

import re

from pbtools.budget.numbers import whole_number
from pbtools.i18n import N_, Msg
from pbtools.needs.errors import NeedsError
from pbtools.needs.model import NeedsState

_SEPARATORS = re.compile(r"[\s,;/]+|(?<=\d)[-–—](?=\s*[№#]?\d)")


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
