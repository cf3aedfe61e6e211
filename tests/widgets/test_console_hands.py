"""The console's show-of-hands tab driven from Python: counts added, corrected, checked against the people
registered, and refused by name (beside tests/widgets/test_console.py, whose console fixtures they use)."""

from __future__ import annotations

from tests.widgets.test_console import app, open_tab, ws  # noqa: F401  (the fixtures)


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


def test_a_new_count_is_added_by_default_and_a_correction_replaces_only_the_count_chosen(app):
    counts = open_tab(app, "counts")
    counts.group_by.value = "sex"
    assert counts.target.value == 0  # nothing saved yet: a new count
    first_key = next(iter(counts.inputs))
    counts.inputs[first_key].value = 7
    counts.save.click()
    (saved,) = app.state.counts_for(counts.question.value)
    # the next save adds another count (another table, stickers), from an empty form; nothing says "replace"
    assert counts.target.value == 0 and counts.inputs[first_key].value == 0 and counts.replacing.value == ""
    # numbered as the question's count (the first), not by its ledger record
    assert "№1 эсеп · " in counts.existing.value and "Аял: 7" in counts.existing.value and "Aida" in counts.existing.value
    counts.target.value = saved.seq  # the facilitator chooses to correct count 1, for this save
    assert counts.inputs[first_key].value == 7  # its figures come back in the form
    assert "pb-counts-replacing" in counts.replacing.value and "№1 эсеп" in counts.replacing.value
    assert "Аял: 7" in counts.replacing.value and counts.save.description == "№1 эсепти алмаштыруу (оңдоо)"
    counts.inputs[first_key].value = 4
    counts.save.click()
    (corrected,) = app.state.counts_for(counts.question.value)  # replaced, not added
    assert corrected.counts[first_key[0]][first_key[1]] == 4 and saved.seq in app.state.voids
    assert "№2" in counts.message.value and "№1" in counts.message.value and "pb-ok" in counts.message.value
    assert counts.target.value == 0 and counts.replacing.value == ""  # chosen for that one save only
    counts.inputs[first_key].value = 2  # a second table's count is added
    counts.save.click()
    assert sum(c.counts[first_key[0]][first_key[1]] for c in app.state.counts_for(counts.question.value)) == 6


def test_another_question_shows_its_own_saved_counts(app):
    hp = open_tab(app, "hearing")
    hp.q_kind.value = "motion"
    hp.q_titles["ky"].value = "Планды бекитүү"
    hp.q_add.click()
    counts = open_tab(app, "counts")
    first, second = [v for _, v in counts.question.options][:2]
    counts.question.value = first
    next(iter(counts.inputs.values())).value = 3
    counts.save.click()
    assert "pb-counts" in counts.existing.value and "pb-ok" in counts.message.value
    counts.question.value = second  # nothing saved for it: no list, no message about the other one
    assert counts.existing.value == "" and counts.message.value == "" and counts.target.value == 0
    counts.question.value = first  # its saved count listed; the next save adds a count (replacing is chosen)
    assert "pb-counts" in counts.existing.value and counts.target.value == 0


def test_more_hands_than_people_registered_is_warned_before_saving_and_kept_when_confirmed(app):
    reg = open_tab(app, "registration")
    for sex in ("m", "m"):
        reg.form.submit(sex=sex)
    counts = open_tab(app, "counts")
    counts.group_by.value = "sex"
    counts.inputs[("m", next(k for g, k in counts.inputs if g == "m"))].value = 3  # 3 men's hands, 2 men registered
    counts.save.click()
    assert app.state.counts_for(counts.question.value) == []  # warned before saving: nothing stored yet
    assert "pb-counts-confirm" in counts.warning.value and "3" in counts.warning.value
    counts.confirm.click()  # the commission confirms: people may have come unregistered
    assert len(app.state.counts_for(counts.question.value)) == 1
    assert "pb-warning" in counts.existing.value and "Эркек" in counts.existing.value and "3" in counts.existing.value


def test_a_negative_hand_count_is_refused_by_name_not_turned_into_zero(app):
    """The figure boxes were bounded: -3 became 0 and 200000 became 100000 without a word."""
    counts = open_tab(app, "counts")
    counts.group_by.value = "sex"
    before = len(app.state.counts_for(counts.question.value))
    first_key = next(iter(counts.inputs))
    counts.inputs[first_key].value = -3
    assert counts.inputs[first_key].value == -3  # kept as typed
    counts.save.click()
    assert len(app.state.counts_for(counts.question.value)) == before  # nothing stored
    assert "-3" in counts.message.value and "pb-error" in counts.message.value
