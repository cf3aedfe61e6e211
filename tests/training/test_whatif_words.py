"""Each "what if" difference in one sentence, in every language, naming the option and the rules that differ."""

from __future__ import annotations

import re

import pytest

from pbtools.counting.names import RULE_NAMES
from pbtools.i18n import gettext, translator

from pbtools.hearings.store import state
from pbtools.storage import open_workspace
from pbtools.training.mock_hearing import create_mock_hearing
from pbtools.training.preferences import hall_ballots, simulate_preferences
from pbtools.training.whatif import compare_kinds, count_ballots
from pbtools.training.whatif_words import RULES_AGREE, WHY_KIND, WHY_NOT, kind_sentences, rule_sentences


@pytest.fixture(scope="module")
def mock(tmp_path_factory):
    with open_workspace(tmp_path_factory.mktemp("w") / "ws") as ws:
        st = state(ws, create_mock_hearing(ws, seed=7))
    return st, simulate_preferences(st, 150, seed=11)


def test_one_sentence_per_option_the_rules_disagree_on(mock):
    st, hall = mock
    seen_a_difference = False
    for seed in range(1, 8):
        hall = simulate_preferences(st, 120, seed=seed)
        q = st.questions["q1"]
        comparison = count_ballots(st, q, hall_ballots(hall, q, st.hearing.budget))
        said = rule_sentences(comparison, st)
        if not comparison.differences:
            assert [m.msgid for m in said] == [RULES_AGREE]
            continue
        seen_a_difference = True
        assert len(said) == len(comparison.differences)
        for d, m in zip(comparison.differences, said):
            number = f"№{st.options[d.option].number}"
            for lang in ("ky", "ru", "en"):
                text = m.render(lang)
                assert number in text and text.count(".") >= 1
            assert m.render("ky") != m.render("en") and m.render("ru") != m.render("en")
    assert seen_a_difference, "no simulated hall made the rules disagree: the sentences were never checked"


def test_kind_sentences_name_what_changed(mock):
    st, hall = mock
    table = compare_kinds(st, hall, "q1")
    said = kind_sentences(table, st)
    assert len(said) == len(table) - 1  # one per kind other than approval
    base = set(table["approval"].results["mes-add1-greedy"].selected)
    for (kind, comparison), m in zip([(k, c) for k, c in table.items() if k != "approval"], said):
        funded = set(comparison.results["mes-add1-greedy"].selected)
        text = m.render("en")
        for o in funded ^ base:  # every option gained or lost is named
            assert f"№{st.options[o].number}" in text
        assert ("the same options" in text) == (funded == base)


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_no_reason_says_the_same_words_twice_in_a_row(lang):
    """A reason is read aloud on the projector: «по методу равных долей равных долей …» was a slip of the catalog."""
    _ = translator(lang)
    for msgid in [*WHY_NOT.values(), *WHY_KIND.values()]:
        words = re.findall(r"\w+", _(msgid).lower())
        doubled = [words[i:i + 2] for i in range(len(words) - 3) if words[i:i + 2] == words[i + 2:i + 4]]
        assert not doubled, (msgid, _(msgid))


def test_each_rule_is_quoted_on_its_own(mock):
    """«Жадное правило (…), Метод равных долей, дополненный жадным правилом» read as one rule (the names have commas
    of their own): each name is quoted by itself, in every language, in every sentence that names rules."""
    st, hall = mock
    quotes = {"ky": ("«", "»"), "ru": ("«", "»"), "en": ("“", "”")}
    q = st.questions["q1"]
    checked = 0
    for seed in range(1, 8):
        comparison = count_ballots(st, q, hall_ballots(simulate_preferences(st, 120, seed=seed), q, st.hearing.budget))
        for d, m in zip(comparison.differences, rule_sentences(comparison, st)):
            for lang, (left, right) in quotes.items():
                text = m.render(lang)
                for r in comparison.results:
                    assert f"{left}{gettext(lang, RULE_NAMES[r])}{right}" in text, (lang, text)
                assert text.count(left) == len(comparison.results), (lang, text)
            checked += 1
    table = compare_kinds(st, hall, "q1")
    for m in kind_sentences(table, st):
        for lang, (left, right) in quotes.items():
            assert f"{left}{gettext(lang, RULE_NAMES['mes-add1-greedy'])}{right}" in m.render(lang)
    assert checked, "no simulated hall made the rules disagree: the quotes were never checked"


def test_every_sentence_starts_with_a_capital_letter(mock):
    """Kyrgyz «Эгерде башкача болсо?» sentences began in lower case («упайлар бюллетендери менен…»): the ballot
    kind's name, lower case for the middle of a sentence, comes first in Kyrgyz."""
    st, hall = mock
    table = compare_kinds(st, hall, "q1")
    q = st.questions["q1"]
    said = kind_sentences(table, st) + rule_sentences(count_ballots(st, q, hall_ballots(hall, q, st.hearing.budget)), st)
    for lang in ("ky", "ru", "en"):
        for m in said:
            text = m.render(lang)
            first = next(c for c in text if c.isalnum())
            assert not first.isalpha() or first.isupper(), (lang, text)
    assert any(m.render("ky")[0] == "У" for m in kind_sentences(table, st))  # «Упайлар бюллетендери менен…»
