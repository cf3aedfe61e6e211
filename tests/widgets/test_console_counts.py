"""The Show of hands tab driven from Python as the counting commission would: counts numbered per question, more
hands than registered warned about (and confirmed) before anything is saved, and a question counted by Equal
Shares refusing hands as soon as it is chosen."""

from __future__ import annotations

import pytest

from pbtools.hearings.model import APPROVAL, Participant, Question
from pbtools.hearings.store import HearingStore
from pbtools.storage import open_workspace
from tests.hearings.conftest import build
from tests.hearings.helpers import agenda
from pbtools_widgets.console import ConsoleApp


@pytest.fixture
def app(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        store = build(ws, open_it=False)
        store.define_question(Question("shares", APPROVAL, {"en": "Shares", "ru": "Доли", "ky": "Үлүштөр"}, tuple(agenda()),
                                       max_choices=3, rule="mes"), actor="facilitator")
        store.open(actor="chair")
        for sex in "ffffffmmm":  # 6 women, 3 men
            store.register(Participant(sex, "30_44", "Ак-Суу"), actor="door")
        app = ConsoleApp(ws, lang="en")
        app.operator.value = "Aida"
        app.tabs.selected_index = list(app.panels).index("counts")
        yield app


def counts_tab(app, question: str):
    counts = app.panels["counts"]
    counts.render()
    counts.question.value = question
    return counts


def on_disk(app):
    return HearingStore(app.ws, app.store.id).state


def test_counts_are_numbered_per_question_not_by_ledger_record(app):
    counts = counts_tab(app, "approval")
    first = next(iter(agenda()))
    counts.inputs[("all", first)].value = 4
    counts.save.click()
    st = on_disk(app)
    (saved,) = st.counts_for("approval")
    assert saved.seq > 10  # a ledger record number, after the hearing, its options and registrations
    assert "Count 1 saved." in counts.message.value and f"Count {saved.seq}" not in counts.message.value
    assert "Count 1 ·" in counts.existing.value
    assert counts.target.value == 0  # the next save adds a count
    counts.inputs[("all", first)].value = 3
    counts.save.click()
    assert "Count 2 saved." in counts.message.value
    count_2 = max(c.seq for c in on_disk(app).counts_for("approval"))
    counts.target.value = count_2  # correct count 2: chosen for this save
    assert counts.inputs[("all", first)].value == 3 and "Saving will replace count 2 (" in counts.replacing.value
    counts.inputs[("all", first)].value = 5
    counts.save.click()
    assert "Count 3 saved; it replaces count 2." in counts.message.value
    assert [label for label, _seq in counts.target.options] == ["A new count, added to those saved", "Replace count 3",
                                                                 "Replace count 1"]
    assert sorted(sum(c.counts["all"].values()) for c in on_disk(app).counts_for("approval")) == [4, 5]
    motion = counts_tab(app, "motion")  # another question: its own numbering
    motion.inputs[("all", "yes")].value = 2
    motion.save.click()
    assert "Count 1 saved." in motion.message.value


def test_more_hands_than_registered_women_is_warned_about_before_saving_and_saved_only_when_confirmed(app):
    counts = counts_tab(app, "approval")
    counts.group_by.value = "sex"
    first = next(iter(agenda()))
    counts.inputs[("f", first)].value = 15  # 6 women registered
    counts.inputs[("m", first)].value = 2
    counts.save.click()
    assert on_disk(app).counts_for("approval") == []  # nothing stored yet
    assert "pb-counts-confirm" in counts.warning.value and "15" in counts.warning.value and "6 registered" in counts.warning.value
    assert "Count 1" in counts.warning.value and counts.confirm.layout.display != "none"
    counts.inputs[("f", first)].value = 5  # recounted: the warning for 15 no longer holds
    assert counts.warning.value == "" and counts.confirm.layout.display == "none"
    counts.inputs[("f", first)].value = 15
    counts.save.click()
    counts.confirm.click()  # they confirm: people came without registering
    (saved,) = on_disk(app).counts_for("approval")
    assert saved.counts["f"][first] == 15 and "Count 1 saved." in counts.message.value
    assert counts.warning.value == "" and counts.confirm.layout.display == "none"


@pytest.mark.parametrize("lang", ["en", "ru", "ky"])
def test_a_question_counted_by_equal_shares_refuses_hands_when_chosen(app, lang):
    app.lang_switch.value = lang
    counts = counts_tab(app, "shares")
    assert "pb-hands-refused" in counts.refusal.value and counts.save.disabled
    assert {"en": "Shares", "ru": "Доли", "ky": "Үлүштөр"}[lang] in counts.refusal.value
    counts.store_count(confirmed=True)  # even if the button were pressed: the core refuses, nothing is stored
    assert "pb-error" in counts.message.value and on_disk(app).counts_for("shares") == []
    counts.question.value = "approval"  # a greedy question takes hands again
    assert counts.refusal.value == "" and not counts.save.disabled
