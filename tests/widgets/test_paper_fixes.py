"""Paper ballots as they are, from the Paper ballots tab: a paper against its rules is recorded as invalid right
where it was refused, any earlier ballot is voided by its number (a new record, the original kept in the chain),
a confirmation does not outlive its question, and a closed hearing's box says why nothing can be typed."""

from __future__ import annotations

from pbtools.hearings import records as R
from pbtools.hearings.model import SPOILED
from pbtools.reports.audit import check_audit, write_audit
from pbtools.reports.voting import question_reports
from tests.widgets.test_paper_entry import app, on_disk, paper_tab, type_in  # noqa: F401 - the fixture

__all__ = ["app"]


def invalid_in_protocol(app, question: str):
    [report] = [r for r in question_reports(on_disk(app).state) if r.question.id == question]
    return report


def test_too_many_choices_is_offered_as_invalid_and_ctrl_enter_records_it(app):
    paper = paper_tab(app, "approval")  # choose up to 3
    type_in(paper, "1 2 3 4")
    assert "pb-error" in paper.message.value and "pb-refused-hint" in paper.message.value
    assert "Ctrl+Enter" in paper.message.value and paper.record_refused.layout.display is None
    assert paper.typed.value == "1 2 3 4" and on_disk(app).state.invalid_for("approval") == []
    paper.typed.submit("1 2 3 4", invalid=True)  # what the browser sends on Ctrl+Enter
    st = on_disk(app).state
    [invalid] = st.invalid_for("approval")
    assert invalid.ballot.answer == SPOILED and st.ballots_for("approval") == []
    assert "pb-ok" in paper.message.value and paper.record_refused.layout.display == "none"
    assert sum(invalid_in_protocol(app, "approval").invalid.values()) == 1  # the protocol counts it


def test_over_budget_is_recorded_as_invalid_with_the_button(app):
    paper = paper_tab(app, "knapsack")
    options = on_disk(app).state.sorted_options()
    type_in(paper, " ".join(str(o.number) for o in options))  # every option: more than the budget
    assert "pb-refused-hint" in paper.message.value
    paper.record_refused.click()
    assert len(on_disk(app).state.invalid_for("knapsack")) == 1 and paper.typed.value == ""
    assert sum(invalid_in_protocol(app, "knapsack").invalid.values()) == 1


def test_a_typing_slip_is_not_offered_as_invalid(app):
    paper = paper_tab(app, "approval")
    type_in(paper, "1 9")  # there is no option 9: the clerk corrects it, the paper is not invalid
    assert "pb-error" in paper.message.value and "pb-refused-hint" not in paper.message.value
    paper.typed.submit("1 9", invalid=True)
    paper.typed.submit("1 2", invalid=True)  # a valid ballot is not recorded as invalid either
    st = on_disk(app).state
    assert st.invalid_for("approval") == [] and st.ballots_for("approval") == []
    assert "pb-error" in paper.message.value


def test_an_earlier_ballot_is_voided_by_its_number_and_the_original_stays_in_the_chain(app, tmp_path):
    paper = paper_tab(app, "approval")
    for text in ("1", "2", "3", "0"):
        type_in(paper, text)
    st = on_disk(app).state
    second = st.ballot_numbered("approval", 2)
    assert second.ballot.option_ids() == [st.sorted_options()[1].id]
    paper.void_number.value, paper.void_reason.value = "2", "typed from the wrong pile"
    paper.void_button.click()
    assert "pb-ok" in paper.message.value and "(2)" in paper.message.value
    st = on_disk(app).state
    assert second.seq in st.voided and len(st.ballots_for("approval")) == 2
    assert st.voids[second.seq].reason == "typed from the wrong pile"
    report = invalid_in_protocol(app, "approval")
    assert report.ballots == 2 and [v.seq for v in report.voided] == [second.seq]
    # the invalid ballot 1 is voided apart from counted ballot 1
    paper.void_number.value, paper.void_invalid.value, paper.void_reason.value = "1", True, "not a ballot of ours"
    paper.void_button.click()
    assert on_disk(app).state.invalid_for("approval") == []
    # voiding it again, or a number that does not exist, or no reason: refused, nothing stored
    head = app.ws.ledger.head(app.store.stream)
    for number, reason in (("2", "again"), ("9", "none such"), ("1", " "), ("x", "?")):
        paper.void_number.value, paper.void_invalid.value, paper.void_reason.value = number, False, reason
        paper.void_button.click()
        assert "pb-error" in paper.message.value, number
    assert app.ws.ledger.head(app.store.stream) == head
    # the audit file keeps the voided ballot's record and recounts without it
    path = write_audit(app.ws, app.store.id, tmp_path / "audit.jsonl")
    check = check_audit(path, open_hearing=True)
    assert check.problems == []
    assert any(r.seq == second.seq and r.kind == R.BALLOT_CAST for r in check.records)
    assert second.seq in check.state.voided and len(check.state.ballots_for("approval")) == 2


def test_russian_void_messages(app):
    app.lang_switch.value = "ru"
    paper = paper_tab(app, "approval")
    type_in(paper, "1")
    paper.void_number.value, paper.void_reason.value = "5", "ошибка"
    paper.void_button.click()
    assert "нет действующего бюллетеня 5" in paper.message.value
    assert paper.void_button.description == "Аннулировать этот бюллетень"


def test_the_confirmation_goes_when_the_question_changes(app):
    paper = paper_tab(app, "approval")
    type_in(paper, "1")
    assert "pb-ok" in paper.message.value
    paper.question.value = "single"
    assert paper.message.value == ""


def test_a_closed_hearing_disables_the_box_and_says_why(app):
    paper = paper_tab(app, "approval")
    assert not paper.typed.disabled and paper.closed_note.value == ""
    app.store.close(actor="chair")
    app.changed()
    assert paper.typed.disabled and paper.spoiled.disabled and paper.void_button.disabled
    assert "pb-paper-closed" in paper.closed_note.value and "жабылды" in paper.closed_note.value
