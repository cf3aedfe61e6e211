"""What a clerk types becomes the right ballot; two clerks' piles are compared position by position."""

from __future__ import annotations

import pytest

from pbtools.hearings.entry import compare_entries, format_ballot, parse_entry, read_entry
from pbtools.hearings.model import Ballot
from tests.hearings.helpers import agenda, question

OPTIONS = agenda()


@pytest.mark.parametrize("kind, settings, text, marks, answer", [
    ("single", {}, "3", (("P3", 1),), ""),
    ("approval", {"max_choices": 3}, "1 3 5", (("P1", 1), ("P3", 1), ("P5", 1)), ""),
    ("approval", {"max_choices": 3}, "1,3+5", (("P1", 1), ("P3", 1), ("P5", 1)), ""),
    ("points", {"points": 5}, "2:3 4:2", (("P2", 3), ("P4", 2)), ""),
    ("points", {"points": 5}, "2 : 3  4=1 5", (("P2", 3), ("P4", 1), ("P5", 1)), ""),
    ("ranking", {"max_choices": 3}, "3 1 2", (("P3", 1), ("P1", 2), ("P2", 3)), ""),
    ("ranking", {"max_choices": 3}, "3:2 1:1", (("P3", 2), ("P1", 1)), ""),
    ("motion", {}, "1", (), "yes"),
    ("motion", {}, "yes", (), "yes"),
    ("motion", {}, "Нет", (), "no"),
    ("motion", {}, "2", (), "no"),
    ("motion", {}, "т", (), "no"),  # the N key on a ЙЦУКЕН layout
    ("motion", {}, "ф", (), "abstain"),  # the A key on a ЙЦУКЕН layout
    ("motion", {}, "3", (), "abstain"),
    ("motion", {}, "калыс", (), "abstain"),
])
def test_typed_ballots_are_read(kind, settings, text, marks, answer):
    ballot, problems = read_entry(question(kind, **settings), OPTIONS, text)
    assert problems == []
    assert ballot == Ballot(marks, answer)
    # what is shown back reads the same way
    again, _ = parse_entry(question(kind, **settings), OPTIONS, format_ballot(question(kind, **settings), OPTIONS, ballot))
    assert sorted(again.marks) == sorted(ballot.marks) and again.answer == ballot.answer


@pytest.mark.parametrize("kind, settings, text, expected", [
    ("approval", {"max_choices": 3}, "1 9", "There is no option 9 on this ballot (its options: 1-5)"),
    ("approval", {"max_choices": 3}, "1 x", "x is not an option number"),
    ("approval", {"max_choices": 3}, "1:2", "1:2 is not an option number"),
    ("approval", {"max_choices": 2}, "1 2 3", "Too many choices: 3, at most 2"),
    ("ranking", {"max_choices": 3}, "3:1 1", "not both"),
    ("ranking", {"max_choices": 3}, "3:1 1:1", "Rank 1 is given to more than one option"),
    ("motion", {}, "maybe", "Type 1 (yes), 2 (no) or 3 (abstain), not maybe"),
    ("motion", {}, "н", "is the key of both y (yes) and н (нет, no)"),
    ("motion", {}, "Y", "is the key of both y (yes) and н (нет, no)"),
])
def test_bad_typing_is_refused_with_a_reason(kind, settings, text, expected):
    ballot, problems = read_entry(question(kind, **settings), OPTIONS, text)
    assert ballot is None
    assert any(expected in p.render("en") for p in problems), [p.render("en") for p in problems]
    assert all(p.render("ky") != p.render("en") for p in problems)


def test_double_entry_lists_every_difference():
    a = [Ballot((("P1", 1),)), Ballot((("P2", 1), ("P3", 1))), Ballot((("P4", 1),)), Ballot((("P5", 1),))]
    b = [Ballot((("P1", 1),)), Ballot((("P3", 1), ("P2", 1))), Ballot((("P5", 1),))]
    differences = compare_entries(a, b)
    assert [d.position for d in differences] == [3, 4]  # same marks in another order are the same ballot
    assert differences[1].second is None
    assert compare_entries(a, a) == []
    assert [d.position for d in compare_entries([None, a[0]], [None, a[1]])] == [2]


# ЙЦУКЕН: the letter each Latin key types on a Russian/Kyrgyz layout (the letters row by row, Kyrgyz keys aside)
LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm,."
CYRILLIC = "йцукенгшщзхъфывапролджэячсмитьбю"
ON_CYRILLIC = dict(zip(LATIN, CYRILLIC))


@pytest.mark.parametrize("typed", ["y", "yes", "n", "no", "a", "abstain"])
def test_a_motion_answer_never_means_the_opposite_on_the_other_layout(typed):
    """What a clerk types for an answer, on either layout, is read as that answer or refused, never as another."""
    q = question("motion")
    meant, _ = parse_entry(q, OPTIONS, typed)
    other, _ = parse_entry(q, OPTIONS, "".join(ON_CYRILLIC[c] for c in typed))
    intended = {"y": "yes", "n": "no", "a": "abstain"}[typed[0]]
    assert meant is None or meant.answer == intended
    assert other is None or other.answer == intended


def test_cyrillic_n_typed_for_yes_is_never_stored_as_no():
    # the Y key on a ЙЦУКЕН layout types "н", which a Russian clerk would mean as нет: it is refused, not guessed
    ballot, problems = read_entry(question("motion"), OPTIONS, ON_CYRILLIC["y"])
    assert ballot is None
    for lang, word in (("ky", "1"), ("ru", "1"), ("en", "1")):
        assert word in problems[0].render(lang)
    assert problems[0].render("ru") != problems[0].render("en") != problems[0].render("ky")


def test_every_answer_word_means_one_thing():
    from pbtools.hearings.entry import _AMBIGUOUS, _ANSWERS

    words = [w for ws in _ANSWERS.values() for w in ws]
    assert len(words) == len(set(words)) and not set(words) & set(_AMBIGUOUS)
    # a Cyrillic letter accepted alone is never the key of a Latin letter accepted for another answer
    for answer, ws in _ANSWERS.items():
        for w in ws:
            latin = next((k for k, c in ON_CYRILLIC.items() if c == w), None)
            if latin is not None:
                found, _ = parse_entry(question("motion"), OPTIONS, latin)
                assert found is None or found.answer == answer, (w, latin)
