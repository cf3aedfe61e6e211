"""Editable survey questions: the standard ones written to a table, edited, read back; a wrong table says where."""

from __future__ import annotations

from pbtools.roles import LOCAL
from pbtools.services.questions_io import read_questions, write_questions
from pbtools.services.service import ServicesService
from pbtools.services.survey import DEFAULT_QUESTIONS, SCALE
from tests.services.helpers import village_water, workspace_with


def test_the_standard_questions_round_trip_and_can_be_edited(tmp_path):
    path = write_questions(DEFAULT_QUESTIONS, tmp_path / "questions.csv")
    questions, problems = read_questions(path)
    assert problems == [] and tuple(questions) == DEFAULT_QUESTIONS
    edited = path.read_text(encoding="utf-8-sig") + "hours;choice;Суу канча саат бар?;Сколько часов есть вода?;How many hours of water?\n;;24 саат;24 часа;24 hours\n;;12 сааттан аз;Меньше 12 часов;Under 12 hours\n"
    path.write_text(edited, encoding="utf-8")
    questions, problems = read_questions(path)
    assert problems == [] and [q.id for q in questions] == ["satisfaction", "failures", "priority", "hours"]
    assert questions[-1].choice(2, "ru") == "Меньше 12 часов" and questions[0].kind == SCALE
    with workspace_with(tmp_path, village_water()) as ws:
        survey = ServicesService(ws).start_survey("water", "2026", "2026-03-01", LOCAL, questions)
        assert [q.id for q in survey.questions] == ["satisfaction", "failures", "priority", "hours"]


def test_a_wrong_table_names_rows(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text("id;kind;ky;ru;en\n;;орфан;сирота;orphan\nq1;rating;Суроо;Вопрос;Question\n;;бир;один;one\nq1;choice;;;\n", encoding="utf-8")
    questions, problems = read_questions(path)
    assert questions == []
    assert {(p.kind, p.row) for p in problems} >= {("no_question", 2), ("bad_kind", 3), ("bad_question", 3), ("bad_question", 5)}
    assert all(p.render("ky").startswith("q.csv") for p in problems)
