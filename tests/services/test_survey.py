"""Surveys: answers typed from paper, stored durably, results by village, sex and age group with the number of
answers beside every share, too-small groups flagged, and the trend against the previous survey."""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction

import pytest

from pbtools.charts.results import MIN_GROUP
from pbtools.roles import LOCAL, Actor, NotAllowed
from pbtools.services.errors import ServiceError
from pbtools.services.service import ServicesService
from pbtools.services.survey import DEFAULT_QUESTIONS, SURVEY_AGE_GROUPS, Answer, Respondent
from pbtools.services.survey_entry import entry_hint, format_answer, parse_answer
from pbtools.services.survey_results import results_json
from tests.services.helpers import village_water, workspace_with

VILLAGES = ("Көк-Талаа", "Жаңы-Айыл")


def test_a_typed_line_is_one_respondent():
    answer, problems = parse_answer("2 1 3  4 - 1", VILLAGES, DEFAULT_QUESTIONS)
    assert problems == []
    assert answer.respondent == Respondent("Жаңы-Айыл", "f", "45_59")
    assert dict(answer.answers) == {"satisfaction": 4, "priority": 1}
    assert format_answer(answer, VILLAGES, DEFAULT_QUESTIONS) == "2 1 3 4 - 1"


@pytest.mark.parametrize("text, count", [("3 1 1 4 2 1", 1), ("1 3 5 6 2 1", 3), ("1 1 1 4 2", 1), ("x 1 1 4 2 1", 1)])
def test_mistyped_lines_say_what_is_wrong(text, count):
    answer, problems = parse_answer(text, VILLAGES, DEFAULT_QUESTIONS)
    assert answer is None and len(problems) == count
    assert all(p.render("ky") != p.render("en") for p in problems)


def test_the_hint_numbers_villages_and_groups():
    hint = entry_hint(VILLAGES, "ky")
    assert "1 Көк-Талаа" in hint and "2 Жаңы-Айыл" in hint and "1 Аял" in hint


def _random_answers(rng, n):
    return [Answer(Respondent(rng.choice(VILLAGES), rng.choice(("f", "m")), rng.choice(SURVEY_AGE_GROUPS[:3])),
                   {q.id: rng.randint(1, 5) for q in DEFAULT_QUESTIONS if rng.random() > 0.1}) for _ in range(n)]


def test_results_by_group_with_counts_and_small_groups(tmp_path):
    rng = random.Random(3)
    answers = _random_answers(rng, 80)
    # three people of 60 and over: a group too small to say anything
    answers += [Answer(Respondent("Көк-Талаа", "m", "60_plus"), {"satisfaction": 5}) for _ in range(MIN_GROUP - 2)]
    with workspace_with(tmp_path, village_water()) as ws:
        svc = ServicesService(ws)
        svc.start_survey("water", "2026", "2026-03-15", LOCAL)
        svc.record_answers("water", "2026", answers, LOCAL)
        found = svc.results("water")
    assert found.respondents == len(answers)
    satisfaction = found.questions[0]
    reference = Counter(a.answers["satisfaction"] for a in answers if "satisfaction" in a.answers)
    assert satisfaction.overall.counts == tuple(reference[i] for i in range(1, 6))
    assert satisfaction.overall.satisfied == Fraction(reference[4] + reference[5], sum(reference.values()))
    by_age = {g.key: g for g in satisfaction.groups["age"]}
    assert by_age["60_plus"].n == MIN_GROUP - 2 and by_age["60_plus"].small
    assert not by_age["18_29"].small
    for grouping in ("village", "sex", "age"):  # the groups of each grouping add up to the whole
        assert sum(g.n for g in satisfaction.groups[grouping]) == satisfaction.overall.n
    for g in satisfaction.groups["sex"]:
        mine = Counter(a.answers["satisfaction"] for a in answers if a.respondent.sex == g.key and "satisfaction" in a.answers)
        assert g.counts == tuple(mine[i] for i in range(1, 6))
    data = results_json(found)
    age = {g["key"]: g for g in data["questions"][0]["groups"]["age"]}
    assert age["60_plus"]["small"] is True and age["60_plus"]["n"] == MIN_GROUP - 2 and data["min_group"] == MIN_GROUP


def test_trend_against_the_previous_survey(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        svc = ServicesService(ws)
        svc.start_survey("water", "2025", "2025-03-01", LOCAL)
        for line in ["1 1 1 2 3 1"] * 6 + ["1 2 2 4 3 1"] * 4:  # 4 of 10 satisfied
            svc.enter_answer("water", "2025", line, LOCAL)
        svc.start_survey("water", "2026", "2026-03-01", LOCAL)
        for line in ["2 1 2 5 2 2"] * 7 + ["2 2 3 1 2 2"] * 3:
            svc.enter_answer("water", "2026", line, LOCAL)
        extra = svc.enter_answer("water", "2026", "2 2 3 1 2 2", LOCAL)
        svc.void_answer("water", extra, LOCAL)  # typed once too often: voided, not counted
        found = svc.results("water")
        earlier = svc.results("water", "2025")
    (trend, *_) = found.trends
    assert (trend.question, trend.previous_survey) == ("satisfaction", "2025")
    assert trend.before.satisfied == Fraction(4, 10) and trend.now.satisfied == Fraction(7, 10)
    assert trend.change == Fraction(3, 10)
    assert trend.mean_change == Fraction(7 * 5 + 3, 10) - Fraction(6 * 2 + 4 * 4, 10)
    assert earlier.trends == () and earlier.respondents == 10


def test_refused_answers_store_nothing(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        svc = ServicesService(ws)
        svc.start_survey("water", "2026", "2026-03-01", LOCAL)
        good = Answer(Respondent("Көк-Талаа", "f", "18_29"), {"satisfaction": 3})
        bad = Answer(Respondent("Ош", "f", "18_29"), {"satisfaction": 9})
        with pytest.raises(ServiceError) as e:
            svc.record_answers("water", "2026", [good, bad], LOCAL)
        assert len(e.value.problems) == 2
        with pytest.raises(ServiceError):
            svc.enter_answer("water", "2026", "9 9 9", LOCAL)
        with pytest.raises(NotAllowed):
            svc.record_answers("water", "2026", [good], Actor("Asel", "observer"))
        assert svc.surveys("water")[0].answers == []
        with pytest.raises(ServiceError):
            svc.start_survey("water", "2026", "2026-04-01", LOCAL)  # the same id again
        with pytest.raises(ServiceError):
            svc.start_survey("nope", "x", "2026-04-01", LOCAL)
        assert svc.results("water").respondents == 0


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_a_typing_error_names_the_question_in_the_user_s_language(tmp_path, lang):
    """s23 finding 16: ru and ky messages showed «How satisfied are you with this service?»."""
    from pbtools.services.errors import ServiceError
    from pbtools.services.survey import DEFAULT_QUESTIONS

    with workspace_with(tmp_path, village_water()) as ws:
        svc = ServicesService(ws)
        svc.start_survey("water", "2026", "2026-05-14", LOCAL)
        with pytest.raises(ServiceError) as e:
            svc.enter_answer("water", "2026", "1 1 2 6 1 1", LOCAL)
        text = e.value.render(lang)
        assert DEFAULT_QUESTIONS[0].title(lang) in text and "6" in text
        if lang != "en":
            assert "How satisfied" not in text
