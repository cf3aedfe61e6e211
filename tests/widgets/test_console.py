"""The hearing console driven from Python as a facilitator would: clicks, typed ballots, counts."""

from __future__ import annotations

import pytest

from pbtools.demo import create_demo
from pbtools.hearings.agenda_io import write_agenda
from decimal import Decimal

from pbtools.hearings.model import Option
from pbtools.hearings.store import HearingStore
from pbtools.storage import open_workspace
from widgets.console import ConsoleApp


def agenda_options() -> list[Option]:
    titles = ("Суу түтүгү", "Таштанды", "Көчө жарыгы", "Бала бакча")
    return [Option(id=f"p{i}", number=i, titles={"ky": t}, cost=Decimal(500_000 * i), sector="other") for i, t in enumerate(titles, 1)]


def open_tab(app, name: str):
    """Click a tab, as the facilitator does before using it; returns its panel."""
    app.tabs.selected_index = list(app.panels).index(name)
    return app.panels[name]


@pytest.fixture
def ws(tmp_path):
    create_demo(tmp_path / "ws")
    with open_workspace(tmp_path / "ws") as workspace:
        yield workspace


@pytest.fixture
def app(ws, tmp_path):
    """A console with a new open hearing: agenda imported, one approval question (up to 2 of the options)."""
    app = ConsoleApp(ws, lang="ky")
    app.operator.value = "Aida"
    hp = app.panels["hearing"]
    hp.type.value = "pb_vote"
    hp.venue.value = "Мектеп"
    hp.villages.value = tuple(hp.villages.options[:2])
    hp.budget.value = "3 000 000"
    hp.create.click()
    assert "pb-ok" in hp.message.value
    agenda = write_agenda(agenda_options(), tmp_path / "agenda.xlsx")
    assert open_tab(app, "agenda").import_file("agenda.xlsx", agenda.read_bytes())
    hp = open_tab(app, "hearing")
    hp.q_kind.value = "approval"
    hp.q_title.value = "Эки долбоорду тандаңыз"
    hp.q_options.value = tuple(v for _, v in hp.q_options.options)
    hp.q_max.value = 2
    hp.q_add.click()
    hp.open_button.click()
    assert app.state.status == "open", hp.message.value
    return app


def test_new_hearing_is_selected_with_its_agenda(app):
    assert app.choice.value == app.store.id
    assert app.state.hearing.venue == "Мектеп"
    assert open_tab(app, "agenda").table.value.count("<tr>") == len(agenda_options()) + 1


def test_registration_counts_women_and_villages(app):
    reg = open_tab(app, "registration")
    village = reg.village.options[1]
    for sex in ("f", "f", "m"):
        reg.sex.value, reg.village.value = sex, village
        reg.register.click()
    assert (app.state.counters.total, app.state.counters.women) == (3, 2)
    assert app.state.counters.by_village[village] == 3
    assert "Катталды: 3" in reg.counters.value and "аялдар: 2" in reg.counters.value


def test_typed_ballots_are_stored_and_counted(app):
    paper = open_tab(app, "paper")
    for text in ("1 2", "3", "2 4"):
        paper.typed.value = text
        assert paper.typed.value == ""  # cleared for the next ballot once stored
    store = HearingStore(app.ws, app.store.id)  # what another process reads: it is on disk
    assert len(store.state.ballots_for(paper.question.value)) == 3
    assert "Эсептелген бюллетендер: 3" in paper.count.value


def test_invalid_ballot_is_refused_in_the_users_language_and_not_stored(app):
    paper = open_tab(app, "paper")
    paper.typed.value = "1 2 3"  # three choices where two are allowed
    assert "pb-error" in paper.message.value
    assert paper.typed.value == "1 2 3"  # kept, so the clerk can correct it
    assert len(app.state.ballots_for(paper.question.value)) == 0
    app.lang_switch.value = "ru"
    paper.typed.value = "1 99"
    assert "99" in paper.message.value and "pb-error" in paper.message.value
    assert len(HearingStore(app.ws, app.store.id).state.ballots_for(paper.question.value)) == 0


def test_undo_last_voids_but_never_deletes(app):
    paper = open_tab(app, "paper")
    paper.typed.value = "1"
    paper.typed.value = "2"
    paper.undo.click()
    st = HearingStore(app.ws, app.store.id).state
    assert [b.ballot.option_ids() for b in st.ballots_for(paper.question.value)] == [["p1"]]
    assert len(st.voids) == 1 and len(st.voided) == 1
    assert not HearingStore(app.ws, app.store.id).verify()


def test_double_entry_lists_the_ballots_that_differ(app):
    paper = open_tab(app, "paper")
    paper.double.value = True
    paper.pile.value = "A"
    for entry, texts in ((1, ("1", "2", "3")), (2, ("1", "4", "3"))):
        paper.entry.value = entry
        for text in texts:
            paper.typed.value = text
            assert paper.typed.value == "", paper.message.value
    paper.compare.click()
    assert "pb-differences" in paper.differences.value
    assert "2-бюллетень" in paper.differences.value and "1-бюллетень" not in paper.differences.value


def test_show_of_hands_by_sex(app):
    counts = open_tab(app, "counts")
    counts.group_by.value = "sex"
    boxes = counts.inputs
    assert {g for g, _ in boxes} == {"f", "m"}
    for i, box in enumerate(boxes.values()):
        box.value = i + 1
    counts.save.click()
    assert "pb-ok" in counts.message.value
    (count,) = app.state.counts_for(counts.question.value)
    assert sum(sum(v.values()) for v in count.counts.values()) == sum(range(1, len(boxes) + 1))


def test_closing_needs_confirmation_then_freezes(app):
    hp = open_tab(app, "hearing")
    hp.close_button.click()
    assert app.state.status == "open" and "pb-error" in hp.message.value
    hp.confirm_close.value = True
    hp.close_button.click()
    assert app.state.status == "closed"
    paper = open_tab(app, "paper")
    paper.typed.value = "1"
    assert "pb-error" in paper.message.value
    assert len(app.state.ballots) == 0


def test_ballots_from_another_process_appear_on_poll(app):
    paper = open_tab(app, "paper")
    other = HearingStore(app.ws, app.store.id)
    other.cast_typed(paper.question.value, "1 2", actor="phone server", channel="phone")
    app.timer.value += 1  # what the browser's timer does every second
    assert "Эсептелген бюллетендер: 1" in paper.count.value
