"""What may be known of a ballot's voter without naming them: the group its pile (or a phone form) stands for.

Paper ballots are secret, but a hall often sorts them by group (coloured ballots for women and men, one pile per
village). The clerk says what the pile is, and each ballot record keeps it (``payload["voter"]``), so "what each
group chose" and the ``.pb`` export's voter fields work for paper too. Only known fields are kept.
"""

from __future__ import annotations

from typing import Mapping

from pbtools.hearings.model import AGE_GROUPS, CATEGORIES, SEXES, UNKNOWN, Hearing
from pbtools.i18n import N_, Msg

VOTER_FIELDS = ("sex", "age", "village", "category")

# UNKNOWN (from the model, importable from here as before): the group of a voter who did not say


def allowed_age_groups(hearing: Hearing | None) -> tuple[str, ...]:
    """The age groups a hearing registers and files ballots under: under 18 only where the hearing allows it."""
    allow = hearing is not None and hearing.allow_under_18
    return tuple(a for a in AGE_GROUPS if a != "under_18" or allow)


def check_voter(voter: Mapping[str, str] | None, hearing: Hearing) -> tuple[dict[str, str], list[Msg]]:
    """The known group fields of a ballot (empty values dropped: not known), and the problems with them."""
    known = {str(k): str(v).strip() for k, v in (voter or {}).items() if v is not None and str(v).strip()}
    problems = []
    for name, value in known.items():
        if name not in VOTER_FIELDS:
            problems.append(Msg(N_("The ballot's group: unknown field {field}"), field=name))
        elif name == "sex" and value not in SEXES:
            problems.append(Msg(N_("The ballot's group: {value} is not woman or man"), value=value))
        elif name == "age" and value not in allowed_age_groups(hearing):
            problems.append(Msg(N_("The ballot's group: {value} is not an age group of this hearing"), value=value))
        elif name == "village" and value not in hearing.villages:  # a hearing without villages takes none (no free text)
            problems.append(Msg(N_("The ballot's group: {value} is not a village of this hearing"), value=value))
        elif name == "category" and value not in CATEGORIES:
            problems.append(Msg(N_("The ballot's group: {value} is not a category"), value=value))
    return known, problems
