"""The Paper ballots tab driven from Python as a clerk would: motion answers on a Cyrillic keyboard, piles sorted
by group, and double-entry differences corrected from the screen."""

from __future__ import annotations

import pytest

from pbtools.hearings import records as R
from pbtools.hearings.store import HearingStore
from pbtools.results.groups import breakdown
from pbtools.storage import open_workspace
from tests.hearings.conftest import build
from pbtools_widgets.console import ConsoleApp


@pytest.fixture
def app(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        build(ws)  # open hearing h1: options 1-5, one question of each kind, villages Ак-Суу, Кара-Булак, Жаңы-Жол
        app = ConsoleApp(ws, lang="ky")
        app.operator.value = "Aida"
        yield app


def paper_tab(app, question: str):
    app.tabs.selected_index = list(app.panels).index("paper")
    paper = app.panels["paper"]
    paper.question.value = question
    return paper


def type_in(paper, text: str) -> None:
    """What the browser sends when the clerk presses Enter in the box."""
    paper.typed.submit(text)


def on_disk(app) -> HearingStore:
    return HearingStore(app.ws, app.store.id)  # what another process reads


@pytest.mark.parametrize("lang, yes, no, abstain", [("ky", "Ооба", "Жок", "Калыс"), ("ru", "За", "Против", "Воздержался"),
                                                    ("en", "Yes", "No", "Abstain")])
def test_motion_hint_says_what_to_type_and_the_stored_answer_is_shown_as_a_word(app, lang, yes, no, abstain):
    app.lang_switch.value = lang
    paper = paper_tab(app, "motion")
    assert "1" in paper.hint.value and "2" in paper.hint.value and "3" in paper.hint.value
    assert "y (" not in paper.hint.value  # the Y key types н on a Cyrillic layout: not hinted any more
    for text, word in (("1", yes), ("2", no), ("3", abstain)):
        type_in(paper, text)
        assert paper.typed.value == "", paper.message.value
        assert "pb-ok" in paper.message.value and word in paper.message.value
    assert sorted(b.ballot.answer for b in on_disk(app).state.ballots_for("motion")) == ["abstain", "no", "yes"]


def test_cyrillic_n_typed_for_yes_never_becomes_no(app):
    paper = paper_tab(app, "motion")
    type_in(paper, "н")  # the Y key pressed while the keyboard is on ЙЦУКЕН
    assert "pb-error" in paper.message.value and "1 (ооба)" in paper.message.value
    assert paper.typed.value == "н"  # kept for the clerk to retype
    assert on_disk(app).state.ballots_for("motion") == []
    type_in(paper, "y")  # and the same key on a Latin layout, as a Russian clerk pressing н for нет would
    assert "pb-error" in paper.message.value
    assert on_disk(app).state.ballots_for("motion") == []
    type_in(paper, "т")  # the N key on ЙЦУКЕН: no on both layouts
    assert "Жок" in paper.message.value
    assert [b.ballot.answer for b in on_disk(app).state.ballots_for("motion")] == ["no"]


def test_piles_of_women_and_men_give_what_each_group_chose(app):
    paper = paper_tab(app, "approval")
    assert [v for _, v in paper.group["village"].options] == ["", "Ак-Суу", "Кара-Булак", "Жаңы-Жол"]
    assert all(paper.group[name].description for name in ("sex", "age", "village"))  # each says what it is
    piles = {"f": ("1 2", "1", "1 3", "2"), "m": ("3", "3 4", "5")}
    for sex, texts in piles.items():
        paper.group["sex"].value = sex
        for text in texts:
            type_in(paper, text)
            assert paper.typed.value == "", paper.message.value
    paper.group["sex"].value = ""
    type_in(paper, "4")  # a ballot of no known pile
    st = on_disk(app).state
    groups = {g.group: g for g in breakdown(st, "approval", "sex")}
    assert {k: g.ballots for k, g in groups.items()} == {"f": 4, "m": 3, "unknown": 1}
    assert groups["f"].tally == {"P1": 3, "P2": 2, "P3": 1, "P4": 0, "P5": 0}
    assert groups["m"].tally == {"P1": 0, "P2": 0, "P3": 2, "P4": 1, "P5": 1}
    # the .pb export carries the pile's group as each voter's sex
    from pbtools.reports.pb import pb_election

    assert sorted(b.voter.get("sex", "") for b in pb_election(st, "approval").ballots) == ["", "f", "f", "f", "f", "m", "m", "m"]


def test_double_entry_differences_are_listed_with_what_each_clerk_typed_and_corrected(app):
    paper = paper_tab(app, "approval")
    paper.double.value = True
    paper.pile.value = "A"
    paper.group["village"].value = "Кара-Булак"
    for entry, texts in ((1, ("1", "2 3", "3", "4")), (2, ("1", "2 5", "3"))):
        paper.entry.value = entry
        for text in texts:
            type_in(paper, text)
            assert paper.typed.value == "", paper.message.value
    paper.compare.click()
    shown = paper.differences.value
    assert "pb-differences" in shown
    assert "2-бюллетень" in shown and "«2 3»" in shown and "«2 5»" in shown
    assert "4-бюллетень" in shown and "«4»" in shown and "(эч нерсе)" in shown
    assert "1-бюллетень" not in shown and "3-бюллетень" not in shown
    assert sorted(paper.fix_boxes) == [2, 4]
    # a wrong correction is refused in the clerk's language and changes nothing
    before = app.ws.ledger.head(app.store.stream)
    paper.fix_boxes[2].value = "2 9"
    paper.fix_buttons[2].click()
    assert "pb-error" in paper.message.value and "9" in paper.message.value
    assert app.ws.ledger.head(app.store.stream) == before
    # the paper says 2 5: clerk 1 mistyped it
    paper.fix_boxes[2].value = "2 5"
    paper.fix_buttons[2].click()
    assert "pb-ok" in paper.message.value
    assert sorted(paper.fix_boxes) == [4]  # the list is redrawn: only ballot 4 still differs
    paper.fix_boxes[4].value = "4"
    paper.fix_buttons[4].click()
    assert "дал келет" in paper.differences.value  # the two entries agree
    st = on_disk(app).state
    counted = sorted(st.pile("A", 1), key=lambda b: b.position)
    assert [b.ballot.option_ids() for b in counted] == [["P1"], ["P2", "P5"], ["P3"], ["P4"]]
    assert all(b.voter == {"village": "Кара-Булак"} for b in counted)
    (void,) = st.voids.values()
    assert (void.actor, void.reason) == ("Aida", R.DOUBLE_ENTRY_FIX)
    assert st.voided[void.target].ballot.option_ids() == ["P2", "P3"]  # what clerk 1 typed, kept
    assert on_disk(app).verify() == []


def test_undo_last_stores_the_reason_key(app):
    paper = paper_tab(app, "single")
    type_in(paper, "1")
    paper.undo.click()
    (void,) = on_disk(app).state.voids.values()
    assert void.reason == R.UNDO_LAST


def front_end_messages(widget) -> list:
    """The custom messages a widget sends to the browser (focus() is one: {"do": "focus"}), recorded on their way."""
    sent, send = [], widget.send
    widget.send = lambda content, buffers=None: (sent.append(content), send(content, buffers))
    return sent


def test_undo_names_the_ballot_and_the_next_enter_stores_one(app):
    paper = paper_tab(app, "approval")
    for text in ("1 3", "2 4"):
        type_in(paper, text)
    sent = front_end_messages(paper.typed)
    paper.undo.click()  # Tab+Enter on the button in the browser
    assert "Ballot 2 (2 4)" not in paper.message.value  # in the screen's language (ky)
    assert "2-бюллетень (2 4) жокко чыгарылды" in paper.message.value
    assert {"do": "focus"} in sent  # the focus goes back to the box, not left on "Undo last"
    type_in(paper, "1 5")  # the clerk's next ballot and Enter
    assert "pb-ok" in paper.message.value and "2-бюллетень сакталды" in paper.message.value
    st = on_disk(app).state
    assert sorted(" ".join(o[1:] for o in b.ballot.option_ids()) for b in st.ballots_for("approval")) == ["1 3", "1 5"]
    assert len(st.voided_ballots_for("approval")) == 1
    app.lang_switch.value = "en"
    paper.undo.click()
    assert "Ballot 2 (1 5) was voided." in paper.message.value


def test_spoiled_and_blank_ballots_are_counted_apart_and_ballots_are_compared_with_registrations(app):
    from pbtools.hearings.model import Participant

    app.lang_switch.value = "en"
    app.store.register(Participant("f", "30_44", "Ак-Суу"), actor="door")
    app.changed()
    paper = paper_tab(app, "single")
    type_in(paper, "2")
    assert "pb-turnout-warning" not in paper.warning.value  # 1 ballot, 1 registered
    sent = front_end_messages(paper.typed)
    type_in(paper, "0")
    assert "Invalid ballot 1 recorded (spoiled)" in paper.message.value and paper.typed.value == ""
    paper.blank.click()
    assert "Invalid ballot 2 recorded (blank)" in paper.message.value and {"do": "focus"} in sent
    assert "Ballots counted: 1" in paper.count.value and "Invalid ballots: 2" in paper.invalid_count.value
    assert "3 ballots" in paper.warning.value and "(1)" in paper.warning.value and "by 2" in paper.warning.value
    counts = app.panels["counts"]
    app.tabs.selected_index = list(app.panels).index("counts")
    counts.render()
    counts.question.value = "single"
    counts.render()
    assert "pb-counts-warning" in counts.existing.value  # the Show of hands tab warns alike
    st = on_disk(app).state
    assert len(st.ballots_for("single")) == 1 and sorted(b.ballot.answer for b in st.invalid_for("single")) == ["blank", "spoiled"]
    paper.undo.click()
    assert "Invalid ballot 2 (blank) was voided." in paper.message.value
    app.lang_switch.value = "ru"  # a label inside a sentence, not capitalised as on its button (s28 L12)
    assert "Недействительный бюллетень 2 (пустой) аннулирован." in paper.message.value


def test_a_reload_in_the_middle_of_a_pile_keeps_its_group(app):
    """The browser keeps the pile's group; a new console (a reload) given it back files the next ballots under the
    same group, for the same hearing only."""
    import json

    paper = paper_tab(app, "approval")
    paper.group["sex"].value, paper.group["village"].value = "f", "Кара-Булак"
    kept = paper.group_kept.value
    assert json.loads(kept) == {"hearing": app.store.id, "sex": "f", "age": "", "village": "Кара-Булак"}
    again = paper_tab(ConsoleApp(app.ws, lang="ky"), "approval")
    assert again.group["sex"].value == ""  # a new kernel starts empty...
    again.group_kept.kept = kept  # ...until the browser says what it kept
    assert (again.group["sex"].value, again.group["village"].value) == ("f", "Кара-Булак")
    type_in(again, "1 2")
    assert on_disk(app).state.ballots_for("approval")[-1].voter == {"sex": "f", "village": "Кара-Булак"}
    other = paper_tab(ConsoleApp(app.ws, lang="ky"), "approval")
    other.group_kept.kept = json.dumps({**json.loads(kept), "hearing": "another"})
    assert other.group["sex"].value == ""  # another hearing's pile is not this one's


def test_the_box_answers_a_line_once_dealt_with_and_never_after_an_unhandled_error():
    """The browser names a line not answered within seconds as not confirmed; an error the screen does not handle
    must leave it named (it said "dealt with" then, and the line was lost silently)."""
    from pbtools_widgets.ballot_box import BallotBox

    box, sent, typed = BallotBox(), [], []
    box.send = sent.append  # what goes to the browser
    box.on_submit(typed.append)
    box._message(box, {"text": "1 2", "id": "view:1"}, [])
    assert typed == ["1 2"] and sent == [{"done": "view:1"}]

    def broken(_text):
        raise RuntimeError("database is locked")

    box.on_submit(broken)
    with pytest.raises(RuntimeError):
        box._message(box, {"text": "3", "id": "view:2"}, [])
    assert sent == [{"done": "view:1"}]  # no answer for view:2: the browser keeps saying it is not confirmed
