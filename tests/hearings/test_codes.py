"""Voting codes: alphabet without look-alikes, at least 40 bits, distinct, and a mistyped code is rejected."""

from __future__ import annotations

import math
import re
from collections import Counter

from hypothesis import given, strategies as st

from pbtools.hearings.codes import ALPHABET, CODE_BITS, RANDOM_CHARS, check_code, format_code, new_code, new_codes, normalize


def test_alphabet_has_no_look_alikes():
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET)


def test_codes_carry_at_least_40_bits():
    assert CODE_BITS == RANDOM_CHARS * math.log2(len(ALPHABET))
    assert CODE_BITS >= 40


def test_code_format_and_self_check():
    for _ in range(200):
        code = new_code()
        assert re.fullmatch(r"[%s]{4}-[%s]{4}-[%s]{2}" % ((ALPHABET,) * 3), code)
        assert check_code(code) == []
        assert check_code(code.lower().replace("-", " ")) == []  # typed in lower case with spaces


def test_codes_are_distinct_and_use_the_whole_alphabet():
    codes = new_codes(3000)
    assert len(set(codes)) == 3000
    letters = Counter("".join(normalize(c)[:RANDOM_CHARS] for c in codes))
    assert set(letters) == set(ALPHABET)
    # 27,000 random letters over 31: each should be near 871; a broken generator would be far off
    assert all(700 < n < 1050 for n in letters.values())


def test_new_codes_avoid_taken_ones():
    taken = {normalize(c) for c in new_codes(50)}
    assert not {normalize(c) for c in new_codes(50, taken)} & taken


@given(st.data())
def test_any_single_wrong_character_is_rejected(data):
    code = normalize(new_code())
    i = data.draw(st.integers(0, len(code) - 1))
    other = data.draw(st.sampled_from([c for c in ALPHABET if c != code[i]]))
    assert check_code(code[:i] + other + code[i + 1:]) != []


@given(st.data())
def test_any_swap_of_two_characters_is_rejected(data):
    code = normalize(new_code())
    i, j = data.draw(st.lists(st.integers(0, len(code) - 1), min_size=2, max_size=2, unique=True))
    swapped = list(code)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    if swapped != list(code):
        assert check_code("".join(swapped)) != []


def test_wrong_length_and_foreign_characters_are_named():
    code = normalize(new_code())
    assert "has 10 characters, this one has 9" in check_code(code[:-1])[0].render("en")
    assert "0" in check_code("0" + code[1:])[0].render("ru")
    assert format_code(code) == f"{code[:4]}-{code[4:8]}-{code[8:]}"
