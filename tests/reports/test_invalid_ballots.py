"""Invalid ballots, voided ballots (by number and contents) and the ballots-vs-registrations warning in the
protocol and the workbook export, in each language, from a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from pbtools.hearings.model import Participant
from pbtools.reports.make import write_report
from pbtools.reports.workbook import workbook_sheets
from tests.reports.test_decisions import docx_text, ws  # noqa: F401 - ws: a fresh workspace, SQLite and PostgreSQL


@pytest.fixture
def store(ws):
    from tests.hearings.conftest import build

    s = build(ws)
    for sex in "fm":
        s.register(Participant(sex, "30_44", "Ак-Суу"), actor="door")
    for text in ("1 2", "2 4", "0", "0", "-"):  # 2 counted, 2 spoiled, 1 blank: 5 ballots for 2 registered
        s.cast_typed("approval", text, actor="clerk")
    s.cast_typed("approval", "3", actor="clerk")
    s.undo_last("approval", actor="clerk")  # ballot 3 ("3") voided
    s.cast_typed("single", "1", actor="clerk")  # 1 ballot, 2 registered: no warning
    return s


EXPECT = {  # invalid ballots line, the voided ballot by number and contents, the warning's start
    "en": ("Invalid ballots: 3 (spoiled: 2, blank: 1)", "ballot 3 (3), record", "Warning: 5 ballots for this question"),
    "ru": ("Недействительные бюллетени: 3 (испорченный: 2, пустой: 1)", "бюллетень 3 (3), запись",
           "Внимание: бюллетеней по этому вопросу: 5"),
    "ky": ("Жараксыз бюллетендер: 3 (бузулган: 2, бош: 1)", "3-бюллетень (3),", "Эскертүү: бул суроо боюнча 5 бюллетень"),
}


@pytest.mark.parametrize("lang", ["en", "ru", "ky"])
def test_protocol_reports_invalid_and_voided_ballots_and_warns_of_too_many(store, ws, tmp_path, lang):
    from pbtools.hearings.records import reason_text

    text = docx_text(write_report(ws, store.id, "docx", lang, tmp_path / f"p-{lang}.docx"))
    invalid, voided, warning = EXPECT[lang]
    assert invalid in text
    assert voided in text  # its number on the clerk's screen and what it held, not only the record number
    assert reason_text("undo-last", lang) in text
    assert text.count(warning) == 1  # the approval question only: "single" has 1 ballot for 2 registered
    assert "(2)" in text.split(warning)[1].split("\n")[0]  # the number registered, in the same line


def test_workbook_has_a_row_per_question_with_invalid_voided_and_the_warning(store):
    sheets = {s.key: s for s in workbook_sheets(store.state, "en")}
    rows = {row[0]: row for row in sheets["questions"].rows}
    #                          counted paper phone spoiled blank voided registered
    assert rows["Up to 3"][2:9] == (2, 2, 0, 2, 1, 1, 2)
    assert "5 ballots" in rows["Up to 3"][9] and rows["One"][9] == ""
    counts = [r for r in sheets["counts"].rows if r[0] == "Up to 3"]
    assert sum(r[4] for r in counts) == 4  # "1 2" and "2 4": four marks, none from an invalid ballot
