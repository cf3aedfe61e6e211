"""Counts whose numbers pass the 28 digits of Python's default decimal context (a Pabulib file may give a voter 51
digits of points) are explained in every language, every digit kept (they raised InvalidOperation)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.counting.count import count
from pbtools.counting.pabulib import parse_pb
from pbtools.i18n import LANGS

POINTS = "299999999999999999999999999999999999999999999999999"
TEXT = f"""META
key;value
budget;100
vote_type;cumulative
PROJECTS
project_id;cost
1;30
2;50
VOTES
voter_id;vote;points
1;1,2;{POINTS},1
2;2;5
"""


@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip", "mes"])
def test_a_51_digit_score_is_explained_in_full(rule):
    result = count(parse_pb(TEXT), rule, score="points")
    assert result.selected == ("1", "2")
    for lang in LANGS:
        said = [step.message.render(lang) for step in result.steps]
        if rule.startswith("greedy"):  # the score of option 1, every digit, grouped the language's way
            assert POINTS in said[0].replace("\u00a0", "").replace(",", "")


def test_numbers_keep_every_digit_past_28():
    from pbtools import fmt

    big = Decimal(POINTS + ".125")
    assert fmt.number(big, "en", digits=2).replace(",", "") == POINTS + ".13"
    assert fmt.rounded(big, 2) == Decimal(POINTS + ".13")
    assert fmt.money(Decimal(POINTS), "ru").replace("\u00a0", "").startswith(POINTS)


@pytest.mark.parametrize("max_length, first_points", [("abc", 3), ("", 3), ("3", 5), ("9" * 29, 2 * int("9" * 29) - 1)])
def test_borda_takes_max_length_when_it_is_a_whole_number(max_length, first_points):
    """META max_length: a whole number lengthens the Borda scale (the first of a ranking gets it), even past 64
    bits; anything else is ignored (it raised ValueError, or OverflowError in the compiled core)."""
    text = f"META\nkey;value\nbudget;100\nvote_type;ordinal\nmax_length;{max_length}\nPROJECTS\nproject_id;cost\n1;30\n2;50\n" \
           "VOTES\nvoter_id;vote\n1;1,2\n2;2\n"
    result = count(parse_pb(text), "greedy", score="borda")
    assert result.selected == ("2", "1")
    assert result.steps[0].data["score"] == first_points


def test_borda_table_of_a_file_without_voters_and_a_huge_max_length():
    from pbtools.counting.tallies import option_counts

    text = f"META\nkey;value\nbudget;100\nvote_type;ordinal\nmax_length;{'1' + '0' * 30}\nPROJECTS\nproject_id;cost\n1;30\n" \
           "2;50\nVOTES\nvoter_id;vote\n"
    counts = option_counts(parse_pb(text), by=())
    assert {pid: (c.votes, c.borda) for pid, c in counts.items()} == {"1": (0, 0), "2": (0, 0)}
