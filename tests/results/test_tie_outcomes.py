"""A tie's note says what became of each tied option: "№3 goes first" read as "№3 passes" on the projector and in
the protocol, even where №3 then did not fit the budget and was not funded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.counting import count
from pbtools.counting.model import Ballot as CoreBallot, Election, Project
from pbtools.hearings.model import Ballot
from pbtools.i18n import LANGS, translator
from pbtools.reports.document import Items
from pbtools.reports.protocol import build_protocol
from pbtools.results.count import count_question

# (what the line must say, in each language): funded / not funded because it did not fit
WORDS = {
    "en": ("funded", "not funded: it did not fit the budget left"),
    "ru": ("финансируется", "не финансируется: не помещается в оставшийся бюджет"),
    "ky": ("каржыланат", "каржыланбайт: калган бюджетке батпайт"),
}


@pytest.fixture
def tied(store):
    """a, b: 3 votes each (both fit: 800,000 of 1,000,000); c, d: 2 each, and neither fits the 200,000 left."""
    for _ in range(3):
        store.cast("ap", Ballot((("a", 1), ("b", 1))), actor="clerk")
    for _ in range(2):
        store.cast("ap", Ballot((("c", 1), ("d", 1))), actor="clerk")
    return store


def name(st, option_id, lang):
    o = st.options[option_id]
    return f"№{o.number} {o.title(lang)}"


@pytest.mark.parametrize("lang", LANGS)
def test_each_tied_option_is_said_funded_or_not(tied, lang):
    st = tied.state
    result = count_question(st, "ap")
    assert set(result.selected) == {"a", "b"}
    funded, no_room = WORDS[lang]
    lines = [t.message.render(lang) for t in result.ties]
    assert len(lines) == 2
    first, second = lines if "a" in result.ties[0].tied else lines[::-1]
    for option in ("a", "b"):
        assert f"{name(st, option, lang)} — {funded}" in first
    for option in ("c", "d"):
        assert f"{name(st, option, lang)} — {no_room}" in second
    # the first of the tie (by its rule) is not said to pass: the old "goes first" / "өтөт" wording is gone
    assert "goes first" not in second and "өтөт" not in second and "проходит" not in second
    assert translator(lang)("the cheaper option first") in second  # how the tie was ordered


@pytest.mark.parametrize("lang", LANGS)
def test_the_board_and_the_protocol_print_the_outcome(tied, ws, lang):
    pytest.importorskip("ipywidgets")
    from pbtools_widgets.results_app import ResultsApp

    st = tied.state
    _, no_room = WORDS[lang]
    line = f"{name(st, 'c', lang)} — {no_room}"
    app = ResultsApp(ws, lang=lang)
    app.question.value = "ap"
    app.reveal.value = True
    assert line in app.notes.value
    doc = build_protocol(st, lang, charts=False)
    items = [i for b in doc.blocks if isinstance(b, Items) for i in b.items]
    assert any(line in i for i in items)


def test_a_skipped_first_of_a_tie_in_the_counting_core():
    """The core alone (ids, no names): w is funded; x and y tie, x goes first by id but does not fit the 50 left,
    and y is funded after it."""
    projects = [Project("w", Decimal(50)), Project("x", Decimal(80)), Project("y", Decimal(40))]
    ballots = [CoreBallot(("w", "x", "y")), CoreBallot(("w", "x", "y")), CoreBallot(("w",))]
    result = count(Election(projects, ballots, Decimal(100)), "greedy")
    assert result.selected == ("w", "y")
    (tie,) = result.ties
    assert tie.tied == ("x", "y") and tie.chosen == "x"
    assert tie.message.render("en") == ("Tie at step 2 (by project number): x — not funded: it did not fit the budget left; "
                                        "y — funded.")


def test_a_greedy_tie_whose_order_changed_nothing_says_so():
    """Both tied options funded (or neither): under greedy their order decided nothing, and the note says so; where
    one was funded and the other not, or under MES (later prices depend on who paid first), it does not."""
    projects = [Project("a", Decimal(30)), Project("b", Decimal(30)), Project("c", Decimal(80)), Project("d", Decimal(80))]
    ballots = [CoreBallot(("a", "b")), CoreBallot(("a", "b")), CoreBallot(("c", "d"))]
    result = count(Election(projects, ballots, Decimal(100)), "greedy")
    assert result.selected == ("a", "b")
    both, neither = (t.message.render("en") for t in result.ties)
    assert both.startswith("Tie at step 1 (by project number), the order changed nothing: a — funded; b — funded")
    assert "the order changed nothing: c — not funded" in neither
    assert "ничего не изменил" in result.ties[0].message.render("ru")
    assert "өзгөрткөн жок" in result.ties[0].message.render("ky")
    mixed = count(Election(projects, ballots, Decimal(40)), "greedy")
    assert mixed.selected == ("a",) and "changed nothing" not in mixed.ties[0].message.render("en")
    for rule in ("greedy-no-skip", "mes", "phragmen"):
        ties = count(Election(projects, ballots, Decimal(100)), rule).ties
        assert ties and all("changed nothing" not in t.message.render("en") for t in ties)
